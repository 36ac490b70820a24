"""The served surface every other feature stands on: health, readiness, static files and the
security headers on every response."""
import requests

from conftest import psql, start_server


SECURITY_HEADERS = ("X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy")


def test_health_and_readiness(server):
    assert requests.get(server.base + "/healthz").json() == {"status": "ok"}
    ready = requests.get(server.base + "/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


def test_dashboard_page_is_served_with_security_headers(server):
    page = requests.get(server.base + "/")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    for name in SECURITY_HEADERS:
        assert name in page.headers, name
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_unknown_path_is_a_json_404_with_security_headers(server):
    missing = requests.get(server.base + "/api/v1/nothing-here")
    assert missing.status_code == 404
    assert "error" in missing.json()
    for name in SECURITY_HEADERS:
        assert name in missing.headers, name


def test_path_traversal_is_refused(server):
    for path in ("/../README.md", "/%2e%2e/README.md", "/..%2fREADME.md"):
        response = requests.get(server.base + path)
        assert response.status_code in (400, 404), path
        assert "SpaceAudit audits" not in response.text


def test_serve_migrated_the_database(server, fresh_database):
    versions = psql(fresh_database, "SELECT version FROM schema_migrations ORDER BY version").split()
    assert versions and versions[0] == "1"
    tables = psql(fresh_database, "SELECT count(*) FROM pg_tables WHERE tablename IN "
                  "('spaces','login_events','admin_sessions','login_attempts','ingest_tokens')").strip()
    assert tables == "5"


def test_metrics_are_prometheus_text(server):
    requests.get(server.base + "/healthz")
    metrics = requests.get(server.base + "/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["Content-Type"].startswith("text/plain")
    assert "spaceaudit_http_requests_total" in metrics.text


def test_metrics_need_a_session_when_not_public(fresh_database):
    private = start_server({"DATABASE_URL": fresh_database, "SPACEAUDIT_METRICS_PUBLIC": "false"})
    try:
        response = requests.get(private.base + "/metrics")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_signed_in"
        assert requests.get(private.base + "/healthz").status_code == 200
        assert requests.get(private.base + "/readyz").status_code == 200
    finally:
        private.stop()
