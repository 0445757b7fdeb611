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
from ui.auth import gate  # noqa: E402
from ui.nav import page_links  # noqa: E402
from ui.sidebar import sidebar_selection  # noqa: E402

cfg = loaders.settings()
try:
    loaders.ensure_ready(cfg)
except Exception as exc:
    st.error(f"The dashboard could not start: {exc}")
    st.stop()
# Sign-in before anything is read: a visitor who is not signed in gets the sign-in page and nothing else
# (no page runs, because st.navigation below is never reached).
access = gate(cfg)
try:
    info = loaders.store_info(cfg)
except Exception as exc:
    st.error(f"The dashboard could not start: {exc}")
    st.stop()

data_end = dt.date.fromisoformat(info.data_date) if info.data_date else None
nav_links = st.sidebar.container()  # the page links, above the filters
sidebar_selection(cfg, data_end, access)
st.sidebar.caption(
    "L&SC ICB: 1,060 LSOA 2021 neighbourhoods in four Places (Blackpool, Blackburn with Darwen, "
    "Lancashire, South Cumbria)."
)


def _page(path: str, title: str, icon: str, url_path: str | None = None, **kw: bool) -> st.Page:
    return st.Page(path, title=title, icon=f":material/{icon}:", url_path=url_path, **kw)


# One sub-folder of pages/ per sidebar section, never a page file directly in pages/ (a flat pages/
# starts Streamlit in its old multipage mode, which runs a page alone, without this script).
sections = {
    "Explore": [
        _page("pages/explore/overview.py", "Overview", "dashboard", default=True),
        _page("pages/explore/map.py", "Map", "map", "map"),
        _page("pages/explore/core20.py", "Core20PLUS5", "diversity_3", "core20"),
        _page("pages/explore/trends.py", "Trends", "monitoring", "trends"),
        _page("pages/explore/outcomes.py", "Outcomes", "trending_up", "outcomes"),
        _page("pages/explore/definitions.py", "Definitions", "menu_book", "definitions"),
    ],
    "Services": [
        _page("pages/services/provision.py", "Provision", "table_chart", "provision"),
        _page("pages/services/reach.py", "Reach and pathway", "location_on", "reach"),
        _page("pages/services/parity.py", "Gap to parity", "balance", "parity"),
    ],
    "Board": [
        _page("pages/board/boardpack.py", "Board pack", "slideshow", "board-pack"),
        _page("pages/board/present.py", "Present", "present_to_all", "present"),
    ],
    "Data": [
        _page("pages/admin/import_data.py", "Import", "upload_file", "import"),
        _page("pages/admin/data_quality.py", "Data quality", "fact_check", "data-quality"),
        *([_page("pages/admin/audit.py", "Admin", "admin_panel_settings", "admin")] if access.is_admin else []),
    ],
}
# Streamlit's own sidebar menu is hidden: its sectioned list is invalid HTML for screen readers (ui/nav.py).
navigation = st.navigation(sections, position="hidden")
page_links(nav_links, sections)
navigation.run()
