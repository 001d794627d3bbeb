#!/usr/bin/env bash
# Load test of Đảng vụ on PostgreSQL (issue 9 item 9): `make load`, or bench/load/run.sh.
#
#   LOAD_USERS=50 LOAD_DURATION=10m bench/load/run.sh        # the defaults
#   LOAD_USERS=20 LOAD_DURATION=2m bench/load/run.sh         # a quick run
#
# 1. prepare.py: the 200,000-member province in LOAD_DB_URL (synthesised once, then reused), the
#    logins, the plan of the run (LOAD_OUT/plan.json);
# 2. the application served as in production — `dangvu serve --no-worker` (waitress, 8 threads per
#    process; LOAD_PROCESSES processes, default as `dangvu serve` chooses: one per core, at most 4, on
#    PostgreSQL) — on 127.0.0.1:LOAD_PORT;
# 3. locust headless: LOAD_USERS users for LOAD_DURATION (locustfile.py), think time LOAD_WAIT seconds,
#    LOAD_SPAWN_RATE users started a second (default 1: each signs in first, and a sign-in checks an Argon2
#    password hash, ~0.3 s of CPU; at 5 a second the first 30 s were a queue of password checks on 2 cores);
# 4. check.py: p50/p95/errors of pages, writes and reports against the targets, every write present
#    and audited; its exit code is the script's (0 pass, 1 a target missed or a write lost).
# The machine's load average is sampled every 30 s (LOAD_OUT/machine.txt). Nothing here is part of
# the application.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${LOAD_BIN:-.venv/bin}
export LOAD_OUT=${LOAD_OUT:-/tmp/dangvu-load}
DB_URL=${LOAD_DB_URL:-postgresql://postgres@127.0.0.1:5432/dangvu_load}
# The README's deployment settings that a session can take (the shared server's postgresql.conf is not ours).
PG_OPTIONS=${LOAD_PG_OPTIONS:--c jit=off -c random_page_cost=1.1 -c effective_cache_size=12GB}
export DANGVU_DATA_DIR=${DANGVU_DATA_DIR:-$LOAD_OUT/data}
export PYTHONPATH=src${PYTHONPATH:+:$PYTHONPATH}
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_DURATION:-10m}
PROCESSES=${LOAD_PROCESSES:-}
PORT=${LOAD_PORT:-8791}
export LOAD_RUN=${LOAD_RUN:-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$LOAD_OUT" "$DANGVU_DATA_DIR"
rm -f "$LOAD_OUT/writes.jsonl" "$LOAD_OUT/samples.csv" "$LOAD_OUT/results.md"

db=${DB_URL##*/}
psql "${DB_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
  || psql "${DB_URL%/*}/postgres" -qc "CREATE DATABASE \"$db\""
DANGVU_DATABASE_URL="$DB_URL?options=$("$BIN/python" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$PG_OPTIONS")"
export DANGVU_DATABASE_URL
"$BIN/python" bench/load/prepare.py

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT is taken: set LOAD_PORT" >&2; exit 2; fi
"$BIN/python" -m dangvu.cli serve --host 127.0.0.1 --port "$PORT" --no-worker ${PROCESSES:+--processes "$PROCESSES"} \
  >"$LOAD_OUT/server.log" 2>&1 &
server=$!
(while sleep 30; do echo "$(date -u +%T) load average $(cut -d' ' -f1-3 /proc/loadavg)"; done) >"$LOAD_OUT/loadavg.txt" &
sampler=$!
trap 'kill $server $sampler 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break; sleep 1; done
kill -0 $server || { cat "$LOAD_OUT/server.log" >&2; exit 2; }

start_load=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%F %T')
"$BIN/locust" -f bench/load/locustfile.py --headless --host "http://127.0.0.1:$PORT" -u "$USERS" \
  -r "${LOAD_SPAWN_RATE:-1}" -t "$DURATION" --stop-timeout 30 --only-summary --exit-code-on-error 0 \
  >"$LOAD_OUT/locust.log" 2>&1 || true
# CPU seconds the server processes used (user + system, the parent and its forked servers): the cost
# per request, apart from the waiting
servers=$(pgrep -P "$server" | tr '\n' ' ')
server_cpu=$(cat "/proc/$server/stat" $(for p in $servers; do echo "/proc/$p/stat"; done) 2>/dev/null \
  | awk -v hz="$(getconf CLK_TCK)" '{s += $14 + $15} END {printf "%.0f", s / hz}')
processes=$(( $(echo $servers | wc -w) > 0 ? $(echo $servers | wc -w) : 1 ))
kill $server $sampler 2>/dev/null || true
wait $server 2>/dev/null || true
samples=$(awk '{printf "%s%s %s", (NR > 1 ? "; " : ""), $1, $4}' "$LOAD_OUT/loadavg.txt")
{
  echo "Run $started – $(date -u '+%T') UTC on $(hostname) ($(nproc) cores, shared); $USERS users for $DURATION," \
       "think time ${LOAD_WAIT:-1,5} s; \`dangvu serve\`: $processes waitress process(es) of 8 threads; database $db on PostgreSQL $(psql "$DB_URL" -tAc 'SHOW server_version'), shared_buffers $(psql "$DB_URL" -tAc 'SHOW shared_buffers'), session \`$PG_OPTIONS\`."
  echo "Load average (1/5/15 min) at start $start_load, at end $(cut -d' ' -f1-3 /proc/loadavg); every 30 s (1 min): $samples."
  echo "The server processes used $server_cpu CPU seconds ($processes process(es): at most $processes core(s) for Python)."
} >"$LOAD_OUT/machine.txt"
export LOAD_INFO="$USERS users, $DURATION"
"$BIN/python" bench/load/check.py
