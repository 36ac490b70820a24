"""Sign-in cases that need a relying party of their own (a fresh `spaceaudit serve` each), because
discovery and the JWKS are cached per process and JWKS re-fetches are rate-limited (30 s):
unknown kid (one re-fetch, then rate-limited), key rotation (one re-fetch, then success),
discovery issuer mismatch, unreachable provider, and sign-in disabled.
"""

import pytest
import requests

from conftest_auth import (AuthMisbehavingProvider, AuthServer, auth_create_database, auth_drop_database,
                           auth_free_port, auth_record_case, auth_start_login)


@pytest.fixture(scope="module")
def provider():
    p = AuthMisbehavingProvider()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def database():
    url = auth_create_database("auth_fresh")
    yield url
    auth_drop_database(url)


@pytest.fixture
def fresh_server(database, provider, request):
    servers = []

    def start(provider_url=provider.base, **kwargs):
        s = AuthServer(database, provider_url, name=request.node.name[:40].replace("[", "_").replace("]", ""), **kwargs)
        servers.append(s)
        return s

    provider.mode("ok")
    yield start
    provider.mode("ok")
    for s in servers:
        s.stop()


def sign_in(session, server):
    start = auth_start_login(session, server)
    assert start.status_code == 302, start.text
    back = session.get(start.headers["Location"], allow_redirects=False, timeout=30)
    assert back.status_code == 302, back.text
    return session.get(back.headers["Location"], allow_redirects=False, timeout=30)


def test_unknown_kid_is_refused_after_one_refetch_then_rate_limited(provider, fresh_server):
    server = fresh_server()
    assert sign_in(requests.Session(), server).status_code == 303  # JWKS fetched once, kid known
    provider.mode("unknown_kid")
    fetches = provider.stats()["jwks"]
    before, sessions = server.last_seq(), server.session_count()
    response = sign_in(requests.Session(), server)
    refetches = provider.stats()["jwks"] - fetches
    events = server.events_after(before)
    observed = ", ".join(e["reason"] for e in events if e["event"] == "login_failed")
    auth_record_case("unknown kid (after one re-fetch)", "id_token_invalid:unknown_kid",
                     f"{observed} (JWKS re-fetches: {refetches})", server.session_count() != sessions, response.status_code)
    assert response.status_code == 502 and refetches == 1
    assert observed == "id_token_invalid:unknown_kid" and server.session_count() == sessions
    # A flood of unknown kids right after costs the provider nothing more: the re-fetch is rate-limited.
    for _ in range(3):
        assert sign_in(requests.Session(), server).status_code == 502
    assert provider.stats()["jwks"] - fetches == 1


def test_key_rotation_succeeds_after_one_refetch(provider, fresh_server):
    server = fresh_server()
    assert sign_in(requests.Session(), server).status_code == 303
    old_kid = provider.stats()["kid"]
    provider.mode("rotate_keys")  # new signing key under a new kid
    assert provider.stats()["kid"] != old_kid
    fetches = provider.stats()["jwks"]
    before = server.last_seq()
    session = requests.Session()
    response = sign_in(session, server)
    refetches = provider.stats()["jwks"] - fetches
    events = [e["event"] for e in server.events_after(before)]
    auth_record_case("key rotation (next login succeeds after one re-fetch)", "login_succeeded",
                     f"{events[-1]} (JWKS re-fetches: {refetches})", True, response.status_code)
    assert response.status_code == 303 and refetches == 1 and events == ["login_started", "login_succeeded"]
    assert session.get(server.base + "/api/v1/me", timeout=10).status_code == 200


def test_discovery_issuer_mismatch_is_refused_with_a_clear_error(provider, fresh_server):
    provider.mode("discovery_wrong_issuer")
    server = fresh_server()
    calls = provider.stats()
    before, sessions = server.last_seq(), server.session_count()
    response = auth_start_login(requests.Session(), server)
    events = server.events_after(before)
    observed = ", ".join(e["reason"] for e in events)
    auth_record_case("discovery issuer mismatch", "provider_unreachable:discovery_issuer_mismatch", observed,
                     server.session_count() != sessions, response.status_code)
    assert response.status_code == 503 and "Location" not in response.headers
    assert "issuer does not match" in response.text and provider.base in response.text
    assert [(e["event"], e["reason"]) for e in events] == [("login_failed", "provider_unreachable:discovery_issuer_mismatch")]
    assert "discovery_issuer_mismatch" in server.log_text()
    after = provider.stats()  # only discovery was asked; no JWKS, no token request
    assert after["discovery"] == calls["discovery"] + 1 and after["jwks"] == calls["jwks"] and after["token"] == calls["token"]


def test_unreachable_provider_does_not_stop_serve_and_login_answers_503(fresh_server):
    closed = f"http://127.0.0.1:{auth_free_port()}"  # nothing listens there
    server = fresh_server(provider_url=closed)
    assert requests.get(server.base + "/healthz", timeout=10).status_code == 200
    before = server.last_seq()
    response = auth_start_login(requests.Session(), server)
    events = server.events_after(before)
    auth_record_case("provider unreachable", "provider_unreachable", ", ".join(e["reason"] for e in events), False, response.status_code)
    assert response.status_code == 503 and response.headers["Content-Type"].startswith("text/html")
    assert "cannot be reached" in response.text
    assert [(e["event"], e["reason"]) for e in events] == [("login_failed", "provider_unreachable")]


def test_sign_in_disabled_explains_how_to_enable_it(fresh_server):
    server = fresh_server(provider_url=None)
    before = server.last_seq()
    me = requests.get(server.base + "/api/v1/me", timeout=10)
    assert me.status_code == 401
    body = me.json()
    assert body["sign_in_enabled"] is False and body["error"]["code"] == "not_signed_in"
    assert "set OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET (hf_oauth: true)" in body["sign_in_help"]
    login = requests.get(server.base + "/login", allow_redirects=False, timeout=10)
    assert login.status_code == 503 and "Location" not in login.headers
    assert "set OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET (hf_oauth: true)" in login.text
    assert server.last_seq() == before  # no provider, no attempt: nothing to record
