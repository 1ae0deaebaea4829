"""Hot reboot: the server saves everything and exec()s its binary again in
the same process, handing over its listener and every connection with its
telnet state; players go on where they stood without logging in again.
Triggered by SIGUSR2 (as nginx upgrades its binary)."""

import os
import re
import shutil
import signal
import subprocess

from ruin import NAWS, Profile, RuinTestCase, server_binary
from test_bridge import BridgeTestCase

NAME_PROMPT = "By what name are you known? "
BACK = "The world is back; you stand where you stood."


class HotReboot(RuinTestCase):
    def reboot(self, srv, *clients):
        pid = srv.proc.pid
        srv.send_signal(signal.SIGUSR2)
        srv.wait_log(r"hot reboot complete: %d session" % len(clients), timeout=15)
        self.assertIsNone(srv.proc.poll(), "the server process exited")
        self.assertEqual(srv.proc.pid, pid)

    def test_players_continue_where_they_stood(self):
        srv = self.start_server(autosave_s=86400)
        full = Profile(mccp2=True)  # compression, GMCP, EOR, NAWS 100x40, UTF-8, MTTS
        a = self.player("Ayla", profile=full, path="scout", pronouns="she")
        b = self.player("Bren", profile=Profile.dumb(), path="fighter", pronouns="he")
        door = self.connect(srv, Profile.plain())
        door.read_text(NAME_PROMPT)
        door.send_line("Halfway")
        door.read_text("Is that the name you want")
        self.assertIn("Market Lane", a.cmd("east"))
        self.assertIn("windfall apple", a.cmd("get apple"))
        b.skip()
        mark = len(b.text)
        b.cmd("look")
        b_before = bytes(b.text[mark:])
        self.assertEqual(len([e for e in a.events if e[1] == "mccp2"]), 1)
        gmcp_before = len(a.gmcp)

        self.reboot(srv, a, b, door)

        # Everyone is told, and the players are back in their rooms.
        a.read_text(BACK, timeout=10)
        b.read_text(BACK, timeout=10)
        look = a.cmd("look")
        self.assertIn("Market Lane", look)
        self.assertIn("a windfall apple", a.cmd("inventory"))
        self.assertIn("Lantern Square", b.cmd("look"))
        self.assertRegex(b.cmd("who"), r"Ayla[\s\S]*Bren|Bren[\s\S]*Ayla")

        # Compression ended cleanly and started again on the same socket.
        kinds = [e[1] for e in a.events]
        self.assertIn("mccp2-end", kinds)
        self.assertEqual(kinds.count("mccp2"), 2)
        # Nothing was renegotiated: no second NAWS or TTYPE request arrived.
        self.assertEqual(sum(1 for n in a.negotiations() if n == ("DO", NAWS)), 1)
        # GMCP packages, window size and EOR prompts carried over.
        a.gmcp_wait("Room.Info", since=gmcp_before)
        a.cmd("say the ground is quiet")
        for line in a.cmd("look").splitlines():
            self.assertLessEqual(len(line), 100, "not wrapped to the 100 columns of NAWS")
        self.assertIn(0xEF, [e[2] for e in a.events if e[1] == "cmd"])  # IAC EOR
        # The client that announced nothing still gets ASCII and the same colors.
        b.skip()
        mark = len(b.text)
        b.cmd("look")
        b_after = bytes(b.text[mark:])
        self.assertTrue(all(c < 0x80 for c in b_after), "non-ASCII to an ASCII client")
        self.assertEqual(b"\x1b[" in b_before, b"\x1b[" in b_after)
        self.assertEqual(re.findall(rb"\x1b\[[0-9;]*m", b_before)[:3],
                         re.findall(rb"\x1b\[[0-9;]*m", b_after)[:3])

        # The one still at the door is asked again, and can come in.
        door.read_text("Please log in again.", timeout=10)
        door.read_text(NAME_PROMPT)
        self._create_at_prompt(door, "Halfway")
        self.assertIn("Lantern Square", door.cmd("look"))

        # New connections are taken on the same port; the hand-over file is gone.
        late = self.player("Late", profile=Profile.plain())
        self.assertIn("Ayla", late.cmd("who"))
        self.assertFalse(os.path.exists(os.path.join(srv.dir, "hot-reboot.json")))

    def _create_at_prompt(self, c, name):
        c.send_line(name)
        c.read_text("Is that the name you want")
        c.send_line("yes")
        c.read_text("Password: ")
        c.send_line("secret word")
        c.read_text("Type it again: ")
        c.send_line("secret word")
        c.read_text("Choose they, he or she: ")
        c.send_line("they")
        c.read_text("Your path: ")
        c.send_line("scholar")
        c.read_text("Welcome to Forgotten Ruin")
        c.read_prompt()

    def test_reboots_into_the_new_binary_on_disk(self):
        # Run from a copy, then replace the copy as an upgrade would (a new
        # file renamed over the old): the reboot runs the new file.
        exe = os.path.join(self.tmp, "ruin-server")
        shutil.copy2(server_binary(), exe)
        srv = self.start_server(exe=exe)
        a = self.player("Upgrader", profile=Profile.plain())
        before = os.stat("/proc/%d/exe" % srv.proc.pid).st_ino
        new = exe + ".new"
        shutil.copy2(exe, new)
        os.rename(new, exe)
        self.assertTrue(os.readlink("/proc/%d/exe" % srv.proc.pid).endswith("(deleted)"))
        self.reboot(srv, a)
        a.read_text(BACK, timeout=10)
        after = os.stat("/proc/%d/exe" % srv.proc.pid).st_ino
        self.assertNotEqual(before, after, "the old binary is still running")
        self.assertFalse(os.readlink("/proc/%d/exe" % srv.proc.pid).endswith("(deleted)"))
        self.assertIn("Lantern Square", a.cmd("look"))

    def test_a_second_reboot_works_too(self):
        srv = self.start_server()
        a = self.player("Twice", profile=Profile(mccp2=True))
        self.reboot(srv, a)
        a.read_text(BACK, timeout=10)
        self.assertIn("Lantern Square", a.cmd("look"))
        srv.send_signal(signal.SIGUSR2)
        srv.wait_log(r"(?s)hot reboot complete.*hot reboot complete", timeout=15)
        a.read_text(BACK, timeout=10)
        self.assertIn("Lantern Square", a.cmd("look"))
        self.assertEqual([e[1] for e in a.events].count("mccp2"), 3)

    def test_a_failed_reboot_keeps_the_game_open(self):
        # The state file cannot be written (a directory stands at its path):
        # the reboot fails after the connections were frozen for the drain
        # and their telnet state saved (compression ended). The game goes
        # on in this process: players are told, compression starts again,
        # and new connections and input are taken again.
        srv = self.start_server()
        a = self.player("Unlucky", profile=Profile(mccp2=True))
        b = self.player("Plain", profile=Profile.plain())
        os.mkdir(os.path.join(srv.dir, "hot-reboot.json"))
        srv.send_signal(signal.SIGUSR2)
        srv.wait_log(r"hot reboot failed: cannot write .*hot-reboot\.json", timeout=15)
        for c in (a, b):
            c.read_text("...and lets it out. Never mind.", timeout=10)
        self.assertIsNone(srv.proc.poll(), "the server process exited")
        kinds = [e[1] for e in a.events]
        self.assertEqual(kinds.count("mccp2-end"), 1)
        self.assertEqual(kinds.count("mccp2"), 2)
        self.assertIn("Lantern Square", a.cmd("look"))
        self.assertIn("Unlucky", b.cmd("who"))
        late = self.connect(srv, Profile.plain())
        late.read_text(NAME_PROMPT)
        # The sockets are close-on-exec again: a later reboot hands over only
        # what it lists.
        os.rmdir(os.path.join(srv.dir, "hot-reboot.json"))
        self.reboot(srv, a, b, late)
        a.read_text(BACK, timeout=10)
        self.assertIn("Lantern Square", a.cmd("look"))
    def test_a_failed_exec_goes_on_with_the_same_database(self):
        # The file at the binary's path is no program: exec() fails after
        # the database was closed. It is opened again with the configured
        # settings (the harness's pwhash_ops=1, so a login does not rehash),
        # the scripts save through it, and the game goes on.
        exe = os.path.join(self.tmp, "ruin-server")
        shutil.copy2(server_binary(), exe)
        srv = self.start_server(exe=exe)
        a = self.player("Stayer", profile=Profile.plain())
        bad = exe + ".new"
        with open(bad, "w") as f:
            f.write("not a program\n")
        os.chmod(bad, 0o755)
        os.rename(bad, exe)
        srv.send_signal(signal.SIGUSR2)
        srv.wait_log(r"hot reboot failed: exec .*ruin-server: Exec format error", timeout=15)
        a.read_text("...and lets it out. Never mind.", timeout=10)
        self.assertIn("Market Lane", a.cmd("east"))
        a.send_line("quit")
        a.read_text("Farewell")
        a.expect_closed()
        b = self.connect(srv, Profile.plain()).login("Stayer", "secret word")
        self.assertIn("Market Lane", b.cmd("look"))
        self.assertNotIn("rehashed", srv.log_text())
        # tearDown stops it: the shutdown saves (area state too) through the
        # new store, and must exit 0.


