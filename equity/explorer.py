"""The neighbourhood explorer: metrics for every area at a chosen level, and one area's profile.

Expected access is indirectly standardised to the whole ICB under the same non-geographic filters,
so filtering to a Place does not force its average ratio to 1. All figures shown go through
disclosure control (the ``map_areas`` table of ``publish.tables``), and so does the "significantly
below expected" flag: it is set iff the *shown* upper 95% limit of the need-adjusted access ratio
(from the controlled count) is below 1, and never where the count is hidden (a flag there would say
the count is small, and pin it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equity import metrics
from equity.benchmark import CODE_SCALE
from equity.dashboard import lsoa_frame
from equity.geography import label_districts, partial_districts
from equity.need import NeedModel, add_expected
from equity.queries import median_wait_by_group, reading
from equity.scope import check_place, restrict
from equity.selection import Selection
from equity.settings import Settings
from equity.stats import standardised_ratio

LEVELS: dict[str, str] = {"lsoa": "Neighbourhood (LSOA)", "msoa": "MSOA", "lad": "District (LAD)", "place": "Place"}
_KEYS = {
    "lsoa": ("lsoa_code", "lsoa_name"),
    "msoa": ("msoa_code", "msoa_name"),
    "lad": ("lad_code", "lad_name"),
    "place": ("place", "place"),
}
DOMAINS = ("income", "employment", "education", "health", "crime", "barriers", "living_env")
DOMAIN_LABELS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_env": "Living environment",
}
MIN_WAITS = 5  # a median of fewer waits is not shown


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    column: str
    colorscale: str | list
    zmid: float | None = None
    reverse: bool = False
    decimals: int = 1
    zmin: float | None = None  # fixed colour range, so maps compare across filters
    zmax: float | None = None


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "referral_rate", "Referrals per 1,000 children aged 0-5", "per 1,000 aged 0-5", "rate_per_1000", "Viridis"
        ),
        Metric(
            "access_rate",
            "Children accessing per 1,000 aged 0-5",
            "per 1,000 aged 0-5",
            "access_rate_per_1000",
            "Viridis",
        ),
        Metric(
            "access_ratio",
            "Need-adjusted access ratio (observed / expected)",
            "ratio (1 = as need implies; scale capped at 2)",
            "access_ratio",
            "PuOr",
            zmid=1.0,
            decimals=2,
            zmin=0.0,
            zmax=2.0,
        ),
        Metric(
            "access_vs_benchmark",
            "Need-adjusted access compared with the benchmark",
            "95% interval against the benchmark",
            "access_vs_code",
            CODE_SCALE,  # 0 worse, 1 similar, 2 better in the Fingertips colours
            decimals=0,
            zmin=-0.5,
            zmax=2.5,
        ),
        Metric(
            "imd_decile",
            "IMD decile (1 = most deprived 10% in England)",
            "national decile",
            "imd_decile",
            "Cividis",
            decimals=1,
            zmin=1,
            zmax=10,
        ),
        Metric(
            "idaci_decile",
            "IDACI decile (1 = most deprived 10% for children)",
            "national decile",
            "idaci_decile",
            "Cividis",
            decimals=1,
            zmin=1,
            zmax=10,
        ),
        Metric(
            "core20",
            "Children aged 0-5 living in Core20 areas",
            "% of children aged 0-5",
            "core20_pct",
            "Blues",
            decimals=0,
        ),
        Metric("population", "Children aged 0-5 (ONS mid-2020)", "children", "population_0_5", "Blues", decimals=0),
        Metric(
            "minority",
            "Ethnic minority residents (Census 2021, all ages)",
            "% of residents",
            "pct_ethnic_minority",
            "Viridis",
            decimals=1,
        ),
        Metric(
            "median_wait",
            "Median wait to first contact",
            "days",
            "median_wait_days",
            "Cividis",
            reverse=True,
            decimals=0,
        ),
    )
}


def _with_expected(settings: Settings, selection: Selection, model: NeedModel) -> pd.DataFrame:
    """LSOA frame of the selection with expected access from the ICB-wide reference."""
    frame = lsoa_frame(settings, selection)
    whole = frame if selection.is_whole_icb else lsoa_frame(settings, selection.whole_icb())
    reference = add_expected(whole, "people_accessing", model)
    return frame.merge(reference[["lsoa_code", "expected", "children_in_need"]], on="lsoa_code", how="left")


def area_metrics(settings: Settings, selection: Selection, level: str, model: NeedModel | None = None) -> pd.DataFrame:
    """Exact metrics per area of ``level`` (never shown directly)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    model = model or NeedModel()
    frame = _with_expected(settings, selection, model)
    code, name = _KEYS[level]
    frame = frame.assign(
        core20_children=frame["denominator"].where(frame["core20"], 0),
        minority=frame[["eth_asian", "eth_black", "eth_mixed", "eth_other"]].sum(axis=1),
        imd_weighted=frame["imd_decile"] * frame["denominator"],
        idaci_weighted=frame["idaci_decile"] * frame["denominator"],
    )
    keys = [code] if code == name else [code, name]
    sums = [
        "referrals",
        "referrals_accessed",
        "people_accessing",
        "denominator",
        "population_0_5",
        "expected",
        "core20_children",
        "minority",
        "eth_total",
        "imd_weighted",
        "idaci_weighted",
    ]
    table = frame.groupby(keys, sort=True)[sums].sum().reset_index()
    table["lsoa_count"] = frame.groupby(keys, sort=True).size().to_numpy()
    table = table.rename(columns={code: "code"})
    table["name"] = table[name] if code != name else table["code"]
    if code != name:
        table = table.drop(columns=[name])
    if level == "lad":  # Copeland and Craven rows hold only the ICB's fringe LSOAs: say so
        table["name"] = label_districts(table["name"], table["code"], table["lsoa_count"], partial_districts(frame))
    if code == "place":
        table["place"] = table["code"]
    else:
        table["place"] = table["code"].map(frame.groupby(code, sort=True)["place"].first())
    if level == "lsoa":
        attrs = frame.set_index("lsoa_code")
        table["imd_decile"] = table["code"].map(attrs["imd_decile"]).astype(float)
        table["idaci_decile"] = table["code"].map(attrs["idaci_decile"]).astype(float)
        table["core20_flag"] = table["code"].map(attrs["core20"]).astype(bool)
        table["msoa_name"] = table["code"].map(attrs["msoa_name"])
        table["lad_name"] = table["code"].map(attrs["lad_name"])
    else:
        weight = table["denominator"].where(table["denominator"] > 0)
        table["imd_decile"] = (table["imd_weighted"] / weight).round(1)
        table["idaci_decile"] = (table["idaci_weighted"] / weight).round(1)
        table["core20_flag"] = table["core20_children"] > 0
    table["core20_pct"] = 100 * table["core20_children"] / table["denominator"].where(table["denominator"] > 0)
    table["pct_ethnic_minority"] = 100 * table["minority"] / table["eth_total"].where(table["eth_total"] > 0)
    if level == "lsoa":  # the per-LSOA query already gave each neighbourhood's median and its number of waits
        attrs = frame.set_index("lsoa_code")
        table["median_wait_days"] = table["code"].map(attrs["median_wait_days"]).astype(float)
        table["waits"] = table["code"].map(attrs["referrals_accessed"]).fillna(0).astype("int64")
    else:
        mapping = pd.DataFrame({"lsoa_code": frame["lsoa_code"], "grp": frame[code]})
        with reading(settings.store_location) as referrals:
            waits = median_wait_by_group(referrals, selection, mapping).set_index("grp")
        table["median_wait_days"] = table["code"].map(waits["median_wait_days"]).astype(float)
        table["waits"] = table["code"].map(waits["waits"]).fillna(0).astype("int64")
    ratio, lower, upper = standardised_ratio(table["people_accessing"].to_numpy(), table["expected"].to_numpy())
    table["access_ratio"], table["access_ratio_lower"], table["access_ratio_upper"] = ratio, lower, upper
    table["significantly_below"] = np.asarray(upper) < 1
    table = metrics.add_rates(table, "referrals")
    table = metrics.add_rates(table, "people_accessing", prefix="access_")
    return restrict(table.drop(columns=["imd_weighted", "idaci_weighted"]), selection, level)


