"""Shared fixtures for the end-to-end tests: the built binary and fresh databases on the
throwaway test server (SPACEAUDIT_TEST_DATABASE_URL, started by scripts/test-postgres.sh)."""
import os
import pathlib
import subprocess
import uuid

import pytest

from process_support import free_port, stop, wait_until_answers

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "spaceaudit"


def test_database_url():
    url = os.environ.get("SPACEAUDIT_TEST_DATABASE_URL")
    if not url:
        pytest.fail("SPACEAUDIT_TEST_DATABASE_URL is not set: run `eval \"$(scripts/test-postgres.sh start)\"` first")
    return url


def psql(url, sql):
    """Runs SQL with the psql client and returns stdout (tab-separated, no headers)."""
    return subprocess.run(["psql", url, "-XAtq", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def fresh_database():
    """A new, empty database on the test server; its URL. Dropped afterwards."""
    base = test_database_url()
    name = "e2e_" + uuid.uuid4().hex[:12]
    psql(base, f"CREATE DATABASE {name}")
    url = base.replace("/postgres?", f"/{name}?", 1)
    assert name in url, f"cannot derive a database URL from {base}"
    yield url
    psql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Server:
    def __init__(self, process, port):
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def stop(self):
        stop(self.process)


def start_server(env_extra, port=None):
    """Starts `spaceaudit serve` and waits (bounded) for /readyz."""
    port = port or free_port()
    env = {"PATH": os.environ["PATH"], "PORT": str(port), **env_extra}
    process = subprocess.Popen([str(BINARY), "serve"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    server = Server(process, port)
    try:
        wait_until_answers(server.base + "/readyz", process, "spaceaudit serve", timeout=90,
                           accept=lambda response: response.status_code == 200)
    except AssertionError:
        server.stop()
        raise
    return server


@pytest.fixture
def server(fresh_database):
    """`spaceaudit serve` on a fresh database, sign-in not configured."""
    s = start_server({"DATABASE_URL": fresh_database})
    yield s
    s.stop()
