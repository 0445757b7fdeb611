"""Benchmark: the same filter changes -> LSOA indicator table on each engine, side by side in one run.

Run: ``.venv/bin/python -m bench.bench_engines [--referrals 1000000 10000000] [--engines duckdb postgresql spark]
[--server-max N]``. Generates demo referrals (the demo generator at 1,000,000 and below; larger stores are the
1,000,000 tiled with new referral and person ids, inside DuckDB), copies them to a fresh database of the
PostgreSQL test server (``scripts/postgres-up``; ``COPY``, timed: the load throughput) and to a Parquet file
read by a local Spark session (``spark:parquet:``), then times ``report --by lsoa`` (the LSOA table with
intervals and disclosure control, from an empty memo: a filter change) for the filter changes of
``bench_filters``. PostgreSQL and Spark run only up to ``--server-max`` referrals (default 1,000,000: loading
10,000,000 rows into them takes minutes). Nothing is written outside a temporary directory and the
throwaway database.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from bench.bench_filters import SELECTIONS
from data.demo import generate
from data.location import parse_store
from data.store import connect, replace_all
from equity.dashboard import forget_frames
from equity.report import report
from equity.settings import REPO_ROOT, Settings, load_settings
from geo.cache import load_areas, load_change_links

BASE_ROWS = 1_000_000
REPEATS = 3


def _duckdb_store(cfg: Settings, path: Path, referrals: int) -> None:
    """A DuckDB store of ``referrals`` demo rows: generated up to 1,000,000, then tiled with new ids."""
    frame = generate(load_areas(cfg.cache_dir, 2025), load_change_links(cfg.cache_dir),
                     referrals=min(referrals, BASE_ROWS))
    replace_all(path, frame, kind="demo", description="bench")
    copies = -(-referrals // len(frame))
    if copies > 1:
        con = connect(path)
        try:
            con.execute(
                "INSERT INTO referrals SELECT r.* REPLACE (r.referral_id || '-' || c.k AS referral_id, "
                "r.person_id || '-' || c.k AS person_id) FROM referrals AS r, range(1, ?) AS c(k)", [copies]
            )
            con.execute(f"DELETE FROM referrals WHERE rowid >= {int(referrals)}")
            con.execute("CHECKPOINT")
        finally:
            con.close()


def _time(cfg: Settings) -> list[float]:
    times = []
    for _ in range(REPEATS):
        for selection in SELECTIONS:
            forget_frames()  # a filter change: nothing of this selection is kept yet
            t0 = time.perf_counter()
            report(cfg, selection, "referrals", "lsoa")
            times.append(time.perf_counter() - t0)
    return times


def _postgres(cfg: Settings, store: Path, tmp: Path) -> tuple[Settings, str, str, float]:
    import subprocess

    import psycopg

    from data.copies import to_postgres

    subprocess.run([str(REPO_ROOT / "scripts" / "postgres-up")], check=True, capture_output=True)
    server = (REPO_ROOT / ".cache" / "postgres.url").read_text().strip()
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = server.rsplit("/", 1)[0] + "/" + name
    con = connect(store, read_only=True)
    try:
        frame = con.execute("SELECT * FROM referrals").df()
    finally:
        con.close()
    t0 = time.perf_counter()
    rows = to_postgres(url, frame, description="bench")
    seconds = time.perf_counter() - t0
    return replace(cfg, store=parse_store(url), store_path=tmp / "pg-state.duckdb"), server, name, rows / seconds


def _spark(cfg: Settings, store: Path, tmp: Path) -> Settings:
    parquet = tmp / "referrals.parquet"
    con = connect(store, read_only=True)
    try:
        con.execute(f"COPY referrals TO '{parquet}' (FORMAT parquet)")
    finally:
        con.close()
    return replace(cfg, store=parse_store(f"spark:parquet:{parquet}"), store_path=tmp / "spark-state.duckdb")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--engines", nargs="+", default=["duckdb", "postgresql", "spark"],
                        choices=["duckdb", "postgresql", "spark"])
    parser.add_argument("--server-max", type=int, default=1_000_000,
                        help="largest store loaded into PostgreSQL and Spark (default 1,000,000)")
    args = parser.parse_args()
    base = load_settings()
    rows_out = []
    for referrals in args.referrals:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            cfg = replace(base, store_path=tmp / "bench.duckdb", store=None)
            t0 = time.perf_counter()
            _duckdb_store(cfg, cfg.store_path, referrals)
            print(f"{referrals:,} referrals: DuckDB store made in {time.perf_counter() - t0:.1f} s", flush=True)
            results: dict[str, list[float]] = {}
            if "duckdb" in args.engines:
                report(cfg, SELECTIONS[0], "referrals", "lsoa")  # warm: imports, reference cache
                results["duckdb"] = _time(cfg)
            if referrals <= args.server_max and "postgresql" in args.engines:
                import psycopg

                pg, server, name, throughput = _postgres(cfg, cfg.store_path, tmp)
                print(f"  PostgreSQL load (COPY, one transaction): {throughput:,.0f} referrals/s")
                try:
                    report(pg, SELECTIONS[0], "referrals", "lsoa")
                    results["postgresql"] = _time(pg)
                finally:
                    with psycopg.connect(server, autocommit=True) as admin:
                        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            if referrals <= args.server_max and "spark" in args.engines:
                spark = _spark(cfg, cfg.store_path, tmp)
                t0 = time.perf_counter()
                report(spark, SELECTIONS[0], "referrals", "lsoa")
                print(f"  Spark: local session started and first table in {time.perf_counter() - t0:.1f} s")
                results["spark"] = _time(spark)
            duck = statistics.median(results["duckdb"]) if "duckdb" in results else None
            for engine, times in results.items():
                median = statistics.median(times)
                ratio = f"{median / duck:.1f}x" if duck else "-"
                rows_out.append((referrals, engine, median, max(times), ratio))
                print(f"  {engine}: median {median:.3f} s, max {max(times):.3f} s ({ratio} DuckDB)", flush=True)
    print(f"\nLSOA indicator table per filter change ({len(SELECTIONS)} filter changes x {REPEATS}; "
          "target on DuckDB at 10,000,000: median < 0.3 s)")
    print(f"{'referrals':>12}  {'engine':<11} {'median s':>9} {'max s':>8}  vs DuckDB")
    for referrals, engine, median, worst, ratio in rows_out:
        print(f"{referrals:>12,}  {engine:<11} {median:>9.3f} {worst:>8.3f}  {ratio}")


if __name__ == "__main__":
    main()
