"""`spaceaudit spaces import DIR` and `spaces import --hub AUTHOR` end to end. The Hub is a
local HTTP server answering with the recorded listing in data/hub/."""
import http.server
import json
import pathlib
import threading
import urllib.parse

import pytest

from report_support import report_db, report_run, report_write_readme  # noqa: F401 (fixture)

HUB_DATA = pathlib.Path(__file__).parent / "data" / "hub"


def spaces(db):
    return {s["space"]: s for s in json.loads(report_run(db, "spaces", "list", "--json").stdout)}


def test_import_folder_of_clones(report_db, tmp_path):
    chat = report_write_readme(tmp_path / "chat" / "README.md", "---\nhf_oauth: true\nhf_oauth_scopes: openid profile\n---\n")
    (tmp_path / "chat" / ".git").mkdir()
    (tmp_path / "chat" / ".git" / "config").write_text(
        '[remote "origin"]\n\turl = https://huggingface.co/spaces/acme/Chat.App\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n')
    report_write_readme(tmp_path / "tools" / "README.md", "---\nsdk: docker\napp_port: 7860\n---\n", newline="\r\n")
    broken = report_write_readme(tmp_path / "broken" / "README.md", "---\ntitle: a\nhf_oauth_scopes:\n  - [x\n")
    (tmp_path / "not-a-space").mkdir()

    result = report_run(report_db, "spaces", "import", str(tmp_path), "--owner", "acme")
    assert result.returncode == 2, result.stderr  # one README failed; the others are stored
    assert f"{broken}:1: unterminated front matter" in result.stderr
    assert "imported 2 of 3 Space(s): 2 added, 0 updated, 0 unchanged, 1 failed" in result.stdout
    stored = spaces(report_db)
    assert sorted(stored) == ["acme/Chat.App", "acme/tools"]
    assert stored["acme/Chat.App"]["host"] == "acme-chat-app.hf.space"
    assert stored["acme/Chat.App"]["metadata"]["hf_oauth_scopes"] == ["openid", "profile"]
    assert stored["acme/Chat.App"]["metadata"]["hf_oauth_scopes_form"] == "string"
    assert stored["acme/tools"]["metadata"]["app_port"] == 7860


def test_import_without_owner_names_the_problem(report_db, tmp_path):
    report_write_readme(tmp_path / "app" / "README.md", "---\nhf_oauth: true\n---\n")
    result = report_run(report_db, "spaces", "import", str(tmp_path))
    assert result.returncode == 2
    assert "cannot tell the Space id" in result.stderr and "--owner" in result.stderr
    assert spaces(report_db) == {}


def test_reimport_keeps_registered_callbacks(report_db, tmp_path):
    readme = report_write_readme(tmp_path / "app" / "README.md", "---\nhf_oauth: true\n---\n")
    report_run(report_db, "spaces", "add", "acme/app", "--readme", str(readme), "--callback", "https://acme-app.hf.space/cb")
    report_write_readme(readme, "---\nhf_oauth: true\nhf_oauth_scopes:\n  - email\n---\n")
    result = report_run(report_db, "spaces", "import", str(tmp_path), "--owner", "acme")
    assert result.returncode == 0, result.stderr
    assert "updated acme/app" in result.stdout
    stored = spaces(report_db)["acme/app"]
    assert stored["callbacks"] == ["https://acme-app.hf.space/cb"]
    assert stored["metadata"]["hf_oauth_scopes"] == ["email"]


class _Hub(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        _Hub.seen.append((url.path, query))
        if url.path != "/api/spaces" or query.get("author") != ["acme"]:
            self.send_response(404)
            self.end_headers()
            return
        page = query.get("cursor", ["1"])[0]
        body = (HUB_DATA / f"acme-page{page}.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if page == "1":
            self.send_header("Link", '</api/spaces?author=acme&full=true&cursor=2>; rel="next"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def hub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    _Hub.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_import_from_hub_listing(report_db, hub):
    result = report_run(report_db, "spaces", "import", "--hub", "acme", env={"HF_ENDPOINT": hub + "/"})
    assert result.returncode == 2, result.stderr  # acme/broken-card has a quoted "480"
    assert "acme/broken-card" in result.stderr and "hf_oauth_expiration_minutes must be an integer" in result.stderr
    assert [q for _, q in _Hub.seen][0] == {"author": ["acme"], "full": ["true"]}
    assert len(_Hub.seen) == 2  # followed rel="next" once
    stored = spaces(report_db)
    assert set(stored) == {"acme/chat", "acme/legacy-login", "acme/Org_Tools", "acme/static-docs"}
    legacy = stored["acme/legacy-login"]["metadata"]
    assert legacy["hf_oauth_scopes"] == ["openid", "profile", "read-repos"]
    assert legacy["hf_oauth_redirect_path"] == "/auth/callback"
    assert legacy["hf_oauth_expiration_minutes"] == 43201
    assert stored["acme/Org_Tools"]["metadata"]["hf_oauth_authorized_org"] == ["acme"]
    assert stored["acme/Org_Tools"]["host"] == "acme-org-tools.hf.space"
    assert stored["acme/static-docs"]["metadata"]["hf_oauth"] is False
    assert stored["acme/static-docs"]["metadata"]["sdk"] == "static"

    # The imported metadata drives the static findings.
    report = json.loads(report_run(report_db, "report", "--format", "json").stdout)
    rules = {(f["space"], f["rule_id"], f["severity"]) for s in report["spaces"] for f in s["findings"]}
    assert ("acme/legacy-login", "S004", "error") in rules  # 43201 > 43200
    assert ("acme/legacy-login", "R006", "warning") in rules  # legacy redirect path
    assert ("acme/chat", "S003", "warning") in rules  # inference-api without an authorized org
    assert not any(space == "acme/Org_Tools" and rule == "S003" for space, rule, _ in rules)


def test_hub_errors_store_nothing(report_db, hub):
    unknown = report_run(report_db, "spaces", "import", "--hub", "nobody", env={"HF_ENDPOINT": hub})
    assert unknown.returncode == 3
    assert "HTTP 404" in unknown.stderr
    unreachable = report_run(report_db, "spaces", "import", "--hub", "acme", env={"HF_ENDPOINT": "http://127.0.0.1:9"})
    assert unreachable.returncode == 3
    assert "cannot reach the Hub" in unreachable.stderr
    bad = report_run(report_db, "spaces", "import", "--hub", "a/b", env={"HF_ENDPOINT": hub})
    assert bad.returncode == 2
    assert spaces(report_db) == {}
