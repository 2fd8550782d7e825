#!/usr/bin/env bash
# Runs one test step, shows its output and keeps it in build/test-logs/NAME.log, then writes
# the step's "RESULT NAME: P passed, F failed" line (derived from the runner's own summary).
set -uo pipefail
name=$1; shift
mkdir -p build/test-logs
log=build/test-logs/$name.log
echo "=== $name: $*"
"$@" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
python3 tests/tally.py --step "$name" "$log" "$code" | tee -a "$log"
exit "$code"
