#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the AuditPostgres tests (and CI).
#
#   scripts/test-postgres.sh          start it (idempotent) and print the URL to export
#   scripts/test-postgres.sh stop     stop it
#   scripts/test-postgres.sh url      print the URL only
#
# Unix socket only, trust auth, fsync off: fast and disposable, never for real data.
# initdb/pg_ctl refuse to run as root, so as root every server command runs as `postgres`.
set -euo pipefail

PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
DATA="${PGTEST_DATA:-/tmp/pgtest-data}"
SOCK="${PGTEST_SOCK:-/tmp/pgtest-sock}"
PORT="${PGTEST_PORT:-55432}"
LOG="${DATA}.log"

if [ "$(id -u)" = 0 ]; then
    OWNER=postgres
    as_owner() { runuser -u "$OWNER" -- "$@"; }
else
    OWNER="$(id -un)"
    as_owner() { "$@"; }
fi
URL="postgresql:///postgres?host=${SOCK}&port=${PORT}&user=${OWNER}"

running() { as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
    mkdir -p "$SOCK"
    if [ "$(id -u)" = 0 ]; then chown "$OWNER" "$SOCK"; fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        mkdir -p "$DATA"
        if [ "$(id -u)" = 0 ]; then chown "$OWNER" "$DATA"; touch "$LOG"; chown "$OWNER" "$LOG"; fi
        as_owner "$PGBIN/initdb" -D "$DATA" -U "$OWNER" --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --no-sync >/dev/null
    fi
    if ! running; then
        # listen_addresses='' means Unix socket only; enough connections for parallel tests.
        as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 start -o \
            "-c listen_addresses='' -c unix_socket_directories=$SOCK -p $PORT \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            >/dev/null
    fi
    echo "export SPACEAUDIT_TEST_DATABASE_URL='$URL'"
}

stop() {
    if running; then as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
    echo "stopped (data kept in $DATA; rm -rf it to start afresh)"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 [start|stop|url]" >&2; exit 2 ;;
esac
