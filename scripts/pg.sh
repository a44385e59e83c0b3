#!/bin/sh
# A private PostgreSQL 15 for the tests and benchmarks: its own cluster in a directory, reached
# only through a Unix socket in that directory (no TCP, no system service), stopped and
# removed afterwards.
#   scripts/pg.sh start DIR   makes and starts the cluster in DIR; prints its store URL
#   scripts/pg.sh url DIR     prints the URL of database "wangge" of the cluster in DIR
#   scripts/pg.sh stop DIR    stops it and removes DIR
# As root, the server runs as the system user "postgres" (initdb refuses root).
# WANGGE_PG_OPTS adds server settings, e.g. "-c shared_preload_libraries=pg_stat_statements"
# to see where a benchmark's time goes.
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|url|stop DIR" >&2; exit 2; }
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "$0: PostgreSQL 15 is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url() { echo "postgresql:///wangge?host=$dir&user=wangge"; }
case $cmd in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    chmod 0700 "$dir"
    # C collation (codes compare as bytes, as on SQLite); C.UTF-8 character classes, so that
    # pg_trgm takes Chinese characters as letters
    as_owner "$bin/initdb" -D "$dir/data" -U wangge --auth=trust --encoding=UTF8 \
        --lc-collate=C --lc-ctype=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses= -c unix_socket_directories=$dir -c max_connections=200 \
            -c shared_buffers=256MB -c fsync=on -c synchronous_commit=on ${WANGGE_PG_OPTS:-}" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$dir" -U wangge wangge
    url
    ;;
url) url ;;
stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*) echo "usage: $0 start|url|stop DIR" >&2; exit 2 ;;
esac
