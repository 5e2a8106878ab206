#!/usr/bin/env bash
# `pioneer check` at scale: PEOPLE generated people (default 1,000,000) with DOSSIERS
# member-development dossiers (default 200,000), then `pioneer check` (the journal verified,
# every covered row reconciled with its last journaled digest, the invariants) on a cold page
# cache, with its time and peak RSS, beside a plain read of the same covered tables by the
# sqlite3 shell in the same run; then one row edited behind pioneer's back and found.
# SQLite, then PostgreSQL when PIONEER_BENCH_POSTGRES_URL answers (a pioneer_check database is
# made and dropped; the reference there is psql reading the same tables).
# Usage: bench/check.sh [PEOPLE] [DOSSIERS]   (PIONEER_BIN=path skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-1000000}
DOSSIERS=${2:-200000}
OUT=${PIONEER_BENCH_OUT:-bench/out}/check
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
if [[ -z ${PIONEER_BIN:-} ]]; then cargo build --release -p pioneer --locked -q; fi
BIN=$(realpath "${PIONEER_BIN:-target/release/pioneer}")
TABLES="organizations people dossiers dossier_events credit_accounts credit_entries care_benefits care_redemptions meetings departures party_discipline"
RESULT=bench/results/$(date +%F)-check.txt
mkdir -p "$OUT" bench/results

cold() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || echo "(could not drop the page cache: not root?)"; }

timed() { # label, command...: prints seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/$label.out" 2>&1 || true
  read -r secs kb < <(tail -1 "$OUT/time.txt")
  printf '%-44s %8.1f s  %6d MB peak RSS\n' "$label" "$secs" "$((kb / 1024))"
}

run_backend() { # name, data dir, extra args
  local name=$1 dir=$2; shift 2
  echo
  echo "## $name: $PEOPLE people, $DOSSIERS dossiers"
  /usr/bin/time -f "%e" -o "$OUT/gen.txt" "$BIN" --data-dir "$dir" "$@" generate --people "$PEOPLE" --dossiers "$DOSSIERS" >"$OUT/generate.out" 2>&1
  echo "generated in $(cat "$OUT/gen.txt") s"
  cold
  timed "$name: pioneer check (cold cache)" "$BIN" --data-dir "$dir" "$@" check
  tail -1 "$OUT/$name: pioneer check (cold cache).out"
}

{
  echo "# pioneer check at scale ($(date -u +%F), $(nproc) cores)"
  rm -rf "$OUT/sqlite"
  run_backend SQLite "$OUT/sqlite"
  db=$OUT/sqlite/pioneer.sqlite3
  cold
  timed "SQLite: sqlite3 reading the same tables (cold)" bash -c "db=$db; for t in $TABLES; do sqlite3 \$db \"SELECT * FROM \$t\" >/dev/null; done"
  echo "rows: $(for t in $TABLES; do sqlite3 "$db" "SELECT COUNT(*) FROM $t"; done | paste -sd+ | bc) in the covered tables; database $(du -h "$db" | cut -f1) on disk"
  sqlite3 "$db" "UPDATE people SET status = 'full_member' WHERE rowid = (SELECT rowid FROM people WHERE status = 'applicant' LIMIT 1)"
  timed "SQLite: pioneer check after one status edited" "$BIN" --data-dir "$OUT/sqlite" check
  grep -c '^DIFFERENCE' "$OUT/SQLite: pioneer check after one status edited.out" | sed 's/^/differences listed: /'
  if psql "$PG_ADMIN" -qc 'SELECT 1' >/dev/null 2>&1; then
    psql "$PG_ADMIN" -qc 'DROP DATABASE IF EXISTS pioneer_check' -qc 'CREATE DATABASE pioneer_check'
    url=${PG_ADMIN%/*}/pioneer_check
    rm -rf "$OUT/pg"
    run_backend PostgreSQL "$OUT/pg" --database "$url"
    timed "PostgreSQL: psql reading the same tables" bash -c "for t in $TABLES; do psql '$url' -qAtc \"SELECT * FROM \$t\" >/dev/null; done"
    psql "$PG_ADMIN" -qc 'DROP DATABASE IF EXISTS pioneer_check WITH (FORCE)'
  else
    echo "PostgreSQL skipped: $PG_ADMIN does not answer"
  fi
} | tee "$RESULT"
