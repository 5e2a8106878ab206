#!/usr/bin/env bash
# pioneer on a three-node Citus cluster beside plain PostgreSQL (issue 18). On one machine a
# cluster cannot be faster than one server: this measures that it gives the same answers and
# what the routing costs.
#   part 1 (routing): PEOPLE generated people of one tenant (default 100,000) with RIDERS
#     signed-in riders (default 40,000); the weekly-quiz burst (riders fetching, then
#     submitting) with wrk, and the root's dashboard (/api/v1/stats, one connection), each
#     beside /healthz of the same server in the same run; plain PostgreSQL, then Citus.
#   part 2 (scale): TENANTS working committees of PER people and PER dossiers each (default
#     10 x 100,000 = 1,000,000) generated on plain PostgreSQL, the tables screening reads
#     (organisations, people, dossiers, settings) copied into the cluster with COPY; the shard
#     spread over the two workers, table sizes per 1,000,000 people, and three screenings of
#     every dossier of every tenant on each.
# Usage: bench/citus.sh [PEOPLE] [RIDERS] [TENANTS] [PER]. Needs wrk, curl, psql.
# PIONEER_BENCH_PARTS=1 or 2 runs one part; PIONEER_BENCH_REUSE=1 reuses part 2's databases of an
# earlier run. The cluster: ../shared/vendor/citus/citus-ci.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-100000}
RIDERS=${2:-40000}
TENANTS=${3:-10}
PER=${4:-100000}
PARTS=${PIONEER_BENCH_PARTS:-12}
DURATION=${PIONEER_BENCH_SECONDS:-8}
SUBMIT_SECONDS=${PIONEER_BENCH_SUBMIT_SECONDS:-4}
OUT=${PIONEER_BENCH_OUT:-bench/out}/citus
PG=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
CITUS_SCRIPT=${CITUS_SCRIPT:-../shared/vendor/citus/citus-ci.sh}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"
AS_OF=$(date -u +%F)

pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.2f", v}' "$1"; }
rate() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
errors() {
  local bad sock
  bad=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$1" | grep -Eo '[0-9]+$' || echo 0)
  sock=$(awk '/Socket errors:/ {for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i} END {print n + 0}' "$1")
  echo $(( bad + ${sock:-0} ))
}
row() { printf "%-34s %9s %9s %9s %7s\n" "$@"; }

# A fresh database NAME on plain PostgreSQL, and on the cluster (created on every node with
# the extension and the workers registered, by the cluster script); prints its URL.
fresh_pg() { psql "$PG" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null; echo "${PG%/*}/$1"; }
fresh_citus() {
  for port in 55432 55433 55434; do
    psql -h 127.0.0.1 -p $port -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
  done
  CITUS_DB=$1 bash "$CITUS_SCRIPT" start 2>/dev/null | tail -1
}

echo "# pioneer on Citus beside plain PostgreSQL ($(date -u +%F), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; the three Citus nodes, PostgreSQL, wrk and the server share them)"
bash "$CITUS_SCRIPT" start >/dev/null 2>&1

routing() { # name, URL
  local name=$1 url=$2 dir="$OUT/routing-$1" port=18478
  echo; echo "## part 1, $name: $PEOPLE people of one tenant, $RIDERS riders"
  rm -rf "$dir"; mkdir -p "$dir"
  /usr/bin/time -f "%e s" -o "$dir/gen.time" "$BIN" generate --people "$PEOPLE" --seed 42 --data-dir "$dir" --database "$url" \
    --quiz-riders "$RIDERS" --quiz-file "$dir/riders.tsv" >/dev/null 2>&1
  echo "generation: $(cat "$dir/gen.time")"
  local user="stats$(date +%s)"
  local one_time; one_time=$("$BIN" user add --username "$user" --role organiser --data-dir "$dir" --database "$url" 2>/dev/null | sed -n 's/.*first login): //p')
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" --database "$url" >"$dir/serve.log" 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  local base="http://127.0.0.1:$port"
  local cookie; cookie=$(python3 bench/session.py "$base" "$user" "$one_time")
  curl -s -o /dev/null -H "Cookie: $cookie" "$base/api/v1/stats?since=2016"
  wrk -t2 -c64 -d"${DURATION}s" --latency "$base/healthz" > "$dir/healthz64.txt"
  wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/wrk-quiz.lua "$base" -- "$dir/riders.tsv" 2 fetch > "$dir/fetch.txt"
  wrk -t2 -c64 -d"${SUBMIT_SECONDS}s" --latency -s bench/wrk-quiz.lua "$base" -- "$dir/riders.tsv" 2 submit > "$dir/submit.txt"
  wrk -t1 -c1 -d"${DURATION}s" --latency "$base/healthz" > "$dir/healthz1.txt"
  wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: $cookie" "$base/api/v1/stats?since=2016" > "$dir/stats.txt"
  row "" "req/s" "p50 ms" "p99 ms" "errors"
  row "/healthz (64 connections)" "$(rate "$dir/healthz64.txt")" "$(pct "$dir/healthz64.txt" 50%)" "$(pct "$dir/healthz64.txt" 99%)" "$(errors "$dir/healthz64.txt")"
  row "quiz fetch (64 connections)" "$(rate "$dir/fetch.txt")" "$(pct "$dir/fetch.txt" 50%)" "$(pct "$dir/fetch.txt" 99%)" "$(errors "$dir/fetch.txt")"
  row "quiz submit (64 connections)" "$(rate "$dir/submit.txt")" "$(pct "$dir/submit.txt" 50%)" "$(pct "$dir/submit.txt" 99%)" "$(errors "$dir/submit.txt")"
  row "/healthz (1 connection)" "$(rate "$dir/healthz1.txt")" "$(pct "$dir/healthz1.txt" 50%)" "$(pct "$dir/healthz1.txt" 99%)" "$(errors "$dir/healthz1.txt")"
  row "dashboard /api/v1/stats (1 conn.)" "$(rate "$dir/stats.txt")" "$(pct "$dir/stats.txt" 50%)" "$(pct "$dir/stats.txt" 99%)" "$(errors "$dir/stats.txt")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "attempts submitted: $(psql "$url" -tAc "SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL"), quiz credit entries: $(psql "$url" -tAc "SELECT COUNT(*) FROM credit_entries WHERE idempotency_key LIKE 'quiz-%'")"
  "$BIN" journal verify --data-dir "$dir" --database "$url" 2>&1 | tail -1
}

