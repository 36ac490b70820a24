"""The audit export (product.md §8) read back by Python's csv and json modules: hostile cell
values equal the database (except the documented formula neutralisation), the CLI and the
HTTP route agree, the manifest is right, every export is logged, and 1,000,000 rows export
with flat memory."""
from __future__ import annotations

import csv
import io
import json
import os
import pathlib
import subprocess
import time

import requests

from ingest_support import (ingest_binary, ingest_data_dir, ingest_db, ingest_env, ingest_psql, ingest_run,  # noqa: F401
                            ingest_server, ingest_session, ingest_sha256)

COLUMNS = ["event_id", "occurred_at", "space", "event", "outcome", "reason", "user_sub", "username", "orgs",
           "scopes_requested", "scopes_granted", "redirect_uri", "client_id", "client_ip", "user_agent", "source", "hash"]
HOSTILE = ["a,b", 'say "hi"', "line1\r\nline2", "lf\nonly", "emoji 😀🎉 ünïcødé", "=SUM(A1:A9)", "+1234", "-2+3", "@cmd",
           "\tTab", "\rCR", "=HYPERLINK(\"http://x\")", "'quoted", "", "plain"]
NEUTRALISED = ("=", "+", "-", "@", "\t", "\r")


def seed_hostile(url: str, space: str = "acme/app"):
    """Rows written directly (values the ingest API would refuse, e.g. CR/LF), in their own
    Space; the export does not check hashes, so a placeholder hash is enough."""
    ingest_psql(url, "SELECT ensure_login_events_partition(now());")
    for i, value in enumerate(HOSTILE, 1):
        ingest_psql(url, """INSERT INTO login_events (space_id, seq, occurred_at, event, outcome, reason, user_sub, username, orgs,
                              scopes_requested, scopes_granted, redirect_uri, client_id, client_ip, user_agent, source, hash)
                            VALUES (:'v1', :'v2'::bigint, now() - interval '1 minute', 'login_succeeded', 'success', :'v3', :'v3',
                                    :'v3', ARRAY[:'v3', 'second'], ARRAY['openid'], '{}', :'v3', :'v3', '127.0.0.1', :'v3', 'ingest',
                                    sha256(convert_to(:'v2', 'UTF8')));""", space, str(i), value)


def database_rows(url: str, space: str) -> dict:
    text = ingest_psql(url, """SELECT json_agg(json_build_object('event_id', event_id, 'reason', reason, 'user_sub', user_sub,
                                 'username', username, 'orgs', orgs, 'redirect_uri', redirect_uri, 'client_id', client_id,
                                 'user_agent', user_agent, 'hash', encode(hash, 'hex')) ORDER BY seq)
                               FROM login_events WHERE space_id = :'v1' AND event = 'login_succeeded';""", space)
    return {row["event_id"]: row for row in json.loads(text)}


def unneutralise(cell: str) -> str:
    return cell[1:] if len(cell) >= 2 and cell[0] == "'" and cell[1] in NEUTRALISED else cell


