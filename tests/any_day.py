#!/usr/bin/env python3
"""The tests whose answers depend on the date, run at other moments than now.

The usual hours, the notes' expiry and the owner's local time are computed from the server's
clock, and their tests seed history and compare times against the test's own clock. A test
that passes only on the day it was written fails for a user on another day, so this step runs
those tests with every clock involved (the programs, nginx, Python, node and Chromium) moved to
each day of one week, at an hour that changes from day to day, and to the moments just after
both switches of summer time in Berlin. The clock is moved by libfaketime (Debian's faketime
package), as an offset from the real time, so that it still advances and every process agrees.

Each run's output goes to build/test-logs/any-day/; this prints one line per run and a closing
"N passed, N failed" line.
"""
import datetime
import os
import pathlib
import subprocess
import sys
import time

from tests import tally

LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
LOGS = pathlib.Path("build/test-logs/any-day")

# UTC moments. Asia/Tokyo (the web tests' zone) is 9 hours on: the Monday at 00:30 UTC is
# 09:30 on a Tokyo Monday, inside the seeded office hours, where the old rule made them fade.
CLOCKS = [
    "2027-01-11 00:30",  # Monday
    "2027-01-12 04:10",  # Tuesday
    "2027-01-13 08:02",  # Wednesday, two minutes into the hour
    "2027-01-14 12:30",  # Thursday
    "2027-01-15 15:20",  # Friday (Saturday in Tokyo)
    "2027-01-16 19:40",  # Saturday
    "2027-01-17 23:30",  # Sunday (Monday in Tokyo)
    "2027-03-28 01:20",  # Berlin: 03:20 summer time, twenty minutes after the switch
    "2027-10-31 01:20",  # Berlin: 02:20 winter time, the hour that happens twice
]

RUNS = [
    ("integration", [sys.executable, "-m", "unittest", "-v", "tests.integration.test_presence_card"]),
    ("agent", [sys.executable, "-m", "unittest", "-v", "tests.agent.test_agent_note"]),
    ("web", ["node", "--test", "--test-concurrency=1", "--test-reporter=tap",
             "--test-name-pattern=usual hours|local time|minutes ago",
             "tests/web/hook.test.mjs", "tests/web/card.test.mjs"]),
]


def offset_to(clock):
    target = datetime.datetime.strptime(clock, "%Y-%m-%d %H:%M").replace(tzinfo=datetime.timezone.utc)
    return int(target.timestamp() - time.time())


def main():
    LOGS.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    for clock in CLOCKS:
        for name, command in RUNS:
            env = dict(os.environ, LD_PRELOAD=LIBFAKETIME, FAKETIME=f"{offset_to(clock):+d}")
            log = LOGS / f"{clock.replace(' ', 'T').replace(':', '')}-{name}.log"
            with open(log, "w") as out:
                code = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, timeout=900).returncode
            text = log.read_text(errors="replace")
            p, f = tally.count(text)
            if code != 0 and f == 0:
                f = 1
            if p + f == 0:
                f = 1  # a run that ran nothing proves nothing
            passed, failed = passed + p, failed + f
            print(f"clock {clock} UTC, {name}: {p} passed, {f} failed ({log})", flush=True)
            if f:
                for line in text.splitlines()[-60:]:
                    print("  | " + line)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
