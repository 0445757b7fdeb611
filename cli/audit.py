"""``audit``: the audit trail (sign-ins, imports, rollbacks, edits, downloads, board packs, policy changes)."""

from __future__ import annotations

import argparse
import datetime as dt

from cli.common import CommandError, add_store_option, emit, store_location
from equity.settings import Settings


def _day(text: str | None, flag: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag}: dates must be YYYY-MM-DD, got {text!r}") from None


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from data.audit import read

    events = read(
        store_location(args, settings),
        date_from=_day(args.date_from, "--from"),
        date_to=_day(args.date_to, "--to"),
        user=args.user,
        action=args.action,
    )
    events["at_utc"] = events["at_utc"].astype(str)
    emit(events, args.format)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from data.audit import ACTIONS

    p = sub.add_parser("audit", help="the audit trail: who signed in, imported, edited, downloaded or built packs")
    p.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD (UTC)")
    p.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD (UTC)")
    p.add_argument("--user", help="a user's stable id or display name")
    p.add_argument("--action", choices=ACTIONS)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    add_store_option(p)
    p.set_defaults(func=cmd_audit)
