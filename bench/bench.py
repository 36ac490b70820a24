"""SpaceAudit benchmarks, each against an anchor measured in the same run on the same data.

Started by bench/run.sh, which provides a throwaway PostgreSQL (BENCH_ADMIN_URL), the release
binary (BENCH_BIN), a scratch folder (BENCH_WORK) and the output folder (BENCH_OUT). Standard
library only. Prints `name: ours X unit, anchor Y unit, ratio R` per benchmark and writes
BENCH_OUT/results.md. Never asserts a time: numbers are reported, not judged.
"""
from __future__ import annotations

import http.client
import json
import os
import pathlib
import statistics
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

ADMIN_URL = os.environ["BENCH_ADMIN_URL"]
BIN = os.environ["BENCH_BIN"]
WORK = pathlib.Path(os.environ["BENCH_WORK"])
OUT = pathlib.Path(os.environ["BENCH_OUT"])
REPO = pathlib.Path(__file__).resolve().parents[1]

BATCH = 500
INGEST_EVENTS = int(os.environ.get("BENCH_INGEST_EVENTS", "20000"))  # per scenario
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "200000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
EXPORT_SPACE = "bench/export"
# The exported columns, as AuditCSVEncoder writes them (docs/report-format.md), for the anchor.
CSV_SELECT = ("event_id, occurred_at, space_id, event, outcome, reason, user_sub, username, array_to_string(orgs, ' '), "
              "array_to_string(scopes_requested, ' '), array_to_string(scopes_granted, ' '), redirect_uri, client_id, "
              "client_ip, user_agent, source, encode(hash, 'hex')")
README = """---
title: Bench
sdk: gradio
hf_oauth: true
hf_oauth_scopes:
  - openid
  - profile
---
Benchmark Space.
"""

results: list[tuple[str, str, str, str, str]] = []


def with_database(url: str, name: str) -> str:
    # urlunsplit would drop the '//' of an empty host (postgresql:///db?host=/socket).
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


DB_URL = with_database(ADMIN_URL, "bench")


