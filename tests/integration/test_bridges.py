"""test_bridges.py: two ruin-bridges in front of one ruin-server
(docs/deploy.md, "Several bridges against one server").

Two bridges, named `a` and `b` as in that section, serve browsers in the
same world: players on one see and hear players on the other. Then bridge
`a` is killed with SIGKILL (no goodbye to anyone): its browsers' game
connections drop, so their characters go link-dead on the server, while
the players on bridge `b` go on playing. One of `a`'s browsers comes back
through bridge `b` with its old token (`a.<random>`, which `b` cannot
resume), logs in and takes its character back where it stood; bridge `a`
is started again and the other browser takes its character back through
it. That is also the "bridge killed and restarted" fault test of issue 6.
"""

import os
import re
import signal
import time

from test_bridge import BridgeTestCase, create


def room_of(w):
    """The last room_description update a socket received (the data dict)."""
    rooms = [m["data"] for m in w.messages
             if isinstance(m, dict) and m.get("type") == "update"
             and m.get("event") == "room_description"]
    if not rooms:
        raise AssertionError("no room update yet; messages:\n%s" % w.tail())
    return rooms[-1]


def who(w):
    """The text of `who` through the bridge, without ANSI escapes."""
    w.skip(quiet=0.02, limit=0.5)
    start = len(w.messages)
    w.command("who")
    w.prompt()
    return w.text(start, ansi=False)


def look(w, timeout=5.0):
    """look through the bridge: returns the seconds until the prompt came back."""
    w.skip(quiet=0.02, limit=0.5)
    start = time.monotonic()
    w.command("look")
    w.prompt(timeout)
    return time.monotonic() - start


