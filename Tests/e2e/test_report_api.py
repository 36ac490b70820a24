"""GET /api/v1/report end to end: `spaceaudit serve`, a session row as the sign-in would
write it (sha256 of the cookie id), and the same numbers as the CLI."""
import datetime as dt
import hashlib
import json
import os
import socket
import subprocess
import time

import pytest
import requests

from report_seed import report_events_sql, report_psql, report_scenario
from report_support import REPO, report_binary, report_db, report_run  # noqa: F401 (fixture)

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
UNTIL = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
SESSION = "report-e2e-session-" + os.urandom(8).hex()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(report_db):
    assert report_run(report_db, "migrate").returncode == 0
    events = report_scenario(NOW) + [
        dict(space="zeta/secret", at=NOW - dt.timedelta(hours=3), event="login_succeeded", sub="u-z", username="z")]
    report_psql(report_db, report_events_sql(events))
    digest = hashlib.sha256(SESSION.encode()).hexdigest()
    report_psql(report_db, f"""
        INSERT INTO admin_sessions (id_hash, sub, username, is_admin_all, visible_orgs, csrf_hash, expires_at)
        VALUES ('\\x{digest}', 'u-admin', 'admin', false, '{{acme}}', '\\x00', now() + interval '1 hour');""")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(DATABASE_URL=report_db, PORT=str(port), SPACEAUDIT_HOME=str(REPO))
    process = subprocess.Popen([report_binary(), "serve"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("spaceaudit serve did not answer /healthz")
        yield base, report_db
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(base, query="", session=SESSION):
    cookies = {"spaceaudit_session": session} if session else {}
    return requests.get(base + "/api/v1/report" + query, cookies=cookies, timeout=30)


def test_needs_a_session(server):
    base, _ = server
    for session in (None, "not-a-session"):
        answer = get(base, session=session)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "not_signed_in"


def test_same_numbers_as_the_cli_for_visible_spaces_only(server):
    base, db = server
    answer = get(base, f"?until={UNTIL}&since=30d")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    api = answer.json()
    assert [s["space"] for s in api["spaces"]] == ["acme/chat", "acme/tools"]  # not zeta/secret
    cli = json.loads(report_run(db, "report", "--format", "json", "--until", UNTIL,
                                "--space", "acme/chat", "--space", "acme/tools").stdout)
    for doc in (api, cli):
        doc.pop("generated_at")
    assert api == cli
    assert api["totals"]["active_30d"] == 3


def test_space_filter_and_errors(server):
    base, _ = server
    one = get(base, f"?space=acme/tools&until={UNTIL}").json()
    assert [s["space"] for s in one["spaces"]] == ["acme/tools"]
    hidden = get(base, "?space=zeta/secret")
    unknown = get(base, "?space=zeta/nothing")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json()["error"]["message"].replace("secret", "X") == unknown.json()["error"]["message"].replace("nothing", "X")
    for query in ("?since=soon", "?until=2026-13-01", "?space=bad", "?since=2026-01-02&until=2026-01-01", "?format=csv"):
        answer = get(base, query)
        assert answer.status_code == 400, query
        assert answer.json()["error"]["code"] == "invalid_parameter"
