"""`spaceaudit report` end to end: seeded events (report_seed.py), every format parsed back,
numbers checked against the hand-computed answers of report_scenario, exit codes."""
import csv
import datetime as dt
import io
import json
import re

import pytest

from report_seed import report_events_sql, report_psql, report_scenario
from report_support import report_db, report_run, report_write_readme  # noqa: F401 (fixture)

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
UNTIL = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def seeded(report_db, tmp_path):
    readme = report_write_readme(tmp_path / "README.md", "---\nsdk: gradio\nhf_oauth: true\nhf_oauth_scopes:\n  - read-repos\n---\n")
    added = report_run(report_db, "spaces", "add", "acme/chat", "--readme", str(readme),
                       "--callback", "https://acme-chat.hf.space/login/callback")
    assert added.returncode == 0, added.stderr
    report_psql(report_db, report_events_sql(report_scenario(NOW)))
    return report_db


def report(db, *args, text=True):
    return report_run(db, "report", "--until", UNTIL, *args, text=text)


def test_json_numbers_match_hand_computed_answers(seeded):
    result = report(seeded, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["until"] == UNTIL
    by_space = {s["space"]: s for s in doc["spaces"]}
    assert list(by_space) == ["acme/chat", "acme/tools"]
    chat = by_space["acme/chat"]["active_users"]
    # alice (2 h ago; first ever 40 days ago), carol (3 days), bob (exactly 7 days: 30d only);
    # dave only failed and never counts.
    assert (chat["active_1d"], chat["active_7d"], chat["active_30d"]) == (1, 2, 3)
    assert (chat["new_users"], chat["returning_users"]) == (2, 1)
    assert [u["username"] for u in chat["users"]] == ["alice", "carol", "bob"]
    assert [u["new"] for u in chat["users"]] == [False, True, True]
    assert len(chat["daily"]) == 31 and sum(d["successes"] for d in chat["daily"]) == 3
    assert sum(d["failures"] for d in chat["daily"]) == 2
    tools = by_space["acme/tools"]["active_users"]
    assert (tools["active_1d"], tools["active_7d"], tools["active_30d"]) == (1, 1, 1)
    # alice signed in to both Spaces: counted once in the totals.
    totals = doc["totals"]
    assert (totals["active_1d"], totals["active_7d"], totals["active_30d"]) == (1, 2, 3)
    assert (totals["successes"], totals["failures"], totals["spaces"]) == (4, 2, 2)
    grants = {g["scope"]: g for g in by_space["acme/chat"]["scope_grants"]["scopes"]}
    assert grants["write-repos"]["risk"] == "critical" and grants["write-repos"]["users"] == 1
    assert grants["openid"]["users"] == 3
    rules = sorted((f["rule_id"], f["severity"], f["count"]) for f in by_space["acme/chat"]["findings"])
    assert rules == [("R003", "warning", 1), ("R003", "warning", 1), ("R004", "error", 1), ("R008", "error", 1),
                     ("S001", "warning", 1), ("S001", "warning", 1)]
    assert doc["findings_by_severity"] == {"error": 2, "info": 0, "warning": 4}


def test_since_narrows_the_window(seeded):
    doc = json.loads(report(seeded, "--format", "json", "--since", "36h").stdout)
    chat = next(s for s in doc["spaces"] if s["space"] == "acme/chat")
    # Only the state_mismatch failure (1 day ago) and alice (2 h) are inside 36 h; the
    # redirect-URI error of 2 days ago is not, so R008 and R004 are gone.
    assert {f["rule_id"] for f in chat["findings"]} == {"R003"}
    assert doc["totals"]["failures"] == 1
    assert chat["active_users"]["active_30d"] == 3  # active-user windows do not depend on --since


def test_csv_parses_back(seeded):
    result = report(seeded, "--format", "csv", text=False)
    assert result.returncode == 0
    assert result.stdout.endswith(b"\r\n") and b"\n" not in result.stdout.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8"), newline="")))
    assert rows[0] == ["record", "space", "rule_id", "severity", "seen", "expected", "count", "first_seen", "last_seen", "fix",
                       "user_sub", "username", "first_sign_in", "last_sign_in", "new", "scopes"]
    records = [dict(zip(rows[0], r)) for r in rows[1:]]
    findings = [r for r in records if r["record"] == "finding"]
    users = [r for r in records if r["record"] == "user"]
    assert len(findings) == 6
    assert {r["rule_id"] for r in findings} == {"R003", "R004", "R008", "S001"}
    assert sorted((r["space"], r["username"]) for r in users) == [
        ("acme/chat", "alice"), ("acme/chat", "bob"), ("acme/chat", "carol"), ("acme/tools", "alice")]
    carol = next(r for r in users if r["username"] == "carol")
    assert carol["scopes"] == "openid profile write-repos" and carol["new"] == "true"


def test_table_is_aligned_and_plain_when_piped(seeded):
    out = report(seeded).stdout
    assert "\x1b[" not in out  # no colour on a pipe
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("SPACE "))
    column = lines[header].index("LAST SIGN-IN")
    for line in lines[header + 1:header + 3]:
        assert re.match(r"\d{4}-\d\d-\d\dT", line[column:]), line
    assert "FINDINGS" in out and "SCOPE GRANTS" in out
    assert "Total: 2 space(s), active users 1d/7d/30d 1/2/3, sign-ins 4, failures 2" in out


def test_markdown(seeded):
    out = report(seeded, "--format", "markdown").stdout
    assert "|" in out and "R008" in out and "acme/chat" in out


def test_exit_codes(seeded):
    assert report(seeded, "--fail-on", "error").returncode == 1
    assert report(seeded, "--fail-on", "warning").returncode == 1
    assert report(seeded, "--fail-on", "error", "--space", "acme/tools").returncode == 0
    assert report(seeded, "--fail-on", "info", "--space", "acme/tools").returncode == 0
    assert report(seeded).returncode == 0  # findings without --fail-on do not fail
    for bad in (["--format", "xml"], ["--fail-on", "fatal"], ["--since", "yesterday"], ["--since", "2026-02-30"],
                ["--since", "0d"], ["--space", "nobody/nothing"], ["--space", "not-an-id"], ["extra"]):
        result = report(seeded, *bad)
        assert result.returncode == 2, (bad, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    later = report_run(seeded, "report", "--since", UNTIL, "--until", "2000-01-01")
    assert later.returncode == 2 and "must be before" in later.stderr
    down = report_run("postgresql://127.0.0.1:9/none?connect_timeout=2", "report")
    assert down.returncode == 3 and len(down.stderr.strip().splitlines()) == 1


def test_empty_database_reports_nothing(report_db):
    doc = json.loads(report_run(report_db, "report", "--format", "json").stdout)
    assert doc["spaces"] == [] and doc["totals"]["spaces"] == 0
