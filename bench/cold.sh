#!/usr/bin/env bash
# Long reads beside the storage's own speed, on SQLite at PEOPLE people with as many
# dossiers (default 1,000,000 each): `pioneer screen` beside the sqlite3 shell reading the same
# dossier rows, and `pioneer export roster` (CSV) beside the shell dumping the same people's
# columns as CSV (no decryption, no organisation labels). Each pair measured with the page
# cache dropped before every command (cold; needs root) and again warm.
# Usage: bench/cold.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-1000000}
OUT=${PIONEER_BENCH_OUT:-bench/out}/cold
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install sqlite3"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"
dir=$OUT/db-$PEOPLE
if [[ ! -f "$dir/generated" ]]; then
  rm -rf "$dir"; mkdir -p "$dir"
  "$BIN" generate --people "$PEOPLE" --dossiers "$PEOPLE" --seed 42 --data-dir "$dir" >/dev/null 2>&1
  sqlite3 "$dir/pioneer.sqlite3" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  touch "$dir/generated"
fi
db=$dir/pioneer.sqlite3
dossier_sql="SELECT id, org_id, org_path, birth_date, mobile, encoded FROM dossiers ORDER BY id;"
people_sql="SELECT p.name, p.id_card_enc, p.gender, p.birth_date, p.ethnicity, p.education, p.worker_category, p.phone_enc, o.name,
  p.status, p.applied_on, p.activist_on, p.target_on, p.admitted_on, p.full_member_on, p.is_mobile, p.home_organization,
  p.employer, p.station, p.is_backbone, p.is_key_position
  FROM people p JOIN organizations o ON o.id = p.org_id ORDER BY p.org_path, p.id;"

drop() { # empties the page cache when allowed; prints the state the next command starts in
  sync
  if [[ $1 == cold ]] && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then echo cold; else cat "$db" > /dev/null; echo warm; fi
}

measure() { # label, command...: prints a line, leaves the seconds in $OUT/last
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/stdout" 2> "$OUT/stderr" || { cat "$OUT/stderr"; exit 1; }
  read -r secs kb < "$OUT/time"
  printf "%-46s %8s s %8s MB\n" "$label" "$secs" "$(( kb / 1024 ))"
  echo "$secs" > "$OUT/last"
}
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

echo "# pioneer long reads beside the sqlite3 shell ($(date -u +%F), $(nproc) cores, SQLite, $PEOPLE people and dossiers)"
printf "%-46s %10s %11s\n" "" "time" "peak RSS"
for mode in cold warm; do
  state=$(drop "$mode")
  measure "sqlite3: read the dossier rows ($state)" sqlite3 "$db" ".once /dev/null" "$dossier_sql"
  ref=$(cat "$OUT/last")
  state=$(drop "$mode")
  measure "pioneer screen ($state)" "$BIN" screen --format json --data-dir "$dir"
  echo "  screen / shell read = $(ratio "$(cat "$OUT/last")" "$ref") (goal: ≤ 2, and ≤ 10 s cold)"
  state=$(drop "$mode")
  measure "sqlite3 -csv: dump the roster's columns ($state)" sqlite3 -csv "$db" ".once $OUT/dump.csv" "$people_sql"
  ref=$(cat "$OUT/last")
  state=$(drop "$mode")
  measure "pioneer export roster, CSV ($state)" "$BIN" export roster --output "$OUT/roster.csv" --data-dir "$dir"
  echo "  export / shell dump = $(ratio "$(cat "$OUT/last")" "$ref") (goal ≤ 3); rows $(( $(wc -l < "$OUT/roster.csv") - 1 )) exported, $(wc -l < "$OUT/dump.csv") dumped"
done
