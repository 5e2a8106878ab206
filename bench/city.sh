#!/usr/bin/env bash
# The city side at scale (issue 20): a generated deployment with PLACES places on the map
# (default 5,000) and ENTRIES phone-directory entries (default 100,000), served with no
# public read limit; then
#  - the public map page: its bytes (gzip) and, in Chromium at 390x844 on the DevTools
#    "Slow 3G" profile with a cold cache, the time until it is interactive and loaded;
#  - directory searches (name fragments, a category, a district; no account) under wrk:
#    p50 and p99, the first one timed cold after a restart;
#  - the badge verification page under a burst (wrk), beside /healthz in the same run.
# On SQLite, then PostgreSQL. Usage: bench/city.sh [PLACES] [ENTRIES]
set -euo pipefail
cd "$(dirname "$0")/.."
PLACES=${1:-5000}
ENTRIES=${2:-100000}
DURATION=${PIONEER_BENCH_SECONDS:-8}
CONNECTIONS=${PIONEER_BENCH_CONNECTIONS:-16}
OUT=${PIONEER_BENCH_OUT:-bench/out}/city
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"

pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.1f", v}' "$1"; }
rate() { awk '/Requests\/sec/ {printf "%.1f", $2}' "$1"; }

cat > "$OUT/search.lua" <<'LUA'
-- Directory searches a citizen makes: a name fragment, a category, a district, both.
local q = { "q=%E5%8E%8B%E6%B5%8B%E5%8C%BB%E9%99%A2", "q=000123", "category=hospital", "district=%E5%8D%97%E5%B1%B1%E5%8C%BA",
  "category=station&district=%E7%A6%8F%E7%94%B0%E5%8C%BA", "q=%E7%83%AD%E7%BA%BF&district=%E7%BD%97%E6%B9%96%E5%8C%BA" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", wrk.path .. "?" .. q[(i % #q) + 1])
end
LUA

run_backend() { # name, data dir, database URL
  local name=$1 dir=$2 url=$3 port=18477
  echo
  echo "## $name: $PLACES map places, $ENTRIES directory entries, $CONNECTIONS connections"
  rm -rf "$dir"; mkdir -p "$dir"
  local started=$SECONDS
  "$BIN" generate --people 20000 --seed 42 --data-dir "$dir" --database "$url" \
    --city-places "$PLACES" --directory-entries "$ENTRIES" 2>/dev/null | grep -v planted | tee "$dir/generate.txt"
  echo "generated in $(( SECONDS - started )) s"
  local code
  code=$(awk '/verification code:/ {print $3}' "$dir/generate.txt")
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" --database "$url" --public-rate 0 >"$dir/serve.log" 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  local base="http://127.0.0.1:$port" t
  t=$(curl -s "$base/portal" | grep -o 'href="/portal/[0-9a-f-]*"' | head -1 | sed 's|href="/portal/||; s|"||')
  echo "cold first directory search: $(curl -s -o /dev/null -w '%{http_code} in %{time_total} s' "$base/portal/$t/directory?q=000123")"
  echo "cold first map page: $(curl -s -o /dev/null -w '%{http_code} in %{time_total} s' "$base/portal/$t/map")"
  local raw gz
  raw=$(curl -s "$base/portal/$t/map" | wc -c)
  gz=$(curl -s -H 'Accept-Encoding: gzip' "$base/portal/$t/map" | wc -c)
  echo "map page: $raw bytes, $gz bytes gzip ($(curl -s "$base/portal/$t/map" | grep -o '<circle' | wc -l) places drawn)"
  if command -v chromedriver >/dev/null; then
    PIONEER_TIMED="-=/portal/$t/map,/portal/$t/directory" python3 bench/screens.py "$base" "$OUT/shots" timings || true
  fi
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$OUT/search.lua" "$base/portal/$t/directory" > "$OUT/search.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$OUT/search.lua" "$base/api/v1/portal/$t/directory" > "$OUT/search-api.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base/v/$code" > "$OUT/verify.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base/healthz" > "$OUT/healthz.txt"
  printf '%-32s %10s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms"
  for f in search search-api verify healthz; do
    printf '%-32s %10s %9s %9s\n' "$f" "$(rate "$OUT/$f.txt")" "$(pct "$OUT/$f.txt" 50%)" "$(pct "$OUT/$f.txt" 99%)"
  done
  grep -h "Non-2xx" "$OUT"/*.txt || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "# pioneer city side: map, directory, verification ($(date -u +%F), $(nproc) cores; wrk, Chromium and the server share them)"
if [[ ${PIONEER_BENCH_SKIP_SQLITE:-0} != 1 ]]; then
  run_backend SQLite "$OUT/sqlite" "sqlite:$OUT/sqlite/pioneer.sqlite3"
fi
if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_bench_city WITH (FORCE)" -c "CREATE DATABASE pioneer_bench_city"
  run_backend PostgreSQL "$OUT/postgres" "${PG_ADMIN%/*}/pioneer_bench_city"
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
