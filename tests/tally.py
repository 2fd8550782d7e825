#!/usr/bin/env python3
"""Counts test results.

`tally.py --step NAME LOG EXIT_CODE` reads one runner's log (Boost.Test, Python unittest,
node --test or a plain "N passed, N failed" line) and prints "RESULT NAME: P passed, F failed".
A runner that exited non-zero but reported no failure counts one failure, so a crash is
never a pass.
`tally.py DIR` adds up the RESULT lines of every log in DIR and prints the closing line.
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
    plain = re.findall(r"^(\d+) passed, (\d+) failed", text, re.M)
    if plain:
        return int(plain[-1][0]), int(plain[-1][1])
    return 0, 0


def main(argv):
    if argv[1] == "--step":
        name, log, code = argv[2], argv[3], int(argv[4])
        passed, failed = count(pathlib.Path(log).read_text(errors="replace"))
        if code != 0 and failed == 0:
            failed = 1
        print(f"RESULT {name}: {passed} passed, {failed} failed")
        return 0
    passed = failed = 0
    for log in sorted(pathlib.Path(argv[1]).glob("*.log")):
        for m in re.finditer(r"^RESULT (\S+): (\d+) passed, (\d+) failed", log.read_text(errors="replace"), re.M):
            print(f"  {m.group(1)}: {m.group(2)} passed, {m.group(3)} failed")
            passed += int(m.group(2))
            failed += int(m.group(3))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
