"""The referral pathway: who refers, referral -> first contact conversion, and the wait to first contact.

* **Referral source mix** by Place: referrals from each MHSDS source of referral and their share of
  the Place's referrals, with Wilson 95% intervals.
* **Conversion**: the share of referrals with a first attended contact, by Place and by national IMD
  quintile, with Wilson 95% intervals.
* **Median wait** from referral to first attended contact (days), by Place and by IMD quintile, with
  a distribution-free 95% interval for the median from order statistics: with ``n`` waits sorted,
  the interval is ``[x(r), x(n - r + 1)]`` where ``r`` is the largest rank with
  ``P(B <= r - 1) <= 0.025`` for ``B ~ Binomial(n, 1/2)`` (e.g. n = 100 gives ranks 40 and 61). Its
  coverage is at least 95% for any continuous distribution; tied waits (whole days) make it
  slightly conservative. No interval exists below 6 waits.

Follow-up: referrals received in the last ``follow_up_days`` (default 90) before the store's latest
referral date are left out of conversion and waits, because many of them cannot have had a first
contact yet (their waits are censored); the pages say so.

Everything here is exact; the tables are published (disclosure-controlled) by ``publish.tables``
('pathway_source_mix', 'pathway_conversion', 'pathway_waits'; all breakdowns are below ICB level):
counts of 1-4 are hidden and others rounded to 5, with secondary suppression against the published
totals; shares, conversion rates and their Wilson intervals are computed from the rounded counts; a
median wait (and its interval) is hidden when its number of waits is hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy import special

from data.schema import REFERRAL_SOURCES
from equity.metrics import filter_areas
from equity.selection import Selection
from equity.settings import PLACES, Settings
from equity.stats import wilson_interval

FOLLOW_UP_DAYS = 90
BY_CHOICES: tuple[str, ...] = ("place", "imd_quintile")
QUINTILE_LABELS: dict[int, str] = {
    1: "1 (most deprived)", 2: "2", 3: "3", 4: "4", 5: "5 (least deprived)",
}
NOT_RECORDED = "Not recorded"


# --------------------------------------------------------------------------------------------
# pure statistics


def _rank_value(values: np.ndarray, cumulative: np.ndarray, rank: int) -> float:
    """The ``rank``-th smallest observation (1-based) of a frequency table sorted by value."""
    return float(values[np.searchsorted(cumulative, rank)])


def _lower_rank(n: int, tail: float) -> int:
    """The smallest k with P(B <= k) >= ``tail`` for B ~ Binomial(n, 1/2), so that P(B <= k - 1) < tail."""
    guess = int(np.floor(special.bdtrik(tail, n, 0.5))) if n > 0 else 0
    k = max(guess - 2, 0)
    while special.bdtr(k, n, 0.5) < tail:
        k += 1
    while k > 0 and special.bdtr(k - 1, n, 0.5) >= tail:
        k -= 1
    return k


def median_interval(
    values: np.ndarray | list[float], counts: np.ndarray | list[int] | None = None, level: float = 0.95
) -> tuple[float, float, float, int]:
    """Median of ``values`` (each repeated ``counts`` times) with a distribution-free interval.

    Returns ``(median, lower, upper, n)``. The median of an even number of values is the mean of
    the two middle ones. The interval is ``[x(r), x(n - r + 1)]`` with ``r`` the largest rank such
    that ``P(B <= r - 1) <= (1 - level) / 2`` for ``B ~ Binomial(n, 1/2)``; NaN limits when no such
    rank exists (n < 6 at 95%). Everything is NaN when ``n = 0``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    v = np.asarray(values, dtype="float64")
    c = np.ones(len(v), dtype="int64") if counts is None else np.asarray(counts, dtype="int64")
    if len(v) != len(c):
        raise ValueError("values and counts must have the same length")
    if np.any(c < 0):
        raise ValueError("counts must not be negative")
    keep = (c > 0) & np.isfinite(v)
    v, c = v[keep], c[keep]
    n = int(c.sum())
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    order = np.argsort(v, kind="stable")
    v, c = v[order], c[order]
    cumulative = np.cumsum(c)
    if n % 2:
        median = _rank_value(v, cumulative, (n + 1) // 2)
    else:
        median = (_rank_value(v, cumulative, n // 2) + _rank_value(v, cumulative, n // 2 + 1)) / 2
    r = _lower_rank(n, (1 - level) / 2)
    if r < 1:
        return median, float("nan"), float("nan"), n
    return median, _rank_value(v, cumulative, r), _rank_value(v, cumulative, n - r + 1), n


def proportion_table(numerator: np.ndarray, denominator: np.ndarray, prefix: str = "") -> pd.DataFrame:
    """Proportion with Wilson 95% limits; NaN where the denominator is 0 or either count is missing."""
    x = pd.to_numeric(pd.Series(numerator), errors="coerce").to_numpy(dtype="float64")
    n = pd.to_numeric(pd.Series(denominator), errors="coerce").to_numpy(dtype="float64")
    usable = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x <= n)
    share = np.full(len(x), np.nan)
    lower = np.full(len(x), np.nan)
    upper = np.full(len(x), np.nan)
    if usable.any():
        share[usable] = x[usable] / n[usable]
        lo, hi = wilson_interval(x[usable], n[usable], 0.95)
        lower[usable], upper[usable] = lo, hi
    return pd.DataFrame({f"{prefix}share": share, f"{prefix}lower_95": lower, f"{prefix}upper_95": upper})


# --------------------------------------------------------------------------------------------
# queries


def _follow_up(t: ir.Table, follow_up_days: int) -> list[ir.BooleanValue]:
    """Referrals received at least ``follow_up_days`` before the store's latest referral date."""
    if follow_up_days <= 0:
        return []
    latest = t.referral_date.max().to_pyarrow().as_py()
    if latest is None:
        return []
    cutoff = pd.Timestamp(latest).date() - dt.timedelta(days=int(follow_up_days))
    return [t.referral_date <= ibis.date(cutoff)]


def _counts(t: ir.Table, selection: Selection, group: str | None, follow_up_days: int) -> pd.DataFrame:
    from equity.queries import LSOA_COLUMN, run, selected

    lsoa = LSOA_COLUMN[selection.vintage]
    rows = selected(t, selection, *_follow_up(t, follow_up_days), t[lsoa].notnull())
    keys: dict[str, ir.Value] = {"lsoa_code": rows[lsoa]}
    if group == "referral_source":
        keys["grp"] = rows.referral_source.fill_null(NOT_RECORDED)
    expr = rows.group_by(**keys).aggregate(referrals=rows.count(), referrals_accessed=rows.first_contact_date.count())
    return run(expr, list(keys))


def _waits(t: ir.Table, selection: Selection, follow_up_days: int) -> pd.DataFrame:
    from equity.queries import wait_frequencies

    return wait_frequencies(t, selection, *_follow_up(t, follow_up_days), t.first_contact_date >= t.referral_date)


def _with_groups(frame: pd.DataFrame, areas: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    chosen = filter_areas(areas, selection)[["lsoa_code", "place", "imd_quintile"]]
    return frame.merge(chosen, on="lsoa_code", how="inner")


def _group_order(by: str, present: pd.Index) -> list:
    if by == "place":
        return [p for p in PLACES if p in set(present)]
    return [q for q in (1, 2, 3, 4, 5) if q in set(present)]


def _label(by: str, value: object) -> str:
    return str(value) if by == "place" else QUINTILE_LABELS[int(value)]  # type: ignore[call-overload]


# --------------------------------------------------------------------------------------------
# tables from exact counts (pure; the store-reading wrappers follow)


def source_mix_exact(counts: pd.DataFrame) -> pd.DataFrame:
    """Exact referrals by Place and source of referral from per-LSOA counts with ``place`` and ``grp``
    (source code): every source listed (zero where none), with the Place's total (``place_referrals``).
    Published through ``publish.tables`` ('pathway_source_mix'), disclosure control Place by Place."""
    sources = [*REFERRAL_SOURCES, NOT_RECORDED]
    places = [p for p in PLACES if p in set(counts["place"])]
    grid = pd.MultiIndex.from_product([places, sources], names=["place", "referral_source"])
    sums = counts.groupby(["place", "grp"])["referrals"].sum()
    sums.index = sums.index.set_names(["place", "referral_source"])
    table = sums.reindex(grid, fill_value=0).reset_index()
    table["referrals"] = table["referrals"].astype("int64")
    table["source_label"] = table["referral_source"].map(lambda c: REFERRAL_SOURCES.get(c, NOT_RECORDED))
    table["place_referrals"] = table.groupby("place")["referrals"].transform("sum").astype("int64")
    return table.assign(share=np.nan, lower_95=np.nan, upper_95=np.nan)


def conversion_exact(counts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Exact referrals and referrals with a first attended contact by ``by`` ('place' or 'imd_quintile')
    from per-LSOA counts with groups (published as 'pathway_conversion', Wilson 95% on the controlled counts)."""
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}, got {by!r}")
    sums = counts.groupby(by)[["referrals", "referrals_accessed"]].sum()
    order = _group_order(by, sums.index)
    table = sums.reindex(order, fill_value=0).reset_index().rename(columns={by: "group"})
    table["label"] = [_label(by, g) for g in table["group"]]
    for column in ("referrals", "referrals_accessed"):
        table[column] = table[column].astype("int64")
    return table.assign(share=np.nan, lower_95=np.nan, upper_95=np.nan)


def wait_exact(waits: pd.DataFrame, by: str) -> pd.DataFrame:
    """Median wait (days) to first attended contact with its order-statistic 95% interval, by ``by``,
    from a frequency table of waits (``wait_days``, ``n``) with group columns; exact number of waits
    (published as 'pathway_waits': the number controlled, the median hidden with it)."""
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}, got {by!r}")
    rows = []
    present = pd.Index(waits[by].unique()) if len(waits) else pd.Index([])
    for group in _group_order(by, present):
        part = waits[waits[by] == group].groupby("wait_days")["n"].sum()
        median, lower, upper, n = median_interval(part.index.to_numpy(), part.to_numpy())
        rows.append({"group": group, "label": _label(by, group), "waits": n, "median_days": median,
                     "lower_95": lower, "upper_95": upper})
    table = pd.DataFrame(rows, columns=["group", "label", "waits", "median_days", "lower_95", "upper_95"])
    table["waits"] = table["waits"].astype("int64")
    return table


def hide_stats_where_hidden(shown: pd.DataFrame) -> pd.DataFrame:
    """The median and its interval hidden where the number of waits is hidden."""
    out = shown.copy()
    hidden = out["waits"].isna().to_numpy()
    for column in ("median_days", "lower_95", "upper_95"):
        values = pd.array(pd.to_numeric(out[column], errors="coerce"), dtype="Float64")
        values[hidden] = pd.NA
        out[column] = values
    return out


# --------------------------------------------------------------------------------------------
# store readers


def _areas(settings: Settings, selection: Selection) -> pd.DataFrame:
    from geo.cache import load_areas

    return load_areas(settings.cache_dir, selection.vintage, selection.definition)


def _read(settings: Settings, fetch: Callable[[ir.Table], pd.DataFrame]) -> pd.DataFrame:
    from equity.queries import reading

    with reading(settings.store_location) as referrals:
        return fetch(referrals)


def source_mix(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Exact referral source mix by Place for the selection (all referrals, no follow-up window)."""
    counts = _read(settings, lambda con: _counts(con, selection, "referral_source", 0))
    return source_mix_exact(_with_groups(counts, _areas(settings, selection), selection))


def conversion(
    settings: Settings, selection: Selection, by: str, *, follow_up_days: int = FOLLOW_UP_DAYS
) -> pd.DataFrame:
    """Exact referral -> first attended contact counts by Place or IMD quintile (see module notes)."""
    counts = _read(settings, lambda con: _counts(con, selection, None, follow_up_days))
    return conversion_exact(_with_groups(counts, _areas(settings, selection), selection), by)


def median_wait(
    settings: Settings, selection: Selection, by: str, *, follow_up_days: int = FOLLOW_UP_DAYS
) -> pd.DataFrame:
    """Exact median days from referral to first attended contact by Place or IMD quintile (see module notes)."""
    waits = _read(settings, lambda con: _waits(con, selection, follow_up_days))
    return wait_exact(_with_groups(waits, _areas(settings, selection), selection), by)
