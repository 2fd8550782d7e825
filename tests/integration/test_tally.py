"""`make test`'s count (tests/tally.py): checks apart from tests, a crash never a pass, and a step
that wrote no line a failure."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

from harness import ROOT

TALLY = ROOT / "tests" / "tally.py"


def step(folder, name, output, code):
    log = folder / f"{name}.log"
    log.write_text(output)
    line = subprocess.run([sys.executable, str(TALLY), "--step", name, str(log), str(code)],
                          capture_output=True, text=True, check=True).stdout
    with open(log, "a") as f:
        f.write(line)
    return line.strip()


class Tally(unittest.TestCase):
    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="heartbeat-tally-"))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(self.dir)])

    def total(self, *steps):
        proc = subprocess.run([sys.executable, str(TALLY), str(self.dir), *steps],
                              capture_output=True, text=True)
        return proc.returncode, proc.stdout.splitlines()

    def test_checks_are_counted_apart_from_tests(self):
        self.assertEqual(step(self.dir, "unit", "Ran 12 tests in 0.1s\n\nOK\n", 0),
                         "RESULT unit: 12 passed, 0 failed")
        self.assertEqual(step(self.dir, "format", "218 checks passed, 0 checks failed\n", 0),
                         "CHECKS format: 218 passed, 0 failed")
        code, lines = self.total("unit", "format")
        self.assertEqual(code, 0)
        self.assertEqual(lines[-1], "12 passed, 0 failed")
        self.assertIn("checks, not tests: format: 218 passed, 0 failed", lines)

    def test_a_failed_check_fails_the_run_but_is_no_failed_test(self):
        step(self.dir, "unit", "Ran 3 tests in 0.1s\n\nOK\n", 0)
        step(self.dir, "format", "not formatted: a.cc\n1 checks passed, 1 checks failed\n", 1)
        code, lines = self.total("unit", "format")
        self.assertEqual(code, 1)
        self.assertEqual(lines[-1], "3 passed, 0 failed")

    def test_a_crash_and_a_missing_step_are_failures(self):
        self.assertEqual(step(self.dir, "web", "Segmentation fault\n", 139),
                         "RESULT web: 0 passed, 1 failed")
        step(self.dir, "unit", "Ran 5 tests in 0.1s\n\nOK\n", 0)
        code, lines = self.total("unit", "web", "agent-unit")
        self.assertEqual(code, 1)
        self.assertIn("  agent-unit: no result line (the step did not run to its end): 1 failed",
                      lines)
        self.assertEqual(lines[-1], "5 passed, 2 failed")


if __name__ == "__main__":
    unittest.main()
