"""Shared by the benchmarks: settings from bench/run.sh, psql and spaceaudit runners, a
`spaceaudit serve`, and the results table. Settings come from bench/run.sh: BENCH_ADMIN_URL (its own
PostgreSQL), BENCH_BIN, BENCH_WORK, BENCH_OUT."""
from __future__ import annotations

import os
import pathlib
import subprocess
import time
import urllib.parse
import urllib.request

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
