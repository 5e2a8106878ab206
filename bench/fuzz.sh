#!/usr/bin/env bash
# Fuzzes the roster import's parser (fuzz/fuzz_targets/roster.rs) with libFuzzer through
# cargo-fuzz for SECONDS (default 600) and prints the executions and crashes.
# The toolchain is stable; cargo-fuzz's nightly flags are allowed with RUSTC_BOOTSTRAP.
# Usage: bench/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p fuzz/corpus/roster
cp -n fuzz/seeds/* fuzz/corpus/roster/ 2>/dev/null || true
cd fuzz
export RUSTC_BOOTSTRAP=1
cargo fuzz build roster -O 2>&1 | tail -1
log=$(mktemp)
set +e
cargo fuzz run roster -O -- -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=512 -timeout=10 \
  -print_final_stats=1 > "$log" 2>&1
status=$?
set -e
runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
echo "# roster parser fuzzing ($(date -u +%F), ${SECONDS_TO_RUN} s)"
echo "executions: $runs"
grep -E 'stat::(average_exec_per_sec|peak_rss_mb)' "$log" || true
crashes=$(ls artifacts/roster 2>/dev/null | wc -l)
echo "crashes, timeouts and out-of-memory inputs kept: $crashes (exit status $status)"
tail -3 "$log"
