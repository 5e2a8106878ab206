#!/usr/bin/env bash
# The volunteer sign-up burst (issue 19): RIDERS (default 10,000) signed-in volunteers sign
# up through the API for SHIFTS (default 500) shifts of CAPACITY places (default 15: 7,500
# places, so a quarter are refused), all at once from 64 connections, beside the same
# server's /healthz rate in the same run; then counts the places overbooked (must be 0: a
# shift's counter above its capacity, or not equal to its sign-ups) and verifies the
# journal. On SQLite, then PostgreSQL. Usage: bench/signup.sh [RIDERS] [SHIFTS] [CAPACITY]
set -euo pipefail
cd "$(dirname "$0")/.."
RIDERS=${1:-10000}
SHIFTS=${2:-500}
CAPACITY=${3:-15}
PEOPLE=$(( RIDERS * 3 ))  # about 45 % of generated people are full members, who get accounts
DURATION=${PIONEER_BENCH_SECONDS:-30}  # long enough for every volunteer to try once
CONNECTIONS=${PIONEER_BENCH_CONNECTIONS:-64}
THREADS=2
OUT=${PIONEER_BENCH_OUT:-bench/out}/signup
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"

pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.2f", v}' "$1"; }
rate() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }

run_backend() { # name, data dir, database URL, SQL counter command
  local name=$1 dir=$2 url=$3 port=18475
  echo
  echo "## $name: $RIDERS volunteers, $SHIFTS shifts × $CAPACITY places, $CONNECTIONS connections"
  rm -rf "$dir"; mkdir -p "$dir"
  "$BIN" generate --people "$PEOPLE" --seed 42 --data-dir "$dir" --database "$url" \
    --quiz-riders "$RIDERS" --quiz-file "$dir/riders.tsv" \
    --service-shifts "$SHIFTS" --service-capacity "$CAPACITY" --service-file "$dir/shifts.txt" 2>/dev/null | grep -v planted
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" --database "$url" >"$dir/serve.log" 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  local base="http://127.0.0.1:$port"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base/healthz" > "$OUT/healthz.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk-signup.lua "$base" -- "$dir/riders.tsv" "$dir/shifts.txt" "$THREADS" > "$OUT/signup.txt"
  printf "%-12s %10s %10s %10s\n" "" "req/s" "p50 ms" "p99 ms"
  for run in healthz signup; do
    printf "%-12s %10s %10s %10s\n" "$run" "$(rate "$OUT/$run.txt")" "$(pct "$OUT/$run.txt" 50%)" "$(pct "$OUT/$run.txt" 99%)"
  done
  echo "$(grep '^statuses' "$OUT/signup.txt") (201 signed up; 422 full, or a second sign-up overlapping the first)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local signed taken over
  signed=$($4 "SELECT COUNT(*) FROM shift_signups")
  taken=$($4 "SELECT COALESCE(SUM(taken), 0) FROM shifts")
  over=$($4 "SELECT COUNT(*) FROM shifts s WHERE s.taken > s.capacity OR s.taken <> (SELECT COUNT(*) FROM shift_signups g WHERE g.tenant_id = s.tenant_id AND g.shift_id = s.id)")
  echo "sign-ups stored: $signed; places taken by the counters: $taken of $(( SHIFTS * CAPACITY )); shifts overbooked or miscounted: $over (must be 0)"
  echo "volunteers with two sign-ups: $($4 "SELECT COUNT(*) FROM (SELECT person_id FROM shift_signups GROUP BY person_id HAVING COUNT(*) > 1) x") (must be 0: the shifts overlap)"
  "$BIN" journal verify --data-dir "$dir" --database "$url" 2>&1 | tail -1
}

sqlite_count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$OUT/sqlite/pioneer.sqlite3" "$1"; }
pg_count() { psql "${PG_ADMIN%/*}/pioneer_bench_signup" -tAc "$1"; }

echo "# pioneer volunteer sign-up burst ($(date -u +%F), $(nproc) cores; wrk and the server share them)"
if [[ ${PIONEER_BENCH_SKIP_SQLITE:-0} != 1 ]]; then
  run_backend "SQLite" "$OUT/sqlite" "sqlite:$OUT/sqlite/pioneer.sqlite3" sqlite_count
fi
if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_bench_signup WITH (FORCE)" -c "CREATE DATABASE pioneer_bench_signup"
  run_backend "PostgreSQL" "$OUT/postgres" "${PG_ADMIN%/*}/pioneer_bench_signup" pg_count
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
