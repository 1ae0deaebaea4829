"""Telnet negotiation as a client sees it: the opening offers, TTYPE/MTTS,
CHARSET and what it does to the text, EOR versus GA, GMCP, MSSP, MCCP2,
NAWS and Core.Ping."""

import re
import zlib

from ruin import (CHARSET, COMPRESS2, DO, EOR, EOR_CMD, GA, GMCP, IAC, MSSP, NAWS, SB, SE,
                  TTYPE, WILL, Profile, RuinTestCase, Telnet)

OPENING = bytes([IAC, WILL, EOR, IAC, WILL, GMCP, IAC, WILL, MSSP, IAC, WILL, COMPRESS2,
                 IAC, DO, TTYPE, IAC, DO, NAWS, IAC, DO, CHARSET])


def no_color(**kw):
    """A client that announces MTTS 0: no colors (and no UTF-8 unless CHARSET says so)."""
    return Profile(ttype=("ruin-test", "ruin-term", "MTTS 0"), **kw)


class Opening(RuinTestCase):
    def test_opening_bytes_are_the_documented_offers(self):
        srv = self.start_server()
        c = self.connect(srv, negotiate=False)
        c.read_text("By what name are you known? ")
        self.assertTrue(c.wire.startswith(OPENING),
                        "opening bytes: %r" % bytes(c.wire[:len(OPENING) + 8]))
        # Nothing else is offered (no WILL ECHO before a password is asked for).
        self.assertEqual(c.negotiations(), [("WILL", EOR), ("WILL", GMCP), ("WILL", MSSP),
                                            ("WILL", COMPRESS2), ("DO", TTYPE), ("DO", NAWS),
                                            ("DO", CHARSET)])

    def test_no_compress2_offer_when_mccp_is_off(self):
        srv = self.start_server(mccp="no")
        c = self.connect(srv, negotiate=False)
        c.read_text("By what name are you known? ")
        self.assertNotIn(("WILL", COMPRESS2), c.negotiations())
        self.assertIn(("WILL", GMCP), c.negotiations())


class TtypeAndCharset(RuinTestCase):
    def test_ttype_cycle_stops_at_mtts(self):
        srv = self.start_server()
        c = self.connect(srv, Profile(ttype=("ruin-test", "xterm-256color", "MTTS 271")))
        c.read_text("By what name are you known? ")
        c.wait_for(lambda: len(c.subnegotiations(TTYPE)) >= 3, what="three TTYPE SENDs")
        c.pump_for(0.5)
        self.assertEqual(c.subnegotiations(TTYPE), [b"\x01"] * 3)

    def test_ttype_cycle_stops_when_the_name_repeats(self):
        srv = self.start_server()
        c = self.connect(srv, Profile(ttype=("OLDCLIENT",)))
        c.read_text("By what name are you known? ")
        c.wait_for(lambda: len(c.subnegotiations(TTYPE)) >= 2, what="two TTYPE SENDs")
        c.pump_for(0.5)
        self.assertEqual(c.subnegotiations(TTYPE), [b"\x01"] * 2)

    def test_mtts_decides_the_colors(self):
        srv = self.start_server()
        plain = self.connect(srv, no_color()).create("Plainly", "secret word")
        colored = self.connect(srv, Profile()).create("Colorful", "secret word")
        self.assertIn(b"\x1b[", colored.text[colored.text.find(b"Welcome to"):])
        self.assertNotIn(b"\x1b", plain.text[plain.text.find(b"Welcome to"):])
        self.assertIn("Welcome to Forgotten Ruin, Plainly.", plain.since(0))

    def test_charset_request_offers_utf8_first(self):
        srv = self.start_server()
        c = self.connect(srv)
        c.read_text("By what name are you known? ")
        c.wait_for(lambda: c.subnegotiations(CHARSET), what="a CHARSET REQUEST")
        req = c.subnegotiations(CHARSET)[0]
        self.assertEqual(req[:1], b"\x01")
        self.assertEqual(req[2:].split(req[1:2])[0], b"UTF-8")

    def test_utf8_client_gets_utf8_and_ascii_client_gets_ascii(self):
        srv = self.start_server()
        utf = self.player("Utfa", profile=no_color())
        # Refuses CHARSET and never sends MTTS: must get 7-bit text only.
        ascii_ = self.player("Asco", profile=Profile(ttype=("oldterm",), charset=False,
                                                    gmcp=False))
        # Refuses CHARSET but announces UTF-8 in MTTS (bit 4): UTF-8.
        mtts = self.player("Mtts", profile=Profile(ttype=("ruin-test", "ansi", "MTTS 5"),
                                                  charset=False, gmcp=False))
        speaker = self.player("Talker")
        for c in (utf, ascii_, mtts):
            c.skip()
        speaker.cmd("say h\u00e9llo w\u00f6rld \u2603 na\u00efve")
        line = utf.read_until(r"Talker says, '[^\r\n]*'").group(0).decode("utf-8")
        self.assertIn("h\u00e9llo w\u00f6rld \u2603 na\u00efve", line)
        line = mtts.read_until(r"Talker says, '[^\r\n]*'").group(0).decode("utf-8")
        self.assertIn("h\u00e9llo w\u00f6rld \u2603 na\u00efve", line)
        line = ascii_.read_until(r"Talker says, '[^\r\n]*'").group(0)
        self.assertIn(b"hello world", line)
        self.assertIn(b"naive", line)
        ascii_.pump_for(0.3)
        high = [b for b in ascii_.text if b >= 0x80]
        self.assertEqual(high, [], "non-ASCII bytes reached a client that refused CHARSET")


