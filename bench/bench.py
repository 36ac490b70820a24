"""SpaceAudit benchmarks, each against an anchor measured in the same run on the same data.

Started by bench/run.sh, which provides a throwaway PostgreSQL (BENCH_ADMIN_URL), the release
binary (BENCH_BIN), a scratch folder (BENCH_WORK) and the output folder (BENCH_OUT). Standard
library only. Prints `name: ours X unit, anchor Y unit, ratio R` per benchmark and writes
BENCH_OUT/results.md. Never asserts a time: numbers are reported, not judged.
"""
from __future__ import annotations

import json
import pathlib
import statistics
import time
from datetime import datetime, timezone

from bench_common import (BIN, CSV_SELECT, DB_URL, EXPORT_ROWS, EXPORT_SPACE, INGEST_EVENTS, OUT, REPEATS, WORK, Server, psql,
                          record, register, results, setup, spaceaudit_env, timed)
from bench_ingest import bench_ingest


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
