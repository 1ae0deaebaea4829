"""TinTin++, a real MUD client, creates a character and walks: run headless
in a private tmux server (see /work/shared/TESTING.md), its telnet debug
output shows what it negotiated. A missing tt++ or tmux is a failure."""

import os
import re
import subprocess
import time

from ruin import RuinTestCase, require_tool, stop_pid

TT = "/usr/games/tt++"
PASSWORD = "sesame seed 42"

SCRIPT = r"""#config {debug telnet} on
#event {IAC WILL GMCP} {#send {\xFF\xFD\xC9\};#send {\xFF\xFA\xC9Core.Hello {"client":"TinTin++","version":"2"}\xFF\xF0\};#send {\xFF\xFA\xC9Core.Supports.Set ["Char 1","Room 1"]\xFF\xF0\}}
#action {By what name are you known?} {#send {Tinny}}
#action {Is that the name you want} {#send {yes}}
#action {^Password:} {#send {%(password)s}}
#action {Type it again:} {#send {%(password)s}}
#action {Choose they, he or she:} {#send {she}}
#action {Your path:} {#send {scout}}
#action {Welcome to Forgotten Ruin, Tinny.} {#delay {0.5} {#send {north}};#delay {1.0} {#send {look}};#delay {1.5} {#send {south}};#delay {2.5} {#showme {TT-DONE}}}
#session ruin 127.0.0.1 %(port)d
"""


class TinTin(RuinTestCase):
    def tmux(self, sock, *args, check=True):
        return subprocess.run(["tmux", "-L", sock] + list(args), capture_output=True,
                              text=True, timeout=10, check=check)

    def test_tintin_creates_a_character_and_walks(self):
        require_tool(TT)
        require_tool("tmux")
        srv = self.start_server()
        script = os.path.join(self.tmp, "ruin.tin")
        with open(script, "w") as f:
            f.write(SCRIPT % {"port": srv.port, "password": PASSWORD})
        conf = os.path.join(self.tmp, "tmux.conf")
        with open(conf, "w") as f:
            f.write("set -g history-limit 50000\n")
        sock = "ruin-it-tt-%d" % os.getpid()
        self.tmux(sock, "-f", conf, "new-session", "-d", "-x", "120", "-y", "300",
                  "cd %s && TERM=xterm-256color %s -G ruin.tin" % (self.tmp, TT))
        pid = None
        try:
            pid = int(self.tmux(sock, "display-message", "-p", "#{pid}").stdout.strip())
            screen = ""
            deadline = time.monotonic() + 25
            while time.monotonic() < deadline:
                screen = self.tmux(sock, "capture-pane", "-p", "-S", "-", "-J").stdout
                if "TT-DONE" in screen:
                    break
                time.sleep(0.25)
        finally:
            self.tmux(sock, "kill-server", check=False)
            stop_pid(pid)
        self.assertIn("TT-DONE", screen, "tt++ did not finish its script:\n" + screen)
        self.check_screen(screen)
        srv.wait_log(r"Tinny created and entered the game")

    def check_screen(self, screen):
        def has(pattern, why):
            self.assertRegex(screen, pattern, why + "\n---- screen ----\n" + screen)

        # Negotiation, from tt++'s own telnet debug lines.
        has(r"RCVD IAC DO TERMINAL TYPE", "no DO TTYPE")
        has(r"SENT IAC SB TTYPE TINTIN\+\+", "TTYPE cycle did not start")
        has(r"SENT IAC SB TTYPE MTTS \d+", "TTYPE cycle did not reach MTTS")
        has(r"SENT IAC SB NAWS 0 120 \d+ \d+", "no NAWS")
        has(r"SENT IAC SB CHARSET ACCEPTED UTF-8", "CHARSET UTF-8 not accepted")
        has(r"SENT IAC DO EOR", "EOR not accepted")
        has(r"RCVD IAC EOR", "no prompt ended in EOR")
        has(r"INFO MCCP2 INITIALIZED", "MCCP2 did not start")
        has(r"RCVD IAC WILL GMCP", "GMCP not offered")
        has(r"IAC SB GMCP Room\.Info IAC SE", "no GMCP Room.Info reached tt++")
        # Both password prompts toggled echo, the second toggle included.
        toggles = re.findall(r"RCVD IAC (WILL|WONT) ECHO", screen)
        self.assertEqual(toggles, ["WILL", "WONT", "WILL", "WONT"], screen)
        # The game, through compression.
        has(r"Welcome to Forgotten Ruin, Tinny\.", "no welcome")
        has(r"The Notice Board", "moving north did not show the board")
        self.assertGreaterEqual(screen.count("Lantern Square"), 2, "walking back failed")
        self.assertNotIn(PASSWORD, screen, "the password appeared on screen")
