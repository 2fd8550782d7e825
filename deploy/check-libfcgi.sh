#!/usr/bin/env bash
# The dist programs carry libfcgi.a from Debian's libfcgi-dev inside them. This refuses to
# build them unless that package's Debian changelog names the fix for the FastCGI params
# overflow, CVE-2025-23016, and prints the version used (kept in the tarball's BUILD-INFO).
#   check-libfcgi.sh [CHANGELOG.gz]   (default: the installed libfcgi-dev's)
set -euo pipefail
changelog=${1:-/usr/share/doc/libfcgi-dev/changelog.Debian.gz}
# grep without -q reads to the end: an early exit would make zcat fail under pipefail.
if ! zcat -- "$changelog" | grep 'CVE-2025-23016' >/dev/null; then
  echo "check-libfcgi: $changelog does not mention CVE-2025-23016 (FastCGI params overflow);" >&2
  echo "check-libfcgi: update libfcgi-dev (Debian 12 has the fix from 2.4.2-2+deb12u1)" >&2
  exit 1
fi
echo "libfcgi-dev $(dpkg-query -W -f='${Version}' libfcgi-dev) (its changelog names CVE-2025-23016)"
