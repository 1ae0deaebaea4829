"""What the server refuses, and that refusing one client never hurts another:
long lines, floods, idling at the door, too many connections from one
address, PROXY lines, broken telnet, invalid UTF-8."""

import select
import socket
import struct
import time

from ruin import COMPRESS2, GMCP, IAC, SB, SE, Profile, RuinTestCase

NAME_PROMPT = "By what name are you known? "



class Lines(RuinTestCase):
    def test_too_long_line_is_refused_and_the_session_lives(self):
        srv = self.start_server()
        c = self.player("Verbose", profile=Profile.plain())
        c.skip()
        c.send_line("say " + "x" * 5000)
        c.read_text("That line was too long (the most is 1024 bytes); it was ignored.")
        self.assertIn("Lantern Square", c.cmd("look"))
        self.assertNotIn("x" * 100, c.since(0))

    def test_flood_is_cut_and_others_are_still_served(self):
        srv = self.start_server()
        other = self.player("Patient", profile=Profile.plain())
        flooder = self.player("Flooder", profile=Profile.plain())
        flooder.skip()
        flooder.send_raw(b"look\r\n" * 500)
        flooder.read_text("You are sending commands faster than they can run; some were dropped.")
        t0 = time.monotonic()
        out = other.cmd("look", timeout=5)
        elapsed = time.monotonic() - t0
        self.assertIn("Lantern Square", out)
        self.assertLess(elapsed, 1.0, "another player's look took %.2fs during a flood" % elapsed)
        # The flooder is still connected and gets its queued commands' output.
        flooder.expect_open(1.0)
        self.assertIn("Lantern Square", flooder.cmd("look", timeout=10))
        self.assertRegex(srv.log_text(), r"input flood")
        self.assertTrue(srv.running())


    def test_sustained_commands_are_paced(self):
        """A burst of up to max_commands_queued commands runs at once; past
        it a connection runs max_commands_per_s a second, whatever it sends:
        nothing is dropped, it waits (for the next pulse)."""
        srv = self.start_server(max_commands_queued=10, max_commands_per_s=20)
        c = self.player("Scripted", profile=Profile.plain())
        c.skip()
        # Ten at once: the burst, answered at once.
        t0 = time.monotonic()
        c.send_raw(b"".join(b"say burst %d\r\n" % i for i in range(10)))
        c.read_text("You say, 'burst 9'", timeout=5)
        burst = time.monotonic() - t0
        # Then forty more, each sent when the one before was answered: at
        # 20 a second from an empty hand they take at least 1.9 s.
        t0 = time.monotonic()
        for i in range(40):
            c.send_line("say paced %d" % i)
            c.read_text("You say, 'paced %d'" % i, timeout=5)
        paced = time.monotonic() - t0
        self.assertLess(burst, 0.5, "the burst took %.2f s" % burst)
        self.assertGreater(paced, 1.9, "40 commands at 20/s took only %.2f s" % paced)
        self.assertLess(paced, 10, "40 commands at 20/s took %.2f s" % paced)
        self.assertNotIn("faster than they can run", c.since(0))
        # The hand fills again while it idles.
        time.sleep(0.6)
        t0 = time.monotonic()
        c.send_raw(b"".join(b"say again %d\r\n" % i for i in range(10)))
        c.read_text("You say, 'again 9'", timeout=5)
        self.assertLess(time.monotonic() - t0, 0.5)

    def test_flooder_is_held_back_by_tcp(self):
        """A client that sends without pause and reads nothing: once its
        queue is full the server stops reading it, so its sends block when
        the kernel's buffers are full, instead of the server reading (and
        dropping) everything it sends. It stays connected."""
        srv = self.start_server()
        other = self.player("Patient", profile=Profile.plain())
        flooder = self.player("Flooder", profile=Profile.plain())
        flooder.skip()
        sock = flooder.sock
        chunk = b"look\r\n" * 10000
        sent, limit = 0, 256 << 20
        deadline = time.monotonic() + 20
        while sent < limit and time.monotonic() < deadline:
            _, w, _ = select.select([], [sock], [], 1.0)
            if not w:
                break  # not writable for a second: held back
            try:
                sent += sock.send(chunk)
            except BlockingIOError:
                pass
        self.assertLess(sent, limit, "the server took %d MiB of flood" % (sent >> 20))
        self.assertLess(time.monotonic(), deadline, "the flooder could always send more")
        # Meanwhile the others are served, and the flooder is still there.
        self.assertIn("Lantern Square", other.cmd("look", timeout=5))
        srv.wait_log(r"input flood, dropping lines")
        flooder.expect_open(0.5)
        self.assertTrue(srv.running())


