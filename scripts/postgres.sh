#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite, from Debian's packages.
#   scripts/postgres.sh start DIR   -> prints the DATABASE_URL
#   scripts/postgres.sh stop DIR
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail
action=$1; dir=$2; port=${CROSSINGS_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: run 'apt-get install -y postgresql' (or .ci/run)." >&2
  exit 3
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "'$bin/initdb' -D '$dir/data' -U crossings --auth=trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
    as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w start -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" >/dev/null"
    as_owner "'$bin/createdb' -h 127.0.0.1 -p $port -U crossings crossings"
    echo "postgres://crossings@127.0.0.1:$port/crossings"
    ;;
  stop)
    as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
