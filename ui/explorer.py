"""Helpers for the map explorer: cached tables, hover text, table formatting, map outlines."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from equity.selection import Selection
from equity.settings import Settings
from ui import format as fmt
from ui.loaders import _HASH, map_geometry


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=64)
def areas(cfg: Settings, selection: Selection, level: str) -> pd.DataFrame:
    """The published map rows with their need-adjusted access compared with the benchmark."""
    from publish import tables

    return tables.get("map_areas_compared", cfg, selection, {"level": level})


@st.cache_resource(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=32)
def figure(cfg: Settings, selection: Selection, metric_key: str, level: str, highlight: bool, source: str):
    """The explorer map figure, cached per selection and page controls as a shared object: unpickling a
    cached Figure re-validates it (0.2 s), so it is kept as a resource and never mutated."""
    from publish.mapview import explorer_map

    geometry = map_geometry(cfg, selection.vintage, level)
    return explorer_map(
        cfg,
        selection,
        metric_key=metric_key,
        level=level,
        highlight=highlight,
        source=source,
        table=areas(cfg, selection, level),
        geometry_url=geometry if isinstance(geometry, str) else None,
    )


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=32)
def profile(cfg: Settings, selection: Selection, code: str) -> dict:
    from publish.tables import neighbourhood_profile

    return neighbourhood_profile(cfg, selection, code)


def ranked_table(cfg: Settings, selection: Selection, level: str, *, below_only: bool = False) -> pd.DataFrame:
    """The Map's ranked table (publish.maptable.ranked_areas) of the selection, ranked within each Place
    and, where the user may see every Place's rows, across L&SC (same filters, no Place filter)."""
    from publish.maptable import ranked_areas, ranks_cover_icb

    table = areas(cfg, selection, level)
    icb_table = None
    if ranks_cover_icb(selection.detail_places, level):
        whole = selection.whole_icb()
        icb_table = table if whole == selection else areas(cfg, whole, level)
    return ranked_areas(table, icb_table, level=level, below_only=below_only)


def styled_ranked(frame: pd.DataFrame):
    """The ranked table with its comparison cells in the Fingertips colours (below expected = worse)."""
    from charts.benchmark import cell_style

    words = {"significantly below": "worse", "significantly above": "better", "similar": "similar"}
    columns = [c for c in frame.columns if str(c).startswith("Compared with")]
    if not columns or frame.empty:
        return frame
    ranks = [c for c in frame.columns if str(c).startswith("Rank in")]
    return (
        frame.style.map(lambda v: cell_style(words.get(str(v), str(v))), subset=columns)
        # a Styler shows numbers with 6 decimals: ranks as whole numbers, none when hidden
        .format(lambda v: "" if pd.isna(v) else f"{int(v):,}", subset=ranks)
    )


def ranked_table_config(frame: pd.DataFrame) -> dict:
    """st.dataframe column settings of the ranked table: the area name pinned, fixed narrow widths, each
    column's "?" help from the indicator definitions."""
    from publish.maptable import BENCHMARK_COLUMN, width_of
    from ui.definitions import column_help

    return {
        column: st.column_config.Column(
            width=width_of(column),
            pinned=column == "Area",
            help=column_help(column) or column_help(BENCHMARK_COLUMN),
        )
        for column in frame.columns
        if width_of(column)
    }


def table_for_download(table: pd.DataFrame) -> pd.DataFrame:
    keep = [
        "code",
        "name",
        "place",
        "lsoa_count",
        "imd_decile",
        "idaci_decile",
        "core20_pct",
        "denominator",
        "referrals",
        "rate_per_1000",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
        "people_accessing",
        "access_rate_per_1000",
        "access_lower_95",
        "access_upper_95",
        "access_ratio",
        "access_ratio_lower",
        "access_ratio_upper",
        "significantly_below",
        "median_wait_days",
        "pct_ethnic_minority",
        "suppressed",
    ]
    return table[keep].rename(columns={"denominator": "population_0_5"})


def comparison_table(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in frame.to_dict("records"):
        rows.append(
            {
                "Area": row["Area"],
                "Referrals": fmt.count(row["referrals"]),
                "Referrals per 1,000": fmt.rate(row["rate_per_1000"]),
                "95% CI": fmt.interval(row["lower_95"], row["upper_95"]),
                "Children accessing": fmt.count(row["people_accessing"]),
                "Access per 1,000": fmt.rate(row["access_rate_per_1000"]),
                "95% CI (access)": fmt.interval(row["access_lower_95"], row["access_upper_95"]),
            }
        )
    return pd.DataFrame(rows)
