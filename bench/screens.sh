#!/usr/bin/env bash
# Screens: the demo deployment as its users see it, in real Chromium. Every demo account's
# pages (home, its tab bar, its "more" page and what they link to), whole-page screenshots at
# 390x844 and 1440x900 with an index.html; then, on a cold cache with the DevTools Slow 3G
# profile, the compressed weight and the time until interactive and loaded of the rider's
# home, quiz and credits pages and the organiser's dossiers and statistics pages, and the
# header's height at 390x844. Usage: bench/screens.sh [OUTDIR] (default bench/out/screens)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-${PIONEER_BENCH_OUT:-bench/out}/screens}
command -v chromedriver >/dev/null || { echo "needs chromium and chromedriver: apt-get install chromium chromium-driver fonts-wqy-microhei"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
DATA=$(mktemp -d)
port=18490
PIONEER_LOG=warn "$BIN" serve --demo --listen "127.0.0.1:$port" --data-dir "$DATA" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.1; done
rm -rf "$OUT"; mkdir -p "$OUT"
python3 bench/screens.py "http://127.0.0.1:$port" "$OUT" both