class Door(RuinTestCase):
    def test_idle_at_the_name_prompt_is_closed(self):
        srv = self.start_server(login_timeout_s=5)
        c = self.connect(srv)
        c.read_text(NAME_PROMPT)
        t0 = time.monotonic()
        c.read_text("Idle too long at the door. Goodbye.", timeout=9)
        c.expect_closed(3)
        elapsed = time.monotonic() - t0
        self.assertGreater(elapsed, 3.5)
        self.assertLess(elapsed, 8.0)

    def test_idle_at_the_password_prompt_turns_echo_back_on(self):
        srv = self.start_server(login_timeout_s=5)
        c = self.connect(srv)
        c.create("Sleepy", "secret word").send_line("quit")
        c = self.connect(srv)
        c.read_text(NAME_PROMPT)
        c.send_line("Sleepy")
        c.read_text("Password: ")
        self.assertTrue(c.echo_off)
        c.read_text("Idle too long at the door. Goodbye.", timeout=9)
        c.expect_closed(3)
        self.assertFalse(c.echo_off, "the client was left with echo off")

    def test_playing_is_not_a_login_timeout(self):
        srv = self.start_server(login_timeout_s=5)
        c = self.player("Lingerer", profile=Profile.plain())
        c.expect_open(6.5)
        self.assertIn("Lantern Square", c.cmd("look"))


class PerAddress(RuinTestCase):
    def test_fourth_connection_from_one_address_is_refused(self):
        srv = self.start_server(max_per_address=3)
        first = [self.connect(srv) for _ in range(3)]
        for c in first:
            c.read_text(NAME_PROMPT)
        fourth = self.connect(srv)
        fourth.read_text("Too many connections from your address.")
        fourth.expect_closed()
        self.assertNotIn("By what name", fourth.since(0))
        # Another address is not affected.
        self.connect(srv, source="127.0.0.2").read_text(NAME_PROMPT)
        # The three still work, and a freed place can be taken again.
        first[0].send_line("Counter")
        first[0].read_text("Is that the name you want (yes/no)? ")
        first[1].close()
        srv.wait_log(r"session \d+ \(127\.0\.0\.1\): closed")
        self.connect(srv).read_text(NAME_PROMPT)


