"""Estimates from disclosure-controlled counts (DESIGN.md section 4; review 14, issue 14).

Every published estimate and interval below ICB level is computed from the *controlled* counts (the
ones shown): an interval computed from an exact count gives the count away, because its lower limit
divided by the estimate depends on the count alone, and an estimate times a public denominator
(population, expected count from need) gives the numerator back. An :class:`Estimate` says how one
estimate and its interval columns are derived, so the same derivation serves the indicator layer
(``publish.tables``), which applies it once, and the tests, which recompute it from a published table.

Methods (``Estimate.method``):

* ``rate``: numerator / denominator x ``per`` with Byar (exact Poisson below 10) limits; the
  denominator is a population (not a count of referrals), used as it is;
* ``ratio``: observed / expected (indirect standardisation) with Byar limits on the observed count;
  the denominator column holds the expected count (a function of population, need and the ICB rate);
* ``proportion``: numerator / denominator, both controlled counts, with Wilson limits;
* ``share``: numerator / denominator, both controlled counts, no interval;
* ``coverage``: (numerator / denominator) / (part / whole): a Wilson share divided by a fixed
  population (or need) share, ``part`` and ``whole`` naming the population columns.

An estimate is hidden (missing) wherever its numerator is hidden, or its denominator when that is a
count, and wherever it is undefined.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equity.disclosure import control_count
from equity.stats import coverage_ratio, rate_table, standardised_ratio, wilson_interval

METHODS = ("rate", "ratio", "proportion", "share", "coverage")
#: methods whose denominator column is itself a count (controlled with the numerator)
COUNT_DENOMINATOR = ("proportion", "share", "coverage")


@dataclass(frozen=True)
class Estimate:
    """One estimate and its interval columns: ``columns`` = (value[, lower_95, upper_95[, lower_998,
    upper_998]]) in that order, derived by ``method`` from ``numerator`` and ``denominator``."""

    columns: tuple[str, ...]
    method: str
    numerator: str
    denominator: str
    part: str | None = None  # coverage: the group's population (or need), or its share when no whole
    whole: str | None = None  # coverage: the total population (or need); None: ``part`` is a share
    per: float = 1000

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if len(self.columns) not in (1, 3, 5):
            raise ValueError("columns must be (value), (value, lower, upper) or (value, 95% and 99.8% limits)")
        if self.method == "coverage" and not self.part:
            raise ValueError("a coverage estimate needs its population part (and whole, or part as a share)")
        if self.method == "share" and len(self.columns) != 1:
            raise ValueError("a share has no interval")

    @property
    def count_columns(self) -> tuple[str, ...]:
        """The count columns this estimate is computed from (which must be controlled)."""
        return (self.numerator, self.denominator) if self.method in COUNT_DENOMINATOR else (self.numerator,)


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def compute(frame: pd.DataFrame, estimate: Estimate) -> dict[str, np.ndarray]:
    """The estimate's columns computed from ``frame`` as it stands (pass the controlled frame)."""
    n = _floats(frame, estimate.numerator)
    d = _floats(frame, estimate.denominator)
    hidden = np.isnan(n) | (np.isnan(d) if estimate.method in COUNT_DENOMINATOR else np.zeros(len(n), bool))
    n0, d0 = np.nan_to_num(n), np.nan_to_num(d)
    out: list[np.ndarray]
    with np.errstate(divide="ignore", invalid="ignore"):
        if estimate.method == "rate":
            rates = rate_table(n0, d0, per=estimate.per)
            parts = ("rate_per_1000", "lower_95", "upper_95", "lower_998", "upper_998")
            out = [rates[c].to_numpy(dtype=float) for c in parts]
            out = [np.where(d0 > 0, v, np.nan) for v in out]
        elif estimate.method == "ratio":
            ratio, lower95, upper95 = standardised_ratio(n0, d0, 0.95)
            _, lower998, upper998 = standardised_ratio(n0, d0, 0.998)
            out = [np.asarray(v, dtype=float) for v in (ratio, lower95, upper95, lower998, upper998)]
        elif estimate.method in ("proportion", "share"):
            valid = d0 > 0
            num = np.minimum(n0, d0)
            lower95, upper95 = wilson_interval(num, d0, 0.95)
            lower998, upper998 = wilson_interval(num, d0, 0.998)
            value = np.where(valid, n0 / np.where(valid, d0, 1), np.nan)
            limits = (lower95, upper95, lower998, upper998)
            out = [value, *(np.where(valid, np.asarray(v, dtype=float), np.nan) for v in limits)]
        else:  # coverage
            part = _floats(frame, estimate.part)  # type: ignore[arg-type]
            whole = _floats(frame, estimate.whole) if estimate.whole else np.ones(len(part))
            valid = (part > 0) & (part < whole) & (d0 > 0)
            ratio, lower, upper = coverage_ratio(
                np.minimum(n0, d0), d0, np.where(valid, part, 0), np.where(valid, whole, 1)
            )
            out = [np.where(valid, np.asarray(v, dtype=float), np.nan) for v in (ratio, lower, upper)]
    return {c: np.where(hidden, np.nan, out[i]) for i, c in enumerate(estimate.columns)}


