"""What the Core20PLUS5 page shows, as pure functions of (settings, selection): disclosure-controlled."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.schema import BROAD_ETHNIC_GROUPS
from equity import core20
from equity.dashboard import lsoa_frame
from equity.display import disclose
from equity.need import NeedModel
from equity.queries import counts_by_record_dimension, open_store, plus_flag_counts, quarterly_core20_counts
from equity.selection import Selection
from equity.settings import VINTAGES, Settings
from equity.stats import wilson_interval


def coverage(settings: Settings, selection: Selection, measure: str, model: NeedModel) -> pd.DataFrame:
    frame = lsoa_frame(settings, selection)
    table = core20.coverage_table(frame, measure, model, whole_icb=selection.is_whole_icb)
    return core20.display_coverage(table, whole_icb=selection.is_whole_icb)


def _icb_reference(settings: Settings, selection: Selection, frame: pd.DataFrame) -> pd.DataFrame:
    """The whole ICB under the same non-geographic filters: the reference for need-adjusted figures."""
    return frame if selection.is_whole_icb else lsoa_frame(settings, selection.with_(places=(), lads=()))


def gradient(settings: Settings, selection: Selection, by: str, measure: str, model: NeedModel) -> tuple:
    frame = lsoa_frame(settings, selection)
    reference = _icb_reference(settings, selection, frame)
    table = core20.display_gradient(core20.gradient_table(frame, by, measure, model, reference))
    try:
        sentence = core20.gradient_sentence(core20.gradient_summary(frame, measure, model), measure)
    except ValueError as exc:
        sentence = str(exc)
    return table, sentence


def ethnicity(settings: Settings, selection: Selection) -> tuple[pd.DataFrame, float, str]:
    """The disclosure-controlled ethnicity table, the share of referrals of unknown ethnicity, and the
    caveat (:func:`equity.core20.ethnicity_caveat`) the page shows with the table and chart."""
    frame = lsoa_frame(settings, selection)
    con = open_store(settings.store_path)
    try:
        counts = counts_by_record_dimension(con, selection, "ethnic_group", frame["lsoa_code"].tolist())
    finally:
        con.close()
    counts = counts.set_index("grp").reindex(list(BROAD_ETHNIC_GROUPS), fill_value=0).reset_index(names="group")
    table = core20.ethnicity_table(counts[["group", "referrals"]], frame)
    shown = core20.display_ethnicity(table)
    unknown = core20.unknown_ethnicity_share(shown.assign(referrals=shown["referrals"].fillna(0)))
    return shown, unknown, core20.ethnicity_caveat(unknown)


def rurality(settings: Settings, selection: Selection, measure: str, model: NeedModel) -> pd.DataFrame:
    frame = lsoa_frame(settings, selection)
    table = core20.rurality_table(frame, measure, model, _icb_reference(settings, selection, frame))
    shown = disclose(table, counts=["numerator"], rates={"": "numerator"})
    visible = shown["numerator"].notna().to_numpy()
    from equity.stats import standardised_ratio

    ratio, lower, upper = standardised_ratio(
        shown["numerator"].astype("Float64").fillna(0).to_numpy(dtype=float), table["expected"].to_numpy()
    )
    shown["need_adjusted_ratio"] = np.where(visible, ratio, np.nan)
    shown["ratio_lower_95"] = np.where(visible, lower, np.nan)
    shown["ratio_upper_95"] = np.where(visible, upper, np.nan)
    return shown


def plus_flags(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Recorded PLUS flags: referrals and conversion to a first contact, against all referrals."""
    frame = lsoa_frame(settings, selection)
    con = open_store(settings.store_path)
    try:
        flags = plus_flag_counts(con, selection, frame["lsoa_code"].tolist())
    finally:
        con.close()
    total = pd.DataFrame(
        [
            {
                "flag": "All referrals in the selection",
                "referrals": int(frame["referrals"].sum()),
                "referrals_accessed": int(frame["referrals_accessed"].sum()),
            }
        ]
    )
    table = pd.concat([flags[["flag", "referrals", "referrals_accessed"]], total], ignore_index=True)
    shown = disclose(table, counts=["referrals", "referrals_accessed"])
    seen = shown["referrals_accessed"].astype("Float64").fillna(0).to_numpy(dtype=float).astype(int)
    made = shown["referrals"].astype("Float64").fillna(0).to_numpy(dtype=float).astype(int)
    hidden = (shown["referrals"].isna() | shown["referrals_accessed"].isna()).to_numpy()
    lower, upper = wilson_interval(np.minimum(seen, made), made)
    with np.errstate(divide="ignore", invalid="ignore"):
        shown["conversion"] = np.where(hidden | (made == 0), np.nan, seen / made)
    shown["lower_95"] = np.where(np.isnan(shown["conversion"]), np.nan, lower)
    shown["upper_95"] = np.where(np.isnan(shown["conversion"]), np.nan, upper)
    return shown


