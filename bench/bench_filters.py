"""Benchmark: indicator tables and the LSOA map from 1,000,000 referrals, per filter change.

Run: ``.venv/bin/python -m bench.bench_filters [--referrals N]``. Generates its own demo store in a
temporary directory (never the user's store), then times, for a series of filter changes, the
server work from a new Selection to (a) the LSOA indicator table with intervals and disclosure
control and (b) the map figure ready to send, as the app sends it (shapes fetched by the browser once from a
static URL), and reports the figure payload size with and without the shapes inside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from data.demo import generate
from data.store import replace_all
from equity.dashboard import forget_frames
from equity.report import report
from equity.selection import Selection
from equity.settings import VINTAGES, load_settings
from geo.cache import load_areas, load_change_links
from geo.mapassets import geojson_file, map_geojson, outlines
from publish.mapview import explorer_map

SELECTIONS = [
    Selection(),
    Selection(places=("Blackpool",)),
    Selection(date_from=dt.date(2024, 4, 1), date_to=dt.date(2025, 3, 31)),
    Selection(age_bands=("0-1",)),
    Selection(places=("Lancashire",), support_elements=(3, 4)),
    Selection(vintage=2019),
    Selection(ethnic_groups=("Asian", "Black")),
    Selection(places=("South Cumbria", "Blackburn with Darwen"), referral_sources=("A2",)),
]
GEOMETRY_URL = "app/static/geo/map_lsoa.json"  # any URL: the figure only names it


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=1_000_000)
    args = parser.parse_args()
    base = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = replace(base, store_path=Path(tmp) / "bench.duckdb")
        t = time.perf_counter()
        frame = generate(load_areas(cfg.cache_dir, 2025), load_change_links(cfg.cache_dir), referrals=args.referrals)
        replace_all(cfg.store_path, frame, kind="demo", description="bench")
        print(f"generated and stored {len(frame):,} referrals in {time.perf_counter() - t:.1f} s")
        del frame
        for vintage in VINTAGES:  # warm geometry caches as the app does once per process
            map_geojson(cfg.cache_dir, vintage, "lsoa")
            outlines(cfg.cache_dir, vintage)
        table_times, figure_times, sizes, inline_sizes = [], [], [], []
        for repeat in range(3):
            for selection in SELECTIONS:
                forget_frames()  # a filter change: nothing of this selection is kept yet
                t0 = time.perf_counter()
                report(cfg, selection, "referrals", "lsoa")
                table_times.append(time.perf_counter() - t0)
                forget_frames()  # time the map's own query too, not the table's kept frame
                t0 = time.perf_counter()
                fig = explorer_map(
                    cfg,
                    selection,
                    metric_key="access_ratio",
                    level="lsoa",
                    highlight=True,
                    source="src",
                    geometry_url=GEOMETRY_URL,  # as the app sends it: shapes fetched once by the browser
                )
                payload = fig.to_json()
                figure_times.append(time.perf_counter() - t0)
                if repeat == 0:
                    sizes.append(len(payload.encode()))
                    inline = explorer_map(
                        cfg, selection, metric_key="access_ratio", level="lsoa", highlight=True, source="src"
                    )
                    inline_sizes.append(len(inline.to_json().encode()))
        shapes = geojson_file(cfg.cache_dir, 2025, "lsoa").stat().st_size
        print(
            f"LSOA indicator table (report --by lsoa), {len(table_times)} filter changes: "
            f"median {statistics.median(table_times):.3f} s, max {max(table_times):.3f} s (target < 0.3 s)"
        )
        print(
            f"map figure ready to send: median {statistics.median(figure_times):.3f} s, "
            f"max {max(figure_times):.3f} s (target < 0.3 s)"
        )
        print(f"map figure payload as the app sends it: max {max(sizes) / 1024:.0f} KB (target < 700 KB)")
        print(
            f"  plus the LSOA shapes, fetched once per browser and then cached: {shapes / 1024:.0f} KB; "
            f"the figure with the shapes inside (board pack, no static serving): max {max(inline_sizes) / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