def rank_of(table: pd.DataFrame, code: str, column: str, ascending: bool = False) -> tuple[int, int]:
    """(rank, of N) of area ``code`` on ``column`` among areas with a value (1 = highest unless ascending)."""
    values = table.set_index("code")[column].astype(float).dropna()
    if code not in values.index:
        return 0, len(values)
    ranks = values.rank(ascending=ascending, method="min")
    return int(ranks[code]), len(values)


def profile(
    settings: Settings, selection: Selection, code: str, *, lsoas: pd.DataFrame, places: pd.DataFrame, icb: pd.Series
) -> dict:
    """One neighbourhood (LSOA): figures, deprivation domains, Place and ICB comparison, ranks.

    The figures are the published rows (``publish.tables.neighbourhood_profile`` passes the whole ICB's
    'map_areas' rows at LSOA and Place level and the Overview's ICB row), so the profile shows the same
    controlled numbers as the map and its table."""
    from geo.cache import load_areas

    areas = load_areas(settings.cache_dir, selection.vintage).set_index("lsoa_code")
    if code in areas.index:
        check_place(selection, str(areas.at[code, "place"]), f"neighbourhood {code}")
    if code not in set(lsoas["code"]):
        raise KeyError(f"{code} is not a neighbourhood of the IMD {selection.vintage} geography")
    row = lsoas.set_index("code").loc[code]
    places = places.set_index("code")
    area = areas.loc[code]
    comparison = pd.DataFrame(
        [
            {"Area": f"{row['name']} (this neighbourhood)", **_figures(row)},
            {"Area": f"{row['place']} (Place)", **_figures(places.loc[row["place"]])},
            {"Area": "L&SC ICB", **_figures(icb)},
        ]
    )
    domains = pd.DataFrame(
        [
            {"Domain": "Index of Multiple Deprivation", "Decile": int(area["imd_decile"])},
            {"Domain": "Income Deprivation Affecting Children (IDACI)", "Decile": int(area["idaci_decile"])},
        ]
        + [{"Domain": DOMAIN_LABELS[d], "Decile": int(area[f"{d}_decile"])} for d in DOMAINS]
    )
    return {
        "code": code,
        "row": row,
        "area": area,
        "comparison": comparison,
        "domains": domains,
        "rank_access_ratio": rank_of(lsoas, code, "access_ratio", ascending=True),
        "rank_access_rate": rank_of(lsoas, code, "access_rate_per_1000"),
        "rank_imd": (int(area["imd_rank"]), None),
    }


def _figures(row: pd.Series) -> dict:
    return {
        "referrals": row["referrals"],
        "rate_per_1000": row["rate_per_1000"],
        "lower_95": row["lower_95"],
        "upper_95": row["upper_95"],
        "people_accessing": row["people_accessing"],
        "access_rate_per_1000": row["access_rate_per_1000"],
        "access_lower_95": row["access_lower_95"],
        "access_upper_95": row["access_upper_95"],
    }
