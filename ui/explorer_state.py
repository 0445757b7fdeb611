"""The map page's own controls in session state and the URL (metric, level, highlight, area)."""

from __future__ import annotations

import streamlit as st

from equity.explorer import LEVELS, METRICS

DEFAULTS = {"map_metric": "referral_rate", "map_level": "lsoa", "map_highlight": False}


def page_state() -> dict:
    """Seed the map controls from the URL once per session; return the page's state dict."""
    state = st.session_state.setdefault("map_state", {})
    if not st.session_state.get("_map_seeded"):
        params = st.query_params
        metric = params.get("metric", DEFAULTS["map_metric"])
        level = params.get("level", DEFAULTS["map_level"])
        st.session_state["map_metric"] = metric if metric in METRICS else DEFAULTS["map_metric"]
        st.session_state["map_level"] = level if level in LEVELS else DEFAULTS["map_level"]
        st.session_state["map_highlight"] = params.get("highlight") == "1"
        if params.get("area"):
            state["area"] = params["area"]
        st.session_state["_map_seeded"] = True
    return state


def switch_level(level: str) -> None:
    """Button callback: show the map at ``level`` (runs before the level box is drawn again)."""
    st.session_state["map_level"] = level


def remember(metric: str, level: str, highlight: bool) -> None:
    st.query_params["metric"] = metric
    st.query_params["level"] = level
    if highlight:
        st.query_params["highlight"] = "1"
    elif "highlight" in st.query_params:
        del st.query_params["highlight"]
