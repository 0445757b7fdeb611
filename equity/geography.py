"""Geography summaries of the area table (the `geography` command)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.icb import ICB_CODE, ICB_NAME

LEVEL_KEYS: dict[str, tuple[str, str]] = {
    "lsoa": ("lsoa_code", "lsoa_name"),
    "msoa": ("msoa_code", "msoa_name"),
    "lad": ("lad_code", "lad_name"),
    "place": ("place", "place"),
    "icb": ("icb_code", "icb_name"),
}


def with_icb(areas: pd.DataFrame, definition: str = "icb") -> pd.DataFrame:
    if definition == "16_lads":
        return areas.assign(icb_code="LSC16", icb_name="Lancashire and South Cumbria: the 16 districts")
    return areas.assign(icb_code=ICB_CODE, icb_name=ICB_NAME)


def district_label(name: str, lsoa_count: int, partial: bool) -> str:
    """A district's name, marked when the ICB holds only some of it: Copeland and Craven lie mostly
    outside L&SC, so their rows cover only the ICB's fringe LSOAs ("Copeland (ICB part: 6 LSOAs)")."""
    if not partial:
        return name
    return f"{name} (ICB part: {lsoa_count:,} LSOA{'' if lsoa_count == 1 else 's'})"


def partial_districts(areas: pd.DataFrame) -> set[str]:
    """LAD codes of the ICB's LSOAs that lie outside the 16 L&SC districts (the fringe: Copeland, Craven)."""
    if "in_lsc_16_lads" not in areas.columns:
        return set()
    return set(areas.loc[~areas["in_lsc_16_lads"].astype(bool), "lad_code"].astype(str))


def label_districts(names: pd.Series, codes: pd.Series, lsoa_counts: pd.Series, partial: set[str]) -> pd.Series:
    """:func:`district_label` for each row (aligned by position; the index of ``names`` is kept)."""
    labels = [
        district_label(str(n), int(k), str(c) in partial)
        for n, c, k in zip(names.to_numpy(), codes.to_numpy(), lsoa_counts.to_numpy(), strict=True)
    ]
    return pd.Series(labels, index=names.index)


def geography_summary(areas: pd.DataFrame, by: str, definition: str = "icb") -> pd.DataFrame:
    """One row per area of level ``by`` with LSOA counts, populations and deprivation shares."""
    if by not in LEVEL_KEYS:
        raise ValueError(f"--by must be one of {', '.join(LEVEL_KEYS)}, got {by!r}")
    code, name = LEVEL_KEYS[by]
    frame = with_icb(areas, definition).assign(
        decile1=lambda f: f["imd_decile"].eq(1),
        core20_pop=lambda f: f["population_0_5"].where(f["core20"], 0),
    )
    keys = [code] if code == name else [code, name]
    grouped = frame.groupby(keys, sort=True, dropna=False)
    out = grouped.agg(
        lsoa_count=("lsoa_code", "size"),
        population_0_5=("population_0_5", "sum"),
        population_0_4=("population_0_4", "sum"),
        share_lsoas_imd_decile_1=("decile1", "mean"),
        share_lsoas_core20=("core20", "mean"),
        core20_pop=("core20_pop", "sum"),
    ).reset_index()
    out["share_population_0_5_core20"] = out["core20_pop"] / out["population_0_5"].where(out["population_0_5"] > 0)
    out = out.drop(columns="core20_pop")
    if code == name:
        out = out.rename(columns={code: "area_code"}).assign(area_name=lambda f: f["area_code"])
    else:
        out = out.rename(columns={code: "area_code", name: "area_name"})
    columns = [
        "area_code",
        "area_name",
        "lsoa_count",
        "population_0_5",
        "population_0_4",
        "share_lsoas_imd_decile_1",
        "share_lsoas_core20",
        "share_population_0_5_core20",
    ]
    for share in columns[-3:]:
        out[share] = out[share].round(4)
    if by == "lad":
        partial = partial_districts(areas)
        out["area_name"] = label_districts(out["area_name"], out["area_code"], out["lsoa_count"], partial)
    return out[columns]


def districts(cache_dir: Path, vintage: int, places: tuple[str, ...] = ()) -> dict[str, str]:
    """LAD code -> name for the ICB's LSOAs of a vintage, limited to ``places`` when given."""
    from geo.cache import load_areas

    areas = load_areas(cache_dir, vintage)
    if places:
        areas = areas[areas["place"].isin(places)]
    pairs = areas.groupby(["lad_code", "lad_name"]).size().reset_index(name="lsoa_count").sort_values("lad_name")
    labels = label_districts(pairs["lad_name"], pairs["lad_code"], pairs["lsoa_count"], partial_districts(areas))
    return dict(zip(pairs["lad_code"], labels, strict=True))
