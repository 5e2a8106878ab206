#!/usr/bin/env bash
# Accounts figures: Argon2id parameters, sign-in latency (which is one Argon2id check)
# beside /healthz, the guesses the lockout allows, and the access matrix's size.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${PIONEER_BENCH_SECONDS:-10}
OUT=bench/out/auth
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
cargo build --release --locked -q
BIN=target/release/pioneer
rm -rf "$OUT"; mkdir -p "$OUT"
pct() { awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; printf "%.2f", v}' "$1"; }

echo "# pioneer accounts benchmark ($(date -u +%F), $(nproc) cores)"
echo "Argon2id: m = 19456 KiB, t = 2, p = 1 (crates/web/src/auth/password.rs)"
PIONEER_LOG=warn "$BIN" demo --data-dir "$OUT" >/dev/null
PIONEER_LOG=warn PIONEER_LOGIN_ATTEMPTS=100000000 "$BIN" serve --listen 127.0.0.1:18474 --data-dir "$OUT" >/dev/null &
pid=$!
until curl -fs -o /dev/null http://127.0.0.1:18474/readyz; do sleep 0.05; done
wrk -t1 -c1 -d"${DURATION}s" --latency http://127.0.0.1:18474/healthz > "$OUT/healthz.txt"
wrk -t1 -c1 -d"${DURATION}s" --latency -s bench/wrk-login.lua http://127.0.0.1:18474/login > "$OUT/login.txt"
wrk -t2 -c2 -d"${DURATION}s" --latency -s bench/wrk-login.lua http://127.0.0.1:18474/login > "$OUT/login2.txt"
# A burst of 64 sign-ins at once: the server's peak RSS (sampled every 50 ms) and /healthz
# beside it.
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
( peak=0; while kill -0 "$pid" 2>/dev/null; do
    r=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0); (( r > peak )) && peak=$r
    echo "$peak" > "$OUT/peak"; sleep 0.05; done ) &
sampler=$!
wrk -t2 -c64 -d"${DURATION}s" --timeout 30s --latency -s bench/wrk-login.lua http://127.0.0.1:18474/login > "$OUT/login64.txt" &
burst=$!
sleep 1
wrk -t1 -c1 -d"$(( DURATION - 2 ))s" --latency http://127.0.0.1:18474/healthz > "$OUT/healthz-burst.txt"
wait "$burst"
kill "$pid"; wait "$pid" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
echo "/healthz:            p50 $(pct "$OUT/healthz.txt" 50%) ms, p99 $(pct "$OUT/healthz.txt" 99%) ms"
echo "sign-in, 1 client:   p50 $(pct "$OUT/login.txt" 50%) ms, p99 $(pct "$OUT/login.txt" 99%) ms, $(awk '/Requests\/sec/ {printf "%.1f", $2}' "$OUT/login.txt")/s $(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$OUT/login.txt" || true)"
echo "sign-in, 2 clients:  p50 $(pct "$OUT/login2.txt" 50%) ms, $(awk '/Requests\/sec/ {printf "%.1f", $2}' "$OUT/login2.txt")/s (the hash is the work: about one core per sign-in)"
echo "sign-in, 64 at once: p50 $(pct "$OUT/login64.txt" 50%) ms, p99 $(pct "$OUT/login64.txt" 99%) ms, $(awk '/Requests\/sec/ {printf "%.1f", $2}' "$OUT/login64.txt")/s $(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$OUT/login64.txt" || true)"
echo "   server RSS: $(( rss_before / 1024 )) MB before the burst, peak $(( $(cat "$OUT/peak") / 1024 )) MB during it (goal ≤ 100 MB)"
echo "   /healthz during the burst: p50 $(pct "$OUT/healthz-burst.txt" 50%) ms, p99 $(pct "$OUT/healthz-burst.txt" 99%) ms"
echo "lockout: mlps3 locks after 5 failures for 30 minutes → at most 10 guesses per account per hour"
echo "         asvs5 locks after 10 failures for 30 minutes → at most 20 guesses per account per hour"
echo "         and any one address may try 20 times per 15 minutes → 80 per hour across all accounts"
cargo test --locked -q -p pioneer-web --test web the_access_matrix -- --nocapture 2>&1 | grep "access matrix" || true
