"""Core20PLUS5 tables: coverage, deprivation gradient, PLUS groups, funnel, trend of the gap, vintages.

Pure functions over the LSOA frame (``equity.dashboard.lsoa_frame``) and small store queries. Exact
values here; ``display_*`` functions apply disclosure control for screen and download.

Definitions
* Coverage ratio: (share of the measure from Core20 neighbourhoods) / (share of children aged 0-5 living
  there); 1 = in proportion to population. Interval: Wilson on the share, population share fixed.
* Need-adjusted coverage: the same share divided by the Core20 share of *children in need* under the
  need model (``equity.need``); 1 = in proportion to need.
* Core20 is decided by the selection's IMD vintage.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from equity.inequality import slope_index
from equity.need import NeedModel, add_expected, children_in_need
from equity.stats import coverage_ratio, rate_table, standardised_ratio, wilson_interval

MEASURES = {"referrals": "referrals", "access": "people_accessing"}
MEASURE_LABELS = {"referrals": "Referrals", "access": "Children accessing"}
GRADIENT_DIMENSIONS = {"imd_decile": "IMD decile", "imd_quintile": "IMD quintile", "idaci_decile": "IDACI decile"}


def _numerator(measure: str) -> str:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    return MEASURES[measure]


# --- 1. Core20 coverage -------------------------------------------------------------------------------


def coverage_table(frame: pd.DataFrame, measure: str, model: NeedModel, *, whole_icb: bool = True) -> pd.DataFrame:
    """One row for the total (ICB, or the selected areas) and one per Place."""
    numerator = _numerator(measure)
    work = frame.assign(need=children_in_need(frame, model))
    rows = []
    groups = [("L&SC ICB" if whole_icb else "Total of selected areas", work)]
    groups += [(place, part) for place, part in work.groupby("place", sort=True)]
    for name, part in groups:
        core = part["core20"]
        rows.append(
            {
                "area": name,
                "core20_count": int(part.loc[core, numerator].sum()),
                "count": int(part[numerator].sum()),
                "core20_population": int(part.loc[core, "denominator"].sum()),
                "population": int(part["denominator"].sum()),
                "core20_need": float(part.loc[core, "need"].sum()),
                "need": float(part["need"].sum()),
            }
        )
    return _with_ratios(pd.DataFrame(rows))


def _with_ratios(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    a, t = out["core20_count"].to_numpy(dtype=float), out["count"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_of_measure"] = np.where(t > 0, a / t, np.nan)
        out["share_of_population"] = out["core20_population"] / out["population"].where(out["population"] > 0)
        out["share_of_need"] = out["core20_need"] / out["need"].where(out["need"] > 0)
    valid = (out["core20_population"] > 0) & (out["core20_population"] < out["population"])
    ratio, lower, upper = coverage_ratio(a, t, out["core20_population"].to_numpy(), out["population"].to_numpy())
    out["coverage_ratio"], out["lower_95"], out["upper_95"] = ratio, lower, upper
    need_ratio, need_lower, need_upper = coverage_ratio(a, t, out["core20_need"].to_numpy(), out["need"].to_numpy())
    out["need_adjusted_ratio"], out["need_lower_95"], out["need_upper_95"] = need_ratio, need_lower, need_upper
    ratio_cols = ["coverage_ratio", "lower_95", "upper_95", "need_adjusted_ratio", "need_lower_95", "need_upper_95"]
    out.loc[~valid, ratio_cols] = np.nan  # no Core20 children, or only Core20 children: no comparison
    return out


def gradient_table(
    frame: pd.DataFrame, by: str, measure: str, model: NeedModel, reference: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Rate per 1,000 by deprivation group with intervals, beside the rate expected from need (at the
    rate per child in need of ``reference``: the whole ICB under the same filters, or the frame itself).

    With a Place filter pass the whole ICB as ``reference``: the expected counts are then the Place's
    children in need at the L&SC rate, so they neither compare the Place with itself nor add up to the
    Place's exact (undisclosed) total."""
    if by not in GRADIENT_DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(GRADIENT_DIMENSIONS)}, got {by!r}")
    numerator = _numerator(measure)
    work = add_expected(frame, numerator, model, reference)
    table = (
        work.groupby(by, sort=True)
        .agg(
            numerator=(numerator, "sum"),
            denominator=("denominator", "sum"),
            expected=("expected", "sum"),
            children_in_need=("children_in_need", "sum"),
        )
        .reset_index()
        .rename(columns={by: "group"})
    )
    rates = rate_table(table["numerator"].to_numpy(), table["denominator"].to_numpy())
    for column in ("rate_per_1000", "lower_95", "upper_95", "lower_998", "upper_998"):
        table[column] = rates[column].to_numpy()
    table["expected_rate_per_1000"] = 1000 * table["expected"] / table["denominator"].where(table["denominator"] > 0)
    ratio, lower, upper = standardised_ratio(table["numerator"].to_numpy(), table["expected"].to_numpy())
    table["need_adjusted_ratio"], table["ratio_lower_95"], table["ratio_upper_95"] = ratio, lower, upper
    return table


