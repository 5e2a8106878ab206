#!/usr/bin/env bash
# Member-development figures: rule-engine throughput in memory on one core; then
# `pioneer generate --dossiers N` (realistic histories, 10% with one planted fault) and
# `pioneer screen` end to end beside a raw scan of the same rows, on SQLite and PostgreSQL,
# with the faults found compared to the faults planted, rule by rule.
# Usage: bench/dossiers.sh [DOSSIERS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=${PIONEER_BENCH_OUT:-bench/out}
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release --locked -q -p pioneer
cargo build --release --locked -q -p pioneer-demo --example engine_throughput
BIN=target/release/pioneer
mkdir -p "$OUT"

echo "# pioneer member-development benchmark ($(date -u +%F), $(nproc) cores, $N dossiers)"
echo
echo "## rule engine in memory, one core"
target/release/examples/engine_throughput "$N" 5 | grep -v '^  '

compare() { # generate output, screen JSON: planted vs found per rule
  python3 - "$1" "$2" <<'PY'
import json, re, sys
planted = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s+planted (\S+)\s+(\d+)", line)
    if m:
        planted[m.group(1)] = int(m.group(2))
report = json.load(open(sys.argv[2], encoding="utf-8"))
found = {g["check"]["code"]: g["count"] for g in report["groups"]}
bad = {k: (planted.get(k, 0), found.get(k, 0)) for k in set(planted) | set(found) if planted.get(k, 0) != found.get(k, 0)}
print(f"faults planted {sum(planted.values())}, dossiers found with findings {sum(found.values())} "
      f"in {len(found)} rules; equal rule by rule: {'yes' if not bad else 'NO ' + str(bad)}")
PY
}

run_backend() { # name, data dir, database URL
  local name=$1 dir=$2 url=$3
  echo
  echo "## $name"
  if [[ ! -f "$dir/generated-$N" ]]; then
    /usr/bin/time -f "%e s, peak RSS %M KB" -o "$dir/gen.time" \
      "$BIN" generate --people "$N" --dossiers "$N" --seed 42 --data-dir "$dir" --database "$url" 2>/dev/null > "$dir/generate.txt"
    grep -v '^  planted' "$dir/generate.txt"
    echo "generation: $(cat "$dir/gen.time")"
    touch "$dir/generated-$N"
  fi
  for run in 1 2 3; do
    /usr/bin/time -f "%e s wall, peak RSS %M KB" -o "$dir/screen.time" \
      "$BIN" screen --format json --compare-scan --data-dir "$dir" --database "$url" > "$dir/screen.json" 2> "$dir/screen.err"
    echo "run $run: $(grep -h 'screening took' "$dir/screen.err"); $(grep -h 'raw scan' "$dir/screen.err"); process $(cat "$dir/screen.time")"
  done
  compare "$dir/generate.txt" "$dir/screen.json"
}

mkdir -p "$OUT/dossiers-sqlite"
run_backend "SQLite" "$OUT/dossiers-sqlite" "sqlite:$OUT/dossiers-sqlite/pioneer.sqlite3"

if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  base=${PG_ADMIN%/*}
  if [[ ! -f "$OUT/dossiers-postgres/generated-$N" ]]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS pioneer_dossier_bench WITH (FORCE)" -c "CREATE DATABASE pioneer_dossier_bench"
  fi
  mkdir -p "$OUT/dossiers-postgres"
  run_backend "PostgreSQL" "$OUT/dossiers-postgres" "$base/pioneer_dossier_bench"
else
  echo; echo "PostgreSQL: skipped (not answering, or PIONEER_BENCH_SKIP_POSTGRES=1)"
fi
