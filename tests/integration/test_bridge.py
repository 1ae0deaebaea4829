"""test_bridge.py: ruin-bridge with a real ruin-server on loopback, driven by a
real WebSocket client (wsclient.py) and, beside it, the telnet client of ruin.py.

BridgeTestCase starts a server that trusts 127.0.0.1 as a proxy (the bridge
connects from there) and a bridge in front of it; telnet players connect
from 127.0.0.2 so the server does not wait for a PROXY line from them.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import ruin
import wsclient
from wsclient import Bridge, HandshakeError, WebSocket

PASSWORD = "secret word"


class BridgeTestCase(ruin.RuinTestCase):
    """A server trusting loopback as a proxy, bridges in front of it, cleaned up after."""

    def setUp(self):
        super().setUp()
        self.bridges = []
        self.sockets = []

    def start_game(self, server_settings=None, **bridge_settings):
        settings = {"trusted_proxies": "127.0.0.1/32"}
        settings.update(server_settings or {})
        srv = self.start_server(**settings)
        return srv, self.start_bridge(srv, **bridge_settings)

    def start_bridge(self, srv, **settings):
        d = os.path.join(self.tmp, "bridge%d" % len(self.bridges))
        br = Bridge(d, srv.port, **settings)
        self.bridges.append(br)
        return br.start()

    def ws(self, br, **kw):
        w = br.ws(**kw)
        self.sockets.append(w)
        return w

    def telnet(self, name, srv=None):
        """A telnet player (from 127.0.0.2), in the game, at its first prompt."""
        srv = srv or self.servers[0]
        c = self.connect(srv, ruin.Profile.plain(), source="127.0.0.2")
        return c.create(name, PASSWORD)

    def web_player(self, br, name, **kw):
        """A new character created over the bridge, in the game; returns the socket."""
        w = self.ws(br, **kw)
        s = w.next_type("session")
        self.assertEqual(s["state"], "connected")
        self.assertTrue(s["resume_token"])
        w.token = s["resume_token"]
        create(w, name)
        return w

    def tearDown(self):
        for w in self.sockets:
            w.abort()
        problems = []
        for br in self.bridges:
            if br.proc is not None and br.proc.poll() is not None:
                problems.append("bridge in %s died with status %s"
                                % (br.dir, br.proc.returncode))
                br.wait()
                continue
            rc = br.stop()
            if rc not in (0, None):
                problems.append("bridge in %s exited with %r on SIGTERM" % (br.dir, rc))
        # Kept for run(), which prints them if the test failed (the files go with tmp).
        self.bridge_logs = [(br.dir, br.log_text()[-20000:]) for br in self.bridges]
        try:
            super().tearDown()
        finally:
            if problems:
                self.fail("; ".join(problems))

    def run(self, result=None):
        bad_before = len(result.failures) + len(result.errors) if result else 0
        try:
            return super().run(result)
        finally:
            if result and len(result.failures) + len(result.errors) > bad_before:
                for d, text in getattr(self, "bridge_logs", []):
                    sys.stderr.write("\n---- bridge log (%s) ----\n%s---- end ----\n" % (d, text))


def create(w, name, path="fighter"):
    """Walks a web socket through character creation, up to the first game prompt."""
    w.read_text("By what name are you known? ")
    w.command(name)
    w.read_text("Is that the name you want (yes/no)? ")
    w.command("yes")
    w.next_type("echo", enabled=False)
    w.read_text("Password: ")
    w.command(PASSWORD)
    w.read_text("Type it again: ")
    w.command(PASSWORD)
    w.next_type("echo", enabled=True)
    w.read_text("Choose they, he or she: ")
    w.command("they")
    w.read_text("Your path: ")
    w.command(path)
    w.read_text("Welcome to Forgotten Ruin, %s." % name)
    w.prompt()


def login(w, name):
    w.read_text("By what name are you known? ")
    w.command(name)
    w.read_text("Password: ")
    w.command(PASSWORD)
    w.read_text("Welcome back, %s." % name)
    w.prompt()


def poll(predicate, timeout=wsclient.DEFAULT_TIMEOUT, what="condition"):
    """predicate()'s first true value, tried every 50 ms; fails after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, what))
        time.sleep(0.05)


