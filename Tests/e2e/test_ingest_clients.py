"""The copy-paste clients (clients/python, clients/js) against a running server."""
from __future__ import annotations

import os
import subprocess
import sys

from ingest_support import REPO, ingest_count, ingest_data_dir, ingest_db, ingest_psql, ingest_server, ingest_token  # noqa: F401

sys.path.insert(0, str(REPO / "clients" / "python"))
from spaceaudit_client import SpaceAuditClient  # noqa: E402


def test_python_client_sends_in_background_and_retries_idempotently(ingest_server, ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    audit = SpaceAuditClient(ingest_server.url, token, "acme/app")
    keys = [audit.login_succeeded(user_sub="py-1", username="py-alice", scopes_granted=["openid", "profile"]),
            audit.login_failed("id_token_invalid:nonce_mismatch", user_sub="py-2"),
            audit.logout(user_sub="py-1")]
    assert all(keys)
    assert audit.flush(timeout=30)
    assert audit.sent == 3 and audit.dropped == 0
    assert ingest_count(ingest_db, "idempotency_key = ANY(string_to_array(:'v1', ','))", ",".join(keys)) == 3
    # A retried key is stored once (synchronous client this time).
    direct = SpaceAuditClient(ingest_server.url, token, "acme/app", background=False)
    event = {"event": "logout", "occurred_at": "2026-01-01T00:00:00Z", "idempotency_key": "py-retry"}
    event["occurred_at"] = ingest_psql(ingest_db, "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"');").strip()
    assert direct.send([event]) and direct.send([event])
    assert ingest_count(ingest_db, "idempotency_key = 'py-retry'") == 1


def test_python_client_never_raises(ingest_server, ingest_db):
    wrong = SpaceAuditClient(ingest_server.url, "sa_ingest_" + "A" * 43, "acme/app", background=False)
    assert wrong.logout() is not None and wrong.dropped == 1
    unreachable = SpaceAuditClient("http://127.0.0.1:9", "sa_ingest_x", "acme/app", background=False, max_attempts=2, timeout=0.5)
    assert unreachable.login_started() is not None and unreachable.dropped == 1
    disabled = SpaceAuditClient("", "", "", background=False)
    assert disabled.login_started() is None
    bad_input = SpaceAuditClient(ingest_server.url, ingest_token(ingest_db, "acme/app"), "acme/app", background=False)
    assert bad_input.login_succeeded(username="a\u0000b") is not None  # refused by the server (422), not raised
    assert bad_input.dropped == 1
    assert ingest_count(ingest_db) == 0


def test_js_client_with_node_test(ingest_server, ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    env = dict(os.environ, SPACEAUDIT_URL=ingest_server.url, SPACEAUDIT_TOKEN=token, SPACE_ID="acme/app")
    result = subprocess.run(["node", "--test", str(REPO / "clients" / "js")], capture_output=True, text=True, env=env,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
    assert ingest_count(ingest_db, "idempotency_key LIKE 'js-key-%'") == 2
    assert ingest_count(ingest_db) == 2