def gradient_summary(frame: pd.DataFrame, measure: str, model: NeedModel, *, suppress: bool = True) -> dict:
    """SII/RII across IMD deciles for the rate per 1,000 children, and per 1,000 children in need, from
    the disclosure-controlled decile counts (as the equity summary of ``equity.report.inequality``), so
    the printed slope cannot be worked back to exact decile counts; not given when a decile is hidden."""
    numerator = _numerator(measure)
    work = frame.assign(need=children_in_need(frame, model))
    deciles = (
        work.groupby("imd_decile", sort=True)
        .agg(n=(numerator, "sum"), pop=("denominator", "sum"), need=("need", "sum"))
        .reset_index()
    )
    deciles = deciles[deciles["pop"] > 0]
    if len(deciles) < 2:
        raise ValueError("the selection covers fewer than two IMD deciles: no gradient can be estimated")
    if suppress:
        from equity.disclosure import apply_disclosure

        shown = apply_disclosure(deciles[["n"]].reset_index(drop=True), ["n"], known_total=["n"])["n"]
        if shown.isna().any():
            raise ValueError(
                "No slope index is given: a deprivation decile has a count too small to show (1-4, or hidden "
                "so it cannot be worked out from the total)."
            )
        deciles = deciles.assign(n=shown.astype("int64").to_numpy())
    raw = slope_index(
        pd.DataFrame({"group": deciles["imd_decile"], "numerator": deciles["n"], "population": deciles["pop"]})
    )
    adjusted = slope_index(
        pd.DataFrame({"group": deciles["imd_decile"], "numerator": deciles["n"], "population": deciles["need"]})
    )
    return {"raw": raw, "need_adjusted": adjusted}


def gradient_sentence(summary: dict, measure: str) -> str:
    """The gradient in words whose every "times" is the RII printed beside it.

    RII as PHE ``phe_sii``: the fitted rate at the least deprived end divided by that at the most
    deprived end (``equity.inequality``), so the sentence reads from the least deprived end: "the rate
    in the least deprived neighbourhoods is RII times that in the most deprived"."""
    noun = "referral rate" if measure == "referrals" else "rate of children reaching a first contact"
    raw, need = summary["raw"], summary["need_adjusted"]
    rii = raw["rii"]
    if not np.isfinite(rii):
        return (
            f"The fitted {noun} at the most deprived end of the slope is not above zero, so no relative index "
            f"(RII) can be given (SII {raw['sii']:.1f} per 1,000, 95% CI {raw['sii_lower']:.1f} to "
            f"{raw['sii_upper']:.1f})."
        )
    text = (
        f"On the fitted slope across IMD deciles, the {noun} in the least deprived neighbourhoods is {rii:.2f} "
        f"times that in the most deprived (relative index of inequality, RII {rii:.2f}, 95% CI "
        f"{raw['rii_lower']:.2f} to {raw['rii_upper']:.2f}; below 1 = higher in more deprived areas). Slope index: "
        f"SII {raw['sii']:.1f} per 1,000, 95% CI {raw['sii_lower']:.1f} to {raw['sii_upper']:.1f} (most minus "
        "least deprived)."
    )
    rii_need = need["rii"]
    if np.isfinite(rii_need) and rii_need > 0:
        most_vs_least = 1 / rii_need - 1
        direction = "more" if most_vs_least > 0 else "less"
        text += (
            f" Per child in need, the RII is {rii_need:.2f}: the least deprived neighbourhoods are served "
            f"{rii_need:.2f} times as often as the most deprived, i.e. the most deprived are served "
            f"{abs(most_vs_least) * 100:.0f}% {direction} per child in need."
        )
    return text