def psql(url: str, *args: str, sql: str | None = None) -> str:
    command = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", *args]
    done = subprocess.run(command, input=sql, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: psql failed: {done.stderr.strip()}")
    return done.stdout


def timed(command: list[str], env: dict | None = None, ok=(0,)) -> float:
    """Wall seconds of one process run, start to exit (both sides pay process start-up)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=300, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(command[:3])} exited {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def spaceaudit_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and not k.startswith("SPACEAUDIT_")}
    env.update(DATABASE_URL=DB_URL, SPACEAUDIT_HOME=str(REPO), SPACEAUDIT_DATA_DIR=str(WORK / "data"))
    env.update(extra)
    return env


def spaceaudit(*args: str, ok=(0,)) -> str:
    done = subprocess.run([BIN, *args], env=spaceaudit_env(), capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=300, check=False)
    if done.returncode not in ok:
        raise SystemExit(f"bench: spaceaudit {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def record(name: str, ours: float, anchor: float, unit: str, higher_is_better: bool):
    ratio = ours / anchor if anchor else float("nan")
    better = "higher is better" if higher_is_better else "lower is better"
    print(f"{name}: ours {ours:,.1f} {unit}, anchor {anchor:,.1f} {unit}, ratio {ratio:.3f} ({better})", flush=True)
    results.append((name, f"{ours:,.1f}", f"{anchor:,.1f}", unit, f"{ratio:.3f} ({better})"))


# ---------------------------------------------------------------------------------------------
# Setup


def setup():
    psql(ADMIN_URL, sql='DROP DATABASE IF EXISTS bench WITH (FORCE); CREATE DATABASE bench;')
    (WORK / "data").mkdir(parents=True, exist_ok=True)
    (WORK / "README.md").write_text(README)
    spaceaudit("migrate")


def register(space: str):
    spaceaudit("spaces", "add", space, "--readme", str(WORK / "README.md"))


class Server:
    """`spaceaudit serve` on a free loopback port, with the per-token rate limit out of the way."""

    def __init__(self):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = open(WORK / "serve.log", "ab")
        env = spaceaudit_env(PORT=str(self.port), SPACEAUDIT_BIND="127.0.0.1", SPACEAUDIT_INGEST_RATE="1000000",
                             SPACEAUDIT_INGEST_BURST="1000000")
        self.process = subprocess.Popen([BIN, "serve"], env=env, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        with open(OUT / "pids", "a") as pids:  # run.sh's trap stops it if this script dies
            pids.write(f"{self.process.pid}\n")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: serve exited early; see {WORK / 'serve.log'}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("bench: serve did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# 1. ingest: events/s through the HTTP API vs COPY into a plain table


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


# ---------------------------------------------------------------------------------------------
# 2. export and 3. report over EXPORT_ROWS seeded rows


def seed_export_rows():
    """EXPORT_ROWS rows over the last 60 days in their own Space, written by one INSERT … SELECT
    (the rollup trigger fires, so the report has its summaries). Hashes are placeholders:
    verify is not run. The same INSERT into a plain table (no trigger, no index) is its anchor:
    the ratio is the price of the partitioned table, its index and the rollup trigger."""
    register(EXPORT_SPACE)
    psql(DB_URL, sql="SELECT ensure_login_events_partition(now() - k * interval '1 day') FROM generate_series(0, 61) AS k;"
                     "DROP TABLE IF EXISTS plain_seed; CREATE TABLE plain_seed (LIKE login_events INCLUDING DEFAULTS);")
    start = time.perf_counter()
    psql(DB_URL, sql=seed_sql("plain_seed"))
    anchor = time.perf_counter() - start
    start = time.perf_counter()
    psql(DB_URL, sql=seed_sql("login_events"))
    ours = time.perf_counter() - start
    psql(DB_URL, sql=f"""
        -- The chain head, so each export's own `export` event appends after the seeded rows.
        INSERT INTO chain_heads (space_id, seq, hash) VALUES ('{EXPORT_SPACE}', {EXPORT_ROWS}, sha256(int8send({EXPORT_ROWS}::bigint)))
        ON CONFLICT (space_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash;
        DROP TABLE plain_seed;
        ANALYZE;
    """)
    record("seed_insert_select", EXPORT_ROWS / ours, EXPORT_ROWS / anchor, "rows/s", higher_is_better=True)


def seed_sql(table: str) -> str:
    return f"""
        INSERT INTO {table} (space_id, seq, occurred_at, event, outcome, reason, user_sub, username, orgs,
                                  scopes_requested, scopes_granted, redirect_uri, client_id, client_ip, user_agent,
                                  source, idempotency_key, prev_hash, hash)
        SELECT '{EXPORT_SPACE}', i, now() - interval '60 days' + (i * interval '60 days') / {EXPORT_ROWS},
               CASE WHEN i % 10 = 0 THEN 'login_failed' WHEN i % 10 IN (1, 2) THEN 'login_started' ELSE 'login_succeeded' END,
               CASE WHEN i % 10 = 0 THEN 'failure' WHEN i % 10 IN (1, 2) THEN NULL ELSE 'success' END,
               CASE WHEN i % 10 = 0 THEN 'idp_error:access_denied' END,
               CASE WHEN i % 10 >= 3 THEN 'sub-' || (i % 5000) END,
               CASE WHEN i % 10 >= 3 THEN 'user' || (i % 5000) END,
               CASE WHEN i % 10 >= 3 THEN ARRAY['acme', 'org' || (i % 7)] ELSE '{{}}' END,
               ARRAY['openid', 'profile'],
               CASE WHEN i % 10 >= 3 THEN ARRAY['openid', 'profile'] ELSE '{{}}' END,
               'https://bench-export.hf.space/login/callback', 'bench-client', '10.1.' || (i % 250) || '.' || (i % 199),
               'Mozilla/5.0 (X11; Linux x86_64) bench', 'ingest', 'seed-' || i,
               CASE WHEN i > 1 THEN sha256(int8send(i - 1)) END, sha256(int8send(i))
          FROM generate_series(1, {EXPORT_ROWS}) AS i;
    """


def bench_export():
    ours_times, anchor_times, ours_rows, anchor_rows = [], [], 0, 0
    target, anchor_target = WORK / "export.csv", WORK / "anchor-export.csv"
    for _ in range(REPEATS):  # alternated, so drift (other load, cache) hits both sides alike
        ours_times.append(timed([BIN, "export", "--space", EXPORT_SPACE, "--format", "csv", "-o", str(target)], env=spaceaudit_env()))
        ours_rows = json.loads(pathlib.Path(f"{target}.manifest.json").read_text())["rows"]
        anchor_times.append(timed(["psql", DB_URL, "-X", "-q", "-c",
                                   f"\\copy (SELECT {CSV_SELECT} FROM login_events WHERE space_id = '{EXPORT_SPACE}' "
                                   f"ORDER BY space_id, seq) TO '{anchor_target}' CSV HEADER"]))
        anchor_rows = sum(1 for _ in open(anchor_target, "rb")) - 1  # no embedded newlines in these rows
    ours, anchor = statistics.median(ours_times), statistics.median(anchor_times)
    print(f"  export files: ours {target.stat().st_size / 1e6:.1f} MB, anchor {anchor_target.stat().st_size / 1e6:.1f} MB; "
          f"times ours {fmt(ours_times)} s, anchor {fmt(anchor_times)} s", flush=True)
    record("export_csv", ours_rows / ours, anchor_rows / anchor, "rows/s", higher_is_better=True)


def bench_report():
    ours_times, anchor_times = [], []
    for _ in range(REPEATS):
        # Exit 1 means "a finding at or above --fail-on": a finished report either way.
        ours_times.append(timed([BIN, "report", "--format", "json", "--since", "30d"], env=spaceaudit_env(), ok=(0, 1)))
        anchor_times.append(timed(["psql", DB_URL, "-X", "-q", "-At", "-c",
                                   "SELECT count(*), count(DISTINCT user_sub) FROM login_events "
                                   "WHERE occurred_at > now() - interval '30 days'"]))
    ours, anchor = statistics.median(ours_times), statistics.median(anchor_times)
    print(f"  report times: ours {fmt(ours_times)} s, anchor {fmt(anchor_times)} s", flush=True)
    record("report_json_30d", ours * 1000, anchor * 1000, "ms", higher_is_better=False)


def fmt(values: list[float]) -> str:
    return " ".join(f"{v:.3f}" for v in values)


def write_results(notes: list[str]):
    lines = ["# Benchmark results", "", f"Run at {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}, "
             f"{INGEST_EVENTS} events per ingest scenario, {EXPORT_ROWS} seeded rows, median of {REPEATS} for export/report.", "",
             "| benchmark | ours | anchor | unit | ratio ours/anchor |", "|---|---:|---:|---|---|"]
    lines += [f"| {n} | {o} | {a} | {u} | {r} |" for n, o, a, u, r in results]
    lines += ["", *notes, ""]
    (OUT / "results.md").write_text("\n".join(lines))


def main():
    started = time.perf_counter()
    setup()
    notes = []
    server = Server()
    try:
        bench_ingest(server, "ingest_1_client", ["bench/ingest-one"], clients=1)
        bench_ingest(server, "ingest_4_clients_4_spaces", [f"bench/ingest-four-{c}" for c in "abcd"], clients=4)
        bench_ingest(server, "ingest_4_clients_1_space", ["bench/ingest-shared"], clients=4)
    finally:
        server.stop()
    seed_export_rows()
    bench_export()
    bench_report()
    notes.append(f"Whole run (without the build): {time.perf_counter() - started:.0f} s.")
    write_results(notes)
    print(f"bench: wrote {OUT / 'results.md'} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
