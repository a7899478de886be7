#!/usr/bin/env bash
# Load test of the download service on 127.0.0.1 only (wrk, from Debian's package).
#
# Makes one release of the content, then for each worker count in WORKERS_LIST (default
# "1 2") starts `factsheet serve --workers N` on a free loopback port with an empty clinic
# cache and measures with wrk for DURATION seconds each:
#   1. cached downloads: GET of a released PDF (CONNECTIONS connections);
#   2. on-demand clinic renders: POSTs of the clinic form, each with a new clinic name,
#      so every request lays out and renders a PDF (RENDERS connections per worker; each
#      worker's render limit is the total, so no request is turned away with 503);
#   3. mixed: both of the above at once while SLOW (200) slow clients trickle their headers
#      one byte a second (bench/slowclients.py keeps that many open, reconnecting each one
#      the server closes).
# Prints one JSON line per scenario: requests/s, p50/p99/max latency, errors. Stops every
# server it started (by its PID) when done or interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
RENDERS=${RENDERS:-2}
SLOW=${SLOW:-200}
WORKERS_LIST=${WORKERS_LIST:-"1 2"}
SHEET=${SHEET:-bone-protection}
BIN=${BIN:-.venv/bin}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
WORK=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN/factsheet" release --releases "$WORK/releases" >/dev/null

for WORKERS in $WORKERS_LIST; do
  PORT=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$PORT"
  rm -rf "$WORK/cache"
  CLINICS=$((RENDERS * WORKERS))
  # Each worker may get every clinic connection (the kernel spreads connections, not
  # requests), so its render limit is the whole test's: nobody is turned away with 503.
  "$BIN/factsheet" serve --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" \
    --releases "$WORK/releases" --cache "$WORK/cache" --max-renders "$CLINICS" \
    >"$WORK/server-$WORKERS.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "$BASE/healthz" && break
    sleep 0.5
  done
  curl -sf -o /dev/null "$BASE/healthz" || { cat "$WORK/server-$WORKERS.log" >&2; exit 1; }
  for n in $(seq 1 $((4 * WORKERS))); do  # warm every worker's fonts and layout caches
    curl -sf -o /dev/null -F "name=Warm-up Clinic $n" "$BASE/sheets/$SHEET/en/clinic" || true
    curl -sf -o /dev/null "$BASE/sheets/$SHEET/en.pdf" || true
  done

  echo "# $(nproc) cores; wrk ${DURATION}s per scenario; factsheet serve --workers $WORKERS"
  printf 'cached download  (GET /sheets/%s/en.pdf, %s connections): ' "$SHEET" "$CONNECTIONS"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/report.lua "$BASE/sheets/$SHEET/en.pdf" | tail -n 1
  printf 'clinic render    (POST /sheets/%s/en/clinic, %s connections): ' "$SHEET" "$CLINICS"
  wrk -t"$CLINICS" -c"$CLINICS" -d"${DURATION}s" --timeout 30s -s bench/clinic.lua \
    "$BASE/sheets/$SHEET/en/clinic" | tail -n 1

  "$BIN/python" bench/slowclients.py 127.0.0.1 "$PORT" "$SLOW" $((DURATION + 4)) >"$WORK/slow.json" &
  SLOWPID=$!
  sleep 2  # let the slow clients connect first
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/report.lua "$BASE/sheets/$SHEET/en.pdf" \
    >"$WORK/mixed-get.txt" &
  GETPID=$!
  wrk -t"$CLINICS" -c"$CLINICS" -d"${DURATION}s" --timeout 30s -s bench/clinic.lua \
    "$BASE/sheets/$SHEET/en/clinic" >"$WORK/mixed-post.txt"
  wait "$GETPID"
  wait "$SLOWPID"
  printf 'mixed, %s slow clients held open: download ' "$SLOW"; tail -n 1 "$WORK/mixed-get.txt"
  printf 'mixed, %s slow clients held open: clinic   ' "$SLOW"; tail -n 1 "$WORK/mixed-post.txt"
  printf 'mixed, slow clients: '; cat "$WORK/slow.json"

  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
done
