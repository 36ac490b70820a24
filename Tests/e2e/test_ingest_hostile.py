"""Every payload of data/hostile/ against a real server: each is answered as index.json says,
with a clear error, and nothing is stored unless the case is a valid batch (SQL text that is
a legitimate value), which must then be stored literally."""
from __future__ import annotations

import json
import pathlib

import pytest

from ingest_support import (ingest_count, ingest_data_dir, ingest_db, ingest_now, ingest_psql, ingest_server,  # noqa: F401
                            ingest_token)

CORPUS = pathlib.Path(__file__).resolve().parent / "data" / "hostile"
CASES = json.loads((CORPUS / "index.json").read_text())


def test_corpus_is_large_enough():
    assert len(CASES) >= 100
    assert len({c["file"] for c in CASES}) == len(CASES)


def test_every_hostile_payload(ingest_server, ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    failures = []
    stored_expected = 0
    for case in CASES:
        raw = (CORPUS / case["file"]).read_bytes().replace(b"__NOW__", ingest_now().encode())
        before = ingest_count(ingest_db)
        response = ingest_server.post("acme/app", token, None, content_type=case.get("content_type", "application/json"), raw=raw)
        after = ingest_count(ingest_db)
        problem = check(case, response, after - before)
        if problem:
            failures.append(f"{case['file']}: {problem}")
        if case["status"] == 202:
            stored_expected += 1
    assert not failures, "\n".join(failures)
    assert ingest_count(ingest_db) == stored_expected


def check(case: dict, response, stored: int) -> str | None:
    if response.status_code != case["status"]:
        return f"status {response.status_code} != {case['status']}: {response.text[:300]}"
    if case["status"] == 202:
        return None if stored == 1 else f"stored {stored} rows, expected 1"
    if stored != 0:
        return f"a rejected batch stored {stored} rows"
    try:
        error = response.json()["error"]
    except (ValueError, KeyError):
        return f"not a JSON error body: {response.text[:200]}"
    if not error.get("message"):
        return "error without a message"
    if case.get("code") and error.get("code") != case["code"]:
        return f"code {error.get('code')} != {case['code']}"
    if case["status"] == 422:
        problems = error.get("problems") or []
        if not problems or not all(p.get("message") for p in problems):
            return "422 without problems"
        if case.get("field") and not any(p.get("field") == case["field"] for p in problems):
            return f"no problem names field {case['field']}: {problems}"
        # Hostile values are never echoed back.
        if "DROP TABLE" in response.text or "hunter2" in response.text or "\u0000" in response.text:
            return "the error echoes the payload"
    return None


def test_sql_values_are_stored_literally(ingest_server, ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    for case in [c for c in CASES if c["status"] == 202]:
        raw = (CORPUS / case["file"]).read_bytes().replace(b"__NOW__", ingest_now().encode())
        sent = json.loads(raw)["events"][0]
        response = ingest_server.post("acme/app", token, None, raw=raw)
        assert response.status_code == 202, response.text
        row = ingest_psql(ingest_db, """SELECT json_build_object('reason', reason, 'user_sub', user_sub, 'username', username,
                                              'redirect_uri', redirect_uri, 'client_id', client_id, 'user_agent', user_agent,
                                              'scopes_granted', scopes_granted, 'orgs', orgs)
                                         FROM login_events WHERE idempotency_key = :'v1';""", sent["idempotency_key"])
        stored = json.loads(row)
        for field in ["reason", "user_sub", "username", "redirect_uri", "client_id", "user_agent", "scopes_granted", "orgs"]:
            assert stored[field] == sent[field], field
    # The tables the payloads aimed at are intact.
    assert int(ingest_psql(ingest_db, "SELECT count(*) FROM spaces;")) == 2
    assert int(ingest_psql(ingest_db, "SELECT count(*) FROM ingest_tokens;")) == 1


@pytest.mark.parametrize("size", [1024 * 1024 + 1, 3 * 1024 * 1024])
def test_oversized_body_is_413(ingest_server, ingest_db, size):
    token = ingest_token(ingest_db, "acme/app")
    padding = "x" * size
    raw = ('{"events": [], "pad": "' + padding + '"}').encode()
    response = ingest_server.post("acme/app", token, None, raw=raw)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert ingest_count(ingest_db) == 0