def recorded_flags(settings: Settings) -> list[str]:
    con = open_store(settings.store_path)
    try:
        sql = "SELECT DISTINCT trim(unnest(string_split(plus_flags, ';'))) FROM referrals WHERE plus_flags IS NOT NULL"
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    return sorted(r[0] for r in rows if r[0])


def funnel(settings: Settings, selection: Selection, kind: str, model: NeedModel) -> core20.FunnelData:
    """Funnel points, limits and the number of neighbourhoods left out, centred on the L&SC value under
    the same non-geographic filters (exact: an ICB-level figure)."""
    from equity import explorer

    areas = explorer.display_areas(explorer.area_metrics(settings, selection, "lsoa", model))
    centre = None
    if kind == "access_rate":
        centre = core20.reference_rate(lsoa_frame(settings, selection.with_(places=(), lads=())))
    return core20.funnel_points(areas, kind, centre)


def quarterly(settings: Settings, selection: Selection, measure: str) -> pd.DataFrame:
    frame = lsoa_frame(settings, selection)
    share = frame.loc[frame["core20"], "denominator"].sum() / frame["denominator"].sum()
    con = open_store(settings.store_path)
    try:
        counts = quarterly_core20_counts(con, selection, frame[["lsoa_code", "core20"]], measure)
    finally:
        con.close()
    if counts.empty or not 0 < share < 1:
        return pd.DataFrame(columns=["quarter", "core20_count", "count", "coverage_ratio", "lower_95", "upper_95"])
    table = core20.quarterly_coverage(counts, share)
    level = "icb" if selection.is_whole_icb else "sub_icb"
    shown = disclose(table, counts=["core20_count", "count"], level=level)
    if level != "icb":
        hidden = (shown["core20_count"].isna() | shown["count"].isna()).to_numpy()
        rounded = table.assign(
            core20_count=shown["core20_count"].fillna(0).astype(int), count=shown["count"].fillna(0).astype(int)
        )
        again = core20.quarterly_coverage(
            pd.concat(
                [
                    rounded.assign(core20=True, n=rounded["core20_count"]),
                    rounded.assign(core20=False, n=rounded["count"] - rounded["core20_count"]),
                ]
            )[["quarter", "core20", "n"]],
            share,
        )
        for column in ("share_of_measure", "coverage_ratio", "lower_95", "upper_95"):
            shown[column] = np.where(hidden, np.nan, again[column].to_numpy())
    shown["quarter_label"] = pd.to_datetime(shown["quarter"]).dt.to_period("Q").astype(str)
    return shown


def vintages(
    settings: Settings, selection: Selection, measure: str, model: NeedModel
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """LSOA 2021 neighbourhoods entering/leaving Core20, and the coverage ratio under each vintage."""
    from geo.cache import load_areas, load_change_links

    areas25 = load_areas(settings.cache_dir, 2025)
    areas19 = load_areas(settings.cache_dir, 2019)
    changes = core20.vintage_changes(areas25, areas19, load_change_links(settings.cache_dir))
    if selection.places:
        changes = changes[changes["place"].isin(selection.places)]
    rows = []
    for vintage in sorted(VINTAGES):  # older first
        table = coverage(settings, selection.with_(vintage=vintage, lads=()), measure, model)
        first = table.iloc[0]
        rows.append(
            {
                "definition": f"IMD {vintage}",
                "share_of_measure": first["share_of_measure"],
                "share_of_population": first["share_of_population"],
                "coverage_ratio": first["coverage_ratio"],
                "lower_95": first["lower_95"],
                "upper_95": first["upper_95"],
            }
        )
    return changes.reset_index(drop=True), pd.DataFrame(rows)
