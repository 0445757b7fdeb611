"""Benchmark: validate and store a 1,000,000-row referral extract (CSV).

Run ``python -m bench.bench_import [--rows N]``. It writes its own synthetic extract to a
temporary directory (LSOA 2021 and 2011 codes, postcodes and about 1% bad rows), then times
reading, validation and the atomic import into a new DuckDB store, and reports rows per second
and peak memory (maximum resident set size from ``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from data.importer import apply_mapping, read_extract, suggest_mapping
from data.imports import apply_import
from data.validation import load_geography, validate
from equity.settings import load_settings
from geo.cache import load_areas, load_change_links

TARGET_SECONDS = 30.0
TARGET_MEMORY_MB = 2048.0


def make_extract(path: Path, rows: int, cache_dir: Path, seed: int = 7) -> None:
    """Write a synthetic extract of ``rows`` rows to ``path`` (CSV, day-first dates)."""
    from geo.cache import load_boundaries
    from geo.postcodes import LsoaLocator, postcode_directory

    rng = np.random.default_rng(seed)
    areas = load_areas(cache_dir, 2025, "icb")
    links = load_change_links(cache_dir)
    directory = postcode_directory()
    known = directory.known({"B", "F", "L", "P"}).to_series()
    sample = known[known.str.match(r"^(FY|PR|BB|LA)\d")].sample(30_000, random_state=seed)
    located = directory.locate(sample)
    inside = LsoaLocator(load_boundaries(cache_dir, 2025, "lsoa")).locate(located["easting"], located["northing"])
    pool = sample[pd.notna(inside)].to_numpy()[:20_000]  # real postcodes that fall in L&SC

    kind = rng.choice(3, size=rows, p=[0.7, 0.2, 0.1])
    lsoa = np.where(
        kind == 0, rng.choice(areas["lsoa_code"].to_numpy(), rows), rng.choice(links["lsoa11_code"].to_numpy(), rows)
    ).astype(object)
    postcode = np.full(rows, "", dtype=object)
    postcode[kind == 2] = rng.choice(pool, int((kind == 2).sum()))
    lsoa[kind == 2] = ""
    start = np.datetime64(dt.date.today()) - np.timedelta64(1300, "D")  # every date in the past
    referral = start + rng.integers(0, 1200, rows).astype("timedelta64[D]")
    contact = referral + rng.integers(1, 90, rows).astype("timedelta64[D]")
    has_contact = rng.random(rows) < 0.8
    ethnic = rng.choice(np.array(["A", "B", "C", "H", "J", "N", "S", "Z", "99", ""], dtype=object), rows)
    frame = pd.DataFrame(
        {
            "referral_id": np.char.add("RID", np.arange(rows).astype(str)),
            "person_id": np.char.add("P", rng.integers(0, rows, rows).astype(str)),
            "referral_date": pd.Series(referral).dt.strftime("%d/%m/%Y"),
            "age_years": rng.integers(0, 6, rows),
            "sex": rng.choice(np.array(["M", "F", "U"], dtype=object), rows),
            "ethnic_category": ethnic,
            "lsoa_code": lsoa,
            "postcode": postcode,
            "referral_source": rng.choice(np.array(["A1", "A2", "B1", "M9"], dtype=object), rows),
            "service": rng.choice(
                np.array(["Parent-infant service", "Family hub", "Health visiting"], dtype=object), rows
            ),
            "support_element": rng.integers(1, 7, rows),
            "first_contact_date": np.where(has_contact, pd.Series(contact).dt.strftime("%Y-%m-%d"), ""),
        }
    )
    bad = rng.choice(rows, size=rows // 100, replace=False)
    frame.loc[bad[: len(bad) // 2], "age_years"] = 7
    frame.loc[bad[len(bad) // 2 :], "ethnic_category"] = "Q"
    frame.to_csv(path, index=False)


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def run(rows: int) -> dict[str, float]:
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "extract.csv"
        t0 = time.perf_counter()
        # generate in a child process, so that the peak memory measured here is the import's own
        subprocess.run(
            [sys.executable, "-m", "bench.bench_import", "--generate", str(source), "--rows", str(rows)],
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        generated = time.perf_counter() - t0
        file_mb = source.stat().st_size / 1024 / 1024
        rss_before = peak_rss_mb()
        geography = load_geography(settings.cache_dir, settings.reference_dir)
        t0 = time.perf_counter()
        extract = read_extract(source)
        t_read = time.perf_counter()
        frame = apply_mapping(extract, suggest_mapping(extract.columns))
        result = validate(frame, geography, row_numbers=extract.row_numbers)
        t_valid = time.perf_counter()
        summary = apply_import(Path(tmp) / "store.duckdb", result, file_name=source.name, sha256=extract.sha256)
        t_store = time.perf_counter()
    total = t_store - t0
    return {
        "rows": rows,
        "file_mb": file_mb,
        "generate_s": generated,
        "read_s": t_read - t0,
        "validate_s": t_valid - t_read,
        "store_s": t_store - t_valid,
        "total_s": total,
        "rows_per_s": rows / total,
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "inserted": summary.inserted,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_before_mb": rss_before,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--generate", metavar="PATH", help="only write the synthetic extract to PATH")
    args = parser.parse_args(argv)
    if args.generate:
        make_extract(Path(args.generate), args.rows, load_settings().cache_dir)
        return 0
    figures = run(args.rows)
    print(f"extract: {figures['file_mb']:,.0f} MB CSV, generated in {figures['generate_s']:.1f} s (not timed)")
    print(
        f"rows: {figures['rows']:,} (accepted {figures['accepted']:,}, rejected {figures['rejected']:,}, "
        f"inserted {figures['inserted']:,})"
    )
    print(
        f"read {figures['read_s']:.2f} s, validate {figures['validate_s']:.2f} s, store {figures['store_s']:.2f} s; "
        f"total {figures['total_s']:.2f} s (target < {TARGET_SECONDS:.0f} s)"
    )
    print(f"throughput: {figures['rows_per_s']:,.0f} rows/s")
    print(
        f"peak memory (max RSS): {figures['peak_rss_mb']:,.0f} MB (target < {TARGET_MEMORY_MB:,.0f} MB); "
        f"before reading the extract (reference data loaded): {figures['peak_rss_before_mb']:,.0f} MB"
    )
    ok = figures["total_s"] < TARGET_SECONDS and figures["peak_rss_mb"] < TARGET_MEMORY_MB
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
