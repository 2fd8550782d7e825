#!/usr/bin/env python3
"""Counts test results.

`tally.py --step NAME LOG EXIT_CODE` reads one runner's log (Boost.Test, Python unittest,
node --test or a plain "N passed, N failed" line) and prints "RESULT NAME: P passed, F failed".
A runner that exited non-zero but reported no failure counts one failure, so a crash is
never a pass. A step that checks files rather than running tests (the format of each C++ file,
the lines of the benchmark's table) ends with "N checks passed, N checks failed" instead; its
line is "CHECKS NAME: P passed, F failed", and it is not counted among the tests.
`tally.py DIR [STEP...]` adds up the RESULT lines of every log in DIR: one line per step, the
checks on lines of their own, then the closing "N passed, N failed" of the tests. A STEP named
that wrote no RESULT or CHECKS line (it never ran, or its runner died before its summary)
counts as one failure.
"""
import pathlib
import re
import sys


def count(text):
    # Boost.Test --report_level=short
    boost = re.findall(r"has (passed|failed) with:\s*\n\s*(\d+) test cases? out of (\d+)", text)
    if boost:
        passed = failed = 0
        for verdict, first, total in boost:
            first, total = int(first), int(total)
            if verdict == "passed":
                passed += first
                failed += total - first
            else:
                failed += first
                passed += total - first
        return passed, failed
    # Python unittest
    ran = re.search(r"^Ran (\d+) tests?", text, re.M)
    if ran:
        total = int(ran.group(1))
        failed = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", text))
        return total - failed, failed
    # node --test
    passed = re.search(r"^# pass (\d+)", text, re.M)
    failed = re.search(r"^# fail (\d+)", text, re.M)
    if passed and failed:
        return int(passed.group(1)), int(failed.group(1))
    plain = re.findall(r"^(\d+) (?:checks )?passed, (\d+) (?:checks )?failed", text, re.M)
    if plain:
        return int(plain[-1][0]), int(plain[-1][1])
    return 0, 0


def is_check_step(text):
    return re.search(r"^\d+ checks passed, \d+ checks failed$", text, re.M) is not None


def main(argv):
    if argv[1] == "--step":
        name, log, code = argv[2], argv[3], int(argv[4])
        text = pathlib.Path(log).read_text(errors="replace")
        passed, failed = count(text)
        if code != 0 and failed == 0:
            failed = 1
        kind = "CHECKS" if is_check_step(text) else "RESULT"
        print(f"{kind} {name}: {passed} passed, {failed} failed")
        return 0
    passed = failed = checks_failed = 0
    checks = []
    seen = set()
    for log in sorted(pathlib.Path(argv[1]).glob("*.log")):
        text = log.read_text(errors="replace")
        for m in re.finditer(r"^(RESULT|CHECKS) (\S+): (\d+) passed, (\d+) failed", text, re.M):
            kind, name = m.group(1), m.group(2)
            step_passed, step_failed = int(m.group(3)), int(m.group(4))
            seen.add(name)
            if kind == "CHECKS":
                checks.append(f"checks, not tests: {name}: {step_passed} passed, {step_failed} failed")
                checks_failed += step_failed
            else:
                print(f"  {name}: {step_passed} passed, {step_failed} failed")
                passed += step_passed
                failed += step_failed
    for name in argv[2:]:
        if name not in seen:
            print(f"  {name}: no result line (the step did not run to its end): 1 failed")
            failed += 1
    for line in checks:
        print(line)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or checks_failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