if [[ $PARTS == *1* ]]; then
  routing "PostgreSQL" "$(fresh_pg pioneer_bench_routing)"
  routing "Citus" "$(fresh_citus pioneer_bench_routing)"
fi

screen3() { # name, data dir, URL
  for run in 1 2 3; do
    /usr/bin/time -f "%e s wall, peak RSS %M KB" -o "$OUT/screen.time" \
      "$BIN" screen --compare-scan --as-of "$AS_OF" --format json --data-dir "$2" --database "$3" > "$OUT/screen-$1-$run.json" 2> "$OUT/screen-$1-$run.err" || true
    echo "$1 run $run: $(grep -h 'screening took' "$OUT/screen-$1-$run.err"); $(grep -h 'raw scan' "$OUT/screen-$1-$run.err"); process $(cat "$OUT/screen.time")"
  done
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  dossiers', d['dossiers'], '| with violations', d['with_violations'], '| rules', len(d['groups']))" "$OUT/screen-$1-3.json" 2>/dev/null || true
}

if [[ $PARTS == *2* ]]; then
  echo; echo "## part 2: $TENANTS tenants x $PER people and dossiers, generated on plain PostgreSQL"
  dir="$OUT/scale"
  if [[ ${PIONEER_BENCH_REUSE:-0} == 1 && -f "$dir/pioneer.key" ]]; then
    # The databases of an earlier run, as they are (each opened once, so a newer binary's
    # migrations are applied before anything is timed).
    P="${PG%/*}/pioneer_bench_scale"; C="postgresql://postgres@127.0.0.1:55432/pioneer_bench_scale"
    echo "reusing the generated databases of an earlier run"
  else
    rm -rf "$dir"; mkdir -p "$dir"
    P=$(fresh_pg pioneer_bench_scale)
    start=$SECONDS
    for seed in $(seq 1 "$TENANTS"); do
      "$BIN" generate --people "$PER" --dossiers "$PER" --seed "$seed" --data-dir "$dir" --database "$P" >/dev/null 2>&1
    done
    echo "generation: $(( SECONDS - start )) s"
    C=$(fresh_citus pioneer_bench_scale)
    "$BIN" journal verify --data-dir "$dir" --database "$C" >/dev/null 2>&1 # migrates, under the same keys
    start=$SECONDS
    psql "$P" -qAtc "COPY (SELECT * FROM meta WHERE key <> 'key_check') TO STDOUT" | psql "$C" -qc "COPY meta FROM STDIN"
    for t in organizations people dossiers dev_settings; do
      psql "$P" -qc "COPY $t TO STDOUT" | psql "$C" -qc "COPY $t FROM STDIN"
    done
    psql "$C" -qc "ANALYZE"
    echo "copied organizations, people, dossiers and settings into the cluster in $(( SECONDS - start )) s"
  fi
  for url in "$P" "$C"; do "$BIN" journal verify --data-dir "$dir" --database "$url" >/dev/null 2>&1; done
  psql "$P" -qc "ANALYZE"; psql "$C" -qc "ANALYZE"
  echo; echo "### shard spread (Citus: 32 shards per table, two workers)"
  psql "$C" -c "SELECT nodename || ':' || nodeport AS worker, COUNT(*) AS shards, pg_size_pretty(SUM(shard_size)) AS size
                FROM citus_shards WHERE citus_table_type = 'distributed' GROUP BY 1 ORDER BY 1"
  psql "$C" -c "SELECT p.nodename || ':' || p.nodeport AS worker, COUNT(*) AS tenants, SUM(t.people) AS people
                FROM (SELECT tenant_id, COUNT(*) AS people FROM people GROUP BY tenant_id) t
                JOIN pg_dist_shard_placement p ON p.shardid = get_shard_id_for_distribution_column('people', t.tenant_id)
                GROUP BY 1 ORDER BY 1"
  echo "### sizes on plain PostgreSQL per 1,000,000 people (tables with their indexes)"
  psql "$P" -c "SELECT relname AS table, pg_size_pretty((pg_total_relation_size(c.oid) * 1000000.0 / (SELECT COUNT(*) FROM people))::bigint) AS per_million
                FROM pg_class c WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND pg_total_relation_size(c.oid) > 65536
                ORDER BY pg_total_relation_size(c.oid) DESC"
  echo "### screening every dossier of every tenant, as of $AS_OF (three runs each)"
  screen3 PostgreSQL "$dir" "$P"
  screen3 Citus "$dir" "$C"
fi
