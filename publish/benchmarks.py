"""The benchmark of a selection and the comparison of published rows with it (``equity.benchmark``).

Benchmark values come from the published tables of the whole ICB under the same non-geographic filters
(so choosing a Place in the sidebar never moves the L&SC benchmark onto that Place): the ICB row for
L&SC, the Place's row for a Place. England has national values only for the Core20 share (20% of
England's neighbourhoods by construction); every other measure is then compared with L&SC and says so.
The comparison is judged on each row's shown (disclosure-controlled) interval, never on exact counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equity import benchmark as bm
from equity.selection import Selection


@dataclass(frozen=True)
class Measure:
    """A published estimate that can be compared: its columns and its polarity."""

    value: str
    lower_95: str
    upper_95: str
    lower_998: str
    upper_998: str
    polarity: str
    label: str
    #: England's value, where national data give one
    england: float | None = None


OVERVIEW_MEASURES: dict[str, Measure] = {
    "referrals": Measure(
        "rate_per_1000", "lower_95", "upper_95", "lower_998", "upper_998", bm.NO_POLARITY, "Referrals per 1,000"
    ),
    "access": Measure(
        "access_rate_per_1000",
        "access_lower_95",
        "access_upper_95",
        "access_lower_998",
        "access_upper_998",
        bm.HIGH_GOOD,
        "Access per 1,000",
    ),
    "core20_children": Measure(
        "core20_population_share",
        "core20_population_lower_95",
        "core20_population_upper_95",
        "core20_population_lower_998",
        "core20_population_upper_998",
        bm.NO_POLARITY,
        "Children 0-5 living in Core20 areas",
        england=bm.ENGLAND_CORE20_SHARE,
    ),
}
#: the Map's need-adjusted access ratio (O/E): more access for the need is better
ACCESS_RATIO = Measure(
    "access_ratio", "access_ratio_lower", "access_ratio_upper", "", "", bm.HIGH_GOOD, "Need-adjusted access ratio"
)


def effective(selection: Selection, measure: Measure) -> str:
    """The benchmark a measure is compared with: the chosen one, or L&SC when England has no value for it."""
    if selection.benchmark == bm.ENGLAND and measure.england is None:
        return bm.LSC
    return selection.benchmark


def with_core20_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """The overview rows with Wilson 95%/99.8% limits of the share of children living in Core20 areas
    (public population figures: ONS mid-year estimates, no referral counts)."""
    from equity.stats import wilson_interval

    out = table.copy()
    x = pd.to_numeric(out["core20_population"], errors="coerce").fillna(0).to_numpy(dtype=float)
    n = pd.to_numeric(out["denominator"], errors="coerce").fillna(0).to_numpy(dtype=float)
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        lower, upper = wilson_interval(x, n, level)
        out[f"core20_population_lower_{suffix}"] = np.asarray(lower, dtype=float)
        out[f"core20_population_upper_{suffix}"] = np.asarray(upper, dtype=float)
    return out


def _value(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def overview_benchmarks(
    icb: pd.DataFrame, selection: Selection
) -> dict[str, tuple[str, float | None, float | None]]:
    """measure key -> (benchmark name, benchmark value, L&SC value) for the Overview's measures, from
    ``icb``: the published overview of the whole ICB under the selection's other filters."""
    rows = {bm.LSC: icb.iloc[0]} | {str(r["group_name"]): r for _, r in icb.iloc[1:].iterrows()}
    out: dict[str, tuple[str, float | None, float | None]] = {}
    for key, measure in OVERVIEW_MEASURES.items():
        name = effective(selection, measure)
        value = measure.england if name == bm.ENGLAND else rows[name][measure.value] if name in rows else None
        out[key] = (name, _value(value), _value(rows[bm.LSC][measure.value]))
    return out


def compare_rows(table: pd.DataFrame, measure: Measure, benchmark_value: float | None) -> pd.DataFrame:
    """Each row's comparison words at 95% and 99.8% (``vs_95``, ``vs_998``) and the table label (``vs``)."""
    w95 = bm.compare_all(table[measure.lower_95], table[measure.upper_95], benchmark_value, measure.polarity)
    if measure.lower_998:
        w998 = bm.compare_all(table[measure.lower_998], table[measure.upper_998], benchmark_value, measure.polarity)
    else:
        w998 = [bm.NOT_COMPARED] * len(table)
    return pd.DataFrame(
        {"vs_95": w95, "vs_998": w998, "vs": [bm.label(a, b) for a, b in zip(w95, w998, strict=True)]},
        index=table.index,
    )


