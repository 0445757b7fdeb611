"""``build-reference``, ``geography`` and ``demo``: the reference cache, area tables and demo data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import emit, ensure_cache, store_location
from equity.settings import VINTAGES, Settings


def cmd_build_reference(args: argparse.Namespace, settings: Settings) -> int:
    from geo.build import build_reference
    from geo.manifest import cache_is_current

    source = Path(args.source) if args.source else settings.reference_dir
    if args.if_missing and cache_is_current(settings.cache_dir):
        print(f"reference cache in {settings.cache_dir} is current; nothing to do")
        return 0
    result = build_reference(
        source,
        settings.cache_dir,
        settings.fringe_places,
        progress=lambda f, m: print(f"[{f:4.0%}] {m}", file=sys.stderr),
    )
    print(
        f"LSOA 2021 (vintage 2025): {result.lsoa_counts[2025]:,} areas; "
        f"LSOA 2011 (vintage 2019): {result.lsoa_counts[2019]:,} areas; cache: {result.cache_dir}"
    )
    return 0


def cmd_geography(args: argparse.Namespace, settings: Settings) -> int:
    from equity.geography import geography_summary
    from geo.cache import load_areas

    ensure_cache(settings)
    areas = load_areas(settings.cache_dir, args.vintage, args.definition)
    emit(geography_summary(areas, args.by, args.definition), args.format)
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from data.backend import store_has_data
    from data.demo import generate
    from data.store import replace_all
    from geo.cache import load_areas, load_change_links

    store = store_location(args, settings)
    if args.if_empty and store_has_data(store):
        print(f"the store {store.describe()} holds data already; no demo data written")
        return 0
    ensure_cache(settings)
    areas = load_areas(settings.cache_dir, 2025, "icb")
    frame = generate(areas, load_change_links(settings.cache_dir), referrals=args.referrals, seed=args.seed)
    written = replace_all(
        store, frame, kind="demo", description=f"Demo data: seed {args.seed}, {args.referrals:,} referrals"
    )
    print(f"wrote {written:,} demo referrals (seed {args.seed}) to {store.describe()}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from data.demo import DEFAULT_REFERRALS, DEFAULT_SEED

    p = sub.add_parser("build-reference", help="validate the reference bundle and build the cache")
    p.add_argument("--source", help="reference bundle directory (default: EQUITY_REFERENCE_DIR or ../shared/reference)")
    p.add_argument("--if-missing", action="store_true", help="do nothing when the cache is already current")
    p.set_defaults(func=cmd_build_reference)

    p = sub.add_parser("geography", help="one row per area: LSOA counts, population 0-5, deprivation shares")
    p.add_argument("--vintage", type=int, choices=VINTAGES, default=VINTAGES[0])
    p.add_argument("--by", choices=("lsoa", "msoa", "lad", "place", "icb"), default="place")
    p.add_argument(
        "--definition", choices=("icb", "16_lads"), default="icb", help="ICB footprint (default) or the 16 districts"
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_geography)

    p = sub.add_parser("demo", help="fill the store with synthetic referrals (see data/DEMO.md)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--referrals", type=int, default=DEFAULT_REFERRALS)
    p.add_argument("--if-empty", action="store_true",
                   help="write only into a new or empty store (never over imports or a server's data)")
    p.add_argument("--store", help="store: a DuckDB path or postgresql:// URL (default: EQUITY_STORE)")
    p.set_defaults(func=cmd_demo)
