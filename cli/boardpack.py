"""Command line for scheduled board packs: ``python -m equity boardpack --config FILE --out DIR``.

Builds the same PowerPoint and PDF as the app's Board pack page from a saved config (JSON or TOML:
selection fields, title, items with commentary; the app's "Download config" writes one), without
the app. Writes ``DIR/<title>_<data date>.pptx`` and ``.pdf`` and prints their paths. An item that
cannot be built becomes a slide saying why and a warning on stderr; ``--strict`` makes that an error.
Errors print one line on stderr starting ``error:`` and exit 2. ``cli.main`` calls
:func:`register`; :func:`main` runs the command alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import ensure_cache, fail, scope_for
from equity.settings import Settings


def cmd_boardpack(args: argparse.Namespace, settings: Settings) -> int:
    from equity.dashboard import store_info
    from publish.boardpack import BoardPackError, build, file_stem, load_config

    try:
        pack = load_config(Path(args.config))
        if args.title:
            pack = type(pack)(args.title, pack.selection, pack.items, pack.subtitle)
        if args.as_user:  # on behalf of a user: their Place scope, whatever the config says
            scoped = pack.selection.with_(detail_places=scope_for(settings, args.as_user))
            pack = type(pack)(pack.title, scoped, pack.items, pack.subtitle)
        ensure_cache(settings)
        formats = tuple(dict.fromkeys(args.format or ("pptx", "pdf")))
        files, slides = build(settings, pack, formats, browser=args.browser)
    except BoardPackError as exc:
        return fail(str(exc))
    failed = [s for s in slides if s.error]
    for slide in failed:
        print(f"warning: item {slide.item.kind!r} ({slide.title}): {slide.error}", file=sys.stderr)
    if failed and args.strict:
        return fail(f"{len(failed)} item(s) could not be built (--strict)")
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return fail(f"cannot create output directory {out}: {exc.strerror or exc}")
    stem = file_stem(pack, store_info(settings.store_location))
    for fmt, data in files.items():
        target = out / f"{stem}.{fmt}"
        target.write_bytes(data)
        print(f"wrote {target} ({len(slides)} item(s), {len(data):,} bytes)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``boardpack`` command to an argparse subparsers object."""
    p = subparsers.add_parser(
        "boardpack", help="build the board pack (PowerPoint and PDF) from a saved config, without the app"
    )
    p.add_argument("--config", required=True, metavar="FILE", help="pack config: JSON (.json) or TOML (.toml)")
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write the files to (created)")
    p.add_argument("--format", action="append", choices=("pptx", "pdf"), help="repeatable (default: both)")
    p.add_argument("--title", help="override the pack title of the config")
    p.add_argument("--browser", help="Chromium used to draw the charts (default: /usr/bin/chromium, then PATH)")
    p.add_argument("--strict", action="store_true", help="fail when any item cannot be built")
    p.add_argument("--as-user", metavar="EMAIL", help="build on behalf of this user: their Place scope applies")
    p.set_defaults(func=cmd_boardpack)