def overview_comparisons(selection: Selection, table: pd.DataFrame, icb: pd.DataFrame) -> pd.DataFrame:
    """The published overview rows with, per measure, ``<key>_vs`` (the label), ``<key>_vs_95`` and
    ``<key>_vs_998`` (the words), ``<key>_benchmark`` / ``<key>_benchmark_value`` and ``<key>_lsc_value``;
    ``icb`` is the published overview of the whole ICB under the selection's other filters."""
    out = with_core20_intervals(table)
    for key, (name, value, lsc) in overview_benchmarks(icb, selection).items():
        words = compare_rows(out, OVERVIEW_MEASURES[key], value)
        for column in words:
            out[f"{key}_{column}"] = words[column].to_numpy()
        out[f"{key}_benchmark"] = name
        out[f"{key}_benchmark_value"] = value
        out[f"{key}_lsc_value"] = lsc
    return out


def place_ratio_benchmark(selection: Selection, places: pd.DataFrame) -> tuple[str, float | None]:
    """(benchmark name, value) of the need-adjusted access ratio: 1 for L&SC (expected is at the L&SC rate
    per child in need, so the ICB's observed equals its expected), the Place's published ratio for a Place
    (``places``: the published Place-level map rows of the whole ICB); England has none (falls back to L&SC)."""
    name = effective(selection, ACCESS_RATIO)
    if name == bm.LSC:
        return name, 1.0
    row = places.loc[places["name"].astype(str) == name]
    value = row["access_ratio"].iloc[0] if len(row) else np.nan
    return name, None if pd.isna(value) else float(value)


def overview_bars(
    table: pd.DataFrame, selection: Selection, *, measure: str = "referrals", source: str
):  # -> go.Figure (Plotly imported lazily)
    """The Overview's bars by Place from :func:`overview_comparisons` rows (the total row first): each bar
    coloured by comparison with the benchmark, the L&SC line at L&SC's own value (never the selection's
    total) and, when the benchmark is a Place, that Place's line too."""
    from charts.bars import rate_bars

    spec = OVERVIEW_MEASURES[measure]
    prefix = "" if measure == "referrals" else "access_"
    word = "Referrals" if measure == "referrals" else "Children accessing support"
    places = table.iloc[1:]
    name = str(table[f"{measure}_benchmark"].iloc[0])
    lsc = table[f"{measure}_lsc_value"].iloc[0]
    lines: list[tuple[str, float | None]] = [(bm.LSC, _value(lsc))]
    if name != bm.LSC:
        lines.append((name, _value(table[f"{measure}_benchmark_value"].iloc[0])))
    return rate_bars(
        frame=places,
        label_column="group_name",
        rate_column=spec.value,
        lower_column=f"{prefix}lower_95",
        upper_column=f"{prefix}upper_95",
        title=f"{word} per 1,000 children aged 0-5, by Place",
        subtitle=f"{selection.describe()} · 95% confidence intervals · colour: compared with {name} at 95%",
        source=source,
        x_title=f"{word} per 1,000 children aged 0-5 in the period",
        references=lines,
        comparisons=list(places[f"{measure}_vs_95"]),
        comparison_title=f"Compared with {name}",
    )


def with_access_comparison(selection: Selection, table: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Published ``map_areas`` rows with their need-adjusted access ratio compared with the benchmark
    (:func:`place_ratio_benchmark`): ``access_vs`` (the word at 95%), ``access_vs_code`` (0 worse,
    1 similar, 2 better; missing when not compared) and ``access_benchmark`` (its name)."""
    name, value = place_ratio_benchmark(selection, places)
    words = bm.compare_all(table[ACCESS_RATIO.lower_95], table[ACCESS_RATIO.upper_95], value, ACCESS_RATIO.polarity)
    out = table.copy()
    out["access_vs"] = words
    out["access_vs_code"] = pd.array([bm.CODES.get(w) for w in words], dtype="Float64")
    out["access_benchmark"] = name
    return out
