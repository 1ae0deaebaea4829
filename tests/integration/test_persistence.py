"""What survives a restart: quit saves room, inventory, title and prompt;
SIGTERM tells the players, exits 0 and saves everyone's latest state."""

import re
import signal

from ruin import Profile, RuinTestCase



class Persistence(RuinTestCase):
    def test_quit_and_restart_keep_room_items_title_and_prompt(self):
        # Autosave far away: what is found after the restart was saved by quit.
        srv = self.start_server(autosave_s=86400)
        c = self.player("Keeper", profile=Profile.plain())
        self.assertIn("Lane", c.cmd("east"))
        self.assertIn("windfall apple", c.cmd("get apple"))
        self.assertIn("a windfall apple", c.cmd("inventory"))
        c.cmd("title the Apple-Bearer")
        c.cmd("prompt [%h/%Hhp] ")
        self.assertRegex(c.cmd("look"), r"\n\[\d+/\d+hp\]\s*$")
        c.send_line("quit")
        goodbye = c.expect_closed()
        self.assertTrue(goodbye.strip(), "quit said nothing before closing")

        srv.restart()
        c = self.connect(srv, Profile.plain()).login("Keeper", "secret word")
        look = c.cmd("look")
        self.assertRegex(look, r"\n\[\d+/\d+hp\]\s*$", "the prompt was not kept")
        self.assertIn("Market Lane", look, "not in the room where the player quit")
        self.assertIn("a windfall apple", c.cmd("inventory"))
        self.assertIn("the Apple-Bearer", c.cmd("who"))
        # The starting gear of the path came along too.
        self.assertIn("a blunted practice sword", c.cmd("equipment") + c.cmd("inventory"))

    def test_sigterm_saves_everyone_and_exits_zero(self):
        srv = self.start_server(autosave_s=86400)
        a = self.player("Wanderer", profile=Profile.plain())
        b = self.player("Sitter", profile=Profile.plain())
        self.assertIn("Market Lane", a.cmd("east"))  # never saved by hand
        a.skip()
        b.skip()
        srv.send_signal(signal.SIGTERM)
        for c in (a, b):
            c.read_text("The server is shutting down; your character has been saved.")
            c.expect_closed()
        self.assertEqual(srv.wait(10), 0, "exit status after SIGTERM")
        self.assertRegex(srv.log_text(), r"saving 2 character\(s\)")

        srv.start()
        c = self.connect(srv, Profile.plain()).login("Wanderer", "secret word")
        self.assertIn("Market Lane", c.cmd("look"))
        c = self.connect(srv, Profile.plain()).login("Sitter", "secret word")
        self.assertIn("Lantern Square", c.cmd("look"))

    def test_sigint_also_stops_cleanly(self):
        srv = self.start_server()
        c = self.player("Interrupted", profile=Profile.plain())
        srv.send_signal(signal.SIGINT)
        c.read_text("shutting down")
        c.expect_closed()
        self.assertEqual(srv.wait(10), 0)
        self.assertRegex(srv.log_text(), r"signal INT: shutting down")
