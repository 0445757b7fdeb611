"""Entry point: page config, first-start preparation, shared sidebar, navigation.

The page config and the chart-library preload come before the heavy imports (pandas, DuckDB,
SciPy, Plotly) so that the browser starts loading charts while the server imports (ui/preload.py).
"""

import datetime as dt

import streamlit as st

from ui.preload import preload_chart_library

# An emoji icon: the browser draws it locally (a ":material/...:" page icon is fetched from fonts.gstatic.com).
st.set_page_config(page_title="L&SC early-years equity dashboard", page_icon="🧒", layout="wide")
preload_chart_library()

from ui import loaders  # noqa: E402  (after the preload, on purpose: see the docstring)
from ui.sidebar import sidebar_selection  # noqa: E402

cfg = loaders.settings()
try:
    loaders.ensure_ready(cfg)
    info = loaders.store_info(cfg)
except Exception as exc:
    st.error(f"The dashboard could not start: {exc}")
    st.stop()

data_end = dt.date.fromisoformat(info.data_date) if info.data_date else None
sidebar_selection(cfg, data_end)
st.sidebar.caption(
    "L&SC ICB: 1,060 LSOA 2021 neighbourhoods in four Places (Blackpool, Blackburn with Darwen, "
    "Lancashire, South Cumbria)."
)

navigation = st.navigation(
    [
        st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("views/map.py", title="Map", icon=":material/map:", url_path="map"),
        st.Page("views/core20.py", title="Core20PLUS5", icon=":material/diversity_3:", url_path="core20"),
        st.Page("views/provision.py", title="Provision", icon=":material/table_chart:", url_path="provision"),
        st.Page("views/reach.py", title="Reach and pathway", icon=":material/location_on:", url_path="reach"),
        st.Page("views/trends.py", title="Trends", icon=":material/monitoring:", url_path="trends"),
        st.Page("views/boardpack.py", title="Board pack", icon=":material/slideshow:", url_path="board-pack"),
        st.Page("views/present.py", title="Present", icon=":material/present_to_all:", url_path="present"),
        st.Page("views/import_data.py", title="Import", icon=":material/upload_file:", url_path="import"),
        st.Page("views/data_quality.py", title="Data quality", icon=":material/fact_check:", url_path="data-quality"),
    ]
)
navigation.run()
