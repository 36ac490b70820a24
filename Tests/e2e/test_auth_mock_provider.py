"""Sign-in end to end against oidc-provider-mock (PyPI), a real OpenID provider with a consent
form: full login with an HTTP client and in headless Chromium, /api/v1/me, CSRF-protected logout,
old cookie refused, the 403 for non-admins, session expiry, and every open-redirect payload.
"""

import codecs
from pathlib import Path

import pytest
import requests

from conftest_auth import (AuthMockProvider, AuthServer, auth_create_database, auth_drop_database, auth_psql,
                           auth_query, auth_record_case, auth_sha256, auth_start_login)

ADMIN = {"sub": "sub-ada-0001", "preferred_username": "ada-example", "name": "Ada Example"}
STRANGER = {"sub": "sub-mallory-0002", "preferred_username": "<b>mallory</b>&co", "name": "Mallory"}
ORG_WRITER = {"sub": "sub-olga-0003", "preferred_username": "olga", "name": "Olga",
              "orgs": [{"sub": "org-1", "preferred_username": "Acme", "roleInOrg": "write"},
                       {"sub": "org-2", "preferred_username": "other", "roleInOrg": "admin"}]}
ORG_READER = {"sub": "sub-rita-0004", "preferred_username": "rita", "name": "Rita",
              "orgs": [{"sub": "org-1", "preferred_username": "acme", "roleInOrg": "read"}]}
PAYLOADS = Path(__file__).parent / "data" / "open_redirects.txt"


def open_redirect_payloads():
    lines = PAYLOADS.read_text().split("\n")
    return [codecs.decode(line, "unicode_escape") for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def provider():
    p = AuthMockProvider([ADMIN, STRANGER, ORG_WRITER, ORG_READER])
    yield p
    p.stop()


@pytest.fixture(scope="module")
def server(provider):
    database = auth_create_database("auth_mock")
    s = AuthServer(database, provider.base, admins="ada-example", extra_env={"SPACEAUDIT_ADMIN_ORGS": "acme"}, name="mock")
    yield s
    s.stop()
    auth_drop_database(database)


def sign_in(session, server, sub, return_to=None):
    """The whole flow by hand: /login → consent form → callback. Returns (login, callback) responses."""
    login = auth_start_login(session, server, return_to)
    assert login.status_code == 302, login.text
    authorize = login.headers["Location"]
    assert authorize.startswith(server_provider_base(server))
    consent = session.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=30)
    assert consent.status_code == 302, consent.text
    assert consent.headers["Location"].startswith(server.base + "/login/callback?")
    return login, session.get(consent.headers["Location"], allow_redirects=False, timeout=30)


def server_provider_base(server):
    return server.provider_base


@pytest.fixture(autouse=True)
def remember_provider(server, provider):
    server.provider_base = provider.base


def set_cookie_fields(response, name):
    for header in response.raw.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    return None


