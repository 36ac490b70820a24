"""Shared helpers for the ingest, durability and export end-to-end tests: the built binary, a
fresh database per test on the server named by SPACEAUDIT_TEST_DATABASE_URL, a running
`spaceaudit serve`, tokens and admin sessions."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import urllib.parse
import uuid

import pytest
import requests

from process_support import free_port, stop, wait_until_answers

REPO = pathlib.Path(__file__).resolve().parents[2]


def ingest_binary() -> str:
    path = pathlib.Path(os.environ.get("SPACEAUDIT_BIN", REPO / ".build" / "debug" / "spaceaudit"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run `swift build --product spaceaudit` first")
    return str(path)


def ingest_base_url() -> str:
    base = os.environ.get("SPACEAUDIT_TEST_DATABASE_URL")
    if not base:
        pytest.fail("SPACEAUDIT_TEST_DATABASE_URL is not set: run `eval \"$(scripts/test-postgres.sh start)\"`")
    return base


def ingest_with_database(url: str, name: str) -> str:
    # urlunsplit would drop the '//' of an empty host (postgresql:///db?host=/socket).
    parts = urllib.parse.urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}/{name}{query}"


def ingest_psql(url: str, sql: str, *variables: str) -> str:
    """Runs sql with psql (stop on error) and returns its unaligned, tuples-only output.
    `variables` are bound as :'v1', :'v2', … so test values never need quoting by hand."""
    args = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At"]
    for i, value in enumerate(variables, 1):
        args += ["-v", f"v{i}={value}"]
    result = subprocess.run(args, input=sql, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise AssertionError(f"psql failed: {result.stderr.strip()}")
    return result.stdout


def ingest_env(database_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and not k.startswith("SPACEAUDIT_")}
    env.update({"DATABASE_URL": database_url, "SPACEAUDIT_HOME": str(REPO)})
    env.update(extra)
    return env


def ingest_run(database_url: str, *args: str, env: dict | None = None, text: bool = True, timeout: int = 600):
    """Runs spaceaudit with DATABASE_URL set and no terminal; returns the finished process."""
    full_env = ingest_env(database_url, **(env or {}))
    return subprocess.run([ingest_binary(), *args], capture_output=True, text=text, env=full_env,
                          stdin=subprocess.DEVNULL, timeout=timeout, check=False)


ingest_free_port = free_port


def ingest_now(offset_seconds: float = 0) -> str:
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ingest_event(key: str | None = None, **fields) -> dict:
    event = {"event": "login_succeeded", "occurred_at": ingest_now(), "idempotency_key": key or uuid.uuid4().hex}
    event.update(fields)
    return event


class IngestServer:
    """A `spaceaudit serve` on a free port; stop() ends it (SIGTERM), kill() with SIGKILL."""

    def __init__(self, database_url: str, data_dir: str, **env: str):
        self.database_url = database_url
        self.data_dir = data_dir
        self.env = env
        self.port = ingest_free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = pathlib.Path(data_dir) / f"serve-{self.port}.log"

    def start(self, timeout: float = 30) -> "IngestServer":
        env = ingest_env(self.database_url, PORT=str(self.port), SPACEAUDIT_DATA_DIR=self.data_dir, **self.env)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([ingest_binary(), "serve"], env=env, stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL)
        wait_until_answers(self.url + "/healthz", self.process, "spaceaudit serve", timeout=timeout, log=self.log)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self):
        stop(self.process)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def post(self, space: str, token: str | None, body, content_type: str = "application/json", raw: bytes | None = None):
        headers = {"Content-Type": content_type}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else json.dumps(body).encode()
        return requests.post(f"{self.url}/api/v1/spaces/{space}/events", data=data, headers=headers, timeout=60)


@pytest.fixture
def ingest_db():
    """A fresh, migrated database with the Spaces acme/app and acme/other registered."""
    base = ingest_base_url()
    name = "e2e_ingest_" + uuid.uuid4().hex[:12]
    ingest_psql(base, f'CREATE DATABASE "{name}";')
    url = ingest_with_database(base, name)
    try:
        result = ingest_run(url, "migrate")
        assert result.returncode == 0, result.stderr
        ingest_register_space(url, "acme/app")
        ingest_register_space(url, "acme/other")
        yield url
    finally:
        ingest_psql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);')


def ingest_register_space(url: str, space: str):
    # `spaces add` belongs to another part of the product; registering a row is all a token needs.
    ingest_psql(url, "INSERT INTO spaces (id, host) VALUES (:'v1', 'test.hf.space') ON CONFLICT DO NOTHING;", space)


def ingest_token(url: str, space: str) -> str:
    result = ingest_run(url, "spaces", "token", space)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def ingest_session(url: str, username: str = "root", admin_all: bool = True, orgs: tuple = ()) -> str:
    """Creates an admin session row directly and returns the cookie value."""
    session_id = uuid.uuid4().hex
    ingest_psql(url, """INSERT INTO admin_sessions (id_hash, sub, username, is_admin_all, visible_orgs, csrf_hash, expires_at)
                        VALUES (sha256(convert_to(:'v1', 'UTF8')), :'v2', :'v2', :'v3'::bool, string_to_array(:'v4', ','),
                                '\\x00', now() + interval '1 hour');""",
                session_id, username, "true" if admin_all else "false", ",".join(orgs))
    return session_id


@pytest.fixture
def ingest_data_dir():
    """A fresh data folder (spool lives here) that the postgres user can enter."""
    path = tempfile.mkdtemp(prefix="spaceaudit-ingest-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def ingest_server(ingest_db, ingest_data_dir):
    # The per-token rate limit has its own test (test_ingest_api); here it would only make the
    # outcome depend on how fast the machine sends the corpus.
    server = IngestServer(ingest_db, ingest_data_dir, SPACEAUDIT_INGEST_RATE="100000", SPACEAUDIT_INGEST_BURST="100000").start()
    yield server
    server.stop()


def ingest_count(url: str, where: str = "true", *variables: str) -> int:
    return int(ingest_psql(url, f"SELECT count(*) FROM login_events WHERE {where};", *variables).strip())


def ingest_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
