#!/usr/bin/env bash
# Load test of the download service on 127.0.0.1 only (wrk, from Debian's package).
#
# Starts `factsheet serve` on a free loopback port with an empty cache, warms the English
# edition, then measures with wrk for DURATION seconds each:
#   1. cached downloads: GET of a built PDF (CONNECTIONS connections);
#   2. on-demand clinic renders: POSTs of the clinic form, each with a new clinic name,
#      so every request lays out and renders a PDF (RENDERS connections = the server's
#      render limit, so no request is turned away with 503).
# Prints one JSON line per scenario: requests/s, p50/p99/max latency, errors. Stops the
# server it started (by its PID) when done or interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
RENDERS=${RENDERS:-2}
SHEET=${SHEET:-bone-protection}
BIN=${BIN:-.venv/bin}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
PORT=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CACHE=$(mktemp -d)
BASE="http://127.0.0.1:$PORT"

"$BIN/factsheet" serve --host 127.0.0.1 --port "$PORT" --cache "$CACHE" --max-renders "$RENDERS" \
  >"$CACHE/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$CACHE"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$BASE/sheets/$SHEET/en.pdf" && break
  sleep 0.5
done
curl -sf -o /dev/null "$BASE/sheets/$SHEET/en.pdf" || { cat "$CACHE/server.log" >&2; exit 1; }

echo "# $(nproc) cores; wrk ${DURATION}s per scenario; server: factsheet serve (uvicorn, 1 process)"
printf 'cached download  (GET /sheets/%s/en.pdf, %s connections): ' "$SHEET" "$CONNECTIONS"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/report.lua "$BASE/sheets/$SHEET/en.pdf" | tail -n 1
printf 'clinic render    (POST /sheets/%s/en/clinic, %s connections): ' "$SHEET" "$RENDERS"
wrk -t"$RENDERS" -c"$RENDERS" -d"${DURATION}s" --timeout 30s -s bench/clinic.lua \
  "$BASE/sheets/$SHEET/en/clinic" | tail -n 1
