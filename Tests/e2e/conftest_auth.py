"""Helpers for the sign-in end-to-end tests (every name starts with `auth_` / `Auth`).

Real processes only: the built `spaceaudit serve` on a fresh database of the test PostgreSQL
(SPACEAUDIT_TEST_DATABASE_URL), oidc-provider-mock, and tests/provider/misbehaving_provider.py.
The database is read with the `psql` CLI.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
import requests

from process_support import free_port, stop, wait_until_answers

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "spaceaudit"
MISBEHAVING_PROVIDER = ROOT / "tests" / "provider" / "misbehaving_provider.py"
OUT = ROOT / "Tests" / "e2e" / "out"
AUTH_CLIENT_ID = "spaceaudit-test-client"
AUTH_CLIENT_SECRET = "spaceaudit-test-secret"
AUTH_STARTUP_SECONDS = 60


def auth_test_database_url() -> str:
    url = os.environ.get("SPACEAUDIT_TEST_DATABASE_URL")
    if not url:
        pytest.fail(
            "SPACEAUDIT_TEST_DATABASE_URL is not set: run eval \"$(scripts/test-postgres.sh start)\" first",
            pytrace=False,
        )
    return url


def auth_psql(url: str, sql: str) -> list:
    """Rows of `sql` as lists of strings (NULL is None)."""
    result = subprocess.run(
        ["psql", "-X", "-q", "-At", "-F", "\x1f", "-P", "null=\x1e", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise AssertionError(f"psql failed: {result.stderr.strip()}")
    rows = []
    for line in result.stdout.split("\n")[:-1]:  # not splitlines(): it splits on \x1e too
        rows.append([None if cell == "\x1e" else cell for cell in line.split("\x1f")])
    return rows


def auth_create_database(prefix: str) -> str:
    """A fresh database on the test server; returns its URL."""
    base = auth_test_database_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    auth_psql(base, f'CREATE DATABASE "{name}"')
    return auth_database_url(base, name)


def auth_database_url(base: str, name: str) -> str:
    """`base` (a libpq URI such as postgresql:///postgres?host=/tmp/sock) naming database `name`."""
    head, _, query = base.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    return f"{scheme}://{authority}/{name}" + (f"?{query}" if query else "")


def auth_drop_database(url: str):
    name = url.partition("?")[0].rsplit("/", 1)[1]
    base = auth_test_database_url()
    auth_psql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


auth_free_port = free_port


def auth_wait_until_answers(url: str, process: subprocess.Popen, what: str):
    wait_until_answers(url, process, what, timeout=AUTH_STARTUP_SECONDS)


class AuthServer:
    """`spaceaudit serve` on 127.0.0.1, stderr captured in Tests/e2e/out/ for the secrecy checks."""

    def __init__(self, database_url: str, provider_url, admins="ada-example", extra_env=None, name="server"):
        if not BINARY.exists():
            pytest.fail(f"{BINARY} is missing: run `swift build --product spaceaudit` first", pytrace=False)
        OUT.mkdir(parents=True, exist_ok=True)
        self.port = auth_free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
               "DATABASE_URL": database_url, "PORT": str(self.port), "SPACEAUDIT_ADMINS": admins}
        if provider_url:
            env.update(OAUTH_CLIENT_ID=AUTH_CLIENT_ID, OAUTH_CLIENT_SECRET=AUTH_CLIENT_SECRET, OPENID_PROVIDER_URL=provider_url)
        env.update(extra_env or {})
        self.log_path = OUT / f"auth_{name}_{self.port}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([str(BINARY), "serve"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        auth_wait_until_answers(self.base + "/healthz", self.process, "spaceaudit serve")
        self.space_id = "local/127.0.0.1"

    def stop(self):
        stop(self.process)
        self.log.close()

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    # What the database says.

    def last_seq(self) -> int:
        rows = auth_psql(self.database_url, f"SELECT coalesce(max(seq), 0) FROM login_events WHERE space_id = '{self.space_id}'")
        return int(rows[0][0])

    def events_after(self, seq: int) -> list:
        rows = auth_psql(
            self.database_url,
            "SELECT event, outcome, reason, user_sub, username, redirect_uri, client_id, client_ip, user_agent, "
            "array_to_string(scopes_requested, ' '), array_to_string(scopes_granted, ' ') "
            f"FROM login_events WHERE space_id = '{self.space_id}' AND seq > {seq} ORDER BY seq",
        )
        keys = ["event", "outcome", "reason", "user_sub", "username", "redirect_uri", "client_id", "client_ip",
                "user_agent", "scopes_requested", "scopes_granted"]
        return [dict(zip(keys, row)) for row in rows]

    def session_count(self) -> int:
        return int(auth_psql(self.database_url, "SELECT count(*) FROM admin_sessions")[0][0])


class AuthMisbehavingProvider:
    """tests/provider/misbehaving_provider.py, one process, mode switched at runtime."""

    def __init__(self, extra_args=()):
        self.process = subprocess.Popen(
            [sys.executable, str(MISBEHAVING_PROVIDER), "--port", "0", *extra_args],
            stdout=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("ready "):
            self.process.kill()
            raise AssertionError(f"misbehaving provider did not start: {line!r}")
        self.base = f"http://127.0.0.1:{int(line.split()[1])}"

    def mode(self, name: str):
        response = requests.post(self.base + "/_mode", data=name, timeout=5)
        assert response.status_code == 200, response.text

    def stats(self) -> dict:
        return requests.get(self.base + "/_stats", timeout=5).json()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class AuthMockProvider:
    """oidc-provider-mock (PyPI): a real OpenID provider with a consent form (no PKCE check)."""

    def __init__(self, users):
        self.port = auth_free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port)]
        for user in users:
            args += ["--user-claims", json.dumps(user)]
        OUT.mkdir(parents=True, exist_ok=True)
        self.log = open(OUT / f"auth_mock_provider_{self.port}.log", "w")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        auth_wait_until_answers(self.base + "/.well-known/openid-configuration", self.process, "oidc-provider-mock")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


# The flow, by hand (no automatic redirects, so every hop can be inspected).

def auth_start_login(session: requests.Session, server: AuthServer, return_to=None) -> requests.Response:
    params = {} if return_to is None else {"return_to": return_to}
    return session.get(server.base + "/login", params=params, allow_redirects=False, timeout=30)


def auth_query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query, keep_blank_values=True).items()}


def auth_with_query(url: str, **changes) -> str:
    """`url` with query parameters replaced (None removes one)."""
    parsed = urlparse(url)
    query = auth_query(url)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunparse(parsed._replace(query=urlencode(query)))


def auth_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def auth_b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# The closing note's table: case → expected → observed, rewritten after every case.

AUTH_CASES = {}


def auth_record_case(case: str, expected: str, observed: str, session_created: bool, status):
    AUTH_CASES[case] = (expected, observed, session_created, status)
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Sign-in cases (e2e, misbehaving and mock providers)", "",
        "| case | expected | observed (login_events) | HTTP | session created |",
        "|---|---|---|---|---|",
    ]
    for name, (exp, obs, created, code) in AUTH_CASES.items():
        lines.append(f"| {name} | {exp} | {obs} | {code} | {'yes' if created else 'no'} |")
    (OUT / "auth_cases.md").write_text("\n".join(lines) + "\n")
