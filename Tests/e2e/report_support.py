"""Shared fixtures for the report/spaces end-to-end tests: the built binary and a fresh
database per test on the server named by SPACEAUDIT_TEST_DATABASE_URL."""
from __future__ import annotations

import os
import pathlib
import subprocess
import urllib.parse
import uuid

import pytest

from report_seed import report_psql

REPO = pathlib.Path(__file__).resolve().parents[2]


def report_binary() -> str:
    path = pathlib.Path(os.environ.get("SPACEAUDIT_BIN", REPO / ".build" / "debug" / "spaceaudit"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run `swift build --product spaceaudit` first")
    return str(path)


def _with_database(url: str, name: str) -> str:
    # urlunsplit would drop the '//' of an empty host (postgresql:///db?host=/socket).
    parts = urllib.parse.urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}/{name}{query}"


@pytest.fixture
def report_db():
    """A fresh, empty database; its URL is passed to spaceaudit as DATABASE_URL."""
    base = os.environ.get("SPACEAUDIT_TEST_DATABASE_URL")
    if not base:
        pytest.fail("SPACEAUDIT_TEST_DATABASE_URL is not set: run `eval \"$(scripts/test-postgres.sh start)\"`")
    name = "e2e_report_" + uuid.uuid4().hex[:12]
    report_psql(base, f'CREATE DATABASE "{name}";')
    try:
        yield _with_database(base, name)
    finally:
        report_psql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);')


def report_run(database_url: str, *args: str, env: dict | None = None, text: bool = True) -> subprocess.CompletedProcess:
    """Runs spaceaudit with DATABASE_URL set and no terminal; returns the finished process.
    text=False keeps stdout as bytes (CRLF intact)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    full_env.update({"DATABASE_URL": database_url, "SPACEAUDIT_HOME": str(REPO)})
    full_env.update(env or {})
    return subprocess.run([report_binary(), *args], capture_output=True, text=text, env=full_env,
                          stdin=subprocess.DEVNULL, timeout=120, check=False)


def report_write_readme(path: pathlib.Path, text: str, newline: str = "\n", bom: bool = False) -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    path.write_bytes(data.encode("utf-8"))
    return path