class Proxy(RuinTestCase):
    def test_proxy_line_from_untrusted_address_is_refused(self):
        srv = self.start_server(trusted_proxies="10.9.9.9/32")
        c = self.connect(srv, Profile.dumb())
        c.send_raw(b"PROXY TCP4 1.2.3.4 127.0.0.1 5555 4000\r\n")
        c.read_text("PROXY protocol is not accepted from your address.")
        c.expect_closed()
        self.assertNotRegex(srv.log_text(), r"connection from 1\.2\.3\.4")
        self.assertRegex(srv.log_text(), r"PROXY header from untrusted address")
        # The server is fine for everyone else.
        self.connect(srv).read_text(NAME_PROMPT)

    def test_proxy_line_from_trusted_address_sets_the_client_address(self):
        srv = self.start_server(trusted_proxies="127.0.0.1/8,::1")
        c = self.connect(srv)
        c.send_raw(b"PROXY TCP4 203.0.113.7 127.0.0.1 51234 4000\r\n")
        c.create("Proxied", "secret word")
        srv.wait_log(r"session \d+: proxied for 203\.0\.113\.7")
        srv.wait_log(r"Proxied created and entered the game on session \d+ \(203\.0\.113\.7")
        self.assertIn("Lantern Square", c.cmd("look"))

    def test_per_address_limit_counts_the_proxied_address(self):
        srv = self.start_server(trusted_proxies="127.0.0.1/8,::1", max_per_address=2)
        line = b"PROXY TCP4 198.51.100.9 127.0.0.1 %d 4000\r\n"
        for port in (1001, 1002):
            c = self.connect(srv)
            c.send_raw(line % port)
            c.read_text(NAME_PROMPT)
        third = self.connect(srv)
        third.send_raw(line % 1003)
        third.read_text("Too many connections from your address.")
        third.expect_closed()
        # The proxy's own address is not what is counted.
        other = self.connect(srv)
        other.send_raw(b"PROXY TCP4 198.51.100.10 127.0.0.1 1004 4000\r\n")
        other.read_text(NAME_PROMPT)

    def test_silent_client_from_trusted_address_is_greeted_at_once(self):
        # Loopback is trusted by default (for ruin-bridge), and a trusted
        # peer may start with a PROXY line; but a player running telnet on
        # the same machine says nothing first, and must be greeted at once.
        srv = self.start_server(trusted_proxies="127.0.0.1/8,::1")
        t0 = time.monotonic()
        silent = self.connect(srv)
        silent.read_text(NAME_PROMPT, timeout=2)
        self.assertLess(time.monotonic() - t0, 1.0)
        # Its first line is a name, never taken for a PROXY header.
        silent.send_line("Quietone")
        silent.read_text("Is that the name you want")

    def test_bad_proxy_line_from_trusted_address_is_refused(self):
        srv = self.start_server(trusted_proxies="127.0.0.1/8,::1")
        c = self.connect(srv)
        c.send_raw(b"PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n")
        c.read_text("Invalid PROXY protocol header.")
        c.expect_closed()


class BrokenTelnet(RuinTestCase):
    def test_oversized_subnegotiation_closes_only_that_connection(self):
        srv = self.start_server()
        bystander = self.player("Bystander", profile=Profile.plain())
        bad = self.connect(srv)
        bad.read_text(NAME_PROMPT)
        bad.send_raw(bytes([IAC, SB, GMCP]) + b"Core.Hello " + b"a" * 20480 + bytes([IAC, SE]))
        bad.expect_closed()
        self.assertNotIn(b"aaaaaaaa", bad.text)
        self.assertIn("Lantern Square", bystander.cmd("look"))
        srv.wait_log(r"subnegotiation too long")

    def test_client_mccp2_marker_closes_only_that_connection(self):
        srv = self.start_server()
        bystander = self.player("Bystander", profile=Profile.plain())
        bad = self.connect(srv)
        bad.read_text(NAME_PROMPT)
        bad.send_raw(bytes([IAC, SB, COMPRESS2, IAC, SE]) + b"\x78\x9c garbage\r\n")
        bad.expect_closed()
        self.assertIn("Lantern Square", bystander.cmd("look"))
        self.assertTrue(srv.running())

    def test_abrupt_resets_do_not_hurt(self):
        srv = self.start_server()
        bystander = self.player("Bystander", profile=Profile.plain())
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall(bytes([IAC, SB, GMCP]) + b"Core.Hel")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()  # RST mid-subnegotiation
        self.assertIn("Lantern Square", bystander.cmd("look"))


class Utf8(RuinTestCase):
    def test_invalid_utf8_in_a_say_reaches_the_listener_as_replacement(self):
        srv = self.start_server()
        listener = self.player("Listener", profile=Profile.plain())
        speaker = self.player("Speaker", profile=Profile.plain())
        listener.skip()
        speaker.send_line(b"say caf\xe9 and \xc3\x28 and \xed\xa0\x80 end")
        line = listener.read_until(r"Speaker says, '[^\r\n]*end'").group(0)
        text = line.decode("utf-8")  # strict: everything sent must be valid UTF-8
        self.assertIn("caf\ufffd and \ufffd( and ", text)
        self.assertIn("\ufffd", text.split(" and ")[2])
        listener.pump_for(0.2)
        bytes(listener.text).decode("utf-8")
