#!/usr/bin/env bash
# PostgreSQL's own parts for the read-replica and pooling tests, beside the local server on
# 127.0.0.1:5432 (trust auth, user postgres):
#   - a streaming standby of it on 127.0.0.1:5433 (pg_basebackup -R, Debian's PostgreSQL tools);
#   - pgbouncer in transaction mode on 127.0.0.1:6432 (1.21 or later: it keeps the clients'
#     prepared statements; Debian 12 ships 1.18, so Debian's 1.24.1 source is built once into
#     target/tools).
# Starts only what is not already running. Prints the two URLs as shell assignments:
#   PIONEER_TEST_REPLICA_URL=…  PIONEER_TEST_PGBOUNCER_URL=…
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PRIMARY=postgres://postgres@127.0.0.1:5432
STANDBY_PORT=5433
BOUNCER_PORT=6432
WORK=${PIONEER_PG_EXTRAS_DIR:-/var/tmp/pioneer-pg-extras}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$WORK"
chown postgres "$WORK"

standby() {
  if pg_isready -h 127.0.0.1 -p "$STANDBY_PORT" -q; then
    echo "standby: already answering on $STANDBY_PORT" >&2
    return
  fi
  # Replication connections from loopback, trusted like the server's other local ones.
  local hba; hba=$(psql "$PRIMARY/postgres" -tAc "SHOW hba_file")
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >> "$hba"
    psql "$PRIMARY/postgres" -qtAc "SELECT pg_reload_conf()" >/dev/null
  fi
  local dir=$WORK/standby
  rm -rf "$dir"
  runuser -u postgres -- "$PGBIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$dir" -R -X stream -c fast >&2
  # Debian keeps the configuration outside the data folder: the standby gets its own.
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$dir/pg_hba.conf"
  : > "$dir/pg_ident.conf"
  chown postgres "$dir/pg_hba.conf" "$dir/pg_ident.conf"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir" -l "$WORK/standby.log" -w start -o \
    "-p $STANDBY_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK -c hba_file=$dir/pg_hba.conf \
     -c ident_file=$dir/pg_ident.conf -c hot_standby=on -c config_file=/dev/null" >&2 ||
    { cat "$WORK/standby.log" >&2; exit 1; }
  [[ $(psql "postgres://postgres@127.0.0.1:$STANDBY_PORT/postgres" -tAc "SELECT pg_is_in_recovery()") == t ]]
  echo "standby: streaming from 5432 on $STANDBY_PORT" >&2
}

bouncer() {
  if pg_isready -h 127.0.0.1 -p "$BOUNCER_PORT" -q; then
    echo "pgbouncer: already answering on $BOUNCER_PORT" >&2
    return
  fi
  local version=1.24.1
  local sha=da72a3aba13072876d055a3e58dd4aba4a5de4ed6148e73033185245598fd3e0
  local tools=$ROOT/target/tools bin=$ROOT/target/tools/pgbouncer-$version/bin/pgbouncer
  if [[ ! -x $bin ]]; then
    local need=()
    for p in libevent-dev libssl-dev pkg-config make gcc; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
    if ((${#need[@]})); then
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    mkdir -p "$tools/src"
    local tar=$tools/src/pgbouncer_$version.orig.tar.gz
    curl -fsSL -o "$tar" "http://deb.debian.org/debian/pool/main/p/pgbouncer/pgbouncer_$version.orig.tar.gz"
    echo "$sha  $tar" | sha256sum -c - >&2
    tar -xzf "$tar" -C "$tools/src"
    (cd "$tools/src/pgbouncer-$version" &&
      ./configure --prefix="$tools/pgbouncer-$version" --without-cares --without-pam >/dev/null &&
      make -j2 >/dev/null && make install >/dev/null)
  fi
  local conf=$WORK/pgbouncer.ini
  cat > "$conf" <<INI
[databases]
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/userlist.txt
pool_mode = transaction
max_prepared_statements = 200
ignore_startup_parameters = extra_float_digits,options
max_client_conn = 1000
default_pool_size = 10
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
  echo '"postgres" ""' > "$WORK/userlist.txt"
  chown postgres "$conf" "$WORK/userlist.txt"
  runuser -u postgres -- "$bin" -d "$conf"
  for _ in $(seq 1 50); do pg_isready -h 127.0.0.1 -p "$BOUNCER_PORT" -q && break; sleep 0.1; done
  pg_isready -h 127.0.0.1 -p "$BOUNCER_PORT" >&2
  echo "pgbouncer $version: transaction mode on $BOUNCER_PORT" >&2
}

standby
bouncer
echo "PIONEER_TEST_REPLICA_URL=postgres://postgres@127.0.0.1:$STANDBY_PORT/test"
echo "PIONEER_TEST_PGBOUNCER_URL=postgres://postgres@127.0.0.1:$BOUNCER_PORT/test"
