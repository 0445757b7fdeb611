"""Disclosure control for display and export, in the style of NHS England MHSDS outputs.

Statistics are computed on exact values; these functions make the *display copy*:

* at ICB level (``level='icb'``) counts are shown exactly, except that counts of 1-4 are still
  suppressed (a one-day ICB count can be that small); there is no rounding and no secondary suppression;
* below ICB level (``level='sub_icb'``) counts of 1-4 are suppressed (primary suppression), 0 is
  shown as 0 and every other count is rounded to the nearest 5 (halves round up);
* rates and their interval columns are hidden when their numerator is suppressed;
* secondary suppression: when, within a count column, exactly one group cell is hidden and a total
  is shown (an explicit total row, or a total published elsewhere and passed as ``known_total``),
  the smallest other shown non-zero group cell is hidden as well (a zero cell if none is non-zero,
  and failing that the explicit total cell), so the hidden value cannot be found by differencing.
  Rounding alone already limits differencing to a range; the rule is applied anyway, until stable.

Hidden cells are ``pd.NA`` (count columns become nullable ``Int64``, rate columns ``Float64``);
a boolean ``suppressed`` column marks rows with any hidden count. The input is never mutated.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

logger = logging.getLogger("equity.disclosure")

LEVELS = ("icb", "sub_icb")
SUPPRESS_BELOW = 5  # counts 1..SUPPRESS_BELOW-1 are suppressed
ROUND_TO = 5


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def suppress_count(value: float | None) -> int | None:
    """Display value of one count below ICB level: 0 -> 0, 1-4 -> None, else nearest 5.

    Rounding is half up (``12 -> 10``, ``13 -> 15``, ``7.5 -> 10``). Missing values stay None.
    """
    if _is_missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    if number < 0:
        raise ValueError(f"counts must not be negative, got {value!r}")
    if number == 0:
        return 0
    if number < SUPPRESS_BELOW:
        return None
    return int(ROUND_TO * math.floor(number / ROUND_TO + 0.5))


def control_count(value: float | None, level: Literal["icb", "sub_icb"] = "sub_icb") -> int | None:
    """The published value of one count: below ICB level :func:`suppress_count`; at ICB level the
    exact count, except that 1-4 are suppressed (None)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    if level == "sub_icb":
        return suppress_count(value)
    if _is_missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    if number < 0:
        raise ValueError(f"counts must not be negative, got {value!r}")
    return None if 0 < number < SUPPRESS_BELOW else round(number)


def _primary_hidden(values: np.ndarray) -> np.ndarray:
    return (values > 0) & (values < SUPPRESS_BELOW)


def _secondary_pass(
    name: str, exact: np.ndarray, hidden: np.ndarray, groups: np.ndarray, total: int | None, known: bool
) -> bool:
    """Hide one more cell of a column if exactly one group cell is hidden; True if it changed.

    ``exact`` and ``hidden`` are the column's values and hidden flags by position, ``groups`` the
    positions of the group rows and ``total`` the position of the explicit total row (or None).
    """
    total_shown = known or (total is not None and not hidden[total])
    if not total_shown or int(hidden[groups].sum()) != 1:
        return False
    shown = groups[~hidden[groups] & ~np.isnan(exact[groups])]
    candidates = shown[exact[shown] > 0]
    if candidates.size == 0:
        candidates = shown
    if candidates.size:
        hidden[candidates[np.argsort(exact[candidates], kind="stable")[0]]] = True
        return True
    if total is not None:
        hidden[total] = True
        return True
    logger.warning("Secondary suppression impossible for column %r: no other cell to hide", name)
    return False


