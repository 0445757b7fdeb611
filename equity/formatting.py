"""Formatting of disclosure-controlled values for screen and exports: suppressed values show as '*'."""

from __future__ import annotations

import pandas as pd

SUPPRESSED = "*"


def count(value: object) -> str:
    return SUPPRESSED if pd.isna(value) else f"{int(value):,}"  # type: ignore[call-overload]


def rate(value: object, decimals: int = 1) -> str:
    return SUPPRESSED if pd.isna(value) else f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]


def share(value: object) -> str:
    return SUPPRESSED if pd.isna(value) else f"{100 * float(value):.1f}%"  # type: ignore[arg-type]


def interval(lower: object, upper: object, decimals: int = 1) -> str:
    if pd.isna(lower) or pd.isna(upper):
        return SUPPRESSED
    return f"{float(lower):,.{decimals}f} to {float(upper):,.{decimals}f}"  # type: ignore[arg-type]


def percent_interval(lower: object, upper: object) -> str:
    """A proportion's interval as percentages, e.g. '12.3% to 45.6%'; '*' when suppressed."""
    if pd.isna(lower) or pd.isna(upper):
        return SUPPRESSED
    return f"{100 * float(lower):.1f}% to {100 * float(upper):.1f}%"  # type: ignore[arg-type]
