#!/usr/bin/env bash
# Benchmarks: each one prints its ratio against an anchor measured in the same run on the
# same data (architecture.md). Runs against its OWN throwaway PostgreSQL (port 55477, socket
# /tmp/bench-pgsock) so it never touches the test cluster, and only on 127.0.0.1.
#
#   bench/run.sh                 build the release binary, run every benchmark
#   BENCH_SKIP_BUILD=1 bench/run.sh   reuse .build/release/spaceaudit
#
# Everything it starts (PostgreSQL, spaceaudit serve) is stopped on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"

export PGTEST_DATA=/tmp/bench-pgdata PGTEST_SOCK=/tmp/bench-pgsock PGTEST_PORT=55477
OUT="$REPO/bench/out"
WORK=/tmp/bench-work
mkdir -p "$OUT"

cleanup() {
    local status=$?
    # bench.py records the pid of each server it starts; it stops them itself, this is the
    # safety net for a crash or Ctrl-C.
    if [ -f "$OUT/pids" ]; then
        while read -r pid; do
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
        done <"$OUT/pids"
        sleep 1
        while read -r pid; do
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
        done <"$OUT/pids"
        rm -f "$OUT/pids"
    fi
    scripts/test-postgres.sh stop >/dev/null 2>&1 || true
    rm -rf "$PGTEST_DATA" "$PGTEST_DATA.log" "$PGTEST_SOCK" "$WORK"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    swift build -c release --product spaceaudit
fi
BIN="$REPO/.build/release/spaceaudit"
[ -x "$BIN" ] || { echo "bench: $BIN is missing (swift build -c release --product spaceaudit)" >&2; exit 1; }

# A fresh cluster every run: numbers from a cluster left over by an earlier run would differ.
scripts/test-postgres.sh stop >/dev/null 2>&1 || true
rm -rf "$PGTEST_DATA" "$PGTEST_DATA.log" "$WORK"
eval "$(scripts/test-postgres.sh start)"
mkdir -p "$WORK"
# The server runs as root, the cluster as postgres: the work folder must be enterable by both.
chmod 0777 "$WORK"

PYTHON=python3
if [ -x "$REPO/.venv/bin/python" ]; then PYTHON="$REPO/.venv/bin/python"; fi
BENCH_ADMIN_URL="$SPACEAUDIT_TEST_DATABASE_URL" BENCH_BIN="$BIN" BENCH_WORK="$WORK" BENCH_OUT="$OUT" \
    SPACEAUDIT_HOME="$REPO" timeout 600 "$PYTHON" bench/bench.py "$@"
