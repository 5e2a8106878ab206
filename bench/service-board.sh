#!/usr/bin/env bash
# A campaign's board and the statistics at scale (issue 19): a generated deployment of
# PEOPLE people (default 100,000) and one campaign whose RECORDS confirmed service records
# (default 1,000,000: 1,000 requests × 10 shifts × 100 volunteers, spread over the
# enterprises, written straight into the tables), then wrk reads the campaign's board (API
# and page) and the statistics dashboard (whose volunteer-service figures now read those
# tables) as an organisation administrator, beside /healthz in the same run; p50 and p99.
# The first request of each is timed cold (after a restart). On SQLite, then PostgreSQL.
# Usage: bench/service-board.sh [PEOPLE] [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-100000}
RECORDS=${2:-1000000}
REQUESTS=$(( RECORDS / 1000 ))
DURATION=${PIONEER_BENCH_SECONDS:-8}
CONNECTIONS=${PIONEER_BENCH_CONNECTIONS:-8}
OUT=${PIONEER_BENCH_OUT:-bench/out}/service-board
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"

pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.1f", v}' "$1"; }
rate() { awk '/Requests\/sec/ {printf "%.1f", $2}' "$1"; }

# The service records, in SQL: requests copied from the benchmark's one (each accepted by an
# enterprise), 10 shifts each, 100 volunteers on each shift, every record confirmed (3 h).
fill_sql() { # dialect: sqlite | postgres
  local newid seq
  if [[ $1 == sqlite ]]; then newid="randomblob(16)"; else newid="gen_random_uuid()"; fi
  cat <<SQL
CREATE TEMP TABLE seq_r AS SELECT n FROM (WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $REQUESTS) SELECT n FROM s) x;
CREATE TEMP TABLE seq_s AS SELECT n FROM (WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 10) SELECT n FROM s) x;
CREATE TEMP TABLE ent AS SELECT id, path, ROW_NUMBER() OVER (ORDER BY path) - 1 AS k FROM organizations WHERE depth = 1;
CREATE TEMP TABLE pn AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS j FROM people;
CREATE INDEX pn_j ON pn (j);
INSERT INTO service_requests (tenant_id, id, org_id, org_path, requester, requester_kind, contact_name, contact_phone_enc, kind,
  address, district, starts_at, ends_at, quantity, urgency, note, team_id, confirmed_at, confirmed_by, created_at, campaign_id)
SELECT r.tenant_id, $newid, e.id, e.path, '社区' || q.n, r.requester_kind, r.contact_name, r.contact_phone_enc,
  CASE WHEN q.n % 2 = 0 THEN 'meal_delivery' ELSE 'community_shift' END, r.address, r.district,
  '2026-03-01T08:00:00', '2026-03-01T20:00:00', 100, r.urgency, NULL, NULL, 1, 'bench', 1, r.campaign_id
FROM service_requests r CROSS JOIN seq_r q JOIN ent e ON e.k = q.n % (SELECT COUNT(*) FROM ent)
WHERE r.campaign_id IS NOT NULL;
INSERT INTO shifts (tenant_id, id, request_id, starts_at, ends_at, capacity, taken, task, on_shift, minutes_confirmed)
SELECT r.tenant_id, $newid, r.id, '2026-03-01T08:00:00', '2026-03-01T11:00:00', 100, 100, '值守' || q.n, 0, 100 * 180
FROM service_requests r CROSS JOIN seq_s q WHERE r.confirmed_by = 'bench';
CREATE TEMP TABLE sn AS SELECT s.tenant_id, s.id, ROW_NUMBER() OVER (ORDER BY s.id) AS i FROM shifts s
  JOIN service_requests r ON r.tenant_id = s.tenant_id AND r.id = s.request_id WHERE r.confirmed_by = 'bench';
INSERT INTO shift_signups (tenant_id, shift_id, person_id, signed_at, checked_in_at, checked_out_at, minutes, confirmed_at, confirmed_by, evaluation)
SELECT s.tenant_id, s.id, p.id, 1, '2026-03-01T08:00:00', '2026-03-01T11:00:00', 180, 1, 'bench', NULL
FROM sn s JOIN pn p ON p.j > (s.i * 100) % ((SELECT COUNT(*) FROM pn) - 100) AND p.j <= (s.i * 100) % ((SELECT COUNT(*) FROM pn) - 100) + 100;
SQL
}