class Prompts(RuinTestCase):
    def prompt_markers(self, c, start):
        return [e[2] for e in c.events if e[1] == "cmd" and e[0] > start
                and e[2] in (EOR_CMD, GA)]

    def test_prompts_end_in_eor_when_eor_is_accepted(self):
        srv = self.start_server()
        c = self.connect(srv, Profile(eor=True))
        c.read_text("By what name are you known? ")
        c.pump_for(0.3)  # let negotiation settle
        start = len(c.text)
        c.send_line("")  # asked again, now with EOR on
        c.read_text("By what name are you known? ")
        c.send_line("Eorin")
        c.read_text("Is that the name you want (yes/no)? ")
        c.pump_for(0.2)
        self.assertEqual(self.prompt_markers(c, start), [EOR_CMD, EOR_CMD])
        self.assertEqual(c.prompts[-1], len(c.text), "the prompt must end right at the marker")

    def test_prompts_end_in_ga_without_eor(self):
        srv = self.start_server()
        c = self.connect(srv, Profile.dumb())
        c.read_text("By what name are you known? ")
        c.pump_for(0.3)
        start = len(c.text)
        c.send_line("")
        c.read_text("By what name are you known? ")
        c.send_line("Gaven")
        c.read_text("Is that the name you want (yes/no)? ")
        c.pump_for(0.2)
        self.assertEqual(self.prompt_markers(c, start), [GA, GA])
        # Dumb means dumb: no color client, no UTF-8 either.
        self.assertEqual([b for b in c.text if b >= 0x80], [])

    def test_game_prompt_ends_in_eor(self):
        srv = self.start_server()
        c = self.player("Promptly", profile=Profile(eor=True))
        start = len(c.text)
        c.send_line("look")
        c.read_prompt()
        self.assertEqual(self.prompt_markers(c, start), [EOR_CMD])


class Gmcp(RuinTestCase):
    def test_state_after_login(self):
        srv = self.start_server()
        c = self.player("Gemma", profile=Profile(gmcp_supports=["Char 1", "Room 1", "Comm 1"]))
        name = c.gmcp_wait("Char.Name")[1]
        self.assertEqual(name.get("name"), "Gemma")
        vitals = c.gmcp_wait("Char.Vitals")[1]
        for key in ("hp", "maxhp", "mp", "maxmp", "mv", "maxmv"):
            self.assertIn(key, vitals)
        self.assertGreater(int(vitals["maxhp"]), 0)
        room = c.gmcp_wait("Room.Info")[1]
        for key in ("num", "name", "area", "environment", "exits"):
            self.assertIn(key, room)
        self.assertEqual(room["name"], "Lantern Square")
        self.assertEqual(room["environment"], "village")
        self.assertIn("emberfall", str(room["area"]).lower())
        self.assertEqual(len(room["exits"]), 4, "the square has four exits: %r" % room)

    def test_room_info_follows_movement(self):
        srv = self.start_server()
        c = self.player("Rover")
        first = c.gmcp_wait("Room.Info")[1]
        n = len(c.gmcp)
        c.cmd("north")
        moved = c.gmcp_wait("Room.Info", since=n)[1]
        self.assertEqual(moved["name"], "The Notice Board")
        self.assertNotEqual(moved["num"], first["num"])

    def test_only_char_means_no_room_info(self):
        srv = self.start_server()
        c = self.player("Charly", profile=Profile(gmcp_supports=["Char 1"]))
        c.gmcp_wait("Char.Vitals")
        c.cmd("look")
        c.cmd("north")
        c.pump_for(0.3)
        packages = c.gmcp_packages()
        self.assertNotIn("Room.Info", packages)
        self.assertFalse([p for p in packages if p.startswith("Comm.")], packages)

    def test_supports_add_later_sends_state(self):
        srv = self.start_server()
        c = self.player("Latecomer", profile=Profile(gmcp_supports=[]))
        c.pump_for(0.3)
        self.assertNotIn("Room.Info", c.gmcp_packages())
        n = len(c.gmcp)
        c.send_gmcp("Core.Supports.Add", ["Room 1"])
        room = c.gmcp_wait("Room.Info", since=n)[1]
        self.assertEqual(room["name"], "Lantern Square")

    def test_core_ping_is_answered(self):
        srv = self.start_server()
        c = self.connect(srv)
        c.read_text("By what name are you known? ")
        c.wait_for(lambda: GMCP in c._him, what="GMCP on")
        n = len(c.gmcp)
        c.send_gmcp("Core.Ping")
        c.gmcp_wait("Core.Ping", since=n)

    def test_no_gmcp_for_a_client_that_refused_it(self):
        srv = self.start_server()
        c = self.player("Nogmcp", profile=Profile(gmcp=False))
        c.cmd("look")
        self.assertEqual(c.subnegotiations(GMCP), [])


