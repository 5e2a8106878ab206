#!/usr/bin/env bash
# Import of existing dossiers through the real path (bench/faulty_import.py): a release
# server on a fresh SQLite demo deployment, DOSSIERS dossiers (default 10,000) of the
# fixture's fault patterns imported by the API twin of the import page (dry run, then the
# import, file by file), then screened. Usage: bench/faulty-import.sh [DOSSIERS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
OUT=${PIONEER_BENCH_OUT:-bench/out}/faulty-import
cargo build --release --locked -q
BIN=target/release/pioneer
rm -rf "$OUT"; mkdir -p "$OUT"
PORT=18479
PIONEER_LOG=warn "$BIN" serve --demo --listen "127.0.0.1:$PORT" --data-dir "$OUT" > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
python3 bench/faulty_import.py "http://127.0.0.1:$PORT" "$N"
echo "server peak RSS: $(( $(grep VmHWM /proc/$PID/status | awk '{print $2}') / 1024 )) MB"
