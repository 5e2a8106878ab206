#!/usr/bin/env bash
# The weekly-quiz burst: a server with PEOPLE generated people (default 100,000), RIDERS of
# them signed in with a started attempt (default 40,000). Real riders read for minutes
# before they submit, so before each run every session is made idle for five minutes
# (past the server's one-minute refresh of a session's last use, inside its 30-minute idle
# timeout). wrk then plays the riders reading their credits (a plain signed-in read),
# fetching their quiz, and submitting their answers (each attempt once), beside the same
# server's /healthz rate in the same run; then checks nothing was written twice and the
# journal holds. On SQLite, then PostgreSQL. Usage: bench/quiz.sh [PEOPLE] [RIDERS]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-100000}
RIDERS=${2:-40000}
DURATION=${PIONEER_BENCH_SECONDS:-8}
# Short enough that the riders do not run out (each submits once).
SUBMIT_SECONDS=${PIONEER_BENCH_SUBMIT_SECONDS:-4}
CONNECTIONS=${PIONEER_BENCH_CONNECTIONS:-64}
THREADS=2
OUT=${PIONEER_BENCH_OUT:-bench/out}/quiz
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"

pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.2f", v}' "$1"; }
rate() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
errors() { # non-2xx/3xx responses plus socket errors
  local bad sock
  bad=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$1" | grep -Eo '[0-9]+$' || echo 0)
  sock=$(awk '/Socket errors:/ {for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i} END {print n + 0}' "$1")
  echo $(( bad + ${sock:-0} ))
}
requests() { awk '/requests in/ {print $1}' "$1"; }

# Every session last used five minutes ago (after the server's notes were written: it
# writes them every 5 s).
idle() { # SQL command (PIONEER_BENCH_IDLE=0: sessions stay warm, for comparison)
  [[ ${PIONEER_BENCH_IDLE:-1} == 0 ]] && return 0
  sleep 6
  $1 "UPDATE sessions SET last_seen = last_seen - 300000, created_at = created_at - 300000" >/dev/null
}

run_backend() { # name, data dir, database URL, SQL counter command
  local name=$1 dir=$2 url=$3 port=18474
  echo
  echo "## $name: $PEOPLE people, $RIDERS riders, $CONNECTIONS connections, ${DURATION} s per run (submit ${SUBMIT_SECONDS} s)"
  rm -rf "$dir"; mkdir -p "$dir"
  "$BIN" generate --people "$PEOPLE" --seed 42 --data-dir "$dir" --database "$url" \
    --quiz-riders "$RIDERS" --quiz-file "$dir/riders.tsv" 2>/dev/null | grep -v planted
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" --database "$url" >"$dir/serve.log" 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  local base="http://127.0.0.1:$port"
  # Page weight: one rider's quiz page and the style sheet it loads (nothing else).
  local token quiz; token=$(head -1 "$dir/riders.tsv" | cut -f1); quiz=$(head -1 "$dir/riders.tsv" | cut -f3)
  local page css; page=$(curl -s -H "Cookie: pioneer_session=$token" "$base/quiz/$quiz" | wc -c); css=$(curl -s "$base/static/app.css" | wc -c)
  echo "quiz page: $page bytes + style sheet $css bytes = $(( (page + css) / 1024 )) KB (goal ≤ 30 KB)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base/healthz" > "$OUT/healthz.txt"
  idle "$4"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk-quiz.lua "$base" -- "$dir/riders.tsv" "$THREADS" read > "$OUT/read.txt"
  idle "$4"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk-quiz.lua "$base" -- "$dir/riders.tsv" "$THREADS" fetch > "$OUT/fetch.txt"
  idle "$4"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SUBMIT_SECONDS}s" --latency -s bench/wrk-quiz.lua "$base" -- "$dir/riders.tsv" "$THREADS" submit > "$OUT/submit.txt"
  printf "%-28s %10s %10s %10s %8s\n" "" "req/s" "p50 ms" "p99 ms" "errors"
  for run in healthz read fetch submit; do
    printf "%-28s %10s %10s %10s %8s\n" "$run" "$(rate "$OUT/$run.txt")" "$(pct "$OUT/$run.txt" 50%)" "$(pct "$OUT/$run.txt" 99%)" "$(errors "$OUT/$run.txt")"
  done
  local sent; sent=$(requests "$OUT/submit.txt")
  echo "submissions: $sent in ${SUBMIT_SECONDS} s; $(grep '^statuses' "$OUT/submit.txt")"
  if (( sent > RIDERS )); then echo "note: more submissions than riders: the replays were refused; shorten PIONEER_BENCH_SUBMIT_SECONDS"; fi
  echo "goals: submissions ≥ 5000/s on SQLite, ≥ 3000/s on PostgreSQL; p99 ≤ 100 ms; 0 errors (sessions idle for 5 minutes before each run)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "attempts submitted in the database: $($4 "SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL")" \
    "(requests still in flight when wrk stopped are written but not counted by wrk)"
  echo "quiz credit entries: $($4 "SELECT COUNT(*) FROM credit_entries WHERE idempotency_key LIKE 'quiz-%'")," \
    "journal entries for the batches: $($4 "SELECT COUNT(*) FROM journal WHERE entity = 'quiz_batch'")"
  "$BIN" journal verify --data-dir "$dir" --database "$url" 2>&1 | tail -1
}

sqlite_count() { python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
cur = db.execute(sys.argv[2])
row = cur.fetchone()
db.commit()
print(row[0] if row else cur.rowcount)" "$OUT/sqlite/pioneer.sqlite3" "$1"; }
pg_count() { psql "${PG_ADMIN%/*}/pioneer_bench_quiz" -tAc "$1"; }

echo "# pioneer weekly-quiz burst ($(date -u +%F), $(nproc) cores; wrk and the server share them)"
if [[ ${PIONEER_BENCH_SKIP_SQLITE:-0} != 1 ]]; then
  run_backend "SQLite" "$OUT/sqlite" "sqlite:$OUT/sqlite/pioneer.sqlite3" sqlite_count
fi

if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_bench_quiz WITH (FORCE)" -c "CREATE DATABASE pioneer_bench_quiz"
  run_backend "PostgreSQL" "$OUT/postgres" "${PG_ADMIN%/*}/pioneer_bench_quiz" pg_count
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
