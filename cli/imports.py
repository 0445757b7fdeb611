"""Command line for real referral extracts: ``import``, ``imports`` (history) and ``rollback``.

``python -m equity import FILE [--dry-run] [--sheet NAME] [--replace-demo] [--mix-with-demo]
[--map COLUMN=FILE_COLUMN ...] [--store PATH]`` reads, validates and imports an extract,
prints accepted and rejected counts, and writes the rejected rows (column and reason) to
``<FILE>.rejected.csv``. When nothing can be imported (unreadable or empty file, required
columns missing, every row rejected, demo store without a choice) it prints one line on
stderr starting ``error:`` and exits 2. ``cli.main`` calls :func:`register`; :func:`main`
runs these commands alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cli.common import EXIT_ERROR, CommandError, emit, ensure_cache, fail, store_location
from equity.settings import Settings

EXIT_NOTHING_IMPORTED = EXIT_ERROR
TOP_REASONS = 10


class ImportCommandError(Exception):
    """The command cannot go on; the message is printed after 'error:'."""


def _parse_overrides(pairs: Sequence[str]) -> dict[str, str | None]:
    overrides: dict[str, str | None] = {}
    for pair in pairs:
        column, sep, source = pair.partition("=")
        if not sep or not column.strip():
            raise ImportCommandError(
                f"--map expects COLUMN=FILE_COLUMN (or COLUMN= to leave it unmapped), got {pair!r}"
            )
        overrides[column.strip()] = source.strip() or None
    return overrides


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from data.backend import store_exists
    from data.importer import (
        ExtractReadError,
        apply_mapping,
        read_extract,
        rejected_path,
        suggest_mapping,
        write_rejected,
    )
    from data.imports import apply_import
    from data.store import StoreError
    from data.validation import load_geography, validate

    path = Path(args.file)
    try:
        store = store_location(args, settings)
        if not store.writable and not args.dry_run:  # before any work: a read-only source takes no imports
            raise CommandError(
                f"the store {store.describe()} is a read-only {store.kind} source of referrals; import into a "
                "DuckDB or PostgreSQL store (--store), or load the extract into the source itself"
            )
        store_exists(store, write=not args.dry_run)  # before any work: a store path must be a store
        extract = read_extract(path, sheet=args.sheet)
        mapping = suggest_mapping(extract.columns)
        mapping.update(_parse_overrides(args.map or ()))
        frame = apply_mapping(extract, mapping)
    except (ExtractReadError, ImportCommandError, StoreError, CommandError) as exc:
        return fail(str(exc))
    ensure_cache(settings)
    result = validate(frame, load_geography(settings.cache_dir, settings.reference_dir),
                      row_numbers=extract.row_numbers)
    detail = extract.file_format + (f", {extract.encoding}" if extract.encoding else "")
    detail += f", delimiter {extract.delimiter!r}" if extract.delimiter else ""
    detail += f", sheet {extract.sheet!r}" if extract.sheet else ""
    print(f"read {result.rows_read:,} rows from {path.name} ({detail}): "
          f"{result.accepted_rows:,} accepted, {result.rejected_rows:,} rejected")
    for note in extract.notes:
        print(f"note: {note}")
    unused = [c for c in extract.columns if c not in {v for v in mapping.values() if v}]
    if unused:
        print(f"note: column(s) not imported: {', '.join(unused)}")
    if result.rejected_rows:
        reasons = result.reasons()
        for row in reasons.head(TOP_REASONS).itertuples(index=False):
            print(f"  rejected {row.rows:,} row(s): {row.column}: {row.reason}")
        if len(reasons) > TOP_REASONS:
            print(f"  ... and {len(reasons) - TOP_REASONS} more reason(s)")
        # written before the import is applied: if they cannot be written, nothing is imported
        try:
            target = write_rejected(path, result.rejected)
        except OSError as exc:
            return fail(f"cannot write the rejected rows to {rejected_path(path)}: {exc.strerror or exc}; "
                        "nothing was imported")
        print(f"rejected rows written to {target}")
    if not result.accepted_rows:
        return fail(f"nothing to import: all {result.rows_read:,} rows of {path.name} were rejected")
    try:
        summary = apply_import(
            store, result, file_name=path.name, sha256=extract.sha256,
            replace_demo=args.replace_demo, mix_with_demo=args.mix_with_demo, dry_run=args.dry_run,
        )
    except (StoreError, ValueError) as exc:
        return fail(str(exc))
    print(summary.describe())
    return 0


def cmd_imports(args: argparse.Namespace, settings: Settings) -> int:
    from data.imports import import_history

    history = import_history(store_location(args, settings))
    if args.format == "json":
        sys.stdout.write(history.to_json(orient="records", indent=1, date_format="iso") + "\n")
    elif args.format == "csv":
        emit(history, "csv")
    elif history.empty:
        print("no imports recorded")
    else:
        shown = history.drop(columns=["sha256"]).assign(sha256=history["sha256"].str.slice(0, 12))
        with pd.option_context("display.width", 200, "display.max_columns", 30):
            print(shown.to_string(index=False))
    return 0


def cmd_rollback(args: argparse.Namespace, settings: Settings) -> int:
    from data.imports import rollback_import
    from data.store import StoreError

    try:
        summary = rollback_import(store_location(args, settings), args.import_id)
    except StoreError as exc:
        return fail(str(exc))
    print(summary.describe())
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import``, ``imports`` and ``rollback`` commands to an argparse subparsers object."""
    p = subparsers.add_parser("import", help="validate a referral extract (CSV, .xlsx, Parquet) and import it")
    p.add_argument("file", metavar="FILE", help="the extract: CSV (any common delimiter), .xlsx or Parquet")
    p.add_argument("--dry-run", action="store_true", help="validate and count, but write nothing to the store")
    p.add_argument("--sheet", metavar="NAME", help="sheet of an .xlsx workbook (needed when it has several)")
    demo = p.add_mutually_exclusive_group()
    demo.add_argument("--replace-demo", action="store_true", help="clear the demo data from the store first")
    demo.add_argument("--mix-with-demo", action="store_true",
                      help="keep the demo data and add the real rows to it (the store stays marked as demo)")
    p.add_argument("--map", action="append", metavar="COLUMN=FILE_COLUMN",
                   help="map a schema column to a differently named file column (repeatable)")
    p.add_argument("--store", help="store: a DuckDB path or postgresql:// URL (default: EQUITY_STORE)")
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser("imports", help="list the import history of the store")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")
    p.add_argument("--store", help="store: a DuckDB path or postgresql:// URL (default: EQUITY_STORE)")
    p.set_defaults(func=cmd_imports)

    p = subparsers.add_parser("rollback", help="undo the most recent import (repeat to undo earlier ones)")
    p.add_argument("import_id", nargs="?", type=int, help="the import to undo; must be the most recent applied one")
    p.add_argument("--store", help="store: a DuckDB path or postgresql:// URL (default: EQUITY_STORE)")
    p.set_defaults(func=cmd_rollback)
