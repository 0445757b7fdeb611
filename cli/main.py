"""Command line: ``python -m equity <command>`` (``equity/__main__.py`` hands over to :func:`main`).

Each group of commands lives in its own module with a ``register`` function; what they share is in
``cli.common``. Errors print one line to stderr starting ``error:`` and exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import audit, boardpack, imports, provision, reference, report, tables
from cli.common import EXIT_ERROR, CommandError
from equity.settings import load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m equity", description="L&SC early-years equity dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (reference, report, tables, imports, boardpack, provision, audit):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from data.store import StoreError
    from equity.selection import SelectionError
    from geo.cache import CacheMissingError
    from geo.reference import ReferenceDataError

    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        code = int(args.func(args, settings))
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is caught below
        return code
    except BrokenPipeError:
        # the reader went away (``... | head -1``): stop quietly, as a shell tool does. Python's recipe:
        # point stdout at devnull so the flush at exit does not fail again, and exit 0 (all that was
        # wanted was read).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (CommandError, ReferenceDataError, StoreError, SelectionError, CacheMissingError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
