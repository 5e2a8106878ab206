#!/usr/bin/env bash
# Roster figures: generated people (PEOPLE, default 1,000,000, exported to CSV; and 100,000
# exported to xlsx) written out with `pioneer export roster` and read back with
# `pioneer import roster` into the same database (every row matched, none changed) and,
# for the CSV, into the same organisations without people (every row new), each with its
# time and peak RSS; then the CSV downloaded through the web with the server's peak RSS.
# SQLite. Usage: bench/import.sh [PEOPLE] [download|new-xlsx]  (only that step)
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

# A roster again (people, format), into a copy of the same deployment with its
# organisations but no people: every row is new (the first import of a roster).
into_empty() {
  local n=$1 format=${2:-csv} dir="$OUT/db-$1-empty"
  if [[ ! -f "$OUT/empty-$n.sqlite3" ]]; then
    python3 - "$OUT/db-$n/pioneer.sqlite3" "$OUT/empty-$n.sqlite3" <<'PY'
import shutil, sqlite3, sys
src = sqlite3.connect(sys.argv[1]); src.execute("PRAGMA wal_checkpoint(TRUNCATE)"); src.close()
shutil.copy(sys.argv[1], sys.argv[2])
db = sqlite3.connect(sys.argv[2])
db.execute("DELETE FROM departures"); db.execute("DELETE FROM people"); db.commit(); db.execute("VACUUM"); db.close()
PY
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$OUT/empty-$n.sqlite3" "$dir/pioneer.sqlite3"; cp "$OUT/db-$n/pioneer.key" "$dir/"
  measure "import $n rows ($format), all new" "$BIN" import roster "$OUT/roster-$n.$format" --data-dir "$dir"
}

# The same roster downloaded through the web (/people/roster?format=csv, streamed), with the
# server's peak RSS before and after; and the xlsx, refused above 50,000 people.
download() {
  local n=$1 dir="$OUT/db-$1" port=18477
  local user="roster$(date +%s)"
  local one_time; one_time=$("$BIN" user add --username "$user" --role organiser --data-dir "$dir" 2>/dev/null | sed -n 's/.*first login): //p')
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" >/dev/null 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  local base="http://127.0.0.1:$port" cookie; cookie=$(python3 bench/session.py "$base" "$user" "$one_time")
  local org; org=$(curl -s -H "Cookie: $cookie" "$base/api/v1/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['organization']['id'])")
  local before=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  local secs; secs=$(curl -s -o "$OUT/download.csv" -w '%{time_total}' -H "Cookie: $cookie" "$base/people/roster?org=$org&format=csv")
  local peak=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  local xlsx; xlsx=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/people/roster?org=$org")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf "%-44s %8.2f s %8s MB   %s lines; server peak RSS %s MB before; xlsx: HTTP %s\n" "download $n people (csv, web)" "$secs" "$peak" \
    "$(wc -l < "$OUT/download.csv")" "$before" "$xlsx"
}

if [[ "${2:-}" == download ]]; then download "$PEOPLE"; exit; fi
if [[ "${2:-}" == new-xlsx ]]; then into_empty 100000 xlsx; exit; fi
echo "# pioneer roster import and export ($(date -u +%F), $(nproc) cores, SQLite)"
printf "%-44s %10s %11s\n" "" "time" "peak RSS"
run 100000 xlsx
into_empty 100000 xlsx
run "$PEOPLE" csv
into_empty "$PEOPLE" csv
download "$PEOPLE"
echo "goals: a 100,000-row xlsx ≤ 10 s; a 1,000,000-row CSV ≤ 20 s and ≤ 300 MB peak RSS"
