"""The shared sidebar: widgets -> one validated Selection (kept in session state and the URL).

On the first run of a session the widgets are seeded from the URL query string; after that the
widgets own their values (so a changed default never resets them) and the URL follows them.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from equity.selection import Selection, SelectionError
from equity.settings import PLACES
from ui import query

PERIOD_START = dt.date(2023, 4, 1)


def _seed_from_url(default_vintage: int, end: dt.date) -> None:
    if st.session_state.get("_seeded"):
        return
    restored = query.restore(st.query_params, default_vintage)
    st.session_state["vintage"] = restored.vintage
    st.session_state["places"] = list(restored.places)
    st.session_state["period"] = (restored.date_from or PERIOD_START, restored.date_to or end)
    st.session_state["_seeded"] = True


def sidebar_selection(default_vintage: int, data_end: dt.date | None) -> Selection:
    end = data_end or dt.date.today()
    _seed_from_url(default_vintage, end)
    with st.sidebar:
        st.header("Filters")
        vintage = st.radio(
            "Deprivation vintage",
            (2025, 2019),
            horizontal=True,
            format_func=lambda v: f"IMD {v}",
            key="vintage",
            help="IMD 2025 on LSOA 2021 neighbourhoods (default) or IMD 2019 on LSOA 2011.",
        )
        places = st.multiselect("Place", PLACES, key="places", placeholder="All four Places")
        period = st.date_input(
            "Referral period", min_value=PERIOD_START, max_value=end, format="DD/MM/YYYY", key="period"
        )
    date_from, date_to = period if isinstance(period, tuple) and len(period) == 2 else (PERIOD_START, end)
    try:
        selection = Selection(vintage=int(vintage), places=tuple(places), date_from=date_from, date_to=date_to)
    except SelectionError as exc:
        st.sidebar.error(str(exc))
        selection = Selection(vintage=int(vintage))
    query.write(st.query_params, selection)
    st.session_state["selection"] = selection
    return selection


def current_selection() -> Selection:
    return st.session_state.get("selection", Selection())
