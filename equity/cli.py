"""Command line: ``python -m equity <command>``.

Commands: build-reference, geography, demo. Errors print one line to stderr and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from equity.settings import Settings, load_settings


class CommandError(Exception):
    """A command could not run; the message is shown to the user as is."""


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", indent=1, double_precision=6) + "\n")
    else:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")


def _ensure_cache(settings: Settings) -> None:
    from geo.build import build_reference
    from geo.manifest import cache_is_current

    if not cache_is_current(settings.cache_dir):
        print(f"building the reference cache in {settings.cache_dir} ...", file=sys.stderr)
        build_reference(settings.reference_dir, settings.cache_dir, settings.fringe_places)


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

    _ensure_cache(settings)
    areas = load_areas(settings.cache_dir, args.vintage, args.definition)
    _emit(geography_summary(areas, args.by, args.definition), args.format)
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from data.demo import generate
    from data.store import replace_all
    from geo.cache import load_areas, load_change_links

    _ensure_cache(settings)
    areas = load_areas(settings.cache_dir, 2025, "icb")
    frame = generate(areas, load_change_links(settings.cache_dir), referrals=args.referrals, seed=args.seed)
    store = Path(args.store) if args.store else settings.store_path
    written = replace_all(
        store, frame, kind="demo", description=f"Demo data: seed {args.seed}, {args.referrals:,} referrals"
    )
    print(f"wrote {written:,} demo referrals (seed {args.seed}) to {store}")
    return 0


def _selection(args: argparse.Namespace):
    import datetime as dt

    from equity.selection import Selection

    def day(text: str | None) -> dt.date | None:
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"dates must be YYYY-MM-DD, got {text!r}") from None

    return Selection(
        vintage=args.vintage,
        places=tuple(args.place or ()),
        date_from=day(args.date_from),
        date_to=day(args.date_to),
        age_bands=tuple(args.age_band or ()),
        services=tuple(args.service or ()),
    )


def _warn_unsuppressed(args: argparse.Namespace) -> None:
    if args.no_suppress:
        print(
            "warning: disclosure control is OFF (--no-suppress): exact small numbers are shown; "
            "for local analysis only, do not publish",
            file=sys.stderr,
        )


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from equity.report import report

    _ensure_cache(settings)
    _warn_unsuppressed(args)
    _emit(report(settings, _selection(args), args.measure, args.by, suppress=not args.no_suppress), args.format)
    return 0


def cmd_inequality(args: argparse.Namespace, settings: Settings) -> int:
    from equity.need import NeedModel
    from equity.report import inequality

    _ensure_cache(settings)
    _warn_unsuppressed(args)
    model = NeedModel(least=args.need_least, most=args.need_most)
    table = inequality(settings, _selection(args), args.measure, model=model, suppress=not args.no_suppress)
    _emit(table, args.format)
    return 0


def _selection_options(p: argparse.ArgumentParser) -> None:
    from equity.selection import AGE_BAND_CHOICES
    from equity.settings import PLACES

    p.add_argument("--measure", choices=("referrals", "access"), default="referrals")
    p.add_argument("--vintage", type=int, choices=(2025, 2019), default=2025)
    p.add_argument("--place", action="append", choices=PLACES, help="limit to a Place (repeatable)")
    p.add_argument("--from", dest="date_from", help="first referral date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last referral date, YYYY-MM-DD")
    p.add_argument("--age-band", action="append", choices=AGE_BAND_CHOICES, help="repeatable")
    p.add_argument("--service", action="append", help="limit to a service name as recorded (repeatable)")
    p.add_argument("--no-suppress", action="store_true", help="turn disclosure control off (logged; local use only)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m equity", description="L&SC early-years equity dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build-reference", help="validate the reference bundle and build the cache")
    p.add_argument("--source", help="reference bundle directory (default: EQUITY_REFERENCE_DIR or ../shared/reference)")
    p.add_argument("--if-missing", action="store_true", help="do nothing when the cache is already current")
    p.set_defaults(func=cmd_build_reference)

    p = sub.add_parser("geography", help="one row per area: LSOA counts, population 0-5, deprivation shares")
    p.add_argument("--vintage", type=int, choices=(2025, 2019), default=2025)
    p.add_argument("--by", choices=("lsoa", "msoa", "lad", "place", "icb"), default="place")
    p.add_argument(
        "--definition", choices=("icb", "16_lads"), default="icb", help="ICB footprint (default) or the 16 districts"
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_geography)

    p = sub.add_parser("demo", help="fill the store with synthetic referrals (see data/DEMO.md)")
    p.add_argument("--seed", type=int, default=20231)
    p.add_argument("--referrals", type=int, default=12_000)
    p.add_argument("--store", help="store path (default: EQUITY_STORE)")
    p.set_defaults(func=cmd_demo)

    from equity.report import DIMENSIONS

    p = sub.add_parser("report", help="indicator table with rates per 1,000 and 95%%/99.8%% intervals")
    p.add_argument("--by", choices=DIMENSIONS, default="place")
    _selection_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("inequality", help="SII/RII, Core20 coverage ratio and need-adjusted ratios")
    _selection_options(p)
    p.add_argument("--need-least", type=float, default=0.15, help="need prevalence in IMD decile 10 (default 0.15)")
    p.add_argument("--need-most", type=float, default=0.34, help="need prevalence in IMD decile 1 (default 0.34)")
    p.set_defaults(func=cmd_inequality)

    from equity.cli_boardpack import register as register_boardpack
    from equity.cli_import import register as register_import
    from equity.cli_provision import register as register_provision

    register_import(sub)
    register_boardpack(sub)
    register_provision(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from data.store import StoreError
    from equity.selection import SelectionError
    from geo.cache import CacheMissingError
    from geo.reference import ReferenceDataError

    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.func(args, settings))
    except (CommandError, ReferenceDataError, StoreError, SelectionError, CacheMissingError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
