"""Indicator tables: counts joined to areas, aggregated to any level, with rates and intervals.

Everything here works on exact values. Disclosure control is applied at display/export time
(``equity.disclosure``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.selection import Selection

COUNT_COLUMNS: tuple[str, ...] = ("referrals", "referrals_accessed", "people_accessing")

GROUP_KEYS: dict[str, tuple[str, str]] = {
    "icb": ("icb_code", "icb_name"),
    "place": ("place", "place"),
    "lad": ("lad_code", "lad_name"),
    "msoa": ("msoa_code", "msoa_name"),
    "lsoa": ("lsoa_code", "lsoa_name"),
    "imd_decile": ("imd_decile", "imd_decile"),
    "imd_quintile": ("imd_quintile", "imd_quintile"),
    "idaci_decile": ("idaci_decile", "idaci_decile"),
    "core20": ("core20", "core20"),
    "urban_rural": ("urban_rural", "urban_rural"),
}


def denominator(areas: pd.DataFrame, selection: Selection) -> pd.Series:
    """Children in each LSOA matching the selection's age bands (mid-2020 estimates).

    Antenatal referrals are counted against children aged 0 (a proxy for annual births)."""
    if not selection.age_bands:
        return areas["population_0_5"]
    ages: set[int] = set()
    if "0-1" in selection.age_bands:
        ages |= {0, 1}
    if "2-5" in selection.age_bands:
        ages |= {2, 3, 4, 5}
    if "Antenatal" in selection.age_bands:
        ages |= {0}
    return areas[[f"age_{a}" for a in sorted(ages)]].sum(axis=1)


def denominator_label(age_bands: tuple[str, ...] = ()) -> str:
    """The children a rate is "per 1,000" of, following the age-band filter as :func:`denominator` does:
    () -> 'aged 0-5'; ('0-1',) -> 'aged 0-1'; ('2-5',) -> 'aged 2-5'; ('Antenatal',) -> 'aged 0 (a proxy
    for births)'."""
    if not age_bands:
        return "aged 0-5"
    ages: set[int] = set()
    if "0-1" in age_bands:
        ages |= {0, 1}
    if "2-5" in age_bands:
        ages |= {2, 3, 4, 5}
    if "Antenatal" in age_bands:
        ages |= {0}
    low, high = min(ages), max(ages)
    if low == high:
        return f"aged {low}" + (" (a proxy for births)" if "Antenatal" in age_bands else "")
    return f"aged {low}-{high}"


def filter_areas(areas: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    mask = pd.Series(True, index=areas.index)
    if selection.places:
        mask &= areas["place"].isin(selection.places)
    if selection.lads:
        mask &= areas["lad_code"].isin(selection.lads)
    return areas[mask]


def area_frame(areas: pd.DataFrame, counts: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """One row per LSOA in the selection with its counts (zero where none) and denominator."""
    from equity.geography import with_icb

    chosen = with_icb(filter_areas(areas, selection))
    frame = chosen.merge(counts, on="lsoa_code", how="left")
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["denominator"] = denominator(frame, selection).astype("int64")
    return frame


def summarise(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sum counts and denominators to level ``by``; Core20 counts carried for coverage."""
    if by not in GROUP_KEYS:
        raise ValueError(f"by must be one of {', '.join(GROUP_KEYS)}, got {by!r}")
    code, name = GROUP_KEYS[by]
    work = frame.assign(
        core20_referrals=frame["referrals"].where(frame["core20"], 0),
        core20_population=frame["denominator"].where(frame["core20"], 0),
    )
    keys = [code] if code == name else [code, name]
    sums = {c: (c, "sum") for c in (*COUNT_COLUMNS, "denominator", "core20_referrals", "core20_population")}
    out = work.groupby(keys, sort=True).agg(lsoa_count=("lsoa_code", "size"), **sums).reset_index()
    out = out.rename(columns={code: "group_code"})
    out["group_name"] = out[name] if code != name else out["group_code"].astype(str)
    if code != name:
        out = out.drop(columns=[name])
    return out


def add_rates(table: pd.DataFrame, numerator: str = "referrals", prefix: str = "") -> pd.DataFrame:
    """Add rate per 1,000 with 95% and 99.8% intervals (Byar / exact Poisson) for ``numerator``."""
    from equity.stats import rate_table

    rates = rate_table(table[numerator].to_numpy(), table["denominator"].to_numpy(), per=1000)
    out = table.copy()
    for column in ("rate_per_1000", "lower_95", "upper_95", "lower_998", "upper_998"):
        out[prefix + column] = rates[column].to_numpy()
    return out


TOTAL_CODE = "TOTAL"


def headline(frame: pd.DataFrame, whole_icb: bool = True) -> pd.DataFrame:
    """Headline figures: a total row first (the ICB, or the selected Places), then each Place."""
    total = summarise(frame, "icb")
    if not whole_icb:
        total = total.assign(group_code=TOTAL_CODE, group_name="Total of selected areas")
    table = pd.concat([total, summarise(frame, "place")], ignore_index=True)
    table = add_rates(table, "referrals")
    table = add_rates(table, "people_accessing", prefix="access_")
    total = table["referrals"].replace(0, np.nan)
    table["core20_referral_share"] = table["core20_referrals"] / total
    table["core20_population_share"] = table["core20_population"] / table["denominator"].replace(0, np.nan)
    return table