def apply_disclosure(
    df: pd.DataFrame,
    count_cols: Sequence[str],
    rate_cols: Mapping[str, str] | None = None,
    total_row: Hashable | None = None,
    group_col: str | None = None,
    level: Literal["icb", "sub_icb"] = "sub_icb",
    known_total: Mapping[str, float] | Collection[str] | None = None,
    enabled: bool = True,
) -> pd.DataFrame:
    """Return a display copy of ``df`` with disclosure control applied (see the module docstring).

    ``count_cols`` are the count columns to suppress and round. ``rate_cols`` maps each derived
    column (a rate, or one of its interval limits) to the count column it is computed from; it is
    hidden where that numerator is hidden. ``total_row`` is the label in ``group_col`` of an
    explicit total row (``None``: no total row); ``known_total`` names the count columns (or maps
    them to their totals) whose total is shown elsewhere, which also triggers secondary
    suppression. ``enabled=False`` returns the exact values and logs a WARNING on the
    ``equity.disclosure`` logger.
    """
    rate_cols = dict(rate_cols or {})
    known_total = set(known_total or ())
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    missing = [c for c in [*count_cols, *rate_cols, *rate_cols.values()] if c not in df.columns]
    if missing:
        raise ValueError(f"apply_disclosure: columns not in the frame: {sorted(set(missing))}")
    unknown = [c for c in [*rate_cols.values(), *known_total] if c not in count_cols]
    if unknown:
        raise ValueError(f"apply_disclosure: {sorted(set(unknown))} must also be listed in count_cols")

    out = df.copy()
    if not enabled:
        logger.warning(
            "Disclosure control was turned off: exact counts and rates are shown without "
            "suppression or rounding; do not publish this output."
        )
    if not enabled:
        out["suppressed"] = False
        return out
    if level == "icb":  # exact, but 1-4 still suppressed
        numbers = {c: pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float) for c in count_cols}
        hidden_icb = {c: _primary_hidden(numbers[c]) for c in count_cols}
        for c in count_cols:
            values = pd.array(pd.to_numeric(df[c], errors="coerce").round(), dtype="Int64")
            values[hidden_icb[c]] = pd.NA
            out[c] = values
        for rate_col, numerator_col in rate_cols.items():
            values = pd.array(pd.to_numeric(df[rate_col], errors="coerce").to_numpy(dtype=float), dtype="Float64")
            values[hidden_icb[numerator_col]] = pd.NA
            out[rate_col] = values
        out["suppressed"] = np.logical_or.reduce([hidden_icb[c] for c in count_cols]) if count_cols else False
        return out

    total: int | None = None
    if total_row is not None:
        if group_col is None or group_col not in df.columns:
            raise ValueError("apply_disclosure: total_row needs group_col naming a column of the frame")
        matches = np.flatnonzero((df[group_col] == total_row).to_numpy())
        if len(matches) != 1:
            raise ValueError(f"apply_disclosure: expected one total row {total_row!r}, found {len(matches)}")
        total = int(matches[0])
    groups = np.array([i for i in range(len(df)) if i != total], dtype=int)

    exact = {c: pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float) for c in count_cols}
    if any(np.any(v[~np.isnan(v)] < 0) for v in exact.values()):
        raise ValueError("apply_disclosure: counts must not be negative")
    hidden = {c: _primary_hidden(exact[c]) for c in count_cols}
    changed = True
    while changed:  # one pass per column settles it today; loop so any future linked rule converges
        changed = False
        for c in count_cols:
            changed |= _secondary_pass(c, exact[c], hidden[c], groups, total, c in known_total)

    for c in count_cols:
        shown = [pd.NA if h else suppress_count(v) for v, h in zip(exact[c], hidden[c], strict=True)]
        out[c] = pd.array(shown, dtype="Int64")
    for rate_col, numerator_col in rate_cols.items():
        values = pd.array(pd.to_numeric(df[rate_col], errors="coerce").to_numpy(dtype=float), dtype="Float64")
        values[hidden[numerator_col]] = pd.NA
        out[rate_col] = values
    out["suppressed"] = np.logical_or.reduce([hidden[c] for c in count_cols]) if count_cols else False
    return out