# --- 3. PLUS groups -----------------------------------------------------------------------------------

ETHNIC_COLUMNS = {
    "Asian": "eth_asian",
    "Black": "eth_black",
    "Mixed": "eth_mixed",
    "White": "eth_white",
    "Other": "eth_other",
}


def ethnicity_table(counts: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Referrals by broad ethnic group against the Census 2021 mix of the same neighbourhoods.

    ``counts`` has columns group, referrals (all seven groups incl. Not stated / Not known). The
    population share applies each neighbourhood's all-age Census share to its children aged 0-5.
    The referral share among referrals with a known group is compared with the population share.
    """
    base = frame["eth_total"].where(frame["eth_total"] > 0)
    population = {g: float((frame["denominator"] * frame[c] / base).sum()) for g, c in ETHNIC_COLUMNS.items()}
    total_population = sum(population.values())
    table = counts.set_index("group")["referrals"]
    total = int(table.sum())
    known = int(table[list(ETHNIC_COLUMNS)].sum())
    rows = []
    for group, referrals in table.items():
        row = {
            "group": group,
            "referrals": int(referrals),
            "share_of_all_referrals": referrals / total if total else np.nan,
        }
        if group in ETHNIC_COLUMNS:
            pop_share = population[group] / total_population if total_population else np.nan
            share = referrals / known if known else np.nan
            lower, upper = wilson_interval(int(referrals), known)
            row.update(
                share_of_known=share,
                known_lower_95=lower,
                known_upper_95=upper,
                population_share=pop_share,
                representation_ratio=share / pop_share if pop_share else np.nan,
                ratio_lower_95=lower / pop_share if pop_share else np.nan,
                ratio_upper_95=upper / pop_share if pop_share else np.nan,
            )
        rows.append(row)
    return pd.DataFrame(rows)


def ethnicity_caveat(unknown_share: float) -> str:
    """The caveat the ethnicity table and chart must carry (shown as a caption with them)."""
    unknown = f"{100 * unknown_share:.1f}%" if np.isfinite(unknown_share) else "an unknown share"
    return (
        f"Shares of referrals leave out the {unknown} of referrals whose ethnicity is not stated or not known: "
        "if those children differ in ethnic mix, the shares and ratios are biased. The population shares apply "
        "each neighbourhood's all-age Census 2021 ethnic mix to its children aged 0-5 (no ethnicity by age is "
        "available for neighbourhoods); groups with a younger age profile are therefore likely to be under-"
        "stated among children, and their representation ratios overstated."
    )


def unknown_ethnicity_share(table: pd.DataFrame) -> float:
    total = table["referrals"].sum()
    unknown = table.loc[table["group"].isin(["Not stated", "Not known"]), "referrals"].sum()
    return float(unknown / total) if total else float("nan")


def rurality_table(
    frame: pd.DataFrame, measure: str, model: NeedModel, reference: pd.DataFrame | None = None
) -> pd.DataFrame:
    numerator = _numerator(measure)
    work = add_expected(frame, numerator, model, reference)
    table = (
        work.groupby("urban_rural", sort=True)
        .agg(
            numerator=(numerator, "sum"),
            denominator=("denominator", "sum"),
            expected=("expected", "sum"),
            lsoa_count=("lsoa_code", "size"),
        )
        .reset_index()
        .rename(columns={"urban_rural": "group"})
    )
    rates = rate_table(table["numerator"].to_numpy(), table["denominator"].to_numpy())
    for column in ("rate_per_1000", "lower_95", "upper_95"):
        table[column] = rates[column].to_numpy()
    ratio, lower, upper = standardised_ratio(table["numerator"].to_numpy(), table["expected"].to_numpy())
    table["need_adjusted_ratio"], table["ratio_lower_95"], table["ratio_upper_95"] = ratio, lower, upper
    return table


# --- 4. Funnel ----------------------------------------------------------------------------------------


class FunnelData(NamedTuple):
    """A funnel plot's data. ``points``: the plotted areas with ``x``, ``y`` and, at their own ``x``, the
    centre line and limits (``funnel_centre``, ``funnel_lower_95`` ... ``funnel_upper_998``);
    ``limits``: the curves (``x, target, lower_95, upper_95, lower_998, upper_998``); ``suppressed``: the
    number of areas with children whose counts are too small to show (not plotted); ``centre``: the
    centre line (the L&SC value, or 1 for the need-adjusted ratio)."""

    points: pd.DataFrame
    limits: pd.DataFrame
    suppressed: int
    centre: float


FUNNEL_LIMIT_COLUMNS = ("lower_95", "upper_95", "lower_998", "upper_998")
#: what each plotted point carries: its centre line and limits at its own x (for the download)
FUNNEL_POINT_COLUMNS = ("funnel_centre", *(f"funnel_{c}" for c in FUNNEL_LIMIT_COLUMNS))


def reference_rate(reference: pd.DataFrame, measure: str = "access") -> float:
    """The rate per 1,000 of ``reference`` (the whole ICB under the same non-geographic filters) from its
    exact counts: the centre line of a rate funnel. ICB-level, so exact values may be used."""
    numerator = _numerator(measure)
    population = float(reference["denominator"].sum())
    if population <= 0:
        raise ValueError("the reference population is empty: no funnel centre line")
    return 1000 * float(reference[numerator].sum()) / population


def suppressed_note(count: int) -> str:
    """The sentence a page shows beside a funnel plot for the areas it leaves out."""
    if count == 0:
        return "Every neighbourhood with children is plotted."
    noun = "neighbourhood" if count == 1 else "neighbourhoods"
    return f"{count:,} {noun} with counts too small to show {'is' if count == 1 else 'are'} not plotted."


def funnel_points(areas: pd.DataFrame, kind: str, centre: float | None = None) -> FunnelData:
    """Points (disclosure-controlled explorer rows) and funnel limits for 'access_rate' or 'access_ratio'.

    ``centre`` is the reference value: for 'access_rate' the L&SC rate per 1,000 under the same
    non-geographic filters (:func:`reference_rate`, required; never the mean of the rounded points on
    display); for 'access_ratio' the expected counts already use the L&SC rate, so the centre is 1."""
    from equity.stats import funnel_limits, funnel_limits_ratio

    points = areas[areas["denominator"] > 0].copy()
    if kind == "access_rate":
        if centre is None or not np.isfinite(centre):
            raise ValueError("a rate funnel needs its centre: the L&SC rate under the same filters")
        shown = points.dropna(subset=["access_rate_per_1000"])
        x = np.unique(np.linspace(max(points["denominator"].min(), 1), points["denominator"].max() * 1.05, 120).round())
        limits = funnel_limits(x, centre).rename(columns={"denominator": "x"})
        at_points = funnel_limits(shown["denominator"].to_numpy(dtype=float), centre) if len(shown) else None
        shown = shown.assign(x=shown["denominator"], y=shown["access_rate_per_1000"])
    elif kind == "access_ratio":
        centre = 1.0
        shown = points.dropna(subset=["access_ratio"])
        expected = shown["expected"]
        x = np.geomspace(max(expected.min(), 0.05), expected.max() * 1.05, 120)
        limits = funnel_limits_ratio(x).rename(columns={"expected": "x"})
        at_points = funnel_limits_ratio(expected.to_numpy(dtype=float)) if len(shown) else None
        shown = shown.assign(x=expected, y=shown["access_ratio"])
    else:
        raise ValueError(f"kind must be 'access_rate' or 'access_ratio', got {kind!r}")
    shown = shown.assign(funnel_centre=float(centre))
    for column in FUNNEL_LIMIT_COLUMNS:
        shown[f"funnel_{column}"] = at_points[column].to_numpy() if at_points is not None else np.nan
    return FunnelData(shown, limits, int(len(points) - len(shown)), float(centre))


# --- 5. Trend of the gap ------------------------------------------------------------------------------


def quarterly_coverage(counts: pd.DataFrame, core20_share_of_population: float) -> pd.DataFrame:
    """Coverage ratio by quarter; ``counts`` has quarter, core20 (bool), n."""
    pivot = counts.pivot_table(index="quarter", columns="core20", values="n", aggfunc="sum", fill_value=0)
    core = pivot.get(True, pd.Series(0, index=pivot.index)).astype(int)
    total = (core + pivot.get(False, pd.Series(0, index=pivot.index))).astype(int)
    table = pd.DataFrame({"quarter": pivot.index, "core20_count": core.to_numpy(), "count": total.to_numpy()})
    share_lower, share_upper = wilson_interval(table["core20_count"].to_numpy(), table["count"].to_numpy())
    table["share_of_measure"] = table["core20_count"] / table["count"].where(table["count"] > 0)
    table["coverage_ratio"] = table["share_of_measure"] / core20_share_of_population
    table["lower_95"] = np.asarray(share_lower) / core20_share_of_population
    table["upper_95"] = np.asarray(share_upper) / core20_share_of_population
    return table.reset_index(drop=True)


# --- 6. Vintages --------------------------------------------------------------------------------------


def core20_status_2019_for_2021(areas_2025: pd.DataFrame, areas_2019: pd.DataFrame, links: pd.DataFrame) -> pd.Series:
    """Core20 under IMD 2019 for each LSOA 2021: the status of its LSOA 2011 source(s) holding most of
    their 2011 population (a merged LSOA with sources of both kinds takes the larger side)."""
    status19 = areas_2019.set_index("lsoa_code")["core20"]
    work = links.assign(core20_2019=links["lsoa11_code"].map(status19))
    work = work.dropna(subset=["core20_2019"])
    weight = work.groupby(["lsoa21_code", "core20_2019"])["population_2011_all_ages"].sum().reset_index()
    weight = weight.sort_values(["lsoa21_code", "population_2011_all_ages"], ascending=[True, False])
    best = weight.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["core20_2019"].astype(bool)
    return areas_2025["lsoa_code"].map(best)


def vintage_changes(areas_2025: pd.DataFrame, areas_2019: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """LSOA 2021 neighbourhoods whose Core20 status differs between IMD 2019 and IMD 2025."""
    before = core20_status_2019_for_2021(areas_2025, areas_2019, links)
    table = areas_2025[["lsoa_code", "lsoa_name", "place", "lad_name", "imd_decile", "population_0_5"]].copy()
    table["core20_2019"] = before.to_numpy()
    table["core20_2025"] = areas_2025["core20"].to_numpy()
    changed = table[table["core20_2019"].notna() & (table["core20_2019"] != table["core20_2025"])].copy()
    changed["change"] = np.where(changed["core20_2025"], "Enters Core20 in IMD 2025", "Leaves Core20 in IMD 2025")
    return changed.sort_values(["change", "place", "lsoa_name"]).reset_index(drop=True)
