#!/usr/bin/env bash
# `make demo`: nginx on 127.0.0.1 (a free port) with both programs and the demo page, in
# build/demo; one heartbeat sent so that the status answers "online", with what the owner is
# doing (activity = on) so that the card shows it. `make demo-stop` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$PWD/build/demo

case "${1:-start}" in
  stop)
    python3 -m harness.local_stack stop "$dir"
    echo "demo stopped"
    ;;
  start)
    python3 -m harness.local_stack stop "$dir" >/dev/null
    rm -rf "$dir" && mkdir -p "$dir"
    url=$(python3 -m harness.local_stack start "$dir" --web "$PWD/web" --config "activity = on")
    token=$(cat "$dir/token")
    # The token goes to curl through a header file, never on its command line.
    printf 'Authorization: Bearer %s\n' "$token" > "$dir/auth-header"
    chmod 600 "$dir/auth-header"
    answer=$(curl -sS -H @"$dir/auth-header" -H 'Content-Type: application/json' \
      -d '{"device":"demo","state":"active","activity":{"kind":"listening","title":"Reckoner","artist":"Radiohead","app":"Spotify"}}' "$url/cgi-bin/heartbeat.fcgi")
    echo "heartbeat:  $answer"
    echo "status:     $(curl -sS "$url/cgi-bin/status.fcgi")"
    echo
    echo "Demo page:  $url/demo.html"
    echo "Status:     $url/cgi-bin/status.fcgi"
    echo "Badge:      $url/cgi-bin/status.fcgi/badge.svg"
    echo "Token file: $dir/token (send more heartbeats with the agent or curl)"
    echo "Stop it:    make demo-stop"
    ;;
esac