class TestTwoBridges(BridgeTestCase):
    TEST_ALARM_S = 120

    def web(self, br, name):
        """A new character created through bridge br, at its first prompt."""
        w = self.ws(br)
        s = w.next_type("session", state="connected")
        w.token = s["resume_token"]
        create(w, name)
        return w

    def test_players_on_two_bridges_and_one_bridge_killed(self):
        srv, a = self.start_game(bridge_name="a")
        b = self.start_bridge(srv, bridge_name="b")
        # Two browsers on each bridge; their tokens name their bridge.
        alda, cara = self.web(a, "Alda"), self.web(a, "Cara")
        bram, dora = self.web(b, "Bram"), self.web(b, "Dora")
        for w in (alda, cara):
            self.assertTrue(w.token.startswith("a."), w.token)
        for w in (bram, dora):
            self.assertTrue(w.token.startswith("b."), w.token)
        self.assertEqual(a.status()["sessions"], 2)
        self.assertEqual(b.status()["sessions"], 2)

        # Everyone is in the start room and sees the others, whichever bridge.
        everyone = (alda, cara, bram, dora)
        for w in everyone:
            w.skip()
            look(w)
        for w in everyone:
            names = set(room_of(w)["players"])
            self.assertTrue({"Alda", "Cara", "Bram", "Dora"} - {w_name(w)} <= names,
                            "%s sees %s" % (w_name(w), names))
        # Speech crosses bridges both ways.
        alda.command("say hello from bridge a")
        for w in (bram, dora):
            msg = w.next(lambda m: m.get("type") == "broadcast"
                         and m["data"].get("player_name") == "Alda", what="Alda's say")
            self.assertEqual(msg["data"]["message"], "hello from bridge a")
        bram.command("say and hello from bridge b")
        for w in (alda, cara):
            msg = w.next(lambda m: m.get("type") == "broadcast"
                         and m["data"].get("player_name") == "Bram", what="Bram's say")
            self.assertEqual(msg["data"]["message"], "and hello from bridge b")
        # The server sees four proxied web players.
        self.assertEqual(len(re.findall(r"proxied for 127\.0\.0\.1", srv.log_text())), 4)

        # Alda walks off (so taking her back must put her in that other room).
        start_room = room_of(alda)["room_id"]
        exit_dir = room_of(alda)["exits"][0]
        alda.skip()
        alda.send_json({"type": "command", "action": "move", "direction": exit_dir})
        alda_room = alda.next(lambda m: m.get("type") == "update"
                              and m.get("event") == "room_description",
                              what="Alda's new room")["data"]["room_id"]
        self.assertNotEqual(alda_room, start_room)
        cara_room = room_of(cara)["room_id"]
        for w in everyone:
            w.skip()

        # Kill bridge a without a word to anyone.
        os.kill(a.pid, signal.SIGKILL)
        a.wait()
        self.assertEqual(a.exit_codes[-1], -signal.SIGKILL)
        self.bridges.remove(a)  # tearDown must not expect a clean stop from it
        for w in (alda, cara):
            w.expect_closed(timeout=5)
        # The server saw both game connections drop: the characters are link-dead.
        srv.wait_log(r"\(127\.0\.0\.1, Alda\): closed", timeout=5)
        srv.wait_log(r"\(127\.0\.0\.1, Cara\): closed", timeout=5)
        bram.read_text("Cara has lost their link.")

        # Bridge b's players play on, promptly, and see Cara link-dead.
        times = [look(w) for w in (bram, dora) for _ in range(10)]
        self.assertLess(max(times), 1.0, times)
        self.assertRegex(who(bram), r"Cara[^\n]*link-dead")
        dora.command("say still here on b")
        bram.read_text("still here on b")

        # Alda's browser comes back through bridge b with its old token: b does
        # not hold that session, says so, and offers a fresh one.
        alda2 = self.ws(b, path="/ws?resume=" + alda.token)
        self.assertEqual(alda2.next_type("error")["code"], "resume_failed")
        s = alda2.next_type("session", state="connected")
        self.assertTrue(s["resume_token"].startswith("b."))
        alda2.read_text("By what name are you known?")
        alda2.pos = 0
        login_takeover(alda2, "Alda")
        srv.wait_log(r"Alda reconnected")
        self.assertEqual(room_of(alda2)["room_id"], alda_room)
        self.assertNotRegex(alda2.text(ansi=False), r"Is that the name you want")

        # Bridge a is started again; Cara takes her character back through it.
        a2 = self.start_bridge(srv, bridge_name="a")
        cara2 = self.ws(a2, path="/ws?resume=" + cara.token)
        self.assertEqual(cara2.next_type("error")["code"], "resume_failed")
        cara2.next_type("session", state="connected")
        bram.skip()
        login_takeover(cara2, "Cara")
        srv.wait_log(r"Cara reconnected")
        bram.read_text("Cara has reconnected.")
        self.assertEqual(room_of(cara2)["room_id"], cara_room)

        # One of each character in the world, four players on two bridges again.
        listing = who(dora)
        for name in ("Alda", "Bram", "Cara", "Dora"):
            self.assertEqual(len(re.findall(r"\b%s\b" % name, listing)), 1,
                             "%s in who:\n%s" % (name, listing))
        self.assertNotIn("link-dead", listing)
        self.assertEqual(b.status()["sessions"], 3)
        self.assertEqual(a2.status()["sessions"], 1)
        # And they still hear each other across the two bridges.
        cara2.command("say back on bridge a")
        for w in (bram, dora):
            w.read_text("back on bridge a")
        alda2.command("chat heard across the bridges")
        for w in (cara2, bram, dora):
            w.read_text("heard across the bridges")


def w_name(w):
    """The character name a test socket was created with (from its login text)."""
    m = re.search(r"Welcome to Forgotten Ruin, (\w+)\.", w.text(ansi=False))
    return m.group(1) if m else "?"


def login_takeover(w, name):
    """Logs an existing, link-dead character in through a fresh session."""
    w.read_text("By what name are you known? ")
    w.command(name)
    w.read_text("Password: ")
    start = len(w.messages)
    w.command("secret word")
    w.read_text("Welcome back, %s. You take up where you left off." % name)
    w.prompt()
    w.wait_for(lambda: any(m.get("type") == "update" and m.get("event") == "room_description"
                           for m in w.messages[start:]),
               what="the room state after taking the character back")


if __name__ == "__main__":
    import unittest
    unittest.main()