def test_csv_round_trip_equals_database(ingest_db):
    seed_hostile(ingest_db)
    result = ingest_run(ingest_db, "export", "--space", "acme/app", "--event", "login_succeeded", text=False)
    assert result.returncode == 0, result.stderr
    data = result.stdout
    assert data.startswith(",".join(COLUMNS).encode() + b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + len(HOSTILE)
    expected = database_rows(ingest_db, "acme/app")
    for row in rows[1:]:
        cells = dict(zip(COLUMNS, row))
        stored = expected[cells["event_id"]]
        for field in ["reason", "user_sub", "username", "redirect_uri", "client_id", "user_agent"]:
            want = stored[field] or ""
            assert unneutralise(cells[field]) == want, (field, cells[field], want)
            if want[:1] in NEUTRALISED:
                assert cells[field] == "'" + want, "formula-leading cell not neutralised"
        assert unneutralise(cells["orgs"]) == " ".join(stored["orgs"])
        assert cells["hash"] == stored["hash"]
        assert cells["occurred_at"].endswith("Z") and "T" in cells["occurred_at"]
    # Every record ends in CRLF (RFC 4180), including quoted multi-line cells.
    assert data.endswith(b"\r\n")


def test_ndjson_round_trip_equals_database(ingest_db):
    seed_hostile(ingest_db)
    result = ingest_run(ingest_db, "export", "--space", "acme/app", "--event", "login_succeeded", "--format", "ndjson", text=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").split("\n")
    assert lines[-1] == ""
    objects = [json.loads(line) for line in lines[:-1]]
    assert len(objects) == len(HOSTILE)
    expected = database_rows(ingest_db, "acme/app")
    for obj in objects:
        assert list(obj.keys()) == COLUMNS
        stored = expected[obj["event_id"]]
        for field in ["reason", "user_sub", "username", "redirect_uri", "client_id", "user_agent", "orgs", "hash"]:
            assert obj[field] == stored[field], field


def test_manifest_filters_and_export_event(ingest_db, tmp_path):
    seed_hostile(ingest_db)
    seed_hostile(ingest_db, "acme/other")
    target = tmp_path / "audit.csv"
    result = ingest_run(ingest_db, "export", "--space", "acme/app", "--since", "1d", "-o", str(target), env={"USER": "auditor"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # progress and notes go to stderr; no terminal here, so no bar
    assert "\r" not in result.stderr
    data = target.read_bytes()
    manifest = json.loads((tmp_path / "audit.csv.manifest.json").read_text())
    assert manifest["rows"] == len(HOSTILE) == len(list(csv.reader(io.StringIO(data.decode(), newline="")))) - 1
    assert manifest["sha256"] == ingest_sha256(data)
    assert manifest["bytes"] == len(data)
    assert [h["space"] for h in manifest["chain_heads"]] == ["acme/app"] or manifest["chain_heads"] == []
    assert manifest["time_range"]["first_occurred_at"] <= manifest["time_range"]["last_occurred_at"]
    assert not (tmp_path / "audit.csv.partial").exists()
    logged = ingest_psql(ingest_db, "SELECT username || ' ' || reason FROM login_events WHERE event = 'export';").strip()
    assert logged.startswith("cli:auditor ")
    described = json.loads(logged.split(" ", 1)[1])
    assert described["rows"] == len(HOSTILE) and described["space"] == ["acme/app"] and described["sha256"] == manifest["sha256"]
    # Bad filters are usage errors and export nothing.
    for args in (["--since", "yesterday"], ["--event", "hack"], ["--space", "x"], ["--format", "xml"]):
        bad = ingest_run(ingest_db, "export", *args)
        assert bad.returncode == 2, args
        assert bad.stdout == ""


def test_http_export_matches_cli_and_respects_visibility(ingest_server, ingest_db):
    seed_hostile(ingest_db)
    seed_hostile(ingest_db, "other-org/app")
    cli = ingest_run(ingest_db, "export", "--event", "login_succeeded", text=False).stdout
    url = f"{ingest_server.url}/api/v1/events.csv?event=login_succeeded"
    assert requests.get(url, timeout=30).status_code == 401
    admin = ingest_session(ingest_db)
    response = requests.get(url, cookies={"spaceaudit_session": admin}, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.content == cli
    # A viewer of org "acme" sees acme's Spaces only, and cannot name another org's Space.
    member = ingest_session(ingest_db, "bob", admin_all=False, orgs=("acme",))
    mine = requests.get(url, cookies={"spaceaudit_session": member}, timeout=60)
    spaces = {row[2] for row in list(csv.reader(io.StringIO(mine.text, newline="")))[1:]}
    assert spaces == {"acme/app"}
    hidden = requests.get(url + "&space=other-org/app", cookies={"spaceaudit_session": member}, timeout=60)
    assert hidden.status_code == 404
    logged = ingest_psql(ingest_db, "SELECT username FROM login_events WHERE event = 'export' ORDER BY received_at;").split()
    assert "root" in logged and "bob" in logged


def test_million_rows_export_with_flat_memory(ingest_db, tmp_path):
    """RSS growth bound, not time: the peak RSS exporting 1,000,000 rows may exceed the peak
    for 100,000 rows by no more than 48 MiB (the rows alone are ~250 MB of CSV)."""
    # Seeded with triggers off (session_replication_role = replica): the report rollups cost
    # per row and play no part in an export, and a million rows through them take minutes.
    ingest_psql(ingest_db, """SELECT ensure_login_events_partition(now()), ensure_login_events_partition(now() - interval '13 days');
        SET session_replication_role = replica;
        INSERT INTO login_events (space_id, seq, occurred_at, event, outcome, user_sub, username, orgs, scopes_granted,
                                  redirect_uri, user_agent, source, hash)
        SELECT 'mem/big', i, now() - i * interval '1 second', 'login_succeeded', 'success', 'sub-' || i, 'user_' || (i % 5000),
               ARRAY['acme', 'org' || (i % 7)], ARRAY['openid', 'profile'], 'https://mem-big.hf.space/login/callback',
               'Mozilla/5.0 (X11; Linux x86_64) benchmark', 'ingest', sha256(int8send(i))
          FROM generate_series(1, 1000000) AS i;""")
    cutoff = ingest_psql(ingest_db, "SELECT to_char((now() - interval '100000 seconds') AT TIME ZONE 'UTC', "
                                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"');").strip()
    small_peak, small_rows = export_peak(ingest_db, tmp_path / "small.csv", "--since", cutoff)
    big_peak, big_rows = export_peak(ingest_db, tmp_path / "big.csv")
    assert 99_000 <= small_rows <= 101_000
    assert big_rows == 1_000_000
    growth = big_peak - small_peak
    print(f"\npeak RSS: {small_rows} rows {small_peak // 1024} MiB, {big_rows} rows {big_peak // 1024} MiB, growth {growth // 1024} MiB")
    assert growth < 48 * 1024, f"RSS grew by {growth // 1024} MiB between 100k and 1M rows"


def export_peak(url: str, target: pathlib.Path, *args: str) -> tuple[int, int]:
    """Runs an export and samples VmHWM (peak RSS, KiB) from /proc while it runs."""
    process = subprocess.Popen([ingest_binary(), "export", "--space", "mem/big", "--event", "login_succeeded", "-o", str(target), *args],
                               env=ingest_env(url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            for line in pathlib.Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            pass
        time.sleep(0.05)
    assert process.wait(timeout=1200) == 0, process.stderr.read().decode()
    manifest = json.loads(pathlib.Path(str(target) + ".manifest.json").read_text())
    assert peak > 0
    return peak, manifest["rows"]


def test_progress_bar_goes_to_a_terminal_stderr(ingest_db, tmp_path):
    import pty
    seed_hostile(ingest_db)
    master, slave = pty.openpty()
    process = subprocess.Popen([ingest_binary(), "export", "-o", str(tmp_path / "a.csv")], env=ingest_env(ingest_db),
                               stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=120) == 0
    text = output.decode()
    assert "exporting" in text and "100%" in text and "\r" in text
    assert json.loads((tmp_path / "a.csv.manifest.json").read_text())["rows"] == len(HOSTILE)
