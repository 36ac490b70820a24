"""`spaceaudit spaces add/list/remove` end to end: real binary, real PostgreSQL."""
import json

from report_support import report_db, report_run, report_write_readme  # noqa: F401 (fixture)

GOOD = """---
title: Chat
sdk: gradio
hf_oauth: true
# comments are fine
hf_oauth_scopes:
  - read-repos
hf_oauth_expiration_minutes: 480
---
# Body
---
a body rule above is not a delimiter
"""


def listed(db):
    result = report_run(db, "spaces", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_add_list_update_remove(report_db, tmp_path):
    readme = report_write_readme(tmp_path / "README.md", GOOD, newline="\r\n", bom=True)
    added = report_run(report_db, "spaces", "add", "acme/Chat_App", "--readme", str(readme),
                       "--callback", "https://acme-chat-app.hf.space/login/callback")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added acme/Chat_App")
    again = report_run(report_db, "spaces", "add", "acme/Chat_App", "--readme", str(readme),
                       "--callback", "https://acme-chat-app.hf.space/login/callback")
    assert again.stdout.startswith("unchanged acme/Chat_App")
    [space] = listed(report_db)
    assert space["space"] == "acme/Chat_App"
    assert space["host"] == "acme-chat-app.hf.space"  # lowercased, '_' -> '-'
    assert space["callbacks"] == ["https://acme-chat-app.hf.space/login/callback"]
    assert space["metadata"]["hf_oauth"] is True
    assert space["metadata"]["hf_oauth_scopes"] == ["read-repos"]
    assert space["metadata"]["hf_oauth_expiration_minutes"] == 480

    custom = report_run(report_db, "spaces", "add", "acme/Chat_App", "--readme", str(readme), "--host", "Chat.Example.COM")
    assert custom.stdout.startswith("updated acme/Chat_App"), custom.stdout
    assert listed(report_db)[0]["host"] == "chat.example.com"

    table = report_run(report_db, "spaces", "list")
    assert table.stdout.splitlines()[0].split() == ["SPACE", "HOST", "HF_OAUTH", "SCOPES", "CALLBACKS", "UPDATED"]

    removed = report_run(report_db, "spaces", "remove", "acme/Chat_App")
    assert removed.returncode == 0
    assert listed(report_db) == []
    again = report_run(report_db, "spaces", "remove", "acme/Chat_App")
    assert again.returncode == 2
    assert "acme/Chat_App is not registered" in again.stderr


def test_broken_readmes_name_file_and_line_and_store_nothing(report_db, tmp_path):
    cases = {
        "unterminated.md": ("---\ntitle: x\nhf_oauth: true\n", ":1: unterminated front matter"),
        "invalid.md": ("---\ntitle: x\nhf_oauth_scopes: [read-repos\nsdk: gradio\n---\n", ":4: invalid YAML"),
        "wrongtype.md": ("---\ntitle: x\nhf_oauth: true\nhf_oauth_expiration_minutes: \"480\"\n---\n",
                         ":4: hf_oauth_expiration_minutes must be an integer"),
        "yes.md": ("---\nhf_oauth: yes\n---\n", ":2: hf_oauth must be true or false"),
        "nofm.md": ("# just a title\n", ":1: no front matter"),
    }
    for name, (text, expected) in cases.items():
        path = report_write_readme(tmp_path / name, text)
        result = report_run(report_db, "spaces", "add", "acme/app", "--readme", str(path))
        assert result.returncode == 2, (name, result.stderr)
        assert f"{path}{expected}" in result.stderr, (name, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1  # one clear line, no trace
    missing = report_run(report_db, "spaces", "add", "acme/app", "--readme", str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert listed(report_db) == []


def test_usage_errors(report_db, tmp_path):
    readme = report_write_readme(tmp_path / "README.md", GOOD)
    for args in (["spaces", "add", "not-an-id", "--readme", str(readme)],
                 ["spaces", "add", "a/b/c", "--readme", str(readme)],
                 ["spaces", "add", "acme/app"],
                 ["spaces", "add", "acme/app", "--readme", str(readme), "--callback", "/login/callback"],
                 ["spaces", "add", "acme/app", "--readme", str(readme), "--host", "https://x.hf.space/"],
                 ["spaces", "remove"],
                 ["spaces", "frobnicate"]):
        result = report_run(report_db, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert listed(report_db) == []
