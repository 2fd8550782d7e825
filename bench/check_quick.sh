#!/usr/bin/env bash
# `make test`'s look at the benchmark: the quick mode runs and prints a full table. No speed is
# asserted here (a shared machine is too noisy); `make bench` measures.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(build/release/bench/handler_bench --benchmark_min_time=0.05 2>&1 && python3 -m bench.bench --quick 2>&1)
code=$?
echo "$out"
passed=0 failed=0
check() { if [ "$code" -eq 0 ] && grep -qE "$1" <<<"$out"; then passed=$((passed + 1)); else echo "missing: $1"; failed=$((failed + 1)); fi; }
check '^BM_StatusHandler +[0-9]'
check '^BM_HeartbeatHandlerWithActivity +[0-9]'
for target in 'static' 'minimal FastCGI' 'status\.fcgi' 'status\.fcgi ×2' 'status\.fcgi 1 conn/req' 'status\.fcgi CGI' 'PHP-FPM' 'cached' 'heartbeat\.fcgi'; do
  check "^\| $target \| 32 \| [0-9,]+ \| [0-9.]+ \|"
done
check '\| 0 \| [0-9.]+ MB \|$'
for target in 'static' 'status\.fcgi' 'status\.fcgi ×2' 'cached' 'PHP-FPM'; do
  check "^\| $target \| 10,000 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|"
done
check 'status\.fcgi / minimal FastCGI at 32 conn: [0-9.]+× req/s'
check '^Waking a sleeping process on this machine .*: p50 [0-9]+ µs, p99 [0-9]+ µs before the run'
echo "$passed checks passed, $failed checks failed"
[ "$failed" -eq 0 ]
