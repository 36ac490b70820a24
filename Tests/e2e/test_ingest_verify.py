"""`spaceaudit verify` and `spaceaudit retention` on the real binary (real SHA-256): tampering
made as the superuser is reported with the first broken link and exit 1; a retention cut keeps
the chain verifiable; zero rows checked is never success."""
from __future__ import annotations

import re

import pytest

from ingest_support import (ingest_data_dir, ingest_db, ingest_event, ingest_psql, ingest_run, ingest_server,  # noqa: F401
                            ingest_token)

TAMPER = {
    "edit": "UPDATE login_events SET username = 'mallory' WHERE space_id = 'acme/app' AND seq = 4",
    "delete": "DELETE FROM login_events WHERE space_id = 'acme/app' AND seq = 4",
    "insert": """UPDATE login_events SET seq = seq + 1 WHERE space_id = 'acme/app' AND seq >= 4;
                 INSERT INTO login_events (space_id, seq, occurred_at, event, source, prev_hash, hash)
                 SELECT space_id, 4, occurred_at, 'login_succeeded', 'ingest', hash, sha256(hash)
                   FROM login_events WHERE space_id = 'acme/app' AND seq = 3""",
    "reorder": """UPDATE login_events SET seq = -1 WHERE space_id = 'acme/app' AND seq = 4;
                  UPDATE login_events SET seq = 4 WHERE space_id = 'acme/app' AND seq = 5;
                  UPDATE login_events SET seq = 5 WHERE space_id = 'acme/app' AND seq = -1""",
}


@pytest.mark.parametrize("case", sorted(TAMPER))
def test_tampering_is_detected(ingest_server, ingest_db, case):
    token = ingest_token(ingest_db, "acme/app")
    events = [ingest_event(f"k{i}", username=f"user{i}") for i in range(6)]
    assert ingest_server.post("acme/app", token, {"events": events}).status_code == 202
    clean = ingest_run(ingest_db, "verify")
    assert clean.returncode == 0 and "acme/app: ok, 6 rows checked" in clean.stdout
    event_id = ingest_psql(ingest_db, "SELECT event_id FROM login_events WHERE space_id = 'acme/app' AND seq = 4;").strip()
    # The application's own role cannot do this: the triggers refuse.
    with pytest.raises(AssertionError, match="append-only"):
        ingest_psql(ingest_db, TAMPER[case])
    ingest_psql(ingest_db, "SET session_replication_role = replica;\n" + TAMPER[case] + ";")
    result = ingest_run(ingest_db, "verify", "--space", "acme/app")
    assert result.returncode == 1, result.stdout
    line = next(l for l in result.stdout.splitlines() if l.startswith("acme/app:"))
    assert re.search(r"BROKEN at seq 4\b", line), line
    if case == "edit":
        assert f"event_id {event_id}" in line  # the edited row is named by its id
    if case == "delete":
        assert "missing" in line
    print(f"{case}: {line}")


def test_retention_keeps_verify_passing(ingest_server, ingest_db):
    token = ingest_token(ingest_db, "acme/app")
    old = ingest_psql(ingest_db, "SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC') - interval '3 months' + interval '2 days', "
                                 "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"');").strip()
    batch = [ingest_event("new1"), ingest_event("old1", occurred_at=old), ingest_event("new2"), ingest_event("old2", occurred_at=old)]
    assert ingest_server.post("acme/app", token, {"events": batch}).status_code == 202
    result = ingest_run(ingest_db, "retention", "--keep-months", "1")
    assert result.returncode == 0, result.stderr
    assert "2 rows" in result.stdout
    assert ingest_psql(ingest_db, "SELECT idempotency_key FROM login_events WHERE source = 'ingest' ORDER BY seq;").split() == ["new1", "new2"]
    verify = ingest_run(ingest_db, "verify")
    assert verify.returncode == 0, verify.stdout
    assert "removed by retention" in verify.stdout
    again = ingest_run(ingest_db, "retention", "--keep-months", "1")
    assert again.returncode == 0 and "no partition dropped" in again.stdout
    for bad in (["--keep-months", "0"], ["--keep-months", "x"], []):
        assert ingest_run(ingest_db, "retention", *bad).returncode == 2


def test_verify_never_succeeds_on_zero_rows(ingest_db):
    empty = ingest_run(ingest_db, "verify")
    assert empty.returncode == 1
    assert "0 rows checked" in empty.stdout
    unknown = ingest_run(ingest_db, "verify", "--space", "nobody/here")
    assert unknown.returncode == 1
    assert ingest_run(ingest_db, "verify", "--space", "not a space").returncode == 2
