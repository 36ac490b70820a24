"""Every refusal of issue 3 against tests/provider/misbehaving_provider.py (which checks PKCE).

One provider process (mode switched per case) and one `spaceaudit serve` for the module. Each
case must end with no session and a `login_failed` event carrying the expected reason. Cases that
need a fresh relying party (JWKS rotation, unknown kid, discovery issuer) are in
test_auth_fresh_servers.py.
"""

import requests
import pytest

from conftest_auth import (AuthMisbehavingProvider, AuthServer, auth_create_database, auth_drop_database,
                           auth_psql, auth_query, auth_record_case, auth_sha256, auth_start_login, auth_with_query)

# Values the browser saw during the module; none may reach the database or the server's log.
SEEN_SECRETS = set()


@pytest.fixture(scope="module")
def provider():
    p = AuthMisbehavingProvider()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def server(provider):
    database = auth_create_database("auth_cases")
    s = AuthServer(database, provider.base, name="cases")
    yield s
    s.stop()
    auth_drop_database(database)


@pytest.fixture(autouse=True)
def provider_back_to_ok(provider):
    provider.mode("ok")
    yield
    provider.mode("ok")


def remember(session: requests.Session, *urls):
    for cookie in session.cookies:
        if cookie.value:
            SEEN_SECRETS.add(cookie.value)
    for url in urls:
        for key in ("state", "code", "nonce", "code_challenge"):
            value = auth_query(url).get(key)
            if value:
                SEEN_SECRETS.add(value)


def to_callback(session, server):
    """GET /login, then the provider's /authorize (auto-approved): the callback URL it sends back."""
    start = auth_start_login(session, server)
    assert start.status_code == 302, start.text
    authorize = start.headers["Location"]
    back = session.get(authorize, allow_redirects=False, timeout=30)
    assert back.status_code == 302, back.text
    remember(session, authorize, back.headers["Location"])
    return authorize, back.headers["Location"]


def call(session, url):
    response = session.get(url, allow_redirects=False, timeout=60)
    remember(session, url)
    return response


def expect_refusal(server, case, expected, before_seq, before_sessions, response, session):
    events = server.events_after(before_seq)
    failures = [e for e in events if e["event"] == "login_failed"]
    observed = ", ".join(e["reason"] or "" for e in failures) or "(no login_failed)"
    created = server.session_count() != before_sessions or any(e["event"] == "login_succeeded" for e in events)
    auth_record_case(case, expected, observed, created, response.status_code)
    assert response.status_code in (400, 403, 502, 503), response.status_code
    assert "spaceaudit_session" not in response.headers.get("Set-Cookie", "")
    assert not created
    assert [e["reason"] for e in failures] == [expected]
    assert failures[0]["outcome"] == "failure"
    assert failures[0]["client_id"] == "spaceaudit-test-client"
    assert failures[0]["redirect_uri"] == server.base + "/login/callback"
    assert failures[0]["user_sub"] is None  # nothing about the user is trusted on a failed sign-in
    assert session.get(server.base + "/api/v1/me", timeout=10).status_code == 401
    assert expected in response.text  # the page names the recorded reason


def test_ok_login_passes_pkce_and_creates_a_session(provider, server):
    session = requests.Session()
    before = server.last_seq()
    _, callback = to_callback(session, server)
    done = call(session, callback)
    assert done.status_code == 303 and done.headers["Location"] == "/"
    me = session.get(server.base + "/api/v1/me", timeout=10).json()
    assert me["user"]["username"] == "ada-example" and me["user"]["is_admin_all"] is True
    assert [e["event"] for e in server.events_after(before)] == ["login_started", "login_succeeded"]
    auth_record_case("positive: correct provider, PKCE checked", "login_succeeded", "login_succeeded", True, done.status_code)


MODE_CASES = [
    ("bad signature", "bad_signature", "id_token_invalid:bad_signature"),
    ("alg none", "alg_none", "id_token_invalid:alg_not_allowed"),
    ("HS256 signed with the client secret", "hs256_client_secret", "id_token_invalid:alg_not_allowed"),
    ("header carries its own key (jwk)", "header_jwk", "id_token_invalid:bad_signature"),
    ("header names its own key (jku)", "header_jku", "id_token_invalid:bad_signature"),
    ("wrong iss", "wrong_iss", "id_token_invalid:wrong_issuer"),
    ("wrong aud", "wrong_aud", "id_token_invalid:wrong_audience"),
    ("several audiences without our azp", "multi_aud_no_azp", "id_token_invalid:wrong_audience"),
    ("expired", "expired", "id_token_invalid:expired"),
    ("iat in the future", "iat_future", "id_token_invalid:issued_in_future"),
    ("nonce altered", "nonce_altered", "id_token_invalid:nonce_mismatch"),
    ("nonce missing", "nonce_missing", "id_token_invalid:nonce_mismatch"),
    ("userinfo sub mismatch", "userinfo_sub_mismatch", "userinfo_sub_mismatch"),
    ("error=access_denied at the callback", "access_denied", "idp_error:access_denied"),
    ("token endpoint 500", "token_500", "token_exchange_failed:server_error"),
    ("token endpoint not JSON", "token_not_json", "token_exchange_failed"),
    ("token endpoint stalls past the timeout", "token_stall", "token_exchange_failed"),
]