def apply_estimates(frame: pd.DataFrame, estimates: Iterable[Estimate]) -> pd.DataFrame:
    """A copy of ``frame`` with every estimate recomputed from its (controlled) count columns."""
    out = frame.copy()
    for estimate in estimates:
        for column, values in compute(out, estimate).items():
            out[column] = pd.array(values, dtype="Float64")
            out.loc[np.isnan(values), column] = pd.NA
    return out


def controlled_values(values: Sequence[float] | np.ndarray | pd.Series, level: str = "sub_icb") -> np.ndarray:
    """Counts as published (floats, NaN where hidden): :func:`equity.disclosure.control_count` of each."""
    shown = [control_count(v, level) for v in np.asarray(values, dtype=float)]  # type: ignore[arg-type]
    return np.array([np.nan if v is None else float(v) for v in shown], dtype=float)


def control(
    exact: pd.DataFrame,
    *,
    counts: Sequence[str],
    estimates: Iterable[Estimate] = (),
    levels: Sequence[str] | None = None,
    partition: Sequence[object] | None = None,
    total_shown: bool = True,
    suppress: bool = True,
) -> pd.DataFrame:
    """The published copy of an exact table: counts controlled, then every estimate recomputed from them.

    ``levels`` gives each row's level ('icb' or 'sub_icb'; default all 'sub_icb'). ICB rows: exact,
    1-4 hidden. Sub-ICB rows: 1-4 hidden, others rounded to 5, and, within each group of rows sharing a
    ``partition`` value, secondary suppression against the group's total (shown elsewhere) when
    ``total_shown``. Adds ``level`` and ``suppressed``. ``suppress=False``: exact counts and estimates
    (logged by ``equity.disclosure``), for local analysis only."""
    from equity.disclosure import apply_disclosure

    estimates = tuple(estimates)
    frame = exact.reset_index(drop=True)
    levels = np.asarray(levels if levels is not None else ["sub_icb"] * len(frame), dtype=object)
    keys = np.asarray(partition if partition is not None else [0] * len(frame), dtype=object)
    out = frame.copy()
    for column in counts:
        out[column] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["suppressed"] = False
    if not suppress:
        shown = apply_disclosure(frame, list(counts), enabled=False) if len(frame) else frame.assign(suppressed=False)
        return shown.assign(level=levels)
    order = list(dict.fromkeys(zip(levels, keys, strict=True)))
    for level, key in order:
        rows = np.flatnonzero((levels == level) & (keys == key))
        part = frame.iloc[rows]
        shown = apply_disclosure(
            part,
            list(counts),
            level=level,
            known_total=list(counts) if total_shown and level == "sub_icb" else None,
        )
        for column in (*counts, "suppressed"):
            out.loc[rows, column] = shown[column].to_numpy()
    out["suppressed"] = out["suppressed"].astype(bool)
    out = apply_estimates(out, estimates)
    return out.assign(level=levels)
