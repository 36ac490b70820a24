"""Seeds login events straight into PostgreSQL for the report end-to-end tests.

The events go in with plain INSERTs (placeholder hashes; these tests do not verify the
chain), so the rollup trigger of sql/0004 runs exactly as it does for real writes.
Times are relative to NOW (passed in), so hand-computed answers hold on any day.
"""
from __future__ import annotations

import datetime as dt
import subprocess

DAY = dt.timedelta(days=1)


def report_psql(database_url: str, sql: str) -> str:
    """Runs SQL with psql (ON_ERROR_STOP) and returns its unaligned output."""
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", database_url],
        input=sql, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"psql failed: {result.stderr}")
    return result.stdout


def _lit(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return "ARRAY[" + ",".join(_lit(v) for v in value) + "]::text[]" if value else "'{}'::text[]"
    if isinstance(value, dt.datetime):
        return "'" + value.isoformat() + "'::timestamptz"
    return "'" + str(value).replace("'", "''") + "'"


def report_events_sql(events: list[dict]) -> str:
    """INSERTs for `events` (dicts with space, at, event and optional columns), in order."""
    lines = ["BEGIN;"]
    seq: dict[str, int] = {}
    for e in events:
        lines.append(f"SELECT ensure_login_events_partition({_lit(e['at'])});")
    for e in events:
        space = e["space"]
        seq[space] = seq.get(space, 0) + 1
        lines.append(
            "INSERT INTO login_events (space_id, seq, occurred_at, event, outcome, reason, user_sub, username, "
            "scopes_requested, scopes_granted, redirect_uri, source, hash) VALUES ("
            + ", ".join([
                _lit(space), str(seq[space]), _lit(e["at"]), _lit(e["event"]), _lit(e.get("outcome")),
                _lit(e.get("reason")), _lit(e.get("sub")), _lit(e.get("username")),
                _lit(e.get("requested", [])), _lit(e.get("granted", [])), _lit(e.get("redirect_uri")),
                "'ingest'", "'\\x00'::bytea",
            ]) + ");")
    for space, n in seq.items():
        lines.append(
            f"INSERT INTO chain_heads (space_id, seq, hash) VALUES ({_lit(space)}, {n}, '\\x00'::bytea) "
            "ON CONFLICT (space_id) DO UPDATE SET seq = EXCLUDED.seq;")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def report_scenario(now: dt.datetime) -> list[dict]:
    """Two Spaces with hand-computable numbers (see test_report.py for the answers).

    acme/chat (registered, scopes openid profile read-repos):
      alice: success now-2h (granted openid profile read-repos), first ever success now-40d
      bob:   success exactly now-7d (counts for 30d, not 7d), new (first success in window)
      carol: success now-3d but granted write-repos (undeclared: S001)
      dave:  only failures (never counted), one with idp_error:invalid_redirect_uri (R008)
      a redirect_uri on localhost (R004) and one with a trailing slash (R003 drift)
    acme/tools (unregistered, events only):
      alice (same sub as in acme/chat): success now-1h  -> totals count alice once
    """
    cb = "https://acme-chat.hf.space/login/callback"
    ok = dict(event="login_succeeded", outcome="success", redirect_uri=cb)
    return [
        dict(space="acme/chat", at=now - 40 * DAY, sub="u-alice", username="alice", granted=["openid", "profile"], **ok),
        dict(space="acme/chat", at=now - 7 * DAY, sub="u-bob", username="bob", granted=["openid", "profile"], **ok),
        dict(space="acme/chat", at=now - 3 * DAY, sub="u-carol", username="carol",
             requested=["openid", "profile", "write-repos"], granted=["openid", "profile", "write-repos"], **ok),
        dict(space="acme/chat", at=now - 2 * DAY, event="login_failed", outcome="failure",
             reason="idp_error:invalid_redirect_uri", sub=None, redirect_uri="http://localhost:7860/login/callback"),
        dict(space="acme/chat", at=now - 1 * DAY, event="login_failed", outcome="failure", reason="state_mismatch",
             sub="u-dave", username="dave", redirect_uri=cb + "/"),
        dict(space="acme/chat", at=now - dt.timedelta(hours=2), sub="u-alice", username="alice",
             granted=["openid", "profile", "read-repos"], **ok),
        dict(space="acme/tools", at=now - dt.timedelta(hours=1), sub="u-alice", username="alice",
             event="login_succeeded", outcome="success", redirect_uri="https://acme-tools.hf.space/login/callback",
             granted=["openid", "profile"]),
    ]
