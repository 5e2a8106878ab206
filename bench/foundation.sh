#!/usr/bin/env bash
# Foundation figures: generated people, start to /readyz, idle RSS, people search p50/p99
# beside /healthz, on SQLite and PostgreSQL. Usage: bench/foundation.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-1000000}
SEED=42
DURATION=${PIONEER_BENCH_SECONDS:-8}
OUT=${PIONEER_BENCH_OUT:-bench/out}
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"

# wrk's latency line for a percentile, in milliseconds.
pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.2f", v}' "$1"; }

wait_ready() { # prints ms from $1 (start in ns) to the first 200 from /readyz
  local start=$1 port=$2
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

run_backend() { # name, data dir, database URL
  local name=$1 dir=$2 url=$3 port=18473
  echo
  echo "## $name, $PEOPLE people"
  if [[ ! -f "$dir/generated-$PEOPLE" ]]; then
    rm -rf "$dir"; mkdir -p "$dir"
    /usr/bin/time -f "%e s, peak RSS %M KB" -o "$dir/gen.time" \
      "$BIN" generate --people "$PEOPLE" --seed "$SEED" --data-dir "$dir" --database "$url" \
      --sample-urls "$dir/paths.tsv" 2>/dev/null | tail -2
    echo "generation: $(cat "$dir/gen.time")"
    touch "$dir/generated-$PEOPLE"
  fi
  # A benchmark account, signed in as a person would (second factor and all).
  local user="bench$(date +%s)"
  local one_time; one_time=$("$BIN" user add --username "$user" --role organiser --data-dir "$dir" --database "$url" 2>/dev/null | sed -n 's/.*first login): //p')
  local start; start=$(date +%s%N)
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" --database "$url" >/dev/null &
  local pid=$!
  local ready_ms; ready_ms=$(wait_ready "$start" "$port")
  sleep 2
  local idle_kb; idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  local cookie; cookie=$(python3 bench/session.py "http://127.0.0.1:$port" "$user" "$one_time")
  wrk -t1 -c1 -d"${DURATION}s" --latency "http://127.0.0.1:$port/healthz" > "$OUT/healthz.txt"
  echo "start to /readyz: ${ready_ms} ms (goal ≤ 1000)"
  echo "idle RSS: $(( idle_kb / 1024 )) MB (goal ≤ 60)"
  echo "/healthz: p50 $(pct "$OUT/healthz.txt" 50%) ms, p99 $(pct "$OUT/healthz.txt" 99%) ms"
  printf "%-14s %10s %10s %10s\n" "search kind" "p50 ms" "p99 ms" "req/s"
  for kind in id phone name name_filtered subtree filters list all; do
    if [[ $kind == all ]]; then cut -f2 "$dir/paths.tsv" > "$OUT/paths.txt"; else awk -F'\t' -v k="$kind" '$1==k {print $2}' "$dir/paths.tsv" > "$OUT/paths.txt"; fi
    wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: $cookie" -s bench/wrk-paths.lua "http://127.0.0.1:$port" -- "$OUT/paths.txt" > "$OUT/search.txt"
    local errors; errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$OUT/search.txt" || true)
    printf "%-14s %10s %10s %10s %s\n" "$kind" "$(pct "$OUT/search.txt" 50%)" "$(pct "$OUT/search.txt" 99%)" \
      "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/search.txt")" "$errors"
  done
  local busy_kb; busy_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "RSS after the searches: $(( busy_kb / 1024 )) MB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "# pioneer foundation benchmark ($(date -u +%F), $(nproc) cores)"
run_backend "SQLite" "$OUT/sqlite" "sqlite:$OUT/sqlite/pioneer.sqlite3"

if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  base=${PG_ADMIN%/*}
  if [[ ! -f "$OUT/postgres/generated-$PEOPLE" ]]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_bench WITH (FORCE)" -c "CREATE DATABASE pioneer_bench"
  fi
  mkdir -p "$OUT/postgres"
  run_backend "PostgreSQL" "$OUT/postgres" "$base/pioneer_bench"
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
