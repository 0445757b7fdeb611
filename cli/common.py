"""What every command shares: the error type, output, the store path, the reference cache and the
selection flags (turned into a Selection by ``Selection.from_dict``, as the app's URL and board-pack
configs are)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from data.location import StoreLocation, parse_store
from equity.benchmark import BENCHMARKS, LSC
from equity.selection import AGE_BAND_CHOICES, Selection, SelectionError
from equity.settings import PLACES, VINTAGES, Settings

EXIT_ERROR = 2


class CommandError(Exception):
    """A command could not run; the message is shown to the user as is, after ``error:``."""


def emit(frame: pd.DataFrame, fmt: str) -> None:
    """A table on stdout as CSV or JSON records. CSV goes through the app's formula-safe writer
    (``publish.exports.csv_bytes``): a text cell starting = + - @ tab or CR is prefixed with a quote, so
    no cell of a CSV the command line writes can run as a spreadsheet formula."""
    from publish.exports import csv_bytes

    if fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", indent=1, double_precision=6) + "\n")
    else:
        sys.stdout.write(csv_bytes(frame).decode("utf-8"))


def fail(message: str) -> int:
    """Print one ``error:`` line on stderr and return the error exit code."""
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR


def store_path(args: argparse.Namespace, settings: Settings) -> Path:
    """``--store`` when given, else the configured store (``EQUITY_STORE``)."""
    return Path(args.store) if getattr(args, "store", None) else settings.store_path


def store_location(args: argparse.Namespace, settings: Settings) -> StoreLocation:
    """``--store`` when given (a DuckDB path or a postgresql:// URL), else the configured store
    (``EQUITY_STORE``); :class:`CommandError` for a value that names neither."""
    text = getattr(args, "store", None)
    if not text:
        return settings.store_location
    try:
        return parse_store(text)
    except ValueError as exc:
        raise CommandError(f"--store: {exc}") from None


def ensure_cache(settings: Settings) -> None:
    """Build the reference cache when it is missing or stale (``equity.prepare``, as the app does)."""
    from equity.prepare import ensure_cache as prepare_cache

    said: list[bool] = []

    def progress(fraction: float, message: str) -> None:
        if not said:
            print(f"building the reference cache in {settings.cache_dir} ...", file=sys.stderr)
            said.append(True)

    prepare_cache(settings, progress=progress)


def add_store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", help="store path (default: EQUITY_STORE)")


def add_selection_options(p: argparse.ArgumentParser, *, measure: bool = True, suppress: bool = True) -> None:
    """The selection flags shared by ``report``, ``inequality`` (and the indicator tables)."""
    if measure:
        p.add_argument("--measure", choices=("referrals", "access"), default="referrals")
    p.add_argument("--vintage", type=int, choices=VINTAGES, default=VINTAGES[0])
    p.add_argument("--place", action="append", choices=PLACES, help="limit to a Place (repeatable)")
    p.add_argument("--from", dest="date_from", help="first referral date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last referral date, YYYY-MM-DD")
    p.add_argument("--age-band", action="append", choices=AGE_BAND_CHOICES, help="repeatable")
    p.add_argument("--service", action="append", help="limit to a service name as recorded (repeatable)")
    p.add_argument(
        "--benchmark",
        choices=BENCHMARKS,
        default=LSC,
        help="what areas are compared with, as the sidebar's 'Compare with' (overview_compared, map_areas_compared)",
    )
    if suppress:
        p.add_argument(
            "--no-suppress", action="store_true", help="turn disclosure control off (logged; local use only)"
        )
    p.add_argument(
        "--as-user",
        metavar="EMAIL",
        help="run on behalf of this user: their Place scope from the access policy (EQUITY_ACCESS_FILE) applies",
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")


def selection(args: argparse.Namespace, settings: Settings | None = None) -> Selection:
    """The selection flags as a Selection; with ``--as-user``, limited to that user's Place scope."""
    chosen = _flags(args)
    as_user = getattr(args, "as_user", None)
    if not as_user:
        return chosen
    if settings is None:  # pragma: no cover - a programming error, not a user's
        raise CommandError("--as-user needs the settings")
    if getattr(args, "no_suppress", False):
        raise CommandError("--no-suppress cannot be used on behalf of a user (--as-user)")
    return chosen.with_(detail_places=scope_for(settings, as_user))


def scope_for(settings: Settings, email: str) -> tuple[str, ...] | None:
    """The Places whose neighbourhood detail ``email`` may see under the access policy (None: all)."""
    from equity.access import AccessPolicyError, load_policy

    try:
        access = load_policy(settings.access_file).access_for({"email": email, "sub": email, "iss": "cli"})
    except AccessPolicyError as exc:
        raise CommandError(str(exc)) from None
    if not access.has_access:
        raise CommandError(f"{email} matches no grant of the access policy {settings.access_file}")
    return None if access.detail_places == PLACES else access.detail_places


def _flags(args: argparse.Namespace) -> Selection:
    try:
        return Selection.from_dict(
            {
                "vintage": args.vintage,
                "places": getattr(args, "place", None),
                "date_from": getattr(args, "date_from", None),
                "date_to": getattr(args, "date_to", None),
                "age_bands": getattr(args, "age_band", None),
                "services": getattr(args, "service", None),
                "benchmark": getattr(args, "benchmark", None) or LSC,
            }
        )
    except SelectionError as exc:  # the flag's value is named; the field name is the program's, not the user's
        raise CommandError(str(exc).removeprefix(f"{exc.field}: ") if exc.field else str(exc)) from None


def warn_unsuppressed(args: argparse.Namespace) -> None:
    if getattr(args, "no_suppress", False):
        print(
            "warning: disclosure control is OFF (--no-suppress): exact small numbers are shown; "
            "for local analysis only, do not publish",
            file=sys.stderr,
        )
