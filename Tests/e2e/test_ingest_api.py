"""The ingest API's contract (product.md §5) against a real server and database: token cases,
202 with ids, idempotency (repeat → once, other payload → 409), rate limit, and the chain."""
from __future__ import annotations

import hashlib

from ingest_support import (IngestServer, ingest_count, ingest_data_dir, ingest_db, ingest_event, ingest_psql,  # noqa: F401
                            ingest_run, ingest_server, ingest_token)


def test_tokens_are_shown_once_and_stored_hashed(ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    assert token.startswith("sa_ingest_") and len(token) == len("sa_ingest_") + 43
    stored = ingest_psql(ingest_db, "SELECT encode(token_hash, 'hex') FROM ingest_tokens;").split()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    dump = ingest_psql(ingest_db, "SELECT row_to_json(t)::text FROM ingest_tokens t;")
    assert token not in dump and token[10:] not in dump
    assert ingest_token(ingest_db, "acme/app") != token


def test_token_for_unregistered_space_is_refused(ingest_db):
    result = ingest_run(ingest_db, "spaces", "token", "nobody/here")
    assert result.returncode == 3
    assert "not registered" in result.stderr
    assert int(ingest_psql(ingest_db, "SELECT count(*) FROM ingest_tokens;")) == 0
    bad = ingest_run(ingest_db, "spaces", "token", "../etc")
    assert bad.returncode == 2


def test_token_cases(ingest_server, ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    other = ingest_token(ingest_db, "acme/other")
    body = {"events": [ingest_event()]}
    cases = {
        "missing": (None, "missing_token"),
        "empty": ("", "malformed_token"),
        "malformed": ("not-a-token", "malformed_token"),
        "wrong-prefix": ("sk_ingest_" + token[10:], "malformed_token"),
        "truncated": (token[:-1], "malformed_token"),
        "wrong": ("sa_ingest_" + "A" * 43, "invalid_token"),
        "another-space": (other, "wrong_space"),
    }
    for name, (value, code) in cases.items():
        if name == "empty":
            response = _post_raw_auth(ingest_server, "Bearer ", body)
        else:
            response = ingest_server.post("acme/app", value, body)
        assert response.status_code == 401, (name, response.text)
        assert response.json()["error"]["code"] == code, (name, response.text)
        assert "Bearer" in response.headers.get("WWW-Authenticate", ""), name
    basic = _post_raw_auth(ingest_server, "Basic " + token, body)
    assert basic.status_code == 401
    assert ingest_count(ingest_db) == 0
    # The right token works; then revoked, it does not.
    assert ingest_server.post("acme/app", token, body).status_code == 202
    revoked = ingest_run(ingest_db, "spaces", "token", "acme/app", "--revoke")
    assert revoked.returncode == 0 and "revoked 1" in revoked.stdout
    response = ingest_server.post("acme/app", token, {"events": [ingest_event()]})
    assert response.status_code == 401 and response.json()["error"]["code"] == "revoked_token"
    assert ingest_count(ingest_db) == 1
    # acme/other's token still works for acme/other.
    assert ingest_server.post("acme/other", other, {"events": [ingest_event()]}).status_code == 202


def _post_raw_auth(server, authorization, body):
    import json

    import requests
    return requests.post(f"{server.url}/api/v1/spaces/acme/app/events", data=json.dumps(body),
                         headers={"Content-Type": "application/json", "Authorization": authorization}, timeout=30)


def test_accepted_batch_returns_ids_and_is_idempotent(ingest_server, ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    events = [ingest_event("a", user_sub="u1", username="alice", scopes_granted=["openid", "profile"], orgs=["acme"]),
              ingest_event("b", event="login_failed", outcome="failure", reason="idp_error:access_denied"),
              ingest_event("c", event="logout", client_ip="2001:db8::1", user_agent="Mozilla/5.0 😀")]
    first = ingest_server.post("acme/app", token, {"events": events})
    assert first.status_code == 202, first.text
    answer = first.json()
    assert answer["accepted"] == 3 and answer["duplicates"] == 0 and len(set(answer["event_ids"])) == 3
    again = ingest_server.post("acme/app", token, {"events": events})
    assert again.status_code == 202
    assert again.json()["event_ids"] == answer["event_ids"] and again.json()["duplicates"] == 3
    assert ingest_count(ingest_db) == 3
    changed = dict(events[0], username="mallory")
    conflict = ingest_server.post("acme/app", token, {"events": [ingest_event("new"), changed]})
    assert conflict.status_code == 409, conflict.text
    assert conflict.json()["error"]["code"] == "idempotency_conflict"
    assert ingest_count(ingest_db) == 3  # the whole batch was refused, "new" included
    stored = ingest_psql(ingest_db, "SELECT source, username, user_agent FROM login_events WHERE idempotency_key = 'c';")
    assert stored.strip() == "ingest||Mozilla/5.0 😀"
    verify = ingest_run(ingest_db, "verify")
    assert verify.returncode == 0, verify.stdout
    assert "acme/app: ok, 3 rows checked" in verify.stdout


def test_rate_limit_answers_429_with_retry_after(ingest_db, ingest_data_dir):
    server = IngestServer(ingest_db, ingest_data_dir, SPACEAUDIT_INGEST_BURST="3", SPACEAUDIT_INGEST_RATE="0.01").start()
    try:
        token = ingest_token(ingest_db, "acme/app")
        other = ingest_token(ingest_db, "acme/other")
        statuses = [server.post("acme/app", token, {"events": [ingest_event()]}).status_code for _ in range(3)]
        assert statuses == [202, 202, 202]
        limited = server.post("acme/app", token, {"events": [ingest_event()]})
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) >= 1
        assert ingest_count(ingest_db) == 3
        # Per token: another token is not limited by the first one's use.
        assert server.post("acme/other", other, {"events": [ingest_event()]}).status_code == 202
    finally:
        server.stop()


def test_wrong_method_and_unknown_space(ingest_server, ingest_db):
    import requests
    token = ingest_token(ingest_db, "acme/app")
    response = requests.get(f"{ingest_server.url}/api/v1/spaces/acme/app/events", timeout=10)
    assert response.status_code in (401, 404, 405)
    invalid = ingest_server.post("acme/a%20b", token, {"events": [ingest_event()]})
    assert invalid.status_code == 404 and invalid.json()["error"]["code"] == "not_found"