class HotRebootWithBrowsers(BridgeTestCase):
    """A web player (through ruin-bridge) and a telnet player across a hot
    reboot of the server: the bridge's upstream telnet connection is handed
    over like any other, so the browser sees a message and plays on."""

    def test_web_and_telnet_players_continue(self):
        srv, br = self.start_game({"autosave_s": 86400})
        web = self.web_player(br, "Webby")
        tel = self.telnet("Telly")
        web.skip()
        web.command("east")
        web.read_text("Market Lane")
        web.skip()
        pid = srv.proc.pid

        srv.send_signal(signal.SIGUSR2)
        srv.wait_log(r"hot reboot complete: 2 session", timeout=15)
        self.assertEqual(srv.proc.pid, pid)

        web.read_text(BACK, timeout=10)
        tel.read_text(BACK, timeout=10)
        # The browser's session was never lost and still plays.
        self.assertNotIn("lost", [m.get("state") for m in web.messages
                                  if isinstance(m, dict) and m.get("type") == "session"])
        web.skip()
        mark = len(web.messages)
        web.command("look")
        web.prompt()
        self.assertIn("Market Lane", web.text(mark, ansi=False))
        # They still see each other, and the room panel still updates: the
        # telnet player walks over (a new Room.Info) and speaks.
        web.pos = len(web.messages)
        tel.cmd("east")
        update = web.next(lambda m: isinstance(m, dict) and m.get("type") == "update"
                          and m.get("event") == "room_description", what="a room update")
        self.assertEqual(update["data"]["name"], "Market Lane")
        self.assertIn("Telly", update["data"]["players"])
        tel.cmd("say still here")
        web.read_text("Telly says, 'still here'")


class RebootCommand(RuinTestCase):
    def test_admins_reboot_from_the_game(self):
        srv = self.start_server()
        boss = self.player("Boss", profile=Profile.plain())
        boss.send_line("quit")
        boss.expect_closed()
        # Roles are given with the server's own command, to an offline character.
        out = subprocess.run([server_binary(), "--database", srv.db, "--grant", "Boss=admin"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("Boss now has the role admin", out.stdout)

        pleb = self.player("Pleb", profile=Profile.plain())
        self.assertIn("Huh?", pleb.cmd("reboot hot"))
        boss = self.connect(srv, Profile.plain()).login("Boss", "secret word")
        self.assertIn("Usage: reboot hot", boss.cmd("reboot"))
        self.assertIn("Type 'reboot' in full", boss.cmd("reboo hot"))
        pid = srv.proc.pid
        boss.send_line("reboot hot")
        srv.wait_log(r"hot reboot complete: 2 session", timeout=15)
        self.assertEqual(srv.proc.pid, pid)
        boss.read_text(BACK, timeout=10)
        pleb.read_text(BACK, timeout=10)
        self.assertIn("Pleb", boss.cmd("who"))
