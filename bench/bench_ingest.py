"""1. ingest: events/s through the HTTP API vs COPY FROM STDIN of the same rows into a plain table."""
from __future__ import annotations

import http.client
import json
import subprocess
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from bench_common import BATCH, DB_URL, INGEST_EVENTS, WORK, Server, psql, record, register, spaceaudit


def make_event(i: int, base: datetime) -> dict:
    """A realistic mix: 70% successes (with user, scopes, redirect), 20% starts, 10% failures."""
    at = (base + timedelta(microseconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    kind = i % 10
    event = {"event": "login_succeeded", "occurred_at": at, "idempotency_key": uuid.uuid4().hex,
             "redirect_uri": "https://bench-app.hf.space/login/callback", "client_id": "bench-client",
             "client_ip": f"10.0.{(i // 250) % 250}.{i % 250}", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) bench",
             "scopes_requested": ["openid", "profile"]}
    if kind == 0:
        event.update(event="login_failed", outcome="failure", reason="idp_error:access_denied")
    elif kind in (1, 2):
        event.update(event="login_started")
    else:
        event.update(outcome="success", user_sub=f"sub-{i % 3000}", username=f"user{i % 3000}", orgs=["acme"],
                     scopes_granted=["openid", "profile"])
    return event


def make_bodies(count: int, offset: int) -> list[bytes]:
    # occurred_at an hour back: inside retention, never "in the future" however long the run.
    base = datetime.now(timezone.utc) - timedelta(hours=1)
    events = [make_event(offset + i, base) for i in range(count)]
    return [json.dumps({"events": events[j:j + BATCH]}).encode() for j in range(0, count, BATCH)]


def post_all(port: int, path: str, token: str, bodies: list[bytes], errors: list[str]):
    """One keep-alive connection posting its batches in order."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        for body in bodies:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 202:
                errors.append(f"{response.status}: {answer[:300]!r}")
                return
            if json.loads(answer).get("accepted") != BATCH:
                errors.append(f"partial batch: {answer[:300]!r}")
                return
    finally:
        connection.close()


def copy_anchor(spaces: list[str], clients: int) -> float:
    """The same stored rows, COPYed FROM STDIN (`\\copy`) into plain tables with the same
    columns (no chain, no trigger, no index), by as many concurrent psql sessions as clients."""
    files = []
    for n, space in enumerate(spaces):
        path = WORK / f"anchor-{n}.csv"
        psql(DB_URL, "-c", f"\\copy (SELECT * FROM login_events WHERE space_id = '{space}' ORDER BY seq) TO '{path}' CSV")
        files.append(path)
    if len(files) < clients:  # one shared Space: split its rows across the sessions
        lines = files[0].read_bytes().splitlines(keepends=True)
        size = -(-len(lines) // clients)
        files = []
        for n in range(clients):
            path = WORK / f"anchor-split-{n}.csv"
            path.write_bytes(b"".join(lines[n * size:(n + 1) * size]))
            files.append(path)
    psql(DB_URL, sql="DROP TABLE IF EXISTS plain_events; CREATE TABLE plain_events (LIKE login_events);")
    start = time.perf_counter()
    processes = [subprocess.Popen(["psql", DB_URL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                   f"\\copy plain_events FROM '{path}' CSV"], stdout=subprocess.DEVNULL)
                 for path in files]
    codes = [p.wait(timeout=300) for p in processes]
    elapsed = time.perf_counter() - start
    if any(codes):
        raise SystemExit("bench: anchor COPY failed")
    return elapsed


def bench_ingest(server: Server, name: str, spaces: list[str], clients: int):
    tokens = {}
    for space in spaces:
        register(space)
        tokens[space] = spaceaudit("spaces", "token", space).strip()
    per_client = INGEST_EVENTS // clients // BATCH * BATCH
    plans = []
    for n in range(clients):
        space = spaces[n % len(spaces)]
        path = f"/api/v1/spaces/{space}/events"
        plans.append((path, tokens[space], make_bodies(per_client, n * per_client)))
    # Warm-up (not timed): one batch per client, so pool connections and caches exist.
    errors: list[str] = []
    for n, (path, token, _) in enumerate(plans):
        post_all(server.port, path, token, make_bodies(BATCH, 10_000_000 + n * BATCH), errors)
    threads = [threading.Thread(target=post_all, args=(server.port, path, token, bodies, errors)) for path, token, bodies in plans]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"bench: ingest failed: {errors[0]}")
    total = per_client * clients
    stored = int(psql(DB_URL, "-c", "SELECT count(*) FROM login_events WHERE space_id = ANY(string_to_array($$"
                      + ",".join(spaces) + "$$, ','))").strip())
    if stored != total + clients * BATCH:
        raise SystemExit(f"bench: {stored} rows stored, expected {total + clients * BATCH}")
    anchor = copy_anchor(spaces, clients)
    anchor_rows = int(psql(DB_URL, "-c", "SELECT count(*) FROM plain_events").strip())
    record(name, total / elapsed, anchor_rows / anchor, "events/s", higher_is_better=True)
