#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet.
# On Debian/Ubuntu it uses apt-get (as root, or through sudo); elsewhere it says what is needed.
set -euo pipefail

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing+=("$package")
  done
else
  echo "install-deps: this is not a Debian-like system; install the equivalents of: $*" >&2
  exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: need root or sudo to run: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
