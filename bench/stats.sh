#!/usr/bin/env bash
# Statistics figures: with PEOPLE generated people (default 1,000,000) — their statuses
# dated over ten years — the root organisation's dashboard through /api/v1/stats: the first
# request (which reads the deployment's snapshot), then p50/p99 with one connection for
# today and for reference dates ten years back, beside /healthz; then the same again while
# an organiser writes people, dossiers and departures through the API (bench/stats_writer.py),
# so every request finds the deployment changed; on SQLite, then on PostgreSQL.
# Usage: bench/stats.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-1000000}
DURATION=${PIONEER_BENCH_SECONDS:-8}
OUT=${PIONEER_BENCH_OUT:-bench/out}/stats
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"

pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.2f", v}' "$1"; }

run_backend() { # name, data dir, database URL
  local name=$1 dir=$2 url=$3 port=18476
  echo
  echo "## $name, $PEOPLE people"
  if [[ ! -f "$dir/generated-$PEOPLE" ]]; then
    rm -rf "$dir"; mkdir -p "$dir"
    /usr/bin/time -f "%e s, peak RSS %M KB" -o "$dir/gen.time" \
      "$BIN" generate --people "$PEOPLE" --seed 42 --data-dir "$dir" --database "$url" 2>/dev/null | tail -1
    echo "generation: $(cat "$dir/gen.time")"
    touch "$dir/generated-$PEOPLE"
  fi
  local user="stats$(date +%s)"
  local one_time; one_time=$("$BIN" user add --username "$user" --role organiser --data-dir "$dir" --database "$url" 2>/dev/null | sed -n 's/.*first login): //p')
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" --database "$url" >/dev/null 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  local base="http://127.0.0.1:$port"
  local cookie; cookie=$(python3 bench/session.py "$base" "$user" "$one_time")
  local first; first=$(curl -s -o "$OUT/first.json" -w '%{time_total}' -H "Cookie: $cookie" "$base/api/v1/stats?since=2016")
  echo "first request (waits for the snapshot the server reads as it starts): $(awk -v t="$first" 'BEGIN {printf "%.0f", t * 1000}') ms; RSS after: $(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) MB"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); f=d['figures']; print('root:', d['organization']['name'], '| people', f['people'], '| members', f['members'], '| new members since 2016', d['new_members_total']['count'])" "$OUT/first.json"
  for y in 2016 2017 2018 2019 2020 2021 2022 2023 2024 2025; do echo "/api/v1/stats?since=2016&on=$y-12-31"; done > "$OUT/paths.txt"
  wrk -t1 -c1 -d"${DURATION}s" --latency "$base/healthz" > "$OUT/healthz.txt"
  wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: $cookie" "$base/api/v1/stats?since=2016" > "$OUT/today.txt"
  wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: $cookie" -s bench/wrk-paths.lua "$base" -- "$OUT/paths.txt" > "$OUT/past.txt"
  local org; org=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['organization']['id'])" "$OUT/first.json")
  python3 bench/stats_writer.py "$base" "$cookie" "$org" > "$OUT/writer.txt" 2>&1 &
  local writer=$!
  sleep 1
  wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: $cookie" "$base/api/v1/stats?since=2016" > "$OUT/today-writing.txt"
  wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: $cookie" -s bench/wrk-paths.lua "$base" -- "$OUT/paths.txt" > "$OUT/past-writing.txt"
  kill -TERM "$writer"; wait "$writer" 2>/dev/null || true
  local last; last=$(curl -s -H "Cookie: $cookie" "$base/api/v1/stats?since=2016" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['figures']['people'], d['read_at_ms'])")
  printf "%-34s %10s %10s %10s\n" "" "p50 ms" "p99 ms" "req/s"
  for run in healthz today past today-writing past-writing; do
    printf "%-34s %10s %10s %10s %s\n" "$run" "$(pct "$OUT/$run.txt" 50%)" "$(pct "$OUT/$run.txt" 99%)" \
      "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/$run.txt")" "$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$OUT/$run.txt" || true)"
  done
  echo "(today: the root's dashboard as at today; past: as at 31 December of each year 2016–2025; -writing: while"
  echo " bench/stats_writer.py writes; goals p50 ≤ 100 ms, p99 ≤ 200 ms)"
  cat "$OUT/writer.txt"
  echo "after the writes: the last answer counts ${last% *} people, from a snapshot read at ${last#* } ms (server clock)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "# pioneer statistics benchmark ($(date -u +%F), $(nproc) cores)"
if [[ ${PIONEER_BENCH_SKIP_SQLITE:-0} != 1 ]]; then
  run_backend "SQLite" "$OUT/sqlite" "sqlite:$OUT/sqlite/pioneer.sqlite3"
fi
if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  base=${PG_ADMIN%/*}
  if [[ ! -f "$OUT/postgres/generated-$PEOPLE" ]]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_bench_stats WITH (FORCE)" -c "CREATE DATABASE pioneer_bench_stats"
  fi
  mkdir -p "$OUT/postgres"
  run_backend "PostgreSQL" "$OUT/postgres" "$base/pioneer_bench_stats"
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
