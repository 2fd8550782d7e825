#!/bin/sh
# Usage: check-syntax.sh "COMPILER AND FLAGS" FILE...
# Compiles each FILE with the given command (clang++ -fsyntax-only -D__APPLE__ against
# tests/apple/include) and prints one line per file and "N passed, N failed". A control file
# that calls an Apple function with a wrong argument count must fail, so that a check which no
# longer reads the declarations cannot pass.
compile=$1
shift
passed=0
failed=0
[ $# -gt 0 ] || { echo "no file with an __APPLE__ branch found"; echo "0 passed, 1 failed"; exit 1; }
for file in "$@"; do
  if $compile "$file"; then
    echo "apple syntax $file: ok"
    passed=$((passed + 1))
  else
    echo "apple syntax $file: FAILED"
    failed=$((failed + 1))
  fi
done
control=tests/apple/wrong_argument_count.cc
if $compile "$control" 2>/dev/null; then
  echo "apple syntax control $control: compiled, but must not"
  failed=$((failed + 1))
else
  echo "apple syntax control $control: refused, as it must be"
  passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
