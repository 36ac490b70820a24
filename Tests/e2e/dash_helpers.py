"""Helpers for the dashboard e2e tests (prefixed dash_ so they never clash with other suites).

The server under test is the real binary running `spaceaudit demo` on a fresh database of the
test server; sessions are rows inserted straight into admin_sessions (id_hash = sha256 of the
cookie value), as the auth flow itself is tested elsewhere.
"""
import hashlib
import json
import os
import pathlib
import secrets
import subprocess
import urllib.parse


from process_support import free_port, stop, wait_until_answers

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "spaceaudit"


def dash_base_url():
    url = os.environ.get("SPACEAUDIT_TEST_DATABASE_URL")
    if not url:
        raise RuntimeError('SPACEAUDIT_TEST_DATABASE_URL is not set: run eval "$(scripts/test-postgres.sh)" first')
    return url


def dash_database_url(name):
    # Swap the path by hand: urlunsplit drops the "//" of "postgresql:///db?host=…" (empty host).
    parts = urllib.parse.urlsplit(dash_base_url())
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


def dash_psql(url, sql, *args):
    """Runs sql with psql variables :'v1', :'v2'… bound to args (psql quotes them)."""
    command = ["psql", url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]
    for index, value in enumerate(args, 1):
        command += ["-v", f"v{index}={value}"]
    result = subprocess.run(command, input=sql, capture_output=True, text=True, check=True)
    return result.stdout.strip()


dash_free_port = free_port


def dash_insert_session(url, admin=True, orgs=()):
    cookie = secrets.token_urlsafe(32)
    id_hash = hashlib.sha256(cookie.encode()).hexdigest()
    org_array = "{" + ",".join(orgs) + "}"
    dash_psql(url, """
        INSERT INTO admin_sessions (id_hash, sub, username, is_admin_all, visible_orgs, csrf_hash, expires_at)
        VALUES (decode(:'v1', 'hex'), 'dash-sub', 'dash-admin', :'v2', :'v3', '\\x00', now() + interval '2 hours');
        """, id_hash, "true" if admin else "false", org_array)
    return cookie


class DashServer:
    """`spaceaudit demo` on a fresh database, stopped (and the database dropped) by close()."""

    def __init__(self):
        self.db_name = "dash_e2e_" + secrets.token_hex(6)
        dash_psql(dash_base_url(), f'CREATE DATABASE "{self.db_name}"')
        self.database_url = dash_database_url(self.db_name)
        self.port = dash_free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=self.database_url)
        self.log = open(f"/tmp/{self.db_name}.log", "w+")
        self.process = subprocess.Popen(
            [str(BINARY), "demo", "--port", str(self.port), "--provider-port", str(dash_free_port())],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        wait_until_answers(self.url + "/healthz", self.process, "spaceaudit demo", timeout=60,
                           accept=lambda response: response.status_code == 200, log=self._log_text)

    def _log_text(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def close(self):
        stop(self.process)
        dash_psql(dash_base_url(), f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


def dash_browser(width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def dash_json(response):
    return json.loads(response.text)
