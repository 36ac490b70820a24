"""Durability under failure (product.md §4, issue 5): several concurrent ingest clients keep
sending while this test's own PostgreSQL cluster is stopped with `pg_ctl stop -m immediate`
and restarted several times, and spaceaudit is killed with SIGKILL (once while PostgreSQL is
down and batches sit in the spool) and restarted. Afterwards every acknowledged event must be
in the log exactly once, and every chain must verify.

The cluster is a dedicated one in a temporary folder: the shared test server is never stopped.
Counts are printed and written to Tests/e2e/out/durability.md."""
from __future__ import annotations

import os
import pathlib
import random
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

import requests

from ingest_support import IngestServer, ingest_event, ingest_free_port, ingest_psql, ingest_run

OUT = pathlib.Path(__file__).resolve().parent / "out"
PGBIN = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()])
CLIENTS = 6
SPACES = ["acme/app", "acme/other"]


class Cluster:
    """A private PostgreSQL cluster on a Unix socket, run as the postgres user when we are root."""

    def __init__(self):
        assert PGBIN, "PostgreSQL server binaries not found under /usr/lib/postgresql"
        self.bin = PGBIN[-1]
        self.root = tempfile.mkdtemp(prefix="spaceaudit-durability-pg-")
        os.chmod(self.root, 0o755)
        self.data = os.path.join(self.root, "data")
        self.port = ingest_free_port()
        self.url = f"postgresql:///postgres?host={self.root}&port={self.port}&user=postgres"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.pg("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync")

    def pg(self, tool: str, *args: str):
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, f"{tool} failed: {result.stderr}"

    def start(self):
        self.pg("pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "log"), "-w", "-t", "60", "start", "-o",
                f"-c listen_addresses='' -c unix_socket_directories={self.root} -p {self.port}")

    def crash(self):
        self.pg("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def stop(self):
        try:
            self.pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        except AssertionError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


class Client(threading.Thread):
    """Sends batches of 1–5 events with fresh idempotency keys; retries a batch (same keys)
    with backoff until it is acknowledged (202) or the retry budget runs out."""

    def __init__(self, number: int, servers: dict, tokens: dict, stop: threading.Event):
        super().__init__(daemon=True)
        self.number = number
        self.servers = servers
        self.tokens = tokens
        self.stop_event = stop
        self.sent: set[str] = set()
        self.acknowledged: set[str] = set()
        self.errors = 0
        self.random = random.Random(number)

    def run(self):
        session = requests.Session()
        while not self.stop_event.is_set():
            space = SPACES[self.number % len(SPACES)]
            batch = [ingest_event(f"c{self.number}-{uuid.uuid4().hex}", user_sub=f"user-{self.number}")
                     for _ in range(self.random.randint(1, 5))]
            keys = [event["idempotency_key"] for event in batch]
            self.sent.update(keys)
            for attempt in range(60):
                try:
                    response = session.post(f"{self.servers['url']}/api/v1/spaces/{space}/events", json={"events": batch},
                                            headers={"Authorization": f"Bearer {self.tokens[space]}"}, timeout=30)
                    if response.status_code == 202:
                        self.acknowledged.update(keys)
                        break
                    self.errors += 1
                except requests.RequestException:
                    self.errors += 1
                time.sleep(min(0.05 * (2 ** min(attempt, 5)), 1.0))


def test_acknowledged_events_survive_database_crashes_and_sigkill(tmp_path):
    cluster = Cluster()
    server = None
    try:
        cluster.start()
        assert ingest_run(cluster.url, "migrate").returncode == 0
        tokens = {}
        for space in SPACES:
            ingest_psql(cluster.url, "INSERT INTO spaces (id, host) VALUES (:'v1', 'x.hf.space');", space)
            tokens[space] = ingest_run(cluster.url, "spaces", "token", space).stdout.strip()
        data_dir = tempfile.mkdtemp(prefix="spaceaudit-durability-")
        os.chmod(data_dir, 0o755)
        server = IngestServer(cluster.url, data_dir, SPACEAUDIT_INGEST_RATE="100000", SPACEAUDIT_INGEST_BURST="100000").start()
        shared = {"url": server.url}
        stop = threading.Event()
        clients = [Client(n, shared, tokens, stop) for n in range(CLIENTS)]
        for client in clients:
            client.start()

        spooled_seen = 0
        chaos = []
        for cycle in range(4):
            time.sleep(1.5)
            cluster.crash()
            chaos.append("pg_ctl stop -m immediate")
            time.sleep(2.0)
            spooled_seen = max(spooled_seen, spool_batches(server.url))
            if cycle in (1, 3):
                # SIGKILL while PostgreSQL is down: the spool must carry the acknowledged batches.
                server.kill()
                chaos.append("SIGKILL spaceaudit (spool pending)")
            cluster.start()
            chaos.append("pg_ctl start")
            if cycle in (1, 3):
                server.start()
                chaos.append("spaceaudit restarted")
            if cycle == 2:
                time.sleep(1.0)
                server.kill()
                chaos.append("SIGKILL spaceaudit (database up)")
                server.start()
                chaos.append("spaceaudit restarted")
        time.sleep(1.5)
        stop.set()
        for client in clients:
            client.join(timeout=120)

        wait_until_drained(server.url)
        sent = set().union(*(c.sent for c in clients))
        acknowledged = set().union(*(c.acknowledged for c in clients))
        rows = ingest_psql(cluster.url, "SELECT idempotency_key FROM login_events WHERE source = 'ingest';").split()
        stored = set(rows)
        duplicates = len(rows) - len(stored)
        lost = acknowledged - stored
        verify = ingest_run(cluster.url, "verify")
        report = (
            "# Durability test (Tests/e2e/test_durability.py)\n\n"
            f"{CLIENTS} concurrent ingest clients; {len(chaos)} failure steps: {', '.join(chaos)}.\n\n"
            "| sent | acknowledged | stored | duplicates | lost | max spooled batches seen |\n|---|---|---|---|---|---|\n"
            f"| {len(sent)} | {len(acknowledged)} | {len(stored)} | {duplicates} | {len(lost)} | {spooled_seen} |\n\n"
            f"Client-side errors and retries: {sum(c.errors for c in clients)}. "
            f"Stored but never acknowledged (client gave up or answer lost): {len(stored - acknowledged)}.\n\n"
            f"`spaceaudit verify` exit {verify.returncode}:\n\n```\n{verify.stdout}```\n")
        OUT.mkdir(exist_ok=True)
        (OUT / "durability.md").write_text(report)
        print("\n" + report)
        assert duplicates == 0
        assert not lost, f"{len(lost)} acknowledged events are missing"
        assert stored <= sent
        assert len(acknowledged) > 100, "too little load to mean anything"
        assert spooled_seen > 0, "the spool was never used: the outage did not happen"
        assert verify.returncode == 0, verify.stdout
    finally:
        if server:
            server.kill()
            shutil.rmtree(server.data_dir, ignore_errors=True)
        cluster.stop()


def spool_batches(url: str) -> int:
    try:
        body = requests.get(url + "/readyz", timeout=5).json()
        return int(body.get("spool", {}).get("pending_batches", 0))
    except (requests.RequestException, ValueError):
        return 0


def wait_until_drained(url: str, timeout: float = 180):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            response = requests.get(url + "/readyz", timeout=5)
            last = response.text
            if response.status_code == 200 and response.json().get("status") == "ready":
                return
        except requests.RequestException as error:
            last = str(error)
        time.sleep(0.5)
    raise AssertionError(f"the spool did not drain: {last}")


def test_full_spool_refuses_with_503_and_recovers(tmp_path):
    """With PostgreSQL down and a tiny spool, ingest answers 503 + Retry-After once the spool is
    full, /readyz says degraded with the spool size; what was acknowledged is stored once after."""
    cluster = Cluster()
    server = None
    try:
        cluster.start()
        assert ingest_run(cluster.url, "migrate").returncode == 0
        ingest_psql(cluster.url, "INSERT INTO spaces (id, host) VALUES ('acme/app', 'x.hf.space');")
        token = ingest_run(cluster.url, "spaces", "token", "acme/app").stdout.strip()
        data_dir = tempfile.mkdtemp(prefix="spaceaudit-spoolfull-")
        os.chmod(data_dir, 0o755)
        server = IngestServer(cluster.url, data_dir, SPACEAUDIT_SPOOL_MAX_BYTES="8192").start()
        assert server.post("acme/app", token, {"events": [ingest_event("before")]}).status_code == 202
        cluster.crash()
        acknowledged, refused = ["before"], None
        for i in range(200):
            response = server.post("acme/app", token, {"events": [ingest_event(f"down-{i}", user_agent="x" * 500)]})
            if response.status_code == 202:
                assert response.json()["spooled"] is True
                acknowledged.append(f"down-{i}")
                continue
            refused = response
            break
        assert refused is not None, "the spool never filled up"
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "spool_full"
        assert int(refused.headers["Retry-After"]) > 0
        ready = requests.get(server.url + "/readyz", timeout=10)
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "degraded" and body["database"] == "unreachable"
        assert body["spool"]["pending_batches"] == len(acknowledged) - 1 and body["spool"]["pending_bytes"] > 0
        cluster.start()
        wait_until_drained(server.url)
        stored = ingest_psql(cluster.url, "SELECT idempotency_key FROM login_events ORDER BY seq;").split()
        assert stored == acknowledged  # in order, exactly once
        assert server.post("acme/app", token, {"events": [ingest_event("after")]}).json()["spooled"] is False
    finally:
        if server:
            server.kill()
            shutil.rmtree(server.data_dir, ignore_errors=True)
        cluster.stop()
