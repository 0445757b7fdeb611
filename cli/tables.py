"""``tables`` and ``table``: the named indicator tables of ``publish.tables``, exactly as the pages show them."""

from __future__ import annotations

import argparse

from cli.common import CommandError, add_selection_options, emit, ensure_cache, selection, warn_unsuppressed
from equity.settings import Settings

#: table options offered on the command line (each table accepts the ones its spec lists)
OPTIONS = ("measure", "by", "level", "kind", "area", "site_type", "targets", "rebase", "polarities")


def cmd_tables(args: argparse.Namespace, settings: Settings) -> int:
    from publish.tables import listing

    emit(listing(), args.format)
    return 0


def cmd_table(args: argparse.Namespace, settings: Settings) -> int:
    from publish.tables import TableError, get

    ensure_cache(settings)
    warn_unsuppressed(args)
    options = {name: getattr(args, name) for name in OPTIONS if getattr(args, name, None) is not None}
    try:
        frame = get(args.name, settings, selection(args, settings), options, suppress=not args.no_suppress)
    except TableError as exc:
        raise CommandError(str(exc)) from None
    emit(frame, args.format)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tables", help="list the named indicator tables (what every chart and table is built from)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_tables)

    p = sub.add_parser("table", help="print one named indicator table, disclosure-controlled, as the pages show it")
    p.add_argument("name", help="a table name from `python -m equity tables`")
    add_selection_options(p, measure=False)
    p.add_argument(
        "--measure",
        help="referrals|access (or core20_coverage for trend_spc; an outcome measure such as PIR-GAS or PHQ-9 for "
        "outcomes_by_group), where the table has it",
    )
    p.add_argument(
        "--by",
        help="the breakdown, where the table has one (outcomes_by_group: place|imd_quintile|core20|ethnic_group|"
        "age_band|service; gap_to_parity: place|lad|lsoa)",
    )
    p.add_argument("--level", help="lsoa|msoa|lad|place (map_areas)")
    p.add_argument("--kind", help="access_rate|access_ratio (core20_funnel)")
    p.add_argument("--area", help="ICB or a Place (trend_spc)")
    p.add_argument("--site-type", dest="site_type", help="gp_practice|family_hub|... (reach_coverage, reach_*)")
    p.add_argument("--targets", help="trend_summary: targets per measure, e.g. access=900,core20_coverage=1")
    p.add_argument("--rebase", help="trend_summary: months the limits are rebased from, e.g. 2025-04-01,2025-10-01")
    p.add_argument("--polarities", help="trend_summary: which way is better per measure, e.g. referrals=higher "
                   "(higher|lower|neutral|closer)")
    p.set_defaults(func=cmd_table)
