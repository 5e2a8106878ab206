#!/usr/bin/env bash
# Crash runs: does an acknowledged write survive a crash? Each run loads the demo deployment
# into a fresh database, starts `pioneer serve`, drives mixed writes at it from several threads
# for a random 2-6 s through the JSON API (bench/crash.py: people, dossiers, contacts and visits,
# meetings, training classes and attendance, care benefits, quiz hand-ins, redemptions, courses),
# cuts it off, restarts it on the same data, and looks every write that got a 2xx answer up in
# the database; then `pioneer journal verify` (and `pioneer check` when the binary has it).
#   SQLite on LazyFS (a FUSE file system that keeps unsynced writes in memory), two cuts:
#     power   kill -9 of the server, then `lazyfs::clear-cache` (every unsynced byte is lost)
#     fsync   LazyFS kills itself just before the next fsync of the WAL, mid-commit, then kill -9
#   PostgreSQL, when it answers at PIONEER_BENCH_POSTGRES_URL (default
#     postgres://postgres@127.0.0.1:5432/test; a database pioneer_crash is made and dropped per
#     run; PIONEER_BENCH_SKIP_POSTGRES=1 skips it): kill -9 of the server.
# RUNS (default 5) runs of each. Prints one line per run and a summary, also into
# bench/results/DATE-crash.txt; exits non-zero when an acknowledged write went missing (or the
# journal or the check failed, or the server did not come back).
# Usage: bench/crash.sh [RUNS]   (PIONEER_BIN=path skips the build; runs as root, for FUSE)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
OUT=$(mkdir -p "${PIONEER_BENCH_OUT:-bench/out}/crash" && realpath "${PIONEER_BENCH_OUT:-bench/out}/crash")
PG_ADMIN=${PIONEER_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
LAZYFS_SRC=${PIONEER_LAZYFS_SRC:-../shared/vendor/lazyfs/lazyfs-src.tar.gz}
LAZYFS=bench/out/lazyfs/lazyfs/build/lazyfs
PORT=18481
URL=http://127.0.0.1:$PORT
if [[ -z ${PIONEER_BIN:-} ]]; then cargo build --release -p pioneer --locked -q; fi
BIN=$(realpath "${PIONEER_BIN:-target/release/pioneer}")
RESULT=bench/results/$(date +%F)-crash.txt

# LazyFS, built once into bench/out/lazyfs (as ../shared/vendor/lazyfs/README.md says).
build_lazyfs() {
  [[ -x $LAZYFS ]] && return
  local pkgs="fuse3 libfuse3-dev libspdlog-dev libtoml11-dev cmake g++ pkg-config"
  # shellcheck disable=SC2086
  dpkg -s $pkgs >/dev/null 2>&1 || apt-get install -y $pkgs >/dev/null
  tar xzf "$LAZYFS_SRC" -C bench/out
  (cd bench/out/lazyfs/libs/libpcache && ./build.sh && cd ../../lazyfs && ./build.sh) >"$OUT/lazyfs-build.log" 2>&1
}

MNT=$OUT/mnt FIFO=$OUT/faults.fifo DONE=$OUT/done.fifo
SERVER_PID="" LAZYFS_PID="" PG_DB=""

mount_lazyfs() { # the root directory it keeps on disk
  rm -f "$FIFO" "$DONE"
  cat >"$OUT/lazyfs.toml" <<EOF
[faults]
fifo_path="$FIFO"
fifo_path_completed="$DONE"
[cache]
apply_eviction=false
[cache.simple]
custom_size="256mb"
blocks_per_page=1
[filesystem]
log_all_operations=false
logfile="$OUT/lazyfs.log"
EOF
  mkdir -p "$MNT"
  "$LAZYFS" "$MNT" --config-path "$OUT/lazyfs.toml" -o allow_other -o modules=subdir -o subdir="$1" -f \
    >>"$OUT/lazyfs.out" 2>&1 &
  LAZYFS_PID=$!
  disown # (bash would report its death by SIGKILL in the middle of the output)
  for _ in $(seq 100); do mountpoint -q "$MNT" && [[ -p $FIFO ]] && return; sleep 0.1; done
  echo "LazyFS did not mount (see $OUT/lazyfs.out)"; exit 1
}

unmount_lazyfs() {
  if mountpoint -q "$MNT" 2>/dev/null || grep -q " $MNT " /proc/mounts; then fusermount3 -u "$MNT" || fusermount3 -uz "$MNT"; fi
  if [[ -n $LAZYFS_PID ]]; then kill "$LAZYFS_PID" 2>/dev/null || true; gone "$LAZYFS_PID"; fi
  LAZYFS_PID=""
}

start_server() { # data dir, database URL, log; 0 when /readyz answers within 60 s
  PIONEER_LOG=warn "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$1" --database "$2" >>"$3" 2>&1 &
  SERVER_PID=$!
  disown
  for _ in $(seq 600); do
    curl -fs -o /dev/null "$URL/readyz" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}

stop_server() { # kill -9 with -KILL
  if [[ -n $SERVER_PID ]]; then kill "${1:--TERM}" "$SERVER_PID" 2>/dev/null || true; gone "$SERVER_PID"; fi
  SERVER_PID=""
}

gone() { # waits until a (disowned) process has ended, up to 30 s
  for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  echo "process $1 did not end"; return 1
}

pg_admin() { PGOPTIONS="-c client_min_messages=warning" psql "$PG_ADMIN" -Xq "$@"; }

cleanup() {
  stop_server -KILL
  unmount_lazyfs
  if [[ -n $PG_DB ]]; then pg_admin -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
}

FAILED=0 TOTAL_ACKED=0 TOTAL_FOUND=0 TOTAL_MISSING=0 N_RUNS=0
row() { printf "%-4s %-11s %-26s %7s %7s %8s  %-24s %s\n" "$@"; }

# After the cut and the restart: the restart, the writes, the journal, the check, one line.
judge() { # run, database, cut, run dir, data dir, database URL, verify args..., restarted (0/1) last
  local n=$1 db=$2 cut=$3 dir=$4 data=$5 url=$6; shift 6
  local restarted=${*: -1} verify=("${@:1:$#-1}")
  stop_server
  local line acked found missing ledger journal check extra=""
  if python3 bench/crash.py verify "$dir/acks.json" "${verify[@]}" >"$dir/verify.txt" 2>&1; then
    line=$(head -1 "$dir/verify.txt")
  else
    line="acked=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['acked']))" "$dir/acks.json") found=? missing=? ledger_bad=?"
    extra+=" verify failed (see $dir/verify.txt);"
  fi
  acked=$(sed -n 's/.*acked=\([0-9?]*\).*/\1/p' <<<"$line")
  found=$(sed -n 's/.*found=\([0-9?]*\).*/\1/p' <<<"$line")
  missing=$(sed -n 's/.*missing=\([0-9?]*\).*/\1/p' <<<"$line")
  ledger=$(sed -n 's/.*ledger_bad=\([0-9?]*\).*/\1/p' <<<"$line")
  if "$BIN" --data-dir "$data" --database "$url" --log warn journal verify >"$dir/journal.txt" 2>&1 \
    && grep -q "journal verified" "$dir/journal.txt"; then
    journal="verified ($(grep -o '[0-9][0-9]* entries' "$dir/journal.txt" | head -1))"
  else
    journal="FAILED"
  fi
  if "$BIN" check --help >/dev/null 2>&1; then
    if "$BIN" --data-dir "$data" --database "$url" --log warn check >"$dir/check.txt" 2>&1; then
      check="clean ($(grep -o 'checked [0-9]* rows' "$dir/check.txt" | head -1))"
    else check=FAILED; fi
  else
    check="n/a (no check command)"
  fi
  [[ $restarted == 1 ]] || extra+=" server did not come back;"
  if grep -qE "no WAL fsync|unconfirmed|ended before" "$dir/load.txt"; then extra+=" the cut was not made as meant;"; fi
  [[ $ledger == 0 ]] || extra+=" credit ledger: $ledger balance(s) not the sum of their entries;"
  if [[ -f $dir/key.before ]] && ! cmp -s "$dir/key.before" "$dir/key.after"; then extra+=" key file changed or lost;"; fi
  row "$n" "$db" "$cut" "$acked" "$found" "$missing" "$journal" "$check${extra:+ —$extra}"
  N_RUNS=$((N_RUNS + 1))
  TOTAL_ACKED=$((TOTAL_ACKED + ${acked//\?/0})); TOTAL_FOUND=$((TOTAL_FOUND + ${found//\?/0}))
  if [[ $missing != 0 ]]; then TOTAL_MISSING=$((TOTAL_MISSING + ${missing//\?/0})); FAILED=$((FAILED + 1))
  elif [[ $journal == FAILED || $check == FAILED || -n $extra ]]; then FAILED=$((FAILED + 1)); fi
  sed 's/^/     /' "$dir/load.txt" | cut -c1-400
  grep -E '^(found|MISSING|LEDGER)' "$dir/verify.txt" | sed 's/^/     /' | head -12 || true
}

run_sqlite() { # run number, cut: power | fsync
  local n=$1 cut=$2 dir=$OUT/sqlite-$2-$1 restarted=1
  rm -rf "$dir"; mkdir -p "$dir/root"
  mount_lazyfs "$dir/root"
  local data=$MNT/data url=sqlite:$MNT/data/pioneer.sqlite3
  mkdir "$data"
  "$BIN" --data-dir "$data" --log warn demo >"$dir/setup.log" 2>&1
  "$BIN" --data-dir "$data" --log warn generate --quiz-riders 1000 --quiz-file "$dir/riders.tsv" >>"$dir/setup.log" 2>&1
  cp "$data/pioneer.key" "$dir/key.before"
  start_server "$data" "$url" "$dir/server.log" || { echo "the server did not start (see $dir/server.log)"; exit 1; }
  python3 bench/crash.py load "$URL" "$dir/acks.json" --cut "${cut/power/clear}" --server-pid "$SERVER_PID" \
    --riders "$dir/riders.tsv" --fifo "$FIFO" --done-fifo "$DONE" --lazyfs-pid "$LAZYFS_PID" >"$dir/load.txt"
  stop_server -KILL
  if [[ $cut == fsync ]]; then # LazyFS is gone with what it had not synced: mount the same root again
    unmount_lazyfs
    mount_lazyfs "$dir/root"
  fi
  cp "$data/pioneer.key" "$dir/key.after" 2>/dev/null || true
  echo "--- restart after the cut" >>"$dir/server.log"
  start_server "$data" "$url" "$dir/server.log" || restarted=0
  judge "$n" SQLite "$([[ $cut == power ]] && echo "power cut (kill -9, clear)" || echo "LazyFS crash at WAL fsync")" \
    "$dir" "$data" "$url" --sqlite "$data/pioneer.sqlite3" "$restarted"
  unmount_lazyfs
}

run_postgres() { # run number
  local n=$1 dir=$OUT/postgres-$1 restarted=1 url=${PG_ADMIN%/*}/pioneer_crash
  rm -rf "$dir"; mkdir -p "$dir/data"
  PG_DB=pioneer_crash
  pg_admin -c "DROP DATABASE IF EXISTS pioneer_crash WITH (FORCE)" -c "CREATE DATABASE pioneer_crash" >/dev/null
  "$BIN" --data-dir "$dir/data" --database "$url" --log warn demo >"$dir/setup.log" 2>&1
  "$BIN" --data-dir "$dir/data" --database "$url" --log warn generate --quiz-riders 1000 \
    --quiz-file "$dir/riders.tsv" >>"$dir/setup.log" 2>&1
  start_server "$dir/data" "$url" "$dir/server.log" || { echo "the server did not start (see $dir/server.log)"; exit 1; }
  python3 bench/crash.py load "$URL" "$dir/acks.json" --cut kill --server-pid "$SERVER_PID" \
    --riders "$dir/riders.tsv" >"$dir/load.txt"
  stop_server -KILL
  echo "--- restart after the cut" >>"$dir/server.log"
  start_server "$dir/data" "$url" "$dir/server.log" || restarted=0
  judge "$n" PostgreSQL "kill -9" "$dir" "$dir/data" "$url" --postgres "$url" "$restarted"
  pg_admin -c "DROP DATABASE IF EXISTS pioneer_crash WITH (FORCE)" >/dev/null
  PG_DB=""
}

main() {
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  [[ $(id -u) == 0 ]] || { echo "needs root (FUSE mounts)"; exit 1; }
  build_lazyfs
  unmount_lazyfs # one left behind by a run that was killed
  echo "# pioneer crash runs ($(date +%F), $(nproc) cores, $RUNS runs of each kind, $(basename "$BIN"))"
  echo "# columns: acknowledged writes (2xx answers), of them found after the restart, missing (must be 0)"
  row run database cut acked found missing journal check
  for n in $(seq "$RUNS"); do run_sqlite "$n" power; done
  for n in $(seq "$RUNS"); do run_sqlite "$n" fsync; done
  if [[ ${PIONEER_BENCH_SKIP_POSTGRES:-0} != 1 ]] && pg_admin -c "SELECT 1" >/dev/null 2>&1; then
    for n in $(seq "$RUNS"); do run_postgres "$n"; done
  else
    echo "PostgreSQL: skipped (not answering at $PG_ADMIN, or PIONEER_BENCH_SKIP_POSTGRES=1)"
  fi
  echo
  echo "summary: $N_RUNS runs, $TOTAL_ACKED writes acknowledged, $TOTAL_FOUND found, $TOTAL_MISSING missing; $FAILED run(s) failed"
  [[ $FAILED == 0 ]] && echo "PASS: every acknowledged write survived" || { echo "FAIL"; exit 1; }
}

mkdir -p bench/results
main 2>&1 | tee "$RESULT"
exit "${PIPESTATUS[0]}"