run_backend() { # name, data dir, database URL, SQL runner
  local name=$1 dir=$2 url=$3 run=$4 port=18476
  echo
  echo "## $name: $PEOPLE people, $RECORDS confirmed service records in one campaign, $CONNECTIONS connections"
  rm -rf "$dir"; mkdir -p "$dir"
  "$BIN" generate --people "$PEOPLE" --seed 42 --data-dir "$dir" --database "$url" \
    --quiz-riders 1 --quiz-file "$dir/riders.tsv" --service-shifts 1 --service-file "$dir/shifts.txt" 2>/dev/null | grep -v planted
  local started=$SECONDS
  fill_sql "$5" | $run
  echo "records written in $(( SECONDS - started )) s: $($run_count "SELECT COUNT(*) FROM shift_signups") sign-ups, $($run_count "SELECT COUNT(*) FROM service_requests") requests"
  # The benchmark's rider becomes the top organisation's administrator (its session already
  # has the second factor).
  $run_count "UPDATE grants SET role = 'org_admin', org_id = (SELECT id FROM organizations WHERE depth = 0 ORDER BY path LIMIT 1) WHERE user_id = (SELECT id FROM users WHERE username = 'bench-rider-0')" >/dev/null
  local token csrf campaign
  token=$(head -1 "$dir/riders.tsv" | cut -f1)
  campaign=$($run_count "SELECT $6 FROM campaigns LIMIT 1")
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" --database "$url" >"$dir/serve.log" 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  local base="http://127.0.0.1:$port" cookie="Cookie: pioneer_session=$token"
  for path in "/api/v1/service/campaigns/$campaign" "/api/v1/stats"; do
    echo "cold first $path: $(curl -s -o "$OUT/first.json" -w '%{http_code} in %{time_total} s' -H "$cookie" "$base$path")"
  done
  grep -o '"minutes":[0-9]*' "$OUT/first.json" | head -1 | sed 's/^/dashboard volunteer-service /'
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base/healthz" > "$OUT/healthz.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$cookie" "$base/api/v1/service/campaigns/$campaign" > "$OUT/board-api.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$cookie" "$base/service/campaigns/$campaign" > "$OUT/board-page.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$cookie" "$base/api/v1/stats" > "$OUT/stats.txt"
  printf "%-22s %10s %10s %10s\n" "" "req/s" "p50 ms" "p99 ms"
  for r in healthz board-api board-page stats; do
    printf "%-22s %10s %10s %10s\n" "$r" "$(rate "$OUT/$r.txt")" "$(pct "$OUT/$r.txt" 50%)" "$(pct "$OUT/$r.txt" 99%)"
  done
  grep -h "Non-2xx" "$OUT"/*.txt || echo "every answer 2xx"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

sqlite_run() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()" "$OUT/sqlite/pioneer.sqlite3"; }
sqlite_count() { python3 -c "import sqlite3,sys,uuid; c=sqlite3.connect(sys.argv[1]); v=c.execute(sys.argv[2]).fetchone(); c.commit(); v=v[0] if v else ''; print(uuid.UUID(bytes=v) if isinstance(v, bytes) else v)" "$OUT/sqlite/pioneer.sqlite3" "$1"; }
pg_run() { psql -q -v ON_ERROR_STOP=1 "${PG_ADMIN%/*}/pioneer_bench_board"; }
pg_count() { psql "${PG_ADMIN%/*}/pioneer_bench_board" -tAc "$1"; }

echo "# pioneer campaign board and statistics with $RECORDS service records ($(date -u +%F), $(nproc) cores; wrk and the server share them)"
if [[ ${PIONEER_BENCH_SKIP_SQLITE:-0} != 1 ]]; then
  run_count=sqlite_count
  run_backend "SQLite" "$OUT/sqlite" "sqlite:$OUT/sqlite/pioneer.sqlite3" sqlite_run sqlite id
fi
if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_bench_board WITH (FORCE)" -c "CREATE DATABASE pioneer_bench_board"
  run_count=pg_count
  run_backend "PostgreSQL" "$OUT/postgres" "${PG_ADMIN%/*}/pioneer_bench_board" pg_run postgres id
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
