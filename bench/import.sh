#!/usr/bin/env bash
# Roster figures: generated people (PEOPLE, default 1,000,000, exported to CSV; and 100,000
# exported to xlsx) written out with `pioneer export roster` and read back with
# `pioneer import roster` into the same database (every row matched, none changed), each
# with its time and peak RSS. SQLite. Usage: bench/import.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-1000000}
OUT=${PIONEER_BENCH_OUT:-bench/out}/import
cargo build --release --locked -q
BIN=target/release/pioneer
mkdir -p "$OUT"

measure() { # label, then the command
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/stdout" 2> "$OUT/stderr" || { cat "$OUT/stderr"; exit 1; }
  read -r secs kb < "$OUT/time"
  printf "%-44s %8s s %8s MB   %s\n" "$label" "$secs" "$(( kb / 1024 ))" "$(tail -1 "$OUT/stdout")"
}

run() { # people, format
  local n=$1 format=$2 dir="$OUT/db-$1"
  if [[ ! -f "$dir/generated" ]]; then
    rm -rf "$dir"; mkdir -p "$dir"
    "$BIN" generate --people "$n" --seed 42 --data-dir "$dir" >/dev/null 2>&1
    touch "$dir/generated"
  fi
  local file="$OUT/roster-$n.$format"
  measure "export $n people ($format)" "$BIN" export roster --output "$file" --data-dir "$dir"
  measure "import $n rows ($format), all unchanged" "$BIN" import roster "$file" --data-dir "$dir"
}

echo "# pioneer roster import and export ($(date -u +%F), $(nproc) cores, SQLite)"
printf "%-44s %10s %11s\n" "" "time" "peak RSS"
run 100000 xlsx
run "$PEOPLE" csv
echo "goals: a 100,000-row xlsx ≤ 10 s; a 1,000,000-row CSV ≤ 20 s and ≤ 300 MB peak RSS"
