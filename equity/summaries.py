"""Summaries in words under the main charts, generated from the numbers of the published tables the
charts draw (so the sentence and the chart never disagree): "Blackpool's need-adjusted referral ratio is
1.59 (95% CI 1.51 to 1.66): 1.59 times the referrals its need implies, significantly above L&SC."

Every number is formatted as the tables show it (``equity.formatting``), and every comparison comes from
``equity.benchmark.compare`` on the shown interval.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from equity import benchmark as bm
from equity.formatting import SUPPRESSED, interval, rate

NEED_RATIO_PREFIX = "Need-adjusted referral ratio"
_SIDE = {bm.HIGHER: "significantly above", bm.LOWER: "significantly below", bm.SIMILAR: "similar to"}


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def need_ratio_sentence(
    area: str,
    ratio: object,
    lower: object,
    upper: object,
    *,
    what: str = "referral",
    benchmark_name: str = bm.LSC,
    benchmark_value: float | None = 1.0,
) -> str:
    """One area's need-adjusted ratio (observed / expected) in words, compared with the benchmark's ratio
    (L&SC's is 1 by construction: expected is at the L&SC rate per child in need)."""
    if pd.isna(ratio) or pd.isna(lower) or pd.isna(upper):
        return f"{possessive(area)} need-adjusted {what} ratio is hidden (too few children to show safely)."
    word = bm.compare(lower, upper, benchmark_value)
    shown = rate(ratio, 2)
    plural = "referrals" if what == "referral" else "children accessing support"
    against = f"{benchmark_name}" + (f" ({rate(benchmark_value, 2)})" if benchmark_name != bm.LSC else "")
    return (
        f"{possessive(area)} need-adjusted {what} ratio is {shown} (95% CI {interval(lower, upper, 2)}): "
        f"{shown} times the {plural} its need implies, {_SIDE.get(word, 'not compared with')} {against}."
    )


def rate_sentence(
    area: str,
    value: object,
    word: str,
    *,
    unit: str,
    benchmark_name: str,
    benchmark_value: float | None,
) -> str:
    """'Blackpool: 194.5 referrals per 1,000 children aged 0-5, significantly higher than L&SC (107.5).'"""
    if pd.isna(value):
        return f"{area}: {unit} hidden (too few to show safely)."
    against = f" ({rate(benchmark_value)})" if benchmark_value is not None else ""
    return f"{area}: {rate(value)} {unit}, {bm.sentence(word, benchmark_name)}{against}."


def overview_sentences(compared: pd.DataFrame, equity_table: pd.DataFrame) -> list[str]:
    """The Overview's summary: each Place's referral rate against the benchmark (the rows of
    ``publish.benchmarks.overview_comparisons``, total first), then each Place's need-adjusted referral
    ratio (the ``equity_summary`` rows) against L&SC, or against the benchmark Place's own ratio."""
    places = compared.iloc[1:]
    name = str(compared["referrals_benchmark"].iloc[0])
    value = compared["referrals_benchmark_value"].iloc[0]
    out = [
        rate_sentence(
            str(row["group_name"]),
            row["rate_per_1000"],
            str(row["referrals_vs_95"]),
            unit="referrals per 1,000 children aged 0-5",
            benchmark_name=name,
            benchmark_value=None if pd.isna(value) else float(value),
        )
        for _, row in places.iterrows()
    ]
    ratios = equity_table[equity_table["statistic"].astype(str).str.startswith(NEED_RATIO_PREFIX)]
    by_place: Mapping[str, pd.Series] = {str(r["group"]): r for _, r in ratios.iterrows()}
    ratio_name, ratio_value = bm.LSC, 1.0
    if name in by_place and name != bm.LSC:
        ratio_name, ratio_value = name, float(by_place[name]["value"])
    for area in places["group_name"].astype(str):
        if area in by_place and area != ratio_name:
            row = by_place[area]
            out.append(
                need_ratio_sentence(
                    area,
                    row["value"],
                    row["lower_95"],
                    row["upper_95"],
                    benchmark_name=ratio_name,
                    benchmark_value=ratio_value,
                )
            )
    return out


def map_sentence(ranked: pd.DataFrame, *, level_word: str, total: int) -> str:
    """The Map's ranked table in words: how many areas are significantly below expected access, and which
    is furthest below (the first row: the lowest shown ratio)."""
    below = ranked[ranked["Compared with expected"] == "significantly below"]
    shown = ranked[ranked["Ratio (95% CI)"] != SUPPRESSED]
    if shown.empty:
        return f"Every {level_word} area's need-adjusted access ratio is hidden for this selection."
    first = shown.iloc[0]
    lead = (
        f"{len(below):,} of {total:,} {level_word} areas have significantly lower access than their need implies"
        if len(below)
        else f"No {level_word} area has significantly lower access than its need implies"
    )
    return (
        f"{lead}; the lowest ratio is {first['Area']}: {first['Ratio (95% CI)']} ({first['Compared with expected']})."
    )


def coverage_sentence(what: str, ratio: object, lower: object, upper: object) -> str:
    """The Core20 coverage ratio in words (1 = in proportion to the population)."""
    if pd.isna(ratio) or pd.isna(lower) or pd.isna(upper):
        return f"The Core20 coverage ratio of {what} is hidden for this selection."
    word = bm.compare(lower, upper, 1.0)
    verdict = {
        bm.HIGHER: "significantly more than in proportion to the children living there",
        bm.LOWER: "significantly less than in proportion to the children living there",
    }.get(word, "in proportion to the children living there (the interval includes 1)")
    return (
        f"Core20 neighbourhoods' share of {what} is {rate(ratio, 2)} times their share of children aged 0-5 "
        f"(95% CI {interval(lower, upper, 2)}): {verdict}."
    )


def spc_sentence(title: str, latest: str, value: str, mean: str, variation: str, assurance: str) -> str:
    """An SPC chart in words: the latest point, the mean, the variation and the assurance."""
    return (
        f"{title}: {value} in {latest} against a mean of {mean}. Variation: {variation.lower()}. "
        f"Assurance: {assurance.lower()}."
    )