class Mssp(RuinTestCase):
    def test_mssp_table_on_do_mssp(self):
        srv = self.start_server()
        c = self.connect(srv, Profile(mssp=True))
        c.wait_for(lambda: c.mssp is not None, what="an MSSP table")
        self.assertEqual(c.mssp.get("NAME"), ["Forgotten Ruin"])
        self.assertEqual(c.mssp.get("PLAYERS"), ["0"])
        self.assertEqual(c.mssp.get("PORT"), [str(srv.port)])
        self.player("Counted")
        c2 = self.connect(srv, Profile(mssp=True))
        c2.wait_for(lambda: c2.mssp is not None, what="an MSSP table")
        self.assertEqual(c2.mssp.get("PLAYERS"), ["1"])

    def test_plain_text_mssp_request(self):
        srv = self.start_server()
        c = self.connect(srv, Profile.dumb())
        c.read_text("By what name are you known? ")
        c.send_line("MSSP-REQUEST")
        c.read_text("MSSP-REPLY-START")
        text = c.expect_closed()
        self.assertIn("\r\nNAME\tForgotten Ruin\r\n", text)
        self.assertRegex(text, r"\r\nPLAYERS\t0\r\n")
        self.assertTrue(text.rstrip().endswith("MSSP-REPLY-END"), text)


class Mccp2(RuinTestCase):
    def test_stream_after_marker_inflates_to_the_game(self):
        srv = self.start_server()
        c = self.connect(srv, Profile(mccp2=True))
        c.create("Zipper", "secret word")
        self.assertTrue([e for e in c.events if e[1] == "mccp2"], "no IAC SB 86 IAC SE")
        look = c.cmd("look")
        self.assertIn("Lantern Square", look)
        marker = bytes([IAC, SB, COMPRESS2, IAC, SE])
        at = c.wire.find(marker)
        self.assertGreaterEqual(at, 0)
        compressed = bytes(c.wire[at + len(marker):])
        self.assertNotIn(b"Welcome to Forgotten Ruin", compressed)
        self.assertNotIn(b"Lantern Square", compressed)
        # Independently of the client's parser: the bytes after the marker
        # are one zlib stream holding the game text.
        plain = zlib.decompressobj().decompress(compressed)
        self.assertIn(b"Welcome to Forgotten Ruin, Zipper.", plain)
        self.assertIn(b"Lantern Square", plain)

    def test_refused_compression_stays_plain(self):
        srv = self.start_server()
        c = self.player("Plaintext", profile=Profile(mccp2=False))
        self.assertNotIn(bytes([IAC, SB, COMPRESS2]), c.wire)
        self.assertIn(b"Welcome to Forgotten Ruin, Plaintext.", c.wire)


class Naws(RuinTestCase):
    def widths(self, text):
        return [len(l) for l in text.replace("\r", "").split("\n")]

    def test_descriptions_wrap_to_the_window_width(self):
        srv = self.start_server()
        c = self.player("Window", profile=Profile.plain(naws=(100, 40)))
        wide = c.cmd("look")
        self.assertIn("Lantern Square", wide)
        self.assertLessEqual(max(self.widths(wide)), 100, wide)
        self.assertGreater(max(self.widths(wide)), 60, wide)
        c.send_naws(40, 20)
        narrow = c.cmd("look")
        self.assertIn("Lantern Square", narrow)
        self.assertLessEqual(max(self.widths(narrow)), 40, narrow)
        c.send_naws(200, 60)
        self.assertIn("Lantern Square", c.cmd("look"))
        c.expect_open(0.3)
        bad = [l for l in srv.log_text().splitlines()
               if re.search(r"\b(ERROR|WARN)\b", l)]
        self.assertEqual(bad, [])