def test_full_login_me_logout_and_old_cookie_refused(server):
    session = requests.Session()
    before = server.last_seq()
    login, done = sign_in(session, server, ADMIN["sub"], return_to="/spaces/acme/app?tab=events")

    # /login: a 302 carrying state, nonce and S256 challenge, and the HttpOnly browser-binding cookie.
    query = auth_query(login.headers["Location"])
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert query["client_id"] == "spaceaudit-test-client" and query["redirect_uri"] == server.base + "/login/callback"
    assert len(query["state"]) >= 22 and len(query["nonce"]) >= 22 and len(query["code_challenge"]) == 43
    login_cookie = set_cookie_fields(login, "spaceaudit_login")
    assert "HttpOnly" in login_cookie and "SameSite=Lax" in login_cookie and "Max-Age=600" in login_cookie

    # Callback: 303 to the local return path with a fresh HttpOnly, SameSite=Lax session cookie.
    assert done.status_code == 303 and done.headers["Location"] == "/spaces/acme/app?tab=events"
    cookie = set_cookie_fields(done, "spaceaudit_session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie and "Max-Age=28800" in cookie
    assert "Secure" not in cookie  # plain http public URL; __Host- + Secure on https (unit-tested)
    session_id = session.cookies["spaceaudit_session"]
    stored = auth_psql(server.database_url, f"SELECT count(*) FROM admin_sessions WHERE id_hash = decode('{auth_sha256(session_id)}', 'hex')")
    assert stored == [["1"]]  # found by its hash; the id itself is stored nowhere

    me = session.get(server.base + "/api/v1/me", timeout=10)
    assert me.status_code == 200
    body = me.json()
    assert body["signed_in"] is True and body["sign_in_enabled"] is True
    assert body["user"] == {"sub": ADMIN["sub"], "username": "ada-example", "is_admin_all": True, "visible_orgs": []}
    csrf = body["csrf_token"]
    assert len(csrf) == 43

    # Logout refuses a missing token, a wrong token and a cross-site origin.
    assert session.post(server.base + "/logout", timeout=10).status_code == 403
    assert session.post(server.base + "/logout", headers={"X-CSRF-Token": "A" * 43}, timeout=10).status_code == 403
    cross = session.post(server.base + "/logout", headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"}, timeout=10)
    assert cross.status_code == 403 and cross.json()["error"]["code"] == "csrf_failed"
    site = session.post(server.base + "/logout", headers={"X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"}, timeout=10)
    assert site.status_code == 403
    assert session.get(server.base + "/api/v1/me", timeout=10).status_code == 200  # still signed in

    out = session.post(server.base + "/logout", headers={"X-CSRF-Token": csrf, "Origin": server.base}, timeout=10)
    assert out.status_code == 200 and out.json() == {"signed_out": True}
    # The old cookie, sent again by someone who kept it, is refused.
    old = requests.get(server.base + "/api/v1/me", cookies={"spaceaudit_session": session_id}, timeout=10)
    assert old.status_code == 401 and old.json()["error"]["code"] == "not_signed_in"
    again = requests.post(server.base + "/logout", cookies={"spaceaudit_session": session_id}, headers={"X-CSRF-Token": csrf}, timeout=10)
    assert again.status_code == 401

    events = server.events_after(before)
    assert [e["event"] for e in events] == ["login_started", "login_succeeded", "logout"]
    ok = events[1]
    assert ok["outcome"] == "success" and ok["user_sub"] == ADMIN["sub"] and ok["username"] == "ada-example"
    assert ok["client_ip"] == "127.0.0.1" and ok["user_agent"].startswith("python-requests/")
    assert ok["redirect_uri"] == server.base + "/login/callback" and ok["client_id"] == "spaceaudit-test-client"
    # read-memberships is requested (admin orgs are set) but this provider does not grant it: both are recorded.
    assert ok["scopes_requested"] == "openid profile read-memberships" and ok["scopes_granted"] == "openid profile"
    assert events[2]["user_sub"] == ADMIN["sub"]
    auth_record_case("positive: full login with requests (oidc-provider-mock)", "login_succeeded, then logout",
                     ", ".join(e["event"] for e in events), True, done.status_code)


def test_every_login_gets_a_new_session_id_and_ends_the_old_one(server):
    session = requests.Session()
    sign_in(session, server, ADMIN["sub"])
    first = session.cookies["spaceaudit_session"]
    sign_in(session, server, ADMIN["sub"])
    second = session.cookies["spaceaudit_session"]
    assert first != second
    assert requests.get(server.base + "/api/v1/me", cookies={"spaceaudit_session": first}, timeout=10).status_code == 401
    assert requests.get(server.base + "/api/v1/me", cookies={"spaceaudit_session": second}, timeout=10).status_code == 200


def test_non_admin_gets_an_escaped_403_page_and_no_session(server):
    session = requests.Session()
    before, sessions = server.last_seq(), server.session_count()
    _, done = sign_in(session, server, STRANGER["sub"])
    assert done.status_code == 403 and done.headers["Content-Type"].startswith("text/html")
    assert "Not an administrator" in done.text
    assert "&lt;b&gt;mallory&lt;/b&gt;&amp;co" in done.text and "<b>mallory" not in done.text
    assert "spaceaudit_session=" not in (done.headers.get("Set-Cookie") or "").replace("spaceaudit_session=;", "")
    assert server.session_count() == sessions
    events = server.events_after(before)
    assert [(e["event"], e["reason"]) for e in events] == [("login_started", None), ("login_failed", "not_authorized")]
    assert events[1]["user_sub"] == STRANGER["sub"] and events[1]["username"] == STRANGER["preferred_username"]
    auth_record_case("signed in but not an admin", "not_authorized", events[1]["reason"], False, done.status_code)


def test_org_member_with_write_role_sees_that_org_only_and_reader_is_refused(server):
    writer = requests.Session()
    _, done = sign_in(writer, server, ORG_WRITER["sub"])
    assert done.status_code == 303
    me = writer.get(server.base + "/api/v1/me", timeout=10).json()
    assert me["user"]["is_admin_all"] is False and me["user"]["visible_orgs"] == ["Acme"]
    before = server.last_seq()
    _, refused = sign_in(requests.Session(), server, ORG_READER["sub"])
    assert refused.status_code == 403
    assert [e["reason"] for e in server.events_after(before) if e["event"] == "login_failed"] == ["not_authorized"]


@pytest.mark.parametrize("column,reason", [("expires_at", "absolute_lifetime"), ("last_seen_at", "idle_timeout")])
def test_expired_session_is_refused_recorded_once_and_cleared(server, column, reason):
    session = requests.Session()
    sign_in(session, server, ADMIN["sub"])
    session_id = session.cookies["spaceaudit_session"]
    # The clock moves past the absolute lifetime / the idle timeout (1 h): the database is the clock.
    auth_psql(server.database_url,
              f"UPDATE admin_sessions SET {column} = now() - interval '2 hours' WHERE id_hash = decode('{auth_sha256(session_id)}', 'hex')")
    before = server.last_seq()
    first = session.get(server.base + "/api/v1/me", timeout=10)
    assert first.status_code == 401
    assert set_cookie_fields(first, "spaceaudit_session").startswith("spaceaudit_session=;")
    second = requests.get(server.base + "/api/v1/me", cookies={"spaceaudit_session": session_id}, timeout=10)
    assert second.status_code == 401
    events = server.events_after(before)
    assert [(e["event"], e["reason"], e["user_sub"]) for e in events] == [("session_expired", reason, ADMIN["sub"])]


@pytest.mark.parametrize("payload", open_redirect_payloads())
def test_open_redirect_payload_is_dropped(server, payload):
    session = requests.Session()
    probe = auth_start_login(session, server, payload)
    if probe.status_code == 400:  # refused whole by the HTTP layer (a NUL in the query): no redirect at all
        assert "Location" not in probe.headers
        return
    login, done = sign_in(session, server, ADMIN["sub"], return_to=payload)
    state_hash = auth_sha256(auth_query(login.headers["Location"])["state"])
    stored = auth_psql(server.database_url, f"SELECT return_to FROM login_attempts WHERE state_hash = decode('{state_hash}', 'hex')")
    assert stored == [[None]]
    assert done.status_code == 303 and done.headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/", "/spaces/acme/app", "/spaces/acme/app?tab=events&page=2", "/api/v1/report?since=30d",
                                  "/spaces?q=%2Fok", "/a/b#events"])
def test_local_return_path_is_kept(server, path):
    session = requests.Session()
    _, done = sign_in(session, server, ADMIN["sub"], return_to=path)
    assert done.status_code == 303 and done.headers["Location"] == path


def test_api_me_without_session_says_not_signed_in(server):
    response = requests.get(server.base + "/api/v1/me", timeout=10)
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "not_signed_in" and body["sign_in_enabled"] is True and body["login_url"] == "/login"
    assert "csrf_token" not in body
