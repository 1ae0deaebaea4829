"""test_bench.py: the benchmark's own tools (tests/bench/: bench.py and the
load generator) on two tiny scenarios, so `make test` notices when they
break rather than the next `make bench`.

telnet-20, relay-20 and bridge-20 log 20 players in over telnet, through
the load generator's do-nothing relay and through ruin-bridge, look for
two seconds and say ten lines, in two rounds (--repeat 2). Every player must log in, every look and say must be
measured, and nothing may fail. Through the
bridge the load generator takes permessage-deflate as a browser does, so
compressed messages must have arrived and been read (inflated); over
telnet none can.
"""

import contextlib
import io
import json
import os
import resource
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
                 "--only", "telnet-20", "relay-20", "bridge-20", "--hiccup-seconds", "1",
                 "--repeat", "2",
                 "--out", out],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
            report = run.stdout.decode(errors="replace")
            self.assertEqual(run.returncode, 0, report[-3000:])
            with open(out) as f:
                doc = json.load(f)
            results = {"%s #%d" % (r["name"], r["round"]): r for r in doc["scenarios"]}
        # Rounds: every scenario once, then every scenario again.
        self.assertEqual([(r["name"], r["round"]) for r in doc["scenarios"]],
                         [("telnet-20", 1), ("relay-20", 1), ("bridge-20", 1),
                          ("telnet-20", 2), ("relay-20", 2), ("bridge-20", 2)],
                         report[-3000:])
        self.assertEqual(doc["meta"]["repeat"], 2)
        for name, r in results.items():
            self.assertIn(name, report)
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
        for rnd in (1, 2):
            self.assertGreater(results["bridge-20 #%d" % rnd]["loadgen"]["inflated_messages"], 0)
            self.assertEqual(results["telnet-20 #%d" % rnd]["loadgen"]["inflated_messages"], 0)
            # The relay only copies telnet: nothing compressed, and its own
            # memory is measured as a proxy's.
            relay = results["relay-20 #%d" % rnd]
            self.assertEqual(relay["loadgen"]["inflated_messages"], 0)
            self.assertGreater(relay["bridge"]["pss_loggedin_kb"], 0)
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

    def test_load_generator_raises_its_open_file_limit(self):
        """A fresh machine's soft limit on open files is often 1,024, under
        what 1,000 or 5,000 players need: the load generator raises it to
        what it needs when the hard limit allows, and says so plainly and
        stops when it does not. --fanout-floor 600 needs 1,264 descriptors,
        1,000 players 1,064."""
        loadgen = os.environ.get("RUIN_LOADGEN", "")
        self.assertTrue(loadgen, "run through `make integration`, which sets RUIN_LOADGEN")
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and hard < 1300:
            self.fail("this test needs a hard open-file limit of 1,300 (have %d)" % hard)

        def run(soft, hard, args=("--fanout-floor", "600")):
            return subprocess.run(
                [loadgen] + list(args),
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard)),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)

        low_soft = run(256, hard)
        self.assertEqual(low_soft.returncode, 0, low_soft.stderr.decode(errors="replace"))
        self.assertEqual(json.loads(low_soft.stdout)["listeners"], 600)
        low_hard = run(256, 256)
        self.assertEqual(low_hard.returncode, 2)
        self.assertEqual(low_hard.stdout, b"")
        self.assertIn(b"needs 1264 open files, and the limit is 256 (hard 256)",
                      low_hard.stderr)
        # The same check comes before a benchmark connects anyone (port 9 is
        # never reached: the check stops it first).
        players = run(256, 256, ("--port", "9", "--players", "1000"))
        self.assertEqual(players.returncode, 2)
        self.assertIn(b"needs 1064 open files, and the limit is 256 (hard 256)",
                      players.stderr)

    def test_slow_looks_are_put_down_to_what_held_a_cpu(self):
        """--sched: each slow look of the look phase goes to the other task
        that ran longest inside its window (0.3 ms or more), else to our
        programs alone. Fed a made-up `perf sched timehist` and loadgen's
        slow-look lines, in their real formats."""
        sys.path.insert(0, os.path.dirname(BENCH))
        import bench

        timehist = "\n".join([
            "           time    cpu  task name                       wait time  sch delay   run time",
            "                        [tid/pid]                          (msec)     (msec)     (msec)",
            "--------------- ------  ------------------------------  ---------  ---------  ---------",
            "     100.006000 [0000]  kdamond.0[22487]                  510.798      0.005      6.000 ",
            "     100.005000 [0001]  ruin-bridge[17198]                  0.100      0.000      4.000 ",
            "     100.005500 [0001]  loadgen[17203]                      0.000      0.000      0.500 ",
            "     105.002000 [0001]  ruin-server[17191]                  0.000      0.000      2.000 ",
            "     105.002100 [0000]  kworker/0:2-mm_[9]                  0.000      0.000      0.100 ",
            "     109.001000 [0000]  perf[17205/17204]                   0.000      0.000      0.500 ",
            "     109.001500 [0001]  <idle>                              0.000      0.000      3.000 ",
        ])
        stderr = "".join(
            "loadgen: slow look: %.1f ms, player 7, sent %.3f s into the phase "
            "(CLOCK_MONOTONIC %.6f, for perf -k CLOCK_MONOTONIC)\n" % look
            for look in [(5.0, 1.0, 100.001), (2.0, 2.0, 105.0), (3.0, 3.0, 108.9995),
                         (4.0, 12.5, 100.002)])  # the last is in the say phase
        slow = [(float(m.group(2)), float(m.group(1)), float(m.group(3)))
                for m in bench.SLOW_LOOK.finditer(stderr)]
        self.assertEqual(len(slow), 4)
        slices = bench.sched_slices(timehist)
        self.assertEqual(len(slices), 7)
        self.assertIn((100.0, 100.006, "kdamond.0"), slices)
        self.assertIn((109.0005, 109.001, "perf"), [(round(a, 6), b, c) for a, b, c in slices])
        got = bench.attribute_slow_looks(slices, slow, 10)
        # kdamond held CPU 0 through the first; a 0.1 ms kworker is not
        # enough for the second; perf ran 0.5 ms inside the third.
        self.assertEqual(got, {"slow": 3, "by": {"kdamond.0": 1, "perf": 1}, "ours_only": 1})
        results = [{"name": "bridge-20", "sched": got}]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.print_sched(results, {"sched_ms": 1, "repeat": 1})
        self.assertIn("bridge-20: 3 slow; 1 during kdamond.0, 1 during perf, 1 with only our "
                      "programs running", out.getvalue())

    def test_rounds_are_summarised_as_medians_with_their_range(self):
        """With --repeat, the targets and the bridge's hop are given as the
        median over rounds, each hop against the same round's direct run,
        with the range and how many rounds met the target. Fed made-up
        rounds here: the numbers of a real 1,000-player run vary too much
        to check, and take minutes."""
        sys.path.insert(0, os.path.dirname(BENCH))
        import bench

        def result(name, rnd, look, say, proxy=None):
            r = {"name": name, "round": rnd, "players": 1000,
                 "scenario": {"backend": "epoll"}, "login": {"seconds": 3.0},
                 "look": {"idle_room": {"samples": 9990, "p50_ms": 0.1, "p90_ms": 0.2,
                                        "p99_ms": look, "max_ms": 2 * look},
                          "per_second": 999.0, "timeouts": 0},
                 "fanout": {"last_listener": {"samples": 200, "p50_ms": say / 2,
                                              "p99_ms": say, "max_ms": 2 * say},
                            "incomplete": 0},
                 "server": {"kb_per_session": 4.4}, "server_cpu": {"us_per_look": 30.0},
                 "failures": {"connect": 0, "login": 0, "disconnects": 0, "protocol": 0}}
            if proxy:
                r["bridge"] = {"pss_kb_per_session": proxy}
                r["bridge_cpu"] = {"us_per_look": 70.0}
            return r

        rounds = [(0.20, 9.7, 0.90, 1.64, 50.5), (0.30, 12.0, 0.60, 1.10, 50.4),
                  (0.25, 9.0, 1.20, 5.00, 70.0)]
        results = []
        for rnd, (look, say, relay_look, bridge_look, pss) in enumerate(rounds, 1):
            results += [result("telnet-1000-epoll", rnd, look, say),
                        result("relay-1000-epoll", rnd, relay_look, 20.0, 30.0),
                        result("bridge-1000-epoll", rnd, bridge_look, 60.0, pss)]
        meta = {"date": "-", "cpus": 2, "kernel": "-", "commit": "-", "loadavg_start": 0.0,
                "repeat": 3}
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.print_table(results, meta)
        text = out.getvalue()
        self.assertIn("bridge-1000-epoll #3", text)
        self.assertIn("epoll, over 3 rounds", text)
        self.assertRegex(text, r"say to the last listener p99 \(ms\) +9\.70 +10\.0 .*"
                         r"\(9\.00-12\.00; met in 2 of 3\)")
        # Hops 1.44, 0.80 and 4.75 ms: median 1.44, one round under 1 ms.
        self.assertRegex(text, r"ruin-bridge +1\.64 +\+1\.44 ")
        self.assertIn("look added +0.80..+4.75 ms, under 1 ms in 1 of 3 rounds;"
                      " memory under 64 KiB in 2 of 3", text)
        # The relay's hops 0.70, 0.30 and 0.95; the bridge over the relay
        # 0.74, 0.50 and 3.80.
        self.assertRegex(text, r"relay \(floor\) +0\.90 +\+0\.70 ")
        self.assertIn("look p99 over the relay's (the bridge's own share): +0.74 ms"
                      " (median; range +0.50..+3.80)", text)


if __name__ == "__main__":
    unittest.main()
