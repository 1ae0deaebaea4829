"""Plain telnet (inetutils), driven by expect on a pty: an existing character
logs in, looks and quits, and the password never shows on the terminal.
A missing telnet or expect is a failure."""

import os
import subprocess

from ruin import Profile, RuinTestCase, require_tool

PASSWORD = "plain old pass"

SCRIPT = r"""set timeout 10
log_file -noappend {%(log)s}
spawn telnet 127.0.0.1 %(port)d
stty rows 40 columns 100
proc step {pattern code} {
    expect {
        -ex $pattern {}
        timeout { puts "\nEXPECT-TIMEOUT: $pattern"; exit $code }
        eof { puts "\nEXPECT-EOF: $pattern"; exit $code }
    }
}
step "By what name are you known? " 2
send "Plainy\r"
step "Password: " 3
send "%(password)s\r"
step "Welcome back, Plainy." 4
step "mv> " 5
send "look\r"
step "Lantern Square" 6
step "mv> " 7
send "quit\r"
expect {
    eof { exit 0 }
    timeout { puts "\nEXPECT-TIMEOUT: close after quit"; exit 8 }
}
"""


class PlainTelnet(RuinTestCase):
    def test_telnet_logs_in_looks_and_quits(self):
        telnet = require_tool("telnet")
        expect = require_tool("expect")
        srv = self.start_server()
        # The character is made over the raw client first.
        c = self.connect(srv, Profile.plain()).create("Plainy", PASSWORD)
        c.send_line("quit")
        c.expect_closed()

        log = os.path.join(self.tmp, "pty.log")
        script = os.path.join(self.tmp, "login.exp")
        with open(script, "w") as f:
            f.write(SCRIPT % {"log": log, "port": srv.port, "password": PASSWORD})
        env = dict(os.environ, PATH=os.path.dirname(telnet) + os.pathsep + os.environ["PATH"])
        proc = subprocess.run([expect, script], cwd=self.tmp, env=env, capture_output=True,
                              timeout=60)
        with open(log, "rb") as f:
            pty = f.read().decode("utf-8", "replace")
        self.assertEqual(proc.returncode, 0, "expect failed (%d):\n%s\n%s" % (
            proc.returncode, proc.stdout.decode("utf-8", "replace"), pty))
        self.assertIn("Lantern Square", pty)
        self.assertIn("Plainy", pty)  # the name is echoed, as it should be
        self.assertNotIn(PASSWORD, pty, "the password was echoed on the terminal")
        self.assertNotIn("Huh?", pty, "a line from telnet was misread (CR NUL?)")
        srv.wait_log(r"Plainy entered the game")
