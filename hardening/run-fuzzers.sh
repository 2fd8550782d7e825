#!/usr/bin/env bash
# Runs each fuzzer for SECONDS from a copy of its seed corpus; fails on any crash, leak or
# sanitizer report. Prints the executions of each and a closing "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=$1; shift
passed=0 failed=0
for target in "$@"; do
  work=build/fuzz/corpus/$target
  mkdir -p "$work" build/fuzz/artifacts
  cp -n tests/fuzz/corpus/$target/* "$work"/ 2>/dev/null
  log=build/fuzz/$target.log
  build/fuzz/fuzz_$target -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=build/fuzz/artifacts/$target- -print_final_stats=1 "$work" > "$log" 2>&1
  code=$?
  execs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  if [ "$code" -eq 0 ] && ! grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$log"; then
    echo "fuzz $target: ok, ${execs:-?} executions in ${seconds} s"
    passed=$((passed + 1))
  else
    echo "fuzz $target: FAILED (exit $code), see $log"
    tail -40 "$log"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
