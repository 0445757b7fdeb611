"""Indicator tables for the `report` and `inequality` commands (and the pages that show the same).

Denominators are children aged 0-5 (ONS mid-2020) in the selected neighbourhoods:
* area and deprivation breakdowns: the children living in each group's neighbourhoods;
* ``age_band``: children of those ages (antenatal referrals against children aged 0, a proxy for births);
* ``ethnic_group``: the Census 2021 all-age share of each broad group in each neighbourhood applied to
  its children aged 0-5, summed (the bundle has no ethnicity by age at LSOA level; children of minority
  groups are younger on average, so these denominators are conservative). Not stated / not known
  have no population and so no rate;
* ``support_element`` and ``referral_source``: all children aged 0-5 (the rate of referrals of that kind).

Disclosure control: every breakdown is treated as below ICB level (counts 1-4 hidden, others
rounded to 5, secondary suppression against the published total); only the single ICB-wide total
(``--by icb`` with no Place filter) is shown exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.schema import BROAD_ETHNIC_GROUPS, REFERRAL_SOURCES, SUPPORT_ELEMENTS
from equity import metrics
from equity.dashboard import lsoa_frame
from equity.disclosure import apply_disclosure
from equity.display import disclose
from equity.inequality import slope_index
from equity.need import NeedModel, children_in_need, need_adjusted
from equity.queries import RECORD_DIMENSIONS, counts_by_record_dimension, reading
from equity.scope import DETAIL_LEVELS, restrict
from equity.selection import Selection
from equity.settings import Settings
from equity.stats import coverage_ratio, rate_table, standardised_ratio

AREA_DIMENSIONS = ("icb", "place", "lad", "msoa", "lsoa", "imd_decile", "imd_quintile", "idaci_decile", "core20")
DIMENSIONS = (*AREA_DIMENSIONS, *RECORD_DIMENSIONS)
MEASURES = {"referrals": "referrals", "access": "people_accessing"}
COLUMNS = ["group", "numerator", "denominator", "rate_per_1000", "lower_95", "upper_95", "lower_998", "upper_998"]
_ETHNIC_COLUMNS = {
    "Asian": "eth_asian",
    "Black": "eth_black",
    "Mixed": "eth_mixed",
    "White": "eth_white",
    "Other": "eth_other",
}


def _record_denominators(frame: pd.DataFrame, dimension: str, groups: list[str]) -> dict[str, float]:
    if dimension == "ethnic_group":
        share_base = frame["eth_total"].where(frame["eth_total"] > 0)
        out = {}
        for group in groups:
            column = _ETHNIC_COLUMNS.get(group)
            out[group] = float((frame["denominator"] * frame[column] / share_base).sum()) if column else np.nan
        return out
    if dimension == "age_band":
        return {
            "0-1": float(frame[["age_0", "age_1"]].sum().sum()),
            "2-5": float(frame[["age_2", "age_3", "age_4", "age_5"]].sum().sum()),
            "Antenatal": float(frame["age_0"].sum()),
        }
    total = float(frame["denominator"].sum())
    return dict.fromkeys(groups, total)


def _all_groups(dimension: str) -> list:
    groups: dict[str, list] = {
        "ethnic_group": list(BROAD_ETHNIC_GROUPS),
        "age_band": ["Antenatal", "0-1", "2-5"],
        "support_element": list(SUPPORT_ELEMENTS),
        "referral_source": list(REFERRAL_SOURCES),
    }
    return groups[dimension]


def exact_table(settings: Settings, selection: Selection, measure: str, by: str) -> pd.DataFrame:
    """The exact (undisclosed) indicator table: never shown directly."""
    if measure not in MEASURES:
        raise ValueError(f"--measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    if by not in DIMENSIONS:
        raise ValueError(f"--by must be one of {', '.join(DIMENSIONS)}, got {by!r}")
    numerator = MEASURES[measure]
    frame = lsoa_frame(settings, selection)
    if by in DETAIL_LEVELS:  # neighbourhood rows only of the Places the selection may publish in detail
        frame = restrict(frame, selection, by)
    if by in AREA_DIMENSIONS:
        table = metrics.summarise(frame, by)
        table["group"] = table["group_name"] if by in ("lad", "msoa", "lsoa") else table["group_code"]
        if by == "core20":
            table["group"] = table["group_code"].map({True: "Core20 (IMD deciles 1-2)", False: "Not Core20"})
        if by in ("lad", "msoa", "lsoa"):
            table["group_code"] = table["group_code"].astype(str)
        table = table.rename(columns={numerator: "numerator"})
    else:
        # full-selection filters (period, age, element, ...) apply inside the query; places limit the LSOAs
        with reading(settings.store_location) as referrals:
            counts = counts_by_record_dimension(referrals, selection, by, frame["lsoa_code"].tolist())
        groups = _all_groups(by)
        counts = counts.set_index("grp").reindex(groups, fill_value=0).reset_index(names="group")
        denominators = _record_denominators(frame, by, groups)
        table = pd.DataFrame({"group": counts["group"], "numerator": counts[numerator].astype("int64")})
        table["denominator"] = table["group"].map(denominators)
        if by == "support_element":
            table["group"] = table["group"].map(lambda e: f"{e} {SUPPORT_ELEMENTS[e][0]}")
        if by == "referral_source":
            table["group"] = table["group"].map(lambda c: f"{c} {REFERRAL_SOURCES[c]}")
    rates = rate_table(table["numerator"].to_numpy(), table["denominator"].to_numpy(dtype=float), per=1000)
    out = table[["group", "numerator", "denominator"]].copy()
    for column in COLUMNS[3:]:
        out[column] = rates[column].to_numpy()
    out.loc[out["denominator"].isna() | (out["denominator"] <= 0), COLUMNS[3:]] = np.nan
    return out.reset_index(drop=True)


def report(settings: Settings, selection: Selection, measure: str, by: str, *, suppress: bool = True) -> pd.DataFrame:
    """The indicator table with disclosure control applied (unless ``suppress`` is False)."""
    table = exact_table(settings, selection, measure, by)
    level = "icb" if by == "icb" and selection.is_whole_icb else "sub_icb"
    shown = disclose(table, counts=["numerator"], rates={"": "numerator"}, level=level, enabled=suppress)
    if suppress and level != "icb":  # rates were recomputed from rounded counts; keep no-population rows empty
        shown.loc[table["denominator"].isna() | (table["denominator"] <= 0), COLUMNS[3:]] = pd.NA
    shown["denominator"] = table["denominator"].round(1)
    return shown[[*COLUMNS, "suppressed"]]


MEASURE_WORDS = {"referrals": "referral", "access": "access"}


def need_ratio_label(measure: str) -> str:
    """The one name of the need-adjusted ratio of a measure, wherever it is shown."""
    return f"Need-adjusted {MEASURE_WORDS[measure]} ratio (O/E)"


def need_adjusted_table(
    settings: Settings, selection: Selection, measure: str, *, model: NeedModel | None = None, by: str = "place"
) -> pd.DataFrame:
    """Exact observed and expected counts by Place (or Core20 status) with O/E: never shown directly
    (``equity.controlled`` recomputes the ratio and its limits from the controlled observed count).

    Expected counts use the whole ICB under the same non-geographic filters as the reference, so a
    Place filtered on its own is still measured against L&SC (not against itself). ``reference_count``
    is the ICB count the expected counts are scaled by (exact, an ICB-level figure)."""
    model = model or NeedModel()
    numerator = MEASURES[measure]
    frame = lsoa_frame(settings, selection)
    reference = frame if selection.is_whole_icb else lsoa_frame(settings, selection.whole_icb())
    table = need_adjusted(frame, by, numerator, model, reference)
    if by == "core20":
        table["group"] = table["group"].map({True: "Core20", False: "Not Core20"})
    table["reference_count"] = int(reference[numerator].sum())
    return table[["group", "observed", "expected", "ratio", "lower_95", "upper_95", "lower_998", "upper_998",
                  "reference_count"]]


def inequality(
    settings: Settings, selection: Selection, measure: str, *, model: NeedModel | None = None, suppress: bool = True
) -> pd.DataFrame:
    """SII and RII across IMD deciles, the Core20 coverage ratio, and need-adjusted ratios by Place.

    Every figure is computed from disclosure-controlled counts (``suppress``): the decile counts of the
    SII/RII, the Core20 and total counts of the coverage ratio (the total exact at ICB level) and the
    observed count of each need-adjusted ratio; a figure whose counts are hidden is not given. Need-
    adjusted ratios compare with the whole ICB under the same non-geographic filters."""
    from equity.controlled import controlled_values

    model = model or NeedModel()
    numerator = MEASURES[measure]
    frame = lsoa_frame(settings, selection)
    total_level = "icb" if selection.is_whole_icb else "sub_icb"

    def shown(values: object, level: str = "sub_icb") -> np.ndarray:
        values = np.asarray(values, dtype=float)
        return controlled_values(values, level) if suppress else values

    def shown_groups(values: object) -> np.ndarray:
        """Group counts whose total is published: rounded, 1-4 hidden, and secondary suppression."""
        values = np.asarray(values, dtype=float)
        if not suppress:
            return values
        out = apply_disclosure(pd.DataFrame({"n": values}), ["n"], known_total=["n"])["n"]
        return out.astype("Float64").to_numpy(dtype=float, na_value=np.nan)

    rows: list[dict] = []
    deciles = metrics.summarise(frame, "imd_decile").sort_values("group_code")
    deciles = deciles[deciles["denominator"] > 0]
    decile_counts = shown_groups(deciles[numerator])
    sii_rows = [
        ("SII", "fitted rate per 1,000 aged 0-5, most minus least deprived (positive = higher in deprived areas)"),
        ("RII", "fitted least / most deprived (PHE phe_sii; below 1 = higher in deprived areas)"),
    ]
    if len(deciles) >= 2 and not np.isnan(decile_counts).any():
        sii = slope_index(
            pd.DataFrame(
                {"group": deciles["group_code"], "numerator": decile_counts, "population": deciles["denominator"]}
            )
        )
        for statistic, description in sii_rows:
            key = statistic.lower()
            rows.append(
                {
                    "statistic": statistic,
                    "group": "IMD deciles",
                    "value": sii[key],
                    "lower_95": sii[f"{key}_lower"],
                    "upper_95": sii[f"{key}_upper"],
                    "description": description,
                }
            )
    elif len(deciles) >= 2:
        for statistic, _ in sii_rows:
            rows.append({"statistic": statistic, "group": "IMD deciles", "value": np.nan, "lower_95": np.nan,
                         "upper_95": np.nan, "description": "not given: a decile's count is 1-4 (suppressed)"})
    core = frame["core20"]
    core_count = shown([frame.loc[core, numerator].sum()])[0]
    total_count = shown([frame[numerator].sum()], total_level)[0]
    if np.isnan(core_count) or np.isnan(total_count):
        ratio = lower = upper = np.nan
    else:
        ratio, lower, upper = coverage_ratio(
            core_count, total_count, frame.loc[core, "denominator"].sum(), frame["denominator"].sum()
        )
    rows.append(
        {
            "statistic": "Core20 coverage ratio",
            "group": "Core20",
            "value": ratio,
            "lower_95": lower,
            "upper_95": upper,
            "description": "share of the measure from Core20 areas / share of children 0-5",
        }
    )
    # the Core20 figure against need is the Core20 page's need-adjusted coverage ratio (one measure, one
    # method: Wilson on the share), not a second O/E with Byar limits
    work = frame.assign(need=children_in_need(frame, model))
    core_need, all_need = work.loc[core, "need"].sum(), work["need"].sum()
    if np.isnan(core_count) or np.isnan(total_count) or not 0 < core_need < all_need:
        ratio = lower = upper = np.nan
    else:
        ratio, lower, upper = coverage_ratio(core_count, total_count, core_need, all_need)
    rows.append(
        {
            "statistic": "Need-adjusted Core20 coverage ratio",
            "group": "Core20",
            "value": ratio,
            "lower_95": lower,
            "upper_95": upper,
            "description": "share of the measure from Core20 areas / their share of children in need "
            f"({model.describe()})",
        }
    )
    for by in ("place",):
        table = need_adjusted_table(settings, selection, measure, model=model, by=by)
        observed = shown_groups(table["observed"])
        reference_hidden = suppress and np.isnan(shown(table["reference_count"].iloc[:1], "icb")[0])
        ratio, lower, upper = (
            np.asarray(v, dtype=float)
            for v in standardised_ratio(np.nan_to_num(observed), table["expected"].to_numpy())
        )
        hidden = np.isnan(observed) | reference_hidden
        for i, row in enumerate(table.itertuples(index=False)):
            rows.append(
                {
                    "statistic": need_ratio_label(measure),
                    "group": row.group,
                    "value": np.nan if hidden[i] else ratio[i],
                    "lower_95": np.nan if hidden[i] else lower[i],
                    "upper_95": np.nan if hidden[i] else upper[i],
                    "description": model.describe(),
                }
            )
    out = pd.DataFrame(rows)
    for column in ("value", "lower_95", "upper_95"):
        out[column] = out[column].astype(float).round(4)
    return out


def inequality_display(table: pd.DataFrame) -> pd.DataFrame:
    """The :func:`inequality` table as labelled strings for screen and slides (SII 1 decimal, ratios 2)."""
    from equity import formatting as fmt

    rows = []
    for row in table.itertuples(index=False):
        decimals = 1 if row.statistic == "SII" else 2
        rows.append(
            {
                "Statistic": row.statistic,
                "Group": row.group,
                "Value": fmt.rate(row.value, decimals),
                "95% CI": fmt.interval(row.lower_95, row.upper_95, decimals),
                "Meaning": row.description,
            }
        )
    return pd.DataFrame(rows)