def upstream_timers(br, server_port):
    """(timer, seconds left) of each established TCP connection the bridge
    process holds to server_port, from /proc/net/tcp and tcp6: timer 2 is
    the keep-alive timer (0 none, 1 retransmit, 4 zero-window probe)."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % br.pid):
        try:
            m = re.match(r"socket:\[(\d+)\]$", os.readlink("/proc/%d/fd/%s" % (br.pid, fd)))
        except OSError:
            continue
        if m:
            inodes.add(m.group(1))
    hz = os.sysconf("SC_CLK_TCK")
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                # sl local_address rem_address st tx:rx tr:tm->when retrnsmt uid timeout inode
                fields = line.split()
                if (fields[3] != "01" or fields[9] not in inodes
                        or int(fields[2].rsplit(":", 1)[1], 16) != server_port):
                    continue
                tr, when = fields[5].split(":")
                found.append((int(tr, 16), int(when, 16) / hz))
    return found


class TestBridgeLogin(BridgeTestCase):
    def test_create_and_play(self):
        srv, br = self.start_game()
        w = self.ws(br)
        self.assertEqual(w.subprotocol, "ruin.v1")
        self.assertTrue(w.deflate, w.extensions)
        start = 0
        s = w.next_type("session")
        self.assertEqual(s["state"], "connected")
        self.assertGreater(len(s["resume_token"]), 30)
        self.assertEqual(s["resume_window_s"], 60)
        create(w, "Wanda")
        # Every message is an object with a type and a millisecond timestamp.
        now_ms = time.time() * 1000
        for m in w.messages[start:]:
            self.assertIsInstance(m, dict)
            self.assertIn("type", m)
            self.assertLess(abs(m["timestamp"] - now_ms), 60000, m)
        # The password was masked (echo off) and never came back as text.
        self.assertNotIn(PASSWORD, w.text())
        # Entering the game filled the panels.
        w.pos = 0
        room = w.next(lambda m: m.get("type") == "update" and m.get("event") == "room_description",
                      what="a room update")
        self.assertTrue(room["data"]["name"])
        self.assertIsInstance(room["data"]["exits"], list)
        self.assertIn(room["data"]["exits"][0],
                      ("north", "east", "south", "west", "up", "down"))
        w.pos = 0
        w.next(lambda m: m.get("type") == "update" and m.get("event") == "vitals", what="vitals")
        # The server sees a proxied web client, from the browser's address.
        srv.wait_log(r"proxied for 127\.0\.0\.1")
        # Text carries ANSI colors (the bridge announced truecolor) and no telnet bytes.
        text = w.text()
        self.assertIn("\x1b[", text)
        self.assertNotIn("\xff", text)
        self.assertNotIn("\r", text)

    def test_unchanged_state_is_not_sent_again(self):
        # The server sends Room.Info and the room's item list with every look;
        # the browser's panels have them already, so an unchanged one stays
        # in the bridge and a look is its text and its prompt. A change, or
        # a new page after a resume, gets them again.
        srv, br = self.start_game()
        w = self.web_player(br, "Repeater")
        w.skip()
        w.command("look")
        w.prompt()
        w.skip()
        mark = len(w.messages)
        w.command("look")
        w.prompt()
        w.skip()
        look = w.messages[mark:]
        self.assertEqual([m["type"] for m in look], ["text", "prompt"], look)
        self.assertIn("Lantern Square", w.text(mark, ansi=False))
        # The text on both sides of the dropped messages is one message.
        self.assertRegex(look[0]["data"], r"(?s)Lantern Square.*\n(\x1b\[[0-9;]*m)*\n$")
        # Someone arrives: the room changed, and the panel hears of it.
        w.pos = len(w.messages)
        tel = self.telnet("Arriver")
        update = w.next(lambda m: m.get("type") == "update"
                        and m.get("event") == "room_description", what="a room update")
        self.assertIn("Arriver", update["data"]["players"])
        self.assertGreater(br.status()["totals"]["gmcp_repeats"], 0)
        # A resume is a new page: its first look brings the item list again.
        token = w.token
        w.abort()
        br.wait_log(r"went away; keeping the game session")
        w2 = self.ws(br, path="/ws?resume=" + token)
        self.assertEqual(w2.next_type("session")["state"], "resumed")
        w2.skip()
        mark = len(w2.messages)
        w2.command("look")
        w2.prompt()
        w2.skip()
        self.assertIn("Char.Items.List", [m.get("package") for m in w2.messages[mark:]
                                          if m.get("type") == "gmcp"])

    def test_structured_actions(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Mover")
        w.skip()
        w.send_json({"type": "command", "action": "look"})
        w.prompt()
        w.skip()
        room = [m for m in w.messages if m.get("type") == "update" and m.get("event") == "room_description"][-1]
        exit_dir = room["data"]["exits"][0]
        w.send_json({"type": "command", "action": "move", "direction": exit_dir,
                     "player_id": "someone-else", "room_id": 1})
        new = w.next(lambda m: m.get("type") == "update" and m.get("event") == "room_description",
                     what="the next room")
        self.assertNotEqual(new["data"]["room_id"], room["data"]["room_id"])
        self.assertEqual(w.errors(), [])

    def test_big_messages_through_deflate(self):
        # A message of a kilobyte or more can leave permessage-deflate part
        # to drain; the bridge must not start the next one inside it. help
        # is about 3 KB of text, then its prompt; twenty of them in a row,
        # and every frame still inflates to whole JSON in order.
        srv, br = self.start_game()
        w = self.web_player(br, "Reader")
        self.assertTrue(w.deflate)
        w.skip()
        start = len(w.messages)
        for _ in range(20):
            w.command("help")
        for _ in range(20):
            w.prompt()
        texts = [m for m in w.messages[start:] if m.get("type") == "text"]
        self.assertGreaterEqual(len(texts), 20)
        self.assertGreater(max(len(m["data"]) for m in texts), 1024)
        self.assertEqual(w.errors(start), [])

    def test_login_existing_character(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Returner")
        w.command("quit")
        lost = w.next_type("session", state="lost")
        self.assertIn("closed", lost["reason"])
        self.assertEqual(w.expect_closed(), 1000)
        w2 = self.ws(br)
        w2.next_type("session", state="connected")
        login(w2, "Returner")


class TestBridgeWithTelnet(BridgeTestCase):
    def test_web_and_telnet_players_see_each_other(self):
        srv, br = self.start_game()
        t = self.telnet("Tomas")
        w = self.web_player(br, "Wren")
        t.read_text("Wren", timeout=5)
        t.skip()
        w.skip()
        # Telnet speaks, the browser hears it as a broadcast and as text.
        t.cmd("say Hello from the telnet side")
        b = w.next_type("broadcast")
        self.assertEqual(b["event"], "player_action")
        self.assertEqual(b["data"]["player_name"], "Tomas")
        self.assertEqual(b["data"]["action"], "says")
        self.assertEqual(b["data"]["message"], "Hello from the telnet side")
        w.pos = 0
        w.read_text("Hello from the telnet side")
        # The browser speaks (structured), telnet hears it.
        w.send_json({"type": "command", "action": "say", "message": "Hi Tomas, caf\u00e9 \u20ac"})
        t.read_text("Wren says", timeout=5)
        t.read_text("Hi Tomas, caf\u00e9 \u20ac")
        # The browser moves; telnet sees it leave; the browser's room panel changes.
        w.skip()
        t.skip()
        room = [m for m in w.messages if m.get("type") == "update" and m.get("event") == "room_description"][-1]
        self.assertIn("Tomas", room["data"]["players"])
        d = room["data"]["exits"][0]
        w.send_json({"type": "command", "action": "move", "direction": d})
        t.read_until(r"Wren (leaves|goes|walks|heads)", timeout=5)
        new = w.next(lambda m: m.get("type") == "update" and m.get("event") == "room_description",
                     what="the new room")
        self.assertNotIn("Tomas", new["data"]["players"])
        # Telnet follows; the browser sees it arrive.
        t.cmd(d)
        w.read_text("Tomas")


class TestBrowserToServer(BridgeTestCase):
    """What a browser sends besides commands reaches the game as telnet."""

    # A room no mob wanders into, with nobody in it who talks: nothing but
    # the test's own commands makes output there.
    QUIET = {"start_room": "emberfall:inn_room"}

    def look(self, w):
        """The text of a look (ANSI stripped), once all of it is in."""
        mark = len(w.messages)
        w.command("look")
        w.prompt()
        w.skip()
        return w.text(mark, ansi=False)

    def test_resize_reaches_the_server_as_naws(self):
        # The server wraps its text at the NAWS width (src/session.c); the
        # bridge says 80 columns until the browser's first resize.
        srv, br = self.start_game(self.QUIET)
        w = self.web_player(br, "Narrow")
        w.skip()
        wide = self.look(w)
        self.assertIn("A Rented Room", wide)
        widest = max(len(line) for line in wide.split("\n"))
        self.assertGreater(widest, 60, wide)
        self.assertLessEqual(widest, 80, wide)
        for cols in (60, 40):
            w.send_json({"type": "resize", "cols": cols, "rows": 30})
            narrow = self.look(w)
            lines = narrow.split("\n")
            self.assertLessEqual(max(len(line) for line in lines), cols, narrow)
            self.assertTrue([line for line in lines if len(line) > cols - 20], narrow)
            # The same words, wrapped again.
            self.assertEqual(narrow.split(), wide.split())
        self.assertEqual(w.errors(), [])

    def test_gmcp_from_the_browser_reaches_the_server(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Pinger")
        w.skip()
        self.assertNotIn("Core.Ping", [m.get("package") for m in w.messages])
        # Core.Ping: the server answers at once, and the answer comes back as gmcp.
        w.send_json({"type": "gmcp", "package": "Core.Ping"})
        pong = w.next_type("gmcp", package="Core.Ping")
        self.assertIsNone(pong["data"])
        w.skip()
        # Core.Supports.Remove: the server stops sending Room.Info, so a step
        # to another room brings its text but no room panel update.
        room = [m for m in w.messages if m.get("type") == "update"
                and m.get("event") == "room_description"][-1]["data"]
        w.send_json({"type": "gmcp", "package": "Core.Supports.Remove", "data": ["Room"]})
        mark = len(w.messages)
        w.send_json({"type": "command", "action": "move", "direction": room["exits"][0]})
        w.prompt()
        w.skip()
        self.assertNotIn(room["name"], w.text(mark, ansi=False).split("\n")[0])
        self.assertNotIn("room_description", [m.get("event") for m in w.messages[mark:]],
                         w.messages[mark:])
        # Core.Supports.Add brings it back: the next look's Room.Info is the new room.
        w.send_json({"type": "gmcp", "package": "Core.Supports.Add", "data": ["Room 1"]})
        w.command("look")
        new = w.next(lambda m: m.get("type") == "update"
                     and m.get("event") == "room_description", what="a room update")
        self.assertNotEqual(new["data"]["room_id"], room["room_id"])
        self.assertEqual(new["data"]["room_id"], room["exit_rooms"][room["exits"][0]])
        self.assertEqual(w.errors(), [])


SAID = re.compile(r"\b(\w+) (?:say|says), '([^'\n]*)'")


class TestDeferredOutput(BridgeTestCase):
    """Output for a browser nobody is waiting on is translated on a later turn
    of the bridge's loop (bridge/loop.c), a few sessions a turn. The server
    speaks to a room in one order; every browser, typing or idle, must hear
    that same order, and all of it."""

    @staticmethod
    def heard(text, me):
        return [(me if who == "You" else who, what) for who, what in SAID.findall(text)]

    def test_every_browser_hears_the_room_in_the_servers_order(self):
        srv, br = self.start_game(server_settings={"max_per_address": 50}, max_per_address=50)
        t = self.telnet("Tomas")
        # A crowd of idle browsers makes the queue longer than one turn's slice.
        crowd = [self.web_player(br, "Crowd" + "abcdefghijkl"[i]) for i in range(12)]
        busy = self.web_player(br, "Busby")
        time.sleep(0.3)  # nobody has typed for a while
        t.skip()
        for w in crowd + [busy]:
            w.skip()
        start = {id(w): len(w.messages) for w in crowd + [busy]}
        t_start = len(t.text)
        deferred = br.status()["totals"]["deferred"]
        expected = []
        for i in range(1, 31):
            if i % 3 == 0:
                # Busby, quiet for over 100 ms, speaks as Tomas's line goes
                # out: Tomas's copy may still wait in the queue when the
                # answer to Busby comes (then it must go first), or not.
                time.sleep(0.12)
            t.send_line("say T%d" % i)
            expected.append(("Tomas", "T%d" % i))
            if i % 3 == 0:
                busy.command("say B%d" % i)
                expected.append(("Busby", "B%d" % i))
            busy.pump_for(0.005)
        for w in crowd + [busy]:
            w.wait_for(lambda w=w: len(SAID.findall(w.text(start[id(w)], ansi=False))) >= 40,
                       timeout=10, what="all 40 lines")
        def told():
            return wsclient.ANSI.sub("", t.text[t_start:].decode("utf-8", "replace"))
        t.wait_for(lambda: len(SAID.findall(told())) >= 40, 10, "all 40 lines")
        room = self.heard(told(), "Tomas")
        self.assertEqual(sorted(room), sorted(expected))
        for w, name in [(c, "Crowd" + "abcdefghijkl"[i]) for i, c in enumerate(crowd)] + [
                (busy, "Busby")]:
            self.assertEqual(self.heard(w.text(start[id(w)], ansi=False), name), room,
                             "%s heard the room in another order" % name)
            self.assertFalse(w.errors())
        self.assertGreater(br.status()["totals"]["deferred"], deferred)
        self.assertEqual(br.status()["totals"]["output_lost"], 0)


class TestResume(BridgeTestCase):
    def test_resume_replays_missed_output(self):
        srv, br = self.start_game()
        t = self.telnet("Talker")
        w = self.web_player(br, "Drifter")
        token = w.token
        w.skip()
        t.skip()
        vitals = [m for m in w.messages if m.get("type") == "update"
                  and m.get("event") == "vitals"][-1]
        # The browser vanishes without a close frame (a dead network).
        w.abort()
        br.wait_log(r"went away; keeping the game session for 60s")
        t.cmd("say You missed this one")
        t.cmd("say And this one")
        # Back with the token: no login, the missed lines, then the latest state.
        w2 = self.ws(br, path="/ws?resume=" + token)
        s = w2.next_type("session")
        self.assertEqual(s["state"], "resumed")
        self.assertNotEqual(s["resume_token"], token)
        resumed_at = w2.pos
        w2.read_text("You missed this one")
        w2.read_text("And this one")
        # The latest state follows what the bridge held when the browser came
        # back; a line still on its way from the server then comes after it.
        w2.pos = resumed_at
        w2.next(lambda m: m.get("type") == "update" and m.get("event") == "room_description",
                what="the room state")
        # The vitals bar too: a new character at full strength gets no
        # Char.Vitals while away, so only the bridge's copy can bring it,
        # and it is the last one the old page had.
        w2.pos = resumed_at
        v = w2.next(lambda m: m.get("type") == "update" and m.get("event") == "vitals",
                    what="the vitals")
        self.assertEqual(v["data"], vitals["data"])
        # And who the player is (Char.Name comes from the server only at login).
        w2.pos = resumed_at
        name = w2.next_type("gmcp", package="Char.Name")
        self.assertEqual(name["data"]["name"], "Drifter")
        self.assertNotIn("By what name", w2.text())
        w2.command("look")
        w2.prompt()
        self.assertEqual(w2.errors(), [])
        # The server never saw the link drop.
        self.assertNotRegex(srv.log_text(), r"Drifter.*(link|lost)")
        # The old token was used up.
        w3 = self.ws(br, path="/ws?resume=" + token)
        e = w3.next_type("error")
        self.assertEqual(e["code"], "resume_failed")
        w3.next_type("session", state="connected")
        w3.read_text("By what name are you known?")

    def test_resume_takes_over_a_half_open_socket(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Phone")
        # The old socket is still open (a phone that changed networks).
        w2 = self.ws(br, path="/ws?resume=" + w.token)
        w2.next_type("session", state="resumed")
        w.expect_closed()
        w2.command("look")
        w2.prompt()

    def test_resume_window_expires(self):
        srv, br = self.start_game(resume_window_s=2)
        w = self.web_player(br, "Late")
        w.abort()
        br.wait_log(r"did not come back in 2s", timeout=6)
        srv.wait_log(r"Late", timeout=5)
        w2 = self.ws(br, path="/ws?resume=" + w.token)
        self.assertEqual(w2.next_type("error")["code"], "resume_failed")
        w2.next_type("session", state="connected")
        # A new game session: the character is link-dead on the server and
        # logging in again takes it over.
        login_over = w2.read_text("By what name are you known?")
        self.assertIn("By what name", login_over)
        w2.command("Late")
        w2.read_text("Password: ")
        w2.command(PASSWORD)
        w2.read_text("Welcome back, Late. You take up where you left off.")
        srv.wait_log(r"Late reconnected")

    def test_output_buffer_is_capped_while_away(self):
        srv, br = self.start_game(resume_buffer_kb=2)
        t = self.telnet("Shouter")
        w = self.web_player(br, "Absent")
        w.abort()
        br.wait_log(r"went away")
        for i in range(30):
            t.cmd("say %03d %s" % (i, "x" * 200))
        w2 = self.ws(br, path="/ws?resume=" + w.token)
        w2.next_type("session", state="resumed")
        lost = w2.next_type("error")
        self.assertEqual(lost["code"], "output_lost")
        # The newest output is what was kept.
        w2.read_text("'029")
        self.assertNotIn("'000", w2.text(ansi=False))


class TestBadInput(BridgeTestCase):
    def test_bad_message_barrage_leaves_the_session_alive(self):
        srv, br = self.start_game(max_message=4096, rate_burst=200, rate_per_s=200)
        w = self.web_player(br, "Sturdy")
        w.skip()
        start = len(w.messages)
        barrage = [
            ("text", b"this is not json", "bad_json"),
            ("text", b"[1,2,3]", "bad_json"),
            ("text", b"{\"type\":5}", "bad_type"),
            ("text", b"{}", "bad_type"),
            ("text", b"{\"type\":\"teleport\"}", "unknown_type"),
            ("text", b"{\"type\":\"command\",\"command\":7}", "bad_field"),
            ("text", b"{\"type\":\"command\",\"command\":\"say a\\r\\nquit\"}", "bad_field"),
            ("text", b"{\"type\":\"command\",\"action\":\"shutdown\"}", "unknown_action"),
            ("text", b"{\"type\":\"command\",\"action\":\"move\",\"direction\":\"in\"}", "bad_field"),
            ("text", b"{\"type\":\"gmcp\",\"package\":\"Core.Hello\",\"data\":{}}", "gmcp_refused"),
            ("text", b"{\"type\":\"resize\",\"cols\":\"wide\",\"rows\":1}", "bad_field"),
            ("text", b"{\"type\":\"command\",\"command\":\"" + b"x" * 2000 + b"\"}", "too_long"),
            ("text", b"{\"type\":\"command\",\"command\":\"" + b"y" * 5000 + b"\"}", "too_big"),
            ("text", b"{\"type\":\"command\",\"command\":\"\\ud800\"}", "bad_json"),
            ("binary", b"\x00\x01\x02", "binary"),
        ]
        for kind, payload, _ in barrage:
            if kind == "binary":
                w.send_frame(wsclient.OP_BINARY, payload)
            else:
                w.send_frame(wsclient.OP_TEXT, payload)
        w.wait_for(lambda: len(w.errors(start)) >= len(barrage), what="an error per bad message")
        codes = [e["code"] for e in w.errors(start)]
        self.assertEqual(codes, [c for _, _, c in barrage])
        for e in w.errors(start):
            self.assertTrue(e["message"])
        # A fragmented message and a compressed one are fine; pings are answered.
        msg = json.dumps({"type": "command", "command": "say still here"}).encode()
        w.send_frame(wsclient.OP_TEXT, msg[:10], fin=False)
        w.send_frame(wsclient.OP_PING, b"ping")
        w.send_frame(wsclient.OP_CONT, msg[10:20], fin=False)
        w.send_frame(wsclient.OP_CONT, msg[20:], fin=True)
        w.read_text("still here")
        w.send_text(json.dumps({"type": "command", "command": "say compressed too"}), compress=True)
        w.read_text("compressed too")
        # The game session is alive and well.
        w.command("look")
        w.prompt()
        self.assertFalse(w.closed)
        self.assertNotRegex(srv.log_text(), r"Sturdy.*link")

    def test_invalid_utf8_closes_the_socket_not_the_game(self):
        # RFC 6455 8.1: a text message that is not UTF-8 fails the
        # connection (1007). The game session waits for the resume.
        srv, br = self.start_game()
        w = self.web_player(br, "Garbled")
        w.skip()
        w.send_frame(wsclient.OP_TEXT, b"{\"type\":\"command\",\"command\":\"say \xff\xfe\"}")
        w.wait_for(lambda: w.closed, what="the close")
        self.assertEqual(w.close_code, 1007)
        self.assertEqual(w.close_reason, b"invalid UTF-8")
        br.wait_log(r"sent a text message that is not UTF-8; closing its WebSocket \(1007\)")
        br.wait_log(r"went away; keeping the game session")
        self.assertEqual(br.status()["totals"]["errors"], 1)
        w2 = self.ws(br, path="/ws?resume=" + w.token)
        w2.next_type("session", state="resumed")
        w2.command("say back again")
        w2.read_text("You say, 'back again'")
        self.assertNotIn("\ufffd", w2.text())
        self.assertNotRegex(srv.log_text(), r"Garbled.*(link|quit)")

    def test_oversize_message_refused(self):
        srv, br = self.start_game()  # default max_message 8192
        w = self.web_player(br, "Bulky")
        w.skip()
        start = len(w.messages)
        huge = json.dumps({"type": "command", "command": "say " + "z" * 100000})
        w.send_text(huge)
        e = w.next_type("error")
        self.assertEqual(e["code"], "too_big")
        self.assertIn("8192", e["message"])
        w.command("say small again")
        w.read_text("small again")
        self.assertEqual([m["code"] for m in w.errors(start)], ["too_big"])

    def test_rate_limit(self):
        srv, br = self.start_game(rate_per_s=5, rate_burst=10)
        w = self.web_player(br, "Hasty")
        time.sleep(2.5)  # refill the bucket after the login
        w.skip()
        start = len(w.messages)
        for i in range(40):
            w.send_json({"type": "command", "command": "say burst %d" % i})
        w.wait_for(lambda: w.errors(start), what="a rate_limited error")
        self.assertEqual(w.errors(start)[0]["code"], "rate_limited")
        w.pump_for(1.0)
        # One explanation, not one per dropped message.
        self.assertLessEqual(len(w.errors(start)), 2)
        said = [m for m in w.messages[start:] if m.get("type") == "text" and "You say" in m.get("data", "")]
        self.assertGreaterEqual(len(said), 8)
        self.assertLess(len(said), 20)
        time.sleep(1.0)
        w.command("say after the burst")
        w.read_text("after the burst")
        st = br.status()
        self.assertGreaterEqual(st["totals"]["rate_limited"], 20)

    def test_command_before_the_game_answers(self):
        # A command queued while the bridge is still connecting is sent in order.
        srv, br = self.start_game()
        w = self.ws(br)
        w.command("Early")
        w.read_text("Is that the name you want")


class TestRefusals(BridgeTestCase):
    def test_origin(self):
        srv, br = self.start_game(allowed_origins="https://play.example.org")
        with self.assertRaises(HandshakeError) as cm:
            WebSocket(br.port, origin="http://evil.example")
        self.assertEqual(cm.exception.status, 403)
        # Same origin, a listed origin, and no Origin (not a browser) are fine.
        self.ws(br).next_type("session")
        self.ws(br, origin="https://play.example.org").next_type("session")
        self.ws(br, origin=None).next_type("session")
        self.assertEqual(br.status()["totals"]["refused_origin"], 1)
        br.wait_log(r"refused a WebSocket from origin http://evil\.example")

    def test_path_and_subprotocol(self):
        srv, br = self.start_game()
        with self.assertRaises(HandshakeError) as cm:
            WebSocket(br.port, path="/chat")
        self.assertEqual(cm.exception.status, 404)
        # No subprotocol named: accepted, the JSON protocol all the same.
        w = self.ws(br, subprotocols=())
        self.assertIsNone(w.subprotocol)
        w.next_type("session", state="connected")
        # Several offered: ours is chosen.
        w = self.ws(br, subprotocols=("chat", "ruin.v1"))
        self.assertEqual(w.subprotocol, "ruin.v1")
        # Only unknown ones: refused.
        with self.assertRaises((HandshakeError, AssertionError, OSError)):
            WebSocket(br.port, subprotocols=("chat",))

    def test_per_address_limit(self):
        srv, br = self.start_game(max_per_address=2)
        a = self.ws(br)
        b = self.ws(br)
        with self.assertRaises(HandshakeError) as cm:
            WebSocket(br.port)
        self.assertEqual(cm.exception.status, 503)
        # Another address still gets in.
        self.ws(br, source="127.0.0.3").next_type("session")
        a.next_type("session")
        b.next_type("session")
        self.assertEqual(br.status()["totals"]["refused_limit"], 1)
        # At the limit, a browser resuming its own session still gets in.
        a.abort()
        br.wait_log(r"went away")
        c = self.ws(br, path="/ws?resume=" + a.messages[0]["resume_token"])
        c.next_type("session", state="resumed")

    def test_a_full_bridge_refuses(self):
        srv, br = self.start_game(max_sessions=1)
        a = self.ws(br)
        a.next_type("session", state="connected")
        with self.assertRaises(HandshakeError) as cm:
            WebSocket(br.port, source="127.0.0.3")
        self.assertEqual(cm.exception.status, 503)
        br.wait_log(r"refused a WebSocket from 127\.0\.0\.3: the bridge is full")
        self.assertEqual(br.status()["totals"]["refused_limit"], 1)
        # The one inside plays on.
        a.read_text("By what name are you known?")

    def test_the_browsers_own_address_reaches_the_server(self):
        # The bridge trusts 127.0.0.1 as a reverse proxy (nginx in front).
        srv, br = self.start_game(trusted_proxies="127.0.0.1/32")
        # Straight from a browser: its socket's address.
        self.ws(br, source="127.0.0.3").next_type("session", state="connected")
        srv.wait_log(r"proxied for 127\.0\.0\.3\b")
        # Through the proxy: the forwarded address, IPv4 or IPv6, although
        # the bridge listens on IPv4 (the PROXY line maps the listener's).
        self.ws(br, headers={"X-Forwarded-For": "198.51.100.7"}).next_type("session")
        srv.wait_log(r"proxied for 198\.51\.100\.7\b")
        self.ws(br, headers={"X-Forwarded-For": "203.0.113.1, 2001:db8::1"}).next_type("session")
        srv.wait_log(r"proxied for 2001:db8::1\b")
        # A forwarded address from a peer the bridge does not trust is ignored.
        self.ws(br, source="127.0.0.4",
                headers={"X-Forwarded-For": "192.0.2.99"}).next_type("session")
        srv.wait_log(r"proxied for 127\.0\.0\.4\b")
        self.assertNotIn("192.0.2.99", srv.log_text())

    def test_open_file_limit_follows_max_sessions(self):
        # Two sockets a session and 64 spare, set as the process's own limit
        # (lowered here from the test runner's): an lws context given a
        # smaller limit of its own instead walks its whole socket table on
        # every socket event.
        srv, br = self.start_game(max_sessions=200)
        with open("/proc/%d/limits" % br.proc.pid) as f:
            line = [l for l in f if l.startswith("Max open files")][0]
        self.assertEqual(line.split()[3], "464", line)
        self.ws(br).read_text("By what name are you known?")

    def test_no_deflate_when_not_offered(self):
        srv, br = self.start_game()
        w = self.ws(br, deflate=False)
        self.assertFalse(w.deflate)
        w.read_text("By what name are you known?")

    def test_deflate_off(self):
        srv, br = self.start_game(deflate="no")
        w = self.ws(br)
        self.assertFalse(w.deflate)
        w.read_text("By what name are you known?")


class TestCompression(BridgeTestCase):
    """The bridge frames and compresses its messages itself (bridge/wsframe.c)."""

    def look_frames(self, w):
        """Looks twice; the (compressed, wire bytes, message) of each look's text."""
        got = []
        for _ in range(2):
            start = len(w.messages)
            w.command("look")
            w.prompt()
            w.skip()
            texts = [i for i in range(start, len(w.messages))
                     if isinstance(w.messages[i], dict) and w.messages[i]["type"] == "text"]
            self.assertTrue(texts, w.messages[start:])
            # The room's description: the look's longest text.
            i = max(texts, key=lambda i: len(w.messages[i]["data"]))
            _, compressed, size = w.data_frames[i]
            got.append((compressed, size, w.messages[i]))
        return got

    def test_context_carries_across_messages(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Squeeze")
        self.assertEqual(len(w.data_frames), len(w.messages))
        (c1, n1, m1), (c2, n2, m2) = self.look_frames(w)
        text = len(json.dumps(m2))
        self.assertTrue(c1 and c2)
        # The second look refers back to the first: a few dozen bytes.
        self.assertLess(n2 * 5, text, (n1, n2, text))
        # Messages under 64 bytes go as they are; longer ones compressed.
        for (op, compressed, size), m in zip(w.data_frames, w.messages):
            raw = len(json.dumps(m, separators=(",", ":"), ensure_ascii=False).encode())
            if raw < 60:
                self.assertFalse(compressed, m)
            elif raw > 70:
                self.assertTrue(compressed, m)
        self.assertTrue(any(not c for _, c, _ in w.data_frames))
        # A resume is a new connection: a new stream, which a new inflater
        # reads from its first message (one that went on from the old
        # stream would refer back into it and fail to inflate here).
        w.abort()
        w2 = self.ws(br, path="/ws?resume=" + w.token)
        w2.next_type("session", state="resumed")
        (c1, _, m1), (c2, _, _) = self.look_frames(w2)
        self.assertTrue(c1 and c2)
        self.assertEqual(m1["data"].rstrip("\n"), m2["data"].rstrip("\n"))

    def test_the_offers_limits_are_kept(self):
        # A client that keeps a 512-byte window and no context between
        # messages: wsclient inflates each message alone with that window,
        # so a longer reference or one into an earlier message fails.
        srv, br = self.start_game()
        w = self.web_player(br, "Tight", deflate="permessage-deflate; "
                            "server_no_context_takeover; server_max_window_bits=9")
        self.assertIn("server_no_context_takeover", w.extensions)
        (c1, n1, _), (c2, n2, m2) = self.look_frames(w)
        self.assertTrue(c1 and c2)
        self.assertGreater(n2 * 2, n1)  # nothing carried over from the first
        # What the client compresses is read with its own window, not the
        # smaller one it asked of the bridge's side: a message that repeats
        # 700 bytes (in the identity fields the bridge ignores) inflates whole.
        blob = "".join("abcdefghij"[(i * 7 + i // 10) % 10] for i in range(700))
        w.send_text(json.dumps({"type": "command", "command": "say Still whole",
                                "player_id": blob, "room_id": blob}), compress=True)
        w.read_text("You say, 'Still whole'", timeout=5)
        w.command("look")
        w.prompt()
        self.assertIsNone(w.close_code)


class TestServerAndBridgeLife(BridgeTestCase):
    def test_server_goes_away(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Stranded")
        srv.stop()
        lost = w.next_type("session", state="lost")
        self.assertTrue(lost["reason"])
        w.expect_closed()
        # The bridge keeps serving the page, and says the game is away.
        code, _, body = br.http("/")
        self.assertEqual(code, 200)
        self.assertIn(b"Forgotten Ruin", body)
        w2 = self.ws(br)
        lost = w2.next_type("session", state="lost")
        self.assertIn("cannot reach", lost["reason"])

    def test_graceful_shutdown(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Goodbye")
        os.kill(br.pid, signal.SIGTERM)
        lost = w.next_type("session", state="lost")
        self.assertIn("restarting", lost["reason"])
        self.assertEqual(br.wait(), 0)
        # The server noticed the link drop (the character is link-dead there).
        srv.wait_log(r"Goodbye", timeout=5)

    def test_keepalive_pings_and_hangup(self):
        srv, br = self.start_game(ping_s=1, hangup_s=3)
        w = self.ws(br)
        w.next_type("session")
        w.pump_for(2.5)
        self.assertGreater(w.pings, 0)
        self.assertFalse(w.closed)
        # A browser that stops answering is hung up on.
        silent = self.ws(br, auto_pong=False)
        silent.next_type("session")
        silent.expect_closed(timeout=8)
        self.assertFalse(w.closed)

    def test_upstream_keepalive(self):
        # TCP keep-alive on the bridge's connection to the server, with the
        # configured idle time: the kernel's keep-alive timer runs and is
        # due within upstream_keepalive_s; a bridge with the default (60 s)
        # has it due later, so the 7 s is the setting, not chance.
        srv, br = self.start_game(upstream_keepalive_s=7)
        default = self.start_bridge(srv)
        for b in (br, default):
            self.ws(b).read_text("By what name are you known?")

        def keepalive(b):
            timers = upstream_timers(b, srv.port)
            return timers if len(timers) == 1 and timers[0][0] == 2 else None
        [(_, left)] = poll(lambda: keepalive(br), what="the keep-alive timer at 7 s")
        self.assertGreater(left, 0)
        self.assertLessEqual(left, 7.0 + 0.02)
        [(_, left)] = poll(lambda: keepalive(default), what="the keep-alive timer at 60 s")
        self.assertGreater(left, 7.0)
        self.assertLessEqual(left, 60.0 + 0.02)

    def test_status_counts_output_errors_and_resumes(self):
        # Where nothing but the test makes output, so every count is exact.
        srv, br = self.start_game(TestBrowserToServer.QUIET)
        w = self.web_player(br, "Tally")
        w.skip()

        def counted(st, sockets):
            """The session's counters once the sockets got every message they count."""
            [s] = st["list"]
            for k in ("bytes_to_browser", "messages_to_browser", "bytes_from_browser",
                      "messages_from_browser", "errors"):
                self.assertEqual(st["totals"][k], s[k], k)  # one session so far
            n = s["messages_to_browser"]
            got = lambda: sum(len(x.messages) for x in sockets) >= n
            sockets[-1].wait_for(got, what="%d messages" % n)
            sizes = [b for x in sockets for b in x.sizes]
            self.assertEqual(s["bytes_to_browser"], sum(sizes[:n]))
            return s

        # Every message to the browser is counted, in bytes and messages.
        s = counted(br.status(), [w])
        self.assertEqual(s["messages_to_browser"], len(w.messages))
        self.assertEqual(s["errors"], 0)
        mark = len(w.messages)
        w.command("look")
        w.prompt()
        w.skip()
        s2 = counted(br.status(), [w])
        self.assertEqual(s2["messages_to_browser"] - s["messages_to_browser"],
                         len(w.messages) - mark)
        self.assertGreater(s2["bytes_to_browser"], s["bytes_to_browser"] + 100)
        # A bad message: an error, counted, and its bytes from the browser.
        bad = b'{"type":"command","command":7}'
        w.send_frame(wsclient.OP_TEXT, bad)
        self.assertEqual(w.next_type("error")["code"], "bad_field")
        w.skip()
        s3 = counted(br.status(), [w])
        self.assertEqual(s3["errors"], 1)
        self.assertEqual(s3["bytes_from_browser"] - s2["bytes_from_browser"], len(bad))
        self.assertEqual(s3["messages_from_browser"] - s2["messages_from_browser"], 1)
        self.assertGreater(s3["bytes_to_browser"], s2["bytes_to_browser"])
        # A resume: counted in the totals; the session keeps its counters.
        self.assertEqual(br.status()["totals"]["resumes"], 0)
        w.abort()
        br.wait_log(r"went away")
        st = br.status()
        self.assertEqual((st["attached"], st["away"], st["list"][0]["state"]), (0, 1, "away"))
        w2 = self.ws(br, path="/ws?resume=" + w.token)
        w2.next_type("session", state="resumed")
        w2.skip()
        st = br.status()
        self.assertEqual(st["totals"]["resumes"], 1)
        self.assertEqual(st["totals"]["sessions"], 1)
        self.assertEqual(st["list"][0]["id"], s3["id"])
        self.assertEqual(st["list"][0]["state"], "playing")
        s4 = counted(st, [w, w2])
        self.assertEqual(s4["messages_to_browser"], len(w.messages) + len(w2.messages))
        self.assertGreater(s4["bytes_to_browser"], s3["bytes_to_browser"])
        self.assertEqual(s4["errors"], 1)

    def test_http_files_and_headers(self):
        srv, br = self.start_game()
        code, headers, body = br.http("/")
        self.assertEqual(code, 200)
        self.assertIn("text/html", headers.get("content-type", ""))
        self.assertIn("default-src 'self'", headers.get("content-security-policy", ""))
        self.assertEqual(headers.get("x-content-type-options"), "nosniff")
        code, headers, _ = br.http("/client.js")
        self.assertEqual(code, 200)
        self.assertIn("javascript", headers.get("content-type", ""))
        code, _, _ = br.http("/ansi.js")
        self.assertEqual(code, 200)
        code, _, _ = br.http("/../../etc/passwd")
        self.assertNotEqual(code, 200)

    def test_status_endpoint(self):
        srv, br = self.start_game()
        w = self.web_player(br, "Counted")
        w.command("look")
        w.prompt()
        st = br.status()
        self.assertEqual(st["program"], "ruin-bridge")
        self.assertEqual(st["sessions"], 1)
        self.assertEqual(st["attached"], 1)
        self.assertEqual(st["totals"]["sessions"], 1)
        self.assertGreater(st["totals"]["bytes_from_server"], 1000)
        self.assertGreater(st["totals"]["messages_to_browser"], 10)
        s = st["list"][0]
        self.assertEqual(s["state"], "playing")
        self.assertEqual(s["address"], "127.0.0.1")
        self.assertGreater(s["messages_from_browser"], 5)
        # Only from the allowed addresses.
        br2 = self.start_bridge(srv, status_allow="192.0.2.0/24")
        code, _, _ = br2.http("/status")
        self.assertEqual(code, 403)
        # Only at /status: lws hands the mount /status/... and /statusx too.
        for path in ("/status/", "/status/x", "/statusx", "/status/../status/x"):
            code, _, _ = br.http(path)
            self.assertIn(code, (403, 404), path)
            self.assertNotEqual(code, 200, path)
        code, _, body = br.http("/status?fresh=1")
        self.assertEqual(code, 200)
        # Forwarded by a proxy the bridge was not told to trust: nobody can
        # say for whom, so no (nginx in front of a bridge on loopback).
        code, _, _ = br.http("/status", headers={"X-Forwarded-For": "203.0.113.5"})
        self.assertEqual(code, 403)
        # Behind a trusted proxy the forwarded address is the one judged.
        br3 = self.start_bridge(srv, trusted_proxies="127.0.0.1/32")
        code, _, _ = br3.http("/status", headers={"X-Forwarded-For": "203.0.113.5"})
        self.assertEqual(code, 403)
        code, _, _ = br3.http("/status", headers={"X-Forwarded-For": "127.0.0.9"})
        self.assertEqual(code, 200)
        code, _, _ = br3.http("/status")
        self.assertEqual(code, 200)


class TestSettingsFile(BridgeTestCase):
    """ruin-bridge --config FILE: defaults, then the file, then the command line."""

    def write_conf(self, text):
        path = os.path.join(self.tmp, "bridge-%d.conf" % len(os.listdir(self.tmp)))
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_settings_file_with_flags_over_it(self):
        srv = self.start_server(trusted_proxies="127.0.0.1/32")
        # The file names a port someone else holds: the --port 0 that Bridge
        # passes must win over it, or the bridge cannot start.
        held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(held.close)
        held.bind(("0.0.0.0", 0))
        held.listen(1)
        taken = held.getsockname()[1]
        conf = self.write_conf(
            "# ruin-bridge settings for a test\n"
            "port = %d\n"
            "max_per_address = 1\n"
            "allowed_origins = \"https://play.example.org\"   # the game's site\n"
            "  bridge_name=eu-1\n"
            "\n"
            "resume_window_s = 60\n" % taken)
        br = self.start_bridge(srv, config=conf, resume_window_s=7)
        self.assertNotEqual(br.port, taken)
        # From the file: the origin list, the token's prefix.
        w = self.ws(br, origin="https://play.example.org")
        s = w.next_type("session", state="connected")
        self.assertRegex(s["resume_token"], r"^eu-1\.[A-Za-z0-9_-]{43}$")
        # From the command line (--set), over the file's 60.
        self.assertEqual(s["resume_window_s"], 7)
        w.read_text("By what name are you known?")
        # From the file: one session per address (the default is 10).
        with self.assertRaises(HandshakeError) as cm:
            WebSocket(br.port)
        self.assertEqual(cm.exception.status, 503)
        # An origin the file does not list is refused; from another address
        # without an Origin header, a second browser gets in.
        with self.assertRaises(HandshakeError) as cm:
            WebSocket(br.port, source="127.0.0.3", origin="https://evil.example")
        self.assertEqual(cm.exception.status, 403)
        self.ws(br, source="127.0.0.3", origin=None).next_type("session", state="connected")
        totals = br.status()["totals"]
        self.assertEqual((totals["refused_limit"], totals["refused_origin"]), (1, 1))

    def test_a_bad_settings_file_stops_the_bridge(self):
        conf = self.write_conf("max_per_address = 1\nno_such_thing = 3\nping_s = soon\n")
        br = Bridge(os.path.join(self.tmp, "bad"), 4000, config=conf)
        r = subprocess.run(br.command(), capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("%s:2: unknown setting 'no_such_thing'" % conf, r.stderr)
        self.assertIn("%s:3: ping_s: 'soon' is not a whole number" % conf, r.stderr)
        missing = Bridge(os.path.join(self.tmp, "missing"), 4000,
                         config=os.path.join(self.tmp, "no-such.conf"))
        r = subprocess.run(missing.command(), capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("no-such.conf: No such file or directory", r.stderr)


class TestTls(BridgeTestCase):
    def test_wss_keeps_http1_and_deflate(self):
        openssl = ruin.require_tool("openssl")
        cert, key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "2", "-subj", "/CN=localhost"],
                       check=True, capture_output=True)
        srv, br = self.start_game(tls_cert=cert, tls_key=key)
        # A browser offers h2 first; with TLS the bridge keeps ALPN at http/1.1,
        # or libwebsockets 4.1 would run WebSocket over HTTP/2 without compression.
        w = self.ws(br, tls=True)
        self.assertEqual(w.alpn, "http/1.1")
        self.assertTrue(w.deflate, w.extensions)
        w.next_type("session", state="connected")
        w.read_text("By what name are you known?")
        self.assertTrue(br.status_tls()["list"][0]["tls"])
        # Plain HTTP on the TLS port gets nowhere.
        with self.assertRaises((HandshakeError, AssertionError, OSError)):
            WebSocket(br.port)


class TestBackpressure(BridgeTestCase):
    def test_stalled_reader_pauses_the_server_and_is_dropped(self):
        # The loud player's says run as fast as they come (no max_commands_per_s):
        # the point is output arriving faster than the browser takes it.
        srv, br = self.start_game({"max_commands_per_s": 0}, output_high_kb=16, slow_drop_s=3,
                                  socket_buffer_kb=8)
        t = self.telnet("Loud")
        w = self.web_player(br, "Frozen", rcvbuf=4096)
        w.skip()
        t.skip()
        rss_before = br.rss_kb()
        w.stall()
        # Far more output than the socket buffers and the high mark hold
        # (says are at most 300 characters; the server queues 50 lines).
        line = "say " + "blah " * 55
        for i in range(600):
            t.send_line(line)
            if i % 25 == 24:
                t.pump_for(0.05)
        t.pump_for(1.0)
        br.wait_log(r"pausing the server", timeout=5)
        st = br.status()
        s = [x for x in st["list"] if x["paused"]]
        self.assertEqual(len(s), 1, st)
        # What waits for the browser stays near the high mark, not 300 KiB.
        self.assertLess(st["pending_output"], 64 * 1024, st)
        self.assertLess(br.rss_kb() - rss_before, 8 * 1024)
        # Still not reading after slow_drop_s: dropped, with the reason logged.
        br.wait_log(r"dropped: \d+ bytes unread for 3s \(it can resume\)", timeout=10)
        self.assertEqual(br.status()["totals"]["dropped_slow"], 1)
        # It can: back with its token, it hears the room again.
        w2 = self.ws(br, path="/ws?resume=" + w.token)
        w2.next_type("session", state="resumed")
        w2.skip()
        t.cmd("say Still there?")
        w2.read_text("Still there?", timeout=10)
        self.assertFalse([x for x in br.status()["list"] if x["paused"]])


if __name__ == "__main__":
    import unittest
    unittest.main()
