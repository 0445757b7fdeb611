"""Trends page helpers: cached monthly series and the on-screen SPC summary (with icons)."""

from __future__ import annotations

import base64

import pandas as pd
import streamlit as st

from charts.spc import assurance_icon, icon_svg, variation_icon
from equity.selection import Selection
from equity.settings import Settings
from publish.pack_items import summary_table
from ui.loaders import _HASH


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=32)
def monthly_series(cfg: Settings, selection: Selection) -> pd.DataFrame:
    """The monthly series as published (``publish.tables.controlled_series``: 'trend_monthly', 'trend_spc')."""
    from publish.tables import controlled_series

    return controlled_series(cfg, selection)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def summary_with_icons(summary_shown: pd.DataFrame) -> pd.DataFrame:
    """The disclosure-controlled summary as display strings, with the variation and assurance icons
    as SVG images (for ``st.dataframe`` with ``ImageColumn``)."""
    table, _ = summary_table(summary_shown)
    table.insert(
        table.columns.get_loc("Variation"),
        "Variation icon",
        [_data_uri(icon_svg(variation_icon(v), 40)) for v in summary_shown["variation"]],
    )
    table.insert(
        table.columns.get_loc("Assurance"),
        "Assurance icon",
        [_data_uri(icon_svg(assurance_icon(a), 40)) for a in summary_shown["assurance"]],
    )
    return table


POLARITY_LABELS: dict[str, str] = {"higher": "Higher", "lower": "Lower", "neutral": "Neither", "closer": "Closer to 1"}

ICON_COLUMNS = {
    "Variation icon": st.column_config.ImageColumn("Variation", width="small"),
    "Assurance icon": st.column_config.ImageColumn("Assurance", width="small"),
    "Variation": st.column_config.TextColumn("Variation (meaning)"),
    "Assurance": st.column_config.TextColumn("Assurance (meaning)"),
}


def month_label(month: object) -> str:
    return f"{month:%b %Y}"


def table_height(rows: int, row_height: int) -> int:
    """Pixel height that shows every row of an ``st.dataframe`` (header included)."""
    return (rows + 1) * row_height + 3
