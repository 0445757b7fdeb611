"""Command line for provision and reach: ``provision`` and ``reach``.

``python -m equity provision [--format csv|json] [--store PATH]`` prints the current provision
matrix (one row per Place and support element, with status, colour, note, source and who changed
it last). Without a store it prints the seed taken from the strategy (and creates nothing).

``python -m equity reach --site-type TYPE [--format csv|json] [--vintage 2025|2019] [--place P ...]
[--store PATH]`` prints the coverage table for one site type: children aged 0-5 (and Core20
children) within 1, 2, 5 and 10 km (straight line) of the nearest site, for L&SC and each Place.

``cli.main`` calls :func:`register`; :func:`main` runs these commands alone. Errors print one
line starting ``error:`` on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import sys

from cli.common import emit, ensure_cache, store_location
from equity.settings import PLACES, VINTAGES, Settings
from equity.sites import SITE_TYPES


def cmd_provision(args: argparse.Namespace, settings: Settings) -> int:
    from data.backend import store_exists
    from equity.provision import current_matrix, matrix_export

    store = store_location(args, settings)
    if not store_exists(store):
        print(f"note: no store at {store.describe()}; showing the matrix seeded from the strategy", file=sys.stderr)
    emit(matrix_export(current_matrix(store)), args.format)
    return 0


def cmd_reach(args: argparse.Namespace, settings: Settings) -> int:
    from equity.reach import DISTANCE_NOTE, coverage_for_type
    from equity.selection import Selection
    from equity.sites import all_sites
    from geo.cache import load_areas

    ensure_cache(settings)
    selection = Selection.from_dict({"vintage": args.vintage, "places": args.place})
    areas = load_areas(settings.cache_dir, selection.vintage, selection.definition)
    if selection.places:
        areas = areas[areas["place"].isin(selection.places)]
    sites = all_sites(settings.reference_dir, store_location(args, settings))
    label = "Total of selected areas" if selection.places else "L&SC ICB"
    table = coverage_for_type(areas, sites, args.site_type, total_label=label)
    print(f"note: {DISTANCE_NOTE}", file=sys.stderr)
    emit(table, args.format)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``provision`` and ``reach`` commands to a parser's subcommands."""
    p = subparsers.add_parser("provision", help="the provision matrix (strategy Table 2) with notes and sources")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--store", help="store path (default: EQUITY_STORE)")
    p.set_defaults(func=cmd_provision)

    p = subparsers.add_parser("reach", help="share of children aged 0-5 within 1/2/5/10 km of a site type")
    p.add_argument("--site-type", required=True, choices=tuple(SITE_TYPES), help="type of site to measure to")
    p.add_argument("--vintage", type=int, choices=VINTAGES, default=VINTAGES[0])
    p.add_argument("--place", action="append", choices=PLACES, help="limit to a Place (repeatable)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--store", help="store path (default: EQUITY_STORE)")
    p.set_defaults(func=cmd_reach)
