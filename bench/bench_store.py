"""Benchmark: import throughput into a DuckDB file and into PostgreSQL, side by side (rows per second).

Run ``python -m bench.bench_store [--rows 100000 1000000] [--postgres URL]``. For each size it writes the
synthetic extract of ``bench_import`` (about 1% bad rows), reads and validates it once (not timed here:
``bench_import`` times that), then times, on each backend, in a new store:

* **first import**: every accepted row inserted (``apply_import``: one transaction, history row);
* **upsert**: the same extract again with 10% of the rows changed (those updated, with their previous
  values kept for rollback; the rest compared and left alone);
* **rollback** of that upsert;
* **demo write**: ``replace_all`` of the accepted rows (what ``python -m equity demo`` does).

``--postgres`` is the URL of a server where the benchmark may create and drop a database (default: the
test server of ``scripts/postgres-up``, started if needed).
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from data.backend import StoreRef
from data.importer import apply_mapping, read_extract, suggest_mapping
from data.imports import apply_import, rollback_import
from data.store import replace_all
from data.validation import ValidationResult, load_geography, validate
from equity.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
STEPS: tuple[str, ...] = ("first import", "upsert 10%", "rollback", "demo write")


def _postgres_admin(url: str | None) -> str:
    if url:
        return url
    subprocess.run([str(REPO / "scripts" / "postgres-up")], check=True, capture_output=True)
    return (REPO / ".cache" / "postgres.url").read_text().strip()


def _changed(result: ValidationResult, share: float = 0.1) -> ValidationResult:
    accepted = result.accepted.copy()
    step = int(1 / share)
    accepted.loc[accepted.index[::step], "service"] = "Changed service"
    return dataclasses.replace(result, accepted=accepted)


def _time(job: Callable[[], object]) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def run_backend(store: StoreRef, result: ValidationResult, changed: ValidationResult, sha: str) -> dict[str, float]:
    rows = len(result.accepted)
    return {
        "first import": _time(lambda: apply_import(store, result, file_name="a.csv", sha256=sha)),
        "upsert 10%": _time(lambda: apply_import(store, changed, file_name="b.csv", sha256=sha + "b")),
        "rollback": _time(lambda: rollback_import(store)),
        "demo write": _time(lambda: replace_all(store, result.accepted, kind="demo", description="bench")),
        "rows": float(rows),
    }


def run(rows: int, admin_url: str) -> dict[str, dict[str, float]]:
    import psycopg

    from bench.bench_import import make_extract

    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "extract.csv"
        make_extract(source, rows, settings.cache_dir)
        extract = read_extract(source)
        frame = apply_mapping(extract, suggest_mapping(extract.columns))
        result = validate(frame, load_geography(settings.cache_dir, settings.reference_dir),
                          row_numbers=extract.row_numbers)
        changed = _changed(result)
        figures = {"duckdb": run_backend(Path(tmp) / "store.duckdb", result, changed, extract.sha256)}
        name = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        try:
            url = admin_url.rsplit("/", 1)[0] + "/" + name
            figures["postgresql"] = run_backend(url, result, changed, extract.sha256)
        finally:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return figures


def table(rows: int, figures: dict[str, dict[str, float]]) -> pd.DataFrame:
    accepted = figures["duckdb"]["rows"]
    out = []
    for step in STEPS:
        duck, pg = figures["duckdb"][step], figures["postgresql"][step]
        out.append({"rows": rows, "step": step, "duckdb_s": round(duck, 2), "postgresql_s": round(pg, 2),
                    "duckdb_rows_per_s": round(accepted / duck), "postgresql_rows_per_s": round(accepted / pg),
                    "postgresql_over_duckdb": round(pg / duck, 1)})
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--postgres", metavar="URL", help="server URL (default: the scripts/postgres-up server)")
    args = parser.parse_args(argv)
    admin = _postgres_admin(args.postgres)
    frames = [table(rows, run(rows, admin)) for rows in args.rows]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(pd.concat(frames, ignore_index=True).to_string(index=False))
    print("rows/s count accepted rows (about 99% of the extract); times are wall-clock, one run each")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
