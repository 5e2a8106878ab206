#!/usr/bin/env bash
# Branch housekeeping at scale (issue 22): PEOPLE generated people (default 1,000,000) with
# party dues for MONTHS months (default 11: a profile for every member and a payment for each
# closed month; one member in fifty stopped paying, one in a hundred paid a month late), then
#  - the monthly dues run of the whole committee (`pioneer dues`: every member's amount by the
#    rules, arrears, AUD-31) on a cold page cache when it can be dropped (root), then warm,
#    with peak RSS, beside a plain read of the same rows by the database's own shell (sqlite3 /
#    psql: the members, their profiles, their payments summed by month, excused months);
#  - an HR reconciliation of a STAFF-row staff list (default 100,000 people of the committee,
#    CSV; one in a hundred left, one in a hundred new hires who say they are members) against
#    them (`pioneer staff`: a dry run, then applied, then the same file again): time and RSS.
# On SQLite, then PostgreSQL (database pioneer_bench_house, kept). PIONEER_BENCH_REUSE=1 runs
# again on the deployments generated before. Usage: bench/housekeeping.sh [PEOPLE] [MONTHS] [STAFF]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-1000000}
MONTHS=${2:-11}
STAFF=${3:-100000}
OUT=${PIONEER_BENCH_OUT:-bench/out}/housekeeping
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release --locked -q
BIN=$PWD/target/release/pioneer
mkdir -p "$OUT"

cold() { # drops the page cache when allowed
  sync
  if [[ -w /proc/sys/vm/drop_caches ]]; then echo 3 > /proc/sys/vm/drop_caches; echo "(page cache dropped)"; else echo "(page cache not dropped: not root)"; fi
}
timed() { # label, command...: wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > "$OUT/last.txt"
  read -r secs kb < "$OUT/time.txt"
  printf '%-44s %8.2f s %8d MB\n' "$label" "$secs" $((kb / 1024))
}

SCAN_SQL="SELECT COUNT(*), SUM(LENGTH(p.name)) FROM people p LEFT JOIN departures d ON d.tenant_id = p.tenant_id AND d.person_id = p.id WHERE p.status IN ('probationary_member', 'full_member') AND d.person_id IS NULL;
SELECT COUNT(*), SUM(x.base_fen) FROM dues_profiles x JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id;
SELECT COUNT(*), SUM(s) FROM (SELECT x.person_id, x.month, SUM(x.amount_fen) AS s, MAX(x.paid_on) AS m FROM dues_payments x JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id GROUP BY x.person_id, x.month) g;
SELECT COUNT(*) FROM dues_excusals;"

run_backend() { # name, data dir, database URL, scan command
  local name=$1 dir=$2 url=$3 scan=$4
  echo
  echo "## $name: $PEOPLE people, dues for $MONTHS months, a staff list of $STAFF"
  local started=$SECONDS
  if [[ ${PIONEER_BENCH_REUSE:-0} == 1 && -s "$dir/generate.txt" ]]; then
    echo "(reusing the deployment generated before)"; cat "$dir/generate.txt"
  else
    rm -rf "$dir"; mkdir -p "$dir"
    "$BIN" generate --people "$PEOPLE" --seed 42 --data-dir "$dir" --database "$url" \
      --dues-months "$MONTHS" --staff-rows "$STAFF" --staff-file "$dir/staff.csv" 2>/dev/null | tee "$dir/generate.txt"
    echo "generated in $(( SECONDS - started )) s"
  fi
  local lines; lines=$(( $(wc -l < "$dir/staff.csv") - 1 ))
  if (( lines > STAFF )); then # a list written before it counted its new hires in
    { head -n $(( STAFF - STAFF / 100 + 1 )) "$dir/staff.csv"; tail -n $(( STAFF / 100 )) "$dir/staff.csv"; } > "$dir/staff.tmp"
    mv "$dir/staff.tmp" "$dir/staff.csv"
  fi
  local root
  root=$(sed -n 's/^wrote a staff list of [0-9]* people of \(.*\) to .*/\1/p' "$dir/generate.txt")
  cold
  timed "dues run, cold" "$BIN" dues --org "$root" --data-dir "$dir" --database "$url"
  grep -E 'members|flagged|dues run' "$OUT/last.txt" | sed 's/^/    /'
  timed "dues run, warm" "$BIN" dues --org "$root" --data-dir "$dir" --database "$url"
  cold
  timed "plain read of the same rows ($name shell), cold" bash -c "$scan"
  timed "plain read of the same rows ($name shell), warm" bash -c "$scan"
  timed "staff list: dry run" "$BIN" staff --org "$root" --file "$dir/staff.csv" --data-dir "$dir" --database "$url"
  sed 's/^/    /' "$OUT/last.txt"
  timed "staff list: applied" "$BIN" staff --org "$root" --file "$dir/staff.csv" --apply --data-dir "$dir" --database "$url"
  grep -E 'to-dos|reconciled' "$OUT/last.txt" | sed 's/^/    /'
  timed "staff list: the same file again" "$BIN" staff --org "$root" --file "$dir/staff.csv" --apply --data-dir "$dir" --database "$url"
  grep -E 'same file|reconciled' "$OUT/last.txt" | sed 's/^/    /'
}

echo "# pioneer branch housekeeping: dues run and staff-list reconciliation ($(date -u +%F), $(nproc) cores)"
if [[ ${PIONEER_BENCH_SKIP_SQLITE:-0} != 1 ]]; then
  db="$(realpath -m "$OUT/sqlite/pioneer.sqlite3")"
  run_backend SQLite "$OUT/sqlite" "sqlite:$db" "sqlite3 '$db' \"$SCAN_SQL\" > /dev/null"
fi
if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  pg="${PG_ADMIN%/*}/pioneer_bench_house"
  if [[ ${PIONEER_BENCH_REUSE:-0} != 1 ]] || ! psql "$pg" -qc "SELECT 1" >/dev/null 2>&1; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_bench_house WITH (FORCE)" -c "CREATE DATABASE pioneer_bench_house"
    rm -f "$OUT/postgres/generate.txt"
  fi
  run_backend PostgreSQL "$OUT/postgres" "$pg" "psql '$pg' -q -c \"$SCAN_SQL\" > /dev/null"
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
