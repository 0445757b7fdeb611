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


def financial_year(value: object) -> str:
    """The NHS financial year (April to March) of a date: 1 Apr 2025 to 31 Mar 2026 is '2025/26'."""
    day = pd.Timestamp(value)  # type: ignore[arg-type]
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def financial_quarter(value: object) -> str:
    """The NHS financial quarter of a date: 'Q1 2025/26' = April to June 2025, 'Q4 2025/26' = January to
    March 2026."""
    day = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"Q{(day.month - 4) % 12 // 3 + 1} {financial_year(day)}"
