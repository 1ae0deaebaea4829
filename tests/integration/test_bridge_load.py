"""test_bridge_load.py: ruin-bridge under a few hundred sessions (a quick check;
`make bench` measures the full targets).

Memory: 200 browsers connect (with permessage-deflate, so the compression
state is counted) and get the greeting; the bridge's resident memory must
grow by less than 64 KiB per session (three times that for an
AddressSanitizer build). Latency: a `look` round trip through the bridge is
compared with direct telnet; both are printed, and the medians must be
within 5 ms (no held-back prompts).
"""

import os
import statistics
import sys
import time

import ruin
from test_bridge import BridgeTestCase, create

SESSIONS = 200


def sanitized(binary):
    """True for a build with AddressSanitizer, whose own bookkeeping roughly
    doubles the memory a session costs."""
    with open(binary, "rb") as f:
        return b"AddressSanitizer" in f.read()


def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


class TestBridgeLoad(BridgeTestCase):
    TEST_ALARM_S = 180

    def test_memory_per_session(self):
        srv, br = self.start_game(server_settings={"max_per_address": 1000,
                                                   "max_connections": 2000},
                                  max_per_address=1000, log_level="info")
        # Warm up: the first session pays for lws's own buffers.
        w = self.ws(br)
        w.read_text("By what name are you known?")
        time.sleep(0.3)
        before = br.rss_kb()
        socks = []
        for i in range(SESSIONS):
            socks.append(self.ws(br))
        for w in socks:
            w.read_text("By what name are you known?", timeout=20)
        time.sleep(0.5)
        st = br.status()
        self.assertEqual(st["sessions"], SESSIONS + 1)
        grown = br.rss_kb() - before
        per = grown * 1024 / SESSIONS
        sys.stderr.write("\n[bridge] %d sessions: RSS +%d KiB, %.1f KiB per session "
                         "(deflate on; own buffers %d bytes per session)\n"
                         % (SESSIONS, grown, per / 1024, st["session_memory"] // (SESSIONS + 1)))
        limit = 64 * 1024 * (3 if sanitized(br.binary()[0]) else 1)
        self.assertLess(per, limit)

    def test_look_round_trip(self):
        srv, br = self.start_game(rate_per_s=1000, rate_burst=1000)
        w = self.ws(br)
        w.next_type("session")
        create(w, "Timer")
        t = self.telnet("Direct")
        rounds = 200

        def through_bridge():
            w.skip(quiet=0.01, limit=0.2)
            start = time.perf_counter()
            w.command("look")
            w.prompt()
            return time.perf_counter() - start

        def direct():
            t.skip(quiet=0.01, limit=0.2)
            start = time.perf_counter()
            t.send_line("look")
            t.read_prompt()
            return time.perf_counter() - start

        for _ in range(20):  # warm up both paths
            through_bridge()
            direct()
        web = [through_bridge() for _ in range(rounds)]
        tel = [direct() for _ in range(rounds)]
        sys.stderr.write("\n[bridge] look round trip over %d: telnet p50 %.3f ms p99 %.3f ms; "
                         "bridge p50 %.3f ms p99 %.3f ms\n"
                         % (rounds, statistics.median(tel) * 1000, p99(tel) * 1000,
                            statistics.median(web) * 1000, p99(web) * 1000))
        # The median, which a busy test machine disturbs least, must not show
        # a wait (a prompt held back for the 100 ms flush would); make bench
        # holds the real p99 target.
        self.assertLess(statistics.median(web) - statistics.median(tel), 0.005)


if __name__ == "__main__":
    import unittest
    unittest.main()