@pytest.mark.parametrize("case,mode,expected", MODE_CASES, ids=[c[1] for c in MODE_CASES])
def test_provider_misbehaviour_is_refused(provider, server, case, mode, expected):
    session = requests.Session()
    before, sessions = server.last_seq(), server.session_count()
    provider.mode(mode)
    _, callback = to_callback(session, server)
    response = call(session, callback)
    expect_refusal(server, case, expected, before, sessions, response, session)
    assert provider.stats()["attacker_jwks"] == 0  # a key named by the token is never fetched


def test_wrong_pkce_verifier_is_refused(provider, server):
    # The authorize request is tampered on its way (another code_challenge): the verifier we send
    # later no longer matches, and the provider (which checks PKCE) refuses the code.
    session = requests.Session()
    before, sessions = server.last_seq(), server.session_count()
    start = auth_start_login(session, server)
    authorize = auth_with_query(start.headers["Location"], code_challenge="A" * 43)
    back = session.get(authorize, allow_redirects=False, timeout=30)
    remember(session, authorize, back.headers["Location"])
    response = call(session, back.headers["Location"])
    expect_refusal(server, "wrong PKCE verifier", "token_exchange_failed:invalid_grant", before, sessions, response, session)


@pytest.fixture
def no_token_request(provider):
    """State checks come before any outbound call: the provider's token endpoint sees nothing."""
    before = provider.stats()["token"]
    yield
    assert provider.stats()["token"] == before


def test_state_missing(server, no_token_request):
    session = requests.Session()
    before, sessions = server.last_seq(), server.session_count()
    _, callback = to_callback(session, server)
    response = call(session, auth_with_query(callback, state=None))
    expect_refusal(server, "state missing", "state_missing", before, sessions, response, session)


def test_forged_callback_does_not_break_the_sign_in_in_progress(server):
    session = requests.Session()
    _, callback = to_callback(session, server)
    assert call(session, auth_with_query(callback, state=None)).status_code == 400
    assert call(session, auth_with_query(callback, state="forged")).status_code == 400
    assert call(session, callback).status_code == 303


def test_state_altered(server, no_token_request):
    session = requests.Session()
    before, sessions = server.last_seq(), server.session_count()
    _, callback = to_callback(session, server)
    state = auth_query(callback)["state"]
    altered = state[:-2] + ("AA" if not state.endswith("AA") else "BB")
    response = call(session, auth_with_query(callback, state=altered))
    expect_refusal(server, "state altered", "state_mismatch", before, sessions, response, session)


def test_state_reused(server):
    session = requests.Session()
    _, callback = to_callback(session, server)
    assert call(session, callback).status_code == 303
    session.cookies.clear()  # a replay from a clean browser must not log anybody in either
    before, sessions = server.last_seq(), server.session_count()
    response = call(session, callback)
    expect_refusal(server, "state reused", "state_reused", before, sessions, response, session)


def test_state_expired(server, no_token_request):
    session = requests.Session()
    before, sessions = server.last_seq(), server.session_count()
    _, callback = to_callback(session, server)
    state_hash = auth_sha256(auth_query(callback)["state"])
    # Ten minutes pass (the database is the clock here): the attempt's expiry moves into the past.
    auth_psql(server.database_url,
              f"UPDATE login_attempts SET expires_at = now() - interval '1 second' WHERE state_hash = decode('{state_hash}', 'hex')")
    response = call(session, callback)
    expect_refusal(server, "state expired", "state_expired", before, sessions, response, session)


def test_state_from_another_browser(server, no_token_request):
    victim, attacker = requests.Session(), requests.Session()
    _, callback = to_callback(victim, server)
    auth_start_login(attacker, server)  # the other browser has a sign-in cookie of its own
    before, sessions = server.last_seq(), server.session_count()
    response = call(attacker, callback)
    expect_refusal(server, "state from another browser", "state_mismatch", before, sessions, response, attacker)


def test_no_secret_reaches_the_database_or_the_log(server):
    assert len(SEEN_SECRETS) > 20  # states, codes, nonces, challenges and cookies of this module
    dump = "\n".join(
        "\n".join("|".join(cell or "" for cell in row) for row in auth_psql(server.database_url, f"SELECT t::text FROM {table} t"))
        for table in ("login_events", "login_attempts", "admin_sessions")
    )
    log = server.log_text()
    leaks = sorted(s for s in SEEN_SECRETS if s in dump or s in log or s.encode().hex() in dump)
    assert leaks == []
    assert "spaceaudit-test-secret" not in dump and "spaceaudit-test-secret" not in log
