#!/usr/bin/env bash
# Checks that every C++ file of the project is as clang-format (.clang-format: Google style,
# 100 columns) writes it; prints the files that are not and a closing
# "N checks passed, N checks failed" (one check a file; tests/tally.py counts them apart).
# `clang-format -i $(git ls-files '*.cc' '*.h')` formats them.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
while IFS= read -r file; do
  if clang-format --dry-run --Werror "$file" > /dev/null 2>&1; then
    passed=$((passed + 1))
  else
    echo "not formatted: $file"
    failed=$((failed + 1))
  fi
done < <(git ls-files '*.cc' '*.h')
echo "$passed checks passed, $failed checks failed"
[ "$failed" -eq 0 ]
