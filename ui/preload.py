"""Start the browser loading the chart and table code while the server works out the first page.

Streamlit's browser code for charts (Plotly, about 4.6 MB of JavaScript) and for
tables is fetched and run only when the first chart or table arrives, which on a cold server comes
after a second or more of imports and queries. A hidden one-point chart and one-cell table, sent
before any of that work, let the browser load both meanwhile. In the cold-start benchmark
(``python -m bench.bench_app_start``) this brought the Map page forward by about 1 s.

They are sent on every run, at the top of the sidebar, so that no other element moves between runs,
and hidden with ``display: none`` (so screen readers skip them too).
"""

from __future__ import annotations

import streamlit as st

KEY = "chart_library_preload"
_ONE_POINT = {"data": [{"type": "scatter", "x": [0], "y": [0], "hoverinfo": "skip"}], "layout": {"height": 10}}


def preload_chart_library() -> None:
    """Send the hidden chart and table to the top of the sidebar (call it before any heavy import)."""
    with st.sidebar.container(key=KEY):
        st.html(f"<style>.st-key-{KEY} {{ display: none; }}</style>")
        st.plotly_chart(_ONE_POINT, key=f"{KEY}_chart", config={"staticPlot": True})
        st.dataframe({"preload": [0]}, key=f"{KEY}_table")
