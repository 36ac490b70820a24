#!/usr/bin/env bash
# The whole test suite on a fresh machine: packages, a Python venv for the end-to-end tools,
# a throwaway PostgreSQL, the Swift tests, then the end-to-end tests (real binary, real
# OpenID provider, real browser). Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --test

if [[ ! -x .venv/bin/pytest ]]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q -r Tests/e2e/requirements.txt

eval "$(scripts/test-postgres.sh start)"   # exports SPACEAUDIT_TEST_DATABASE_URL
trap 'scripts/test-postgres.sh stop >/dev/null 2>&1 || true' EXIT

swift build --build-tests
# XCTest and Swift Testing both print their summary; no --parallel (it hides XCTest's line).
swift test --skip-build

.venv/bin/pytest -q Tests/e2e
