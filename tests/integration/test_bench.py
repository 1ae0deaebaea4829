"""test_bench.py: the benchmark's own tools (tests/bench/: bench.py and the
load generator) on two tiny scenarios, so `make test` notices when they
break rather than the next `make bench`.

telnet-20 and bridge-20 log 20 players in over telnet and through
ruin-bridge, look for two seconds and say ten lines. Every player must log
in, every look and say must be measured, and nothing may fail. Through the
bridge the load generator takes permessage-deflate as a browser does, so
compressed messages must have arrived and been read (inflated); over
telnet none can.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "..", "bench", "bench.py")


class BenchToolsTest(unittest.TestCase):
    def test_tiny_scenarios_measure_everything(self):
        env = {k: os.environ.get(k, "") for k in ("RUIN_SERVER", "RUIN_BRIDGE", "RUIN_LOADGEN")}
        missing = [k for k, v in env.items() if not v]
        self.assertFalse(missing, "run through `make integration`, which sets %s" % missing)
        with tempfile.TemporaryDirectory(prefix="ruin-bench-test-") as d:
            out = os.path.join(d, "bench.json")
            run = subprocess.run(
                [sys.executable, "-B", BENCH, "--server", env["RUIN_SERVER"],
                 "--loadgen", env["RUIN_LOADGEN"], "--bridge", env["RUIN_BRIDGE"],
                 "--only", "telnet-20", "bridge-20", "--hiccup-seconds", "1", "--out", out],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
            report = run.stdout.decode(errors="replace")
            self.assertEqual(run.returncode, 0, report[-3000:])
            with open(out) as f:
                doc = json.load(f)
            results = {r["name"]: r for r in doc["scenarios"]}
        self.assertEqual(sorted(results), ["bridge-20", "telnet-20"], report[-3000:])
        for name, r in results.items():
            with self.subTest(scenario=name):
                fails = r["failures"]
                self.assertEqual((fails["connect"], fails["login"], fails["disconnects"],
                                  fails["protocol"]), (0, 0, 0, 0), fails)
                self.assertEqual(r["look"]["timeouts"], 0)
                # 19 players looking once a second for two seconds.
                self.assertGreaterEqual(r["look"]["idle_room"]["samples"], 30)
                self.assertEqual(r["fanout"]["last_listener"]["samples"], 10)
                self.assertEqual(r["fanout"]["incomplete"], 0)
                look = r["look"]["idle_room"]
                self.assertTrue(0 < look["p50_ms"] <= look["p99_ms"] <= look["max_ms"], look)
                self.assertGreater(r["server"]["kb_per_session"], 0)
        self.assertGreater(results["bridge-20"]["loadgen"]["inflated_messages"], 0)
        self.assertEqual(results["telnet-20"]["loadgen"]["inflated_messages"], 0)
        self.assertIn("bridge-20", report)
        # The machine-noise probe ran on every CPU, before and after, and was
        # printed beside the results.
        for when in ("hiccup_start", "hiccup_end"):
            probe = doc["meta"][when]
            self.assertEqual([c["cpu"] for c in probe["cpus"]], list(range(os.cpu_count())))
            for c in probe["cpus"]:
                # (lost_ms is printed to 0.1 ms, longest_ms to 0.01)
                self.assertTrue(0 <= c["lost_ms"] <= 1000 * probe["seconds"]
                                and c["longest_ms"] <= c["lost_ms"] + 0.1
                                and c["over_5ms"] <= c["over_1ms"], c)
        self.assertIn("CPU0 lost", report)
        floor = doc["meta"]["fanout_floor"]
        self.assertEqual((floor["listeners"], floor["rounds"]), (1000, 100), floor)
        self.assertTrue(0 < floor["p50_ms"] <= floor["p99_ms"] <= floor["max_ms"], floor)
        self.assertIn("a say's floor", report)


if __name__ == "__main__":
    unittest.main()
