"""Link-dead characters: a dropped link leaves the character in the world,
logging in again takes it back (from a dead link or a live one), and after
linkdead_timeout_s the character leaves the world, saved."""

import sqlite3
import time

from ruin import Profile, RuinTestCase



class LinkDead(RuinTestCase):
    def test_drop_and_reconnect(self):
        srv = self.start_server()
        b = self.player("Bryn", profile=Profile.plain())
        a = self.player("Ayla", profile=Profile.plain())
        a.cmd("east")
        b.cmd("east")
        b.skip()
        a.close()
        b.read_text("Ayla has lost their link.")
        self.assertRegex(b.cmd("who"), r"Ayla[^\n]*link-dead")
        self.assertRegex(b.cmd("look"), r"Ayla[^\n]*link-dead")
        srv.wait_log(r"session \d+ \(127\.0\.0\.1, Ayla\): closed")

        b.skip()
        a2 = self.connect(srv, Profile.plain()).login("Ayla", "secret word", welcome=r"Welcome back")
        b.read_text("Ayla has reconnected.")
        self.assertIn("Market Lane", a2.entry_text, "the room was not shown on reconnecting")
        look = a2.cmd("look")
        self.assertIn("Market Lane", look)
        self.assertIn("Bryn", look)
        self.assertNotRegex(b.cmd("who"), r"Ayla[^\n]*link-dead")
        # Still one Ayla in the world.
        self.assertEqual(b.cmd("who").count("Ayla"), 1)

    def test_login_elsewhere_takes_over_a_live_connection(self):
        srv = self.start_server()
        b = self.player("Bryn", profile=Profile.plain())
        first = self.player("Ayla", profile=Profile.plain())
        first.cmd("north")
        first.skip()
        second = self.connect(srv, Profile.plain()).login("Ayla", "secret word", welcome=r"Welcome back")
        first.read_text("This character has been taken over from another connection.")
        first.expect_closed()
        self.assertIn("The Notice Board", second.entry_text)
        look = second.cmd("look")
        self.assertIn("The Notice Board", look)
        self.assertIn("Lantern Square", second.cmd("south"))
        self.assertEqual(b.cmd("who").count("Ayla"), 1)
        srv.wait_log(r"Ayla taken over by session")

    def test_linkdead_timeout_saves_and_removes(self):
        srv = self.start_server(linkdead_timeout_s=2, autosave_s=86400)
        b = self.player("Bryn", profile=Profile.plain())
        a = self.player("Ayla", profile=Profile.plain())
        a.cmd("east")
        a.cmd("get apple")
        b.cmd("east")
        b.skip()
        a.close()
        b.read_text("Ayla has lost their link.")
        t0 = time.monotonic()
        b.wait_for(lambda: "Ayla" not in b.cmd("who"), timeout=8,
                   what="Ayla to leave the world after the link-dead timeout")
        self.assertGreater(time.monotonic() - t0, 1.0, "left before the timeout")
        self.assertNotIn("Ayla", b.cmd("look"))
        # Back from the database, where the reaper saved the latest state.
        a2 = self.connect(srv, Profile.plain()).login("Ayla", "secret word")
        self.assertIn("Market Lane", a2.cmd("look"))
        self.assertIn("a windfall apple", a2.cmd("inventory"))

    def test_a_failed_timeout_save_keeps_the_character(self):
        # The database is locked when the timeout comes: the character must
        # stay in the world (link-dead) until a save works, not leave with
        # its changes unwritten. The timeouts' saves used to be queued with
        # the pulse's batch, reported done before they were written, and the
        # character was gone when the batch failed.
        srv = self.start_server(linkdead_timeout_s=2, autosave_s=86400)
        b = self.player("Watcher", profile=Profile.plain())
        a = self.player("Lockedout", profile=Profile.plain())
        a.cmd("east")
        a.cmd("get apple")
        b.cmd("east")
        b.skip()
        lock = sqlite3.connect(srv.db, isolation_level=None, timeout=5)
        self.addCleanup(lock.close)
        lock.execute("BEGIN IMMEDIATE")
        a.close()
        b.read_text("Lockedout has lost their link.")
        srv.wait_log(r"saving 1 character\(s\) failed", timeout=10)
        self.assertIn("Lockedout", b.cmd("who"))
        lock.execute("ROLLBACK")
        b.wait_for(lambda: "Lockedout" not in b.cmd("who"), timeout=10,
                   what="Lockedout to leave once a save works")
        a2 = self.connect(srv, Profile.plain()).login("Lockedout", "secret word")
        self.assertIn("Market Lane", a2.cmd("look"))
        self.assertIn("a windfall apple", a2.cmd("inventory"))
