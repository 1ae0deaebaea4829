"""Runs the integration tests: every tests/integration/test_*.py, with unittest.

    RUIN_SERVER=/abs/build/ruin-server python3 -B tests/integration/run.py [filter ...]

A filter selects the tests whose full id (test_file.Class.test_name) contains
it, e.g. `run.py test_login` or `run.py password`. Exits 1 if any test failed
or errored (or if a filter matched nothing), 0 otherwise.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def main(argv):
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    tests = list(flatten(suite))
    # Import errors show up as failing tests; keep them whatever the filter.
    broken = [t for t in tests if t.id().startswith("unittest.loader")]
    if argv:
        tests = [t for t in tests if any(f in t.id() for f in argv)] + broken
        if not tests:
            sys.stderr.write("no test matches %s\n" % " ".join(argv))
            return 1
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stderr)
    result = runner.run(unittest.TestSuite(tests))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
