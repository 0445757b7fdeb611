"""``report`` and ``inequality``: indicator tables with disclosure control, from the command line."""

from __future__ import annotations

import argparse

from cli.common import add_selection_options, emit, ensure_cache, selection, warn_unsuppressed
from equity.settings import Settings


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from equity.report import report

    ensure_cache(settings)
    warn_unsuppressed(args)
    emit(report(settings, selection(args, settings), args.measure, args.by, suppress=not args.no_suppress), args.format)
    return 0


def cmd_inequality(args: argparse.Namespace, settings: Settings) -> int:
    from equity.need import NeedModel
    from equity.report import inequality

    ensure_cache(settings)
    warn_unsuppressed(args)
    model = NeedModel(least=args.need_least, most=args.need_most)
    table = inequality(settings, selection(args, settings), args.measure, model=model, suppress=not args.no_suppress)
    emit(table, args.format)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from equity.report import DIMENSIONS

    p = sub.add_parser("report", help="indicator table with rates per 1,000 and 95%%/99.8%% intervals")
    p.add_argument("--by", choices=DIMENSIONS, default="place")
    add_selection_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("inequality", help="SII/RII, Core20 coverage ratio and need-adjusted ratios")
    add_selection_options(p)
    p.add_argument("--need-least", type=float, default=0.15, help="need prevalence in IMD decile 10 (default 0.15)")
    p.add_argument("--need-most", type=float, default=0.34, help="need prevalence in IMD decile 1 (default 0.34)")
    p.set_defaults(func=cmd_inequality)
