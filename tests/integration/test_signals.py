"""SIGHUP: the log file is reopened (rotation) and the config file re-read;
the settings that can change while running take effect, and a broken file
changes nothing and keeps the server running. At start, a broken file
stops the server with status 2."""

import os
import re
import signal
import subprocess
import time

import ruin
from ruin import Profile, RuinTestCase

NAME_PROMPT = "By what name are you known? "


def wait_file(path, pattern, timeout=5.0):
    """Waits until the file at path matches pattern; returns its text."""
    end = time.monotonic() + timeout
    text = ""
    while time.monotonic() < end:
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if re.search(pattern, text):
                return text
        time.sleep(0.05)
    raise AssertionError("%s never matched %r in %.1fs:\n%s" % (path, pattern, timeout, text))


class Sighup(RuinTestCase):
    def write_config(self, text):
        with open(self.cfg, "w") as f:
            f.write(text)

    def setUp(self):
        super().setUp()
        self.cfg = os.path.join(self.tmp, "ruin.conf")
        self.log = os.path.join(self.tmp, "game.log")

    def test_reopens_the_log_and_reloads_settings(self):
        self.write_config("log_level = info\nlogin_timeout_s = 120\n")
        srv = self.start_server(["--config", self.cfg], log_file=self.log)
        self.connect(srv, Profile.dumb()).read_text(NAME_PROMPT)
        wait_file(self.log, r"session \d+: connection from 127\.0\.0\.1")
        self.assertNotIn(" DEBUG ", open(self.log).read())

        # Rotate the log, change the settings, and tell the server.
        os.rename(self.log, self.log + ".1")
        self.write_config("log_level = debug\nlogin_timeout_s = 5\n")
        srv.send_signal(signal.SIGHUP)
        wait_file(self.log, r"SIGHUP: reloaded")

        # The new level is in force, in the new file.
        self.connect(srv, Profile.dumb()).read_text(NAME_PROMPT)
        wait_file(self.log, r" DEBUG ")
        rotated = open(self.log + ".1").read()
        self.assertNotIn("SIGHUP", rotated, "the old file kept being written after SIGHUP")

        # So is the new login timeout: a silent connection is closed in ~5 s.
        idle = self.connect(srv, Profile.dumb())
        idle.read_text(NAME_PROMPT)
        t0 = time.monotonic()
        text = idle.expect_closed(timeout=12)
        self.assertIn("Idle too long", text)
        self.assertLess(time.monotonic() - t0, 10)

    def test_broken_config_on_sighup_changes_nothing(self):
        self.write_config("log_level = info\n")
        srv = self.start_server(["--config", self.cfg], log_file=self.log)
        self.write_config("log_level = info\nport = lots\nno equals sign here\n")
        srv.send_signal(signal.SIGHUP)
        text = wait_file(self.log, r"not reloaded")
        self.assertRegex(text, r"ruin\.conf:2: port: 'lots' is not a whole number")
        self.assertRegex(text, r"ruin\.conf:3: expected 'name = value'")
        # Still serving.
        c = self.player("Steady", srv=srv, profile=Profile.plain())
        self.assertIn("Lantern Square", c.cmd("look"))


class BadStart(RuinTestCase):
    """Settings that cannot work stop the server at start, exit status 2, with
    the file and line (or the flag) named; under the sanitizers the same runs
    show that no way out leaks what was read."""

    def run_server(self, *args):
        return subprocess.run([ruin.server_binary()] + list(args), capture_output=True,
                              text=True, timeout=20, cwd=self.tmp)

    def test_bad_settings_stop_the_server_with_status_2(self):
        conf = os.path.join(self.tmp, "bad.conf")
        with open(conf, "w") as f:
            f.write("port = 4000\nno_such_thing = 3\n")
        r = self.run_server("--config", conf)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("%s:2: unknown setting 'no_such_thing'" % conf, r.stderr)
        r = self.run_server("--config", os.path.join(self.tmp, "no-such.conf"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("no-such.conf", r.stderr)
        r = self.run_server("--set", "nope=1")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("unknown setting 'nope'", r.stderr)
        r = self.run_server("--set", "log_level=loud")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("log_level 'loud' is not error, warn, info or debug", r.stderr)
        r = self.run_server("--set", "log_file=%s" % os.path.join(self.tmp, "no", "dir.log"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("cannot open log file", r.stderr)
        r = self.run_server("--bogus")
        self.assertEqual(r.returncode, 2, r.stderr)
        r = self.run_server("--port", "0", "epoll")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("unexpected argument 'epoll'", r.stderr)
        # --check DIR checks DIR, wherever the other options stand (getopt
        # moves DIR behind them; it used to check ./areas instead, and there
        # is none in the test's directory).
        r = self.run_server("--check", os.path.join(ruin.REPO, "areas"), "--lua",
                            os.path.join(ruin.REPO, "lua"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout + r.stderr, r"checked [1-9]\d* areas .*: no problems")
        r = self.run_server("--check", os.path.join(ruin.REPO, "areas"), "--lua",
                            os.path.join(ruin.REPO, "lua"), "extra")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("unexpected argument 'extra'", r.stderr)
        r = self.run_server("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("--config", r.stdout)
