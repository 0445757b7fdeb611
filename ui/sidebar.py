"""The shared sidebar: widgets -> one validated Selection (kept in session state and the URL).

On the first run of a session the widgets are seeded from the URL query string; after that the
widgets own their values (so a changed default never resets them) and the URL follows them.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data.schema import BROAD_ETHNIC_GROUPS, REFERRAL_SOURCES, SUPPORT_ELEMENTS
from equity.access import Access
from equity.benchmark import ENGLAND, LSC
from equity.selection import AGE_BAND_CHOICES, Selection, SelectionError
from equity.settings import PLACES, VINTAGES, Settings
from ui import loaders, query

PERIOD_START = dt.date(2023, 4, 1)


def _seed_from_url(default_vintage: int, end: dt.date) -> None:
    if st.session_state.get("_seeded"):
        return
    restored = query.restore(st.query_params, default_vintage)
    st.session_state["vintage"] = restored.vintage
    st.session_state["places"] = list(restored.places)
    st.session_state["lads"] = list(restored.lads)
    st.session_state["period"] = (restored.date_from or PERIOD_START, restored.date_to or end)
    st.session_state["age_bands"] = list(restored.age_bands)
    st.session_state["support_elements"] = list(restored.support_elements)
    st.session_state["referral_sources"] = list(restored.referral_sources)
    st.session_state["ethnic_groups"] = list(restored.ethnic_groups)
    st.session_state["services"] = list(restored.services)
    st.session_state["benchmark"] = restored.benchmark
    st.session_state["_seeded"] = True


def sidebar_selection(cfg: Settings, data_end: dt.date | None, access: Access | None = None) -> Selection:
    end = data_end or dt.date.today()
    _seed_from_url(cfg.default_vintage, end)
    with st.sidebar:
        st.header("Filters")
        vintage = st.radio(
            "Deprivation vintage",
            VINTAGES,
            horizontal=True,
            format_func=lambda v: f"IMD {v}",
            key="vintage",
            help="IMD 2025 on LSOA 2021 neighbourhoods (default) or IMD 2019 on LSOA 2011. Core20 follows the vintage.",
        )
        places = st.multiselect("Place", PLACES, key="places", placeholder="All four Places")
        detail = scope_of(access)
        choices = benchmark_choices(detail)
        if st.session_state.get("benchmark") not in choices:
            st.session_state["benchmark"] = LSC
        benchmark = st.selectbox(
            "Compare with (benchmark)",
            choices,
            key="benchmark",
            help="Bars, map areas and table rows are coloured by comparison with this benchmark at 95% "
            "(better / similar / worse, or lower / similar / higher where a measure has no better direction), "
            "as in OHID Fingertips. England is used for measures with national data (the Core20 share: 20% "
            "of England's neighbourhoods); other measures are then compared with L&SC.",
        )
        # districts are neighbourhood detail: offered only within the Places the user's access covers
        district_places = tuple(p for p in (places or PLACES) if detail is None or p in detail)
        districts = loaders.districts(cfg, int(vintage), district_places) if district_places else {}
        st.session_state["lads"] = [c for c in st.session_state.get("lads", []) if c in districts]
        lads: list[str] = []
        if districts:
            lads = st.multiselect(
                "District (LAD)",
                list(districts),
                key="lads",
                format_func=lambda c: districts.get(c, c),
                placeholder="All districts",
            )
        period = st.date_input(
            "Referral period",
            min_value=PERIOD_START,
            max_value=end,
            format="DD/MM/YYYY",
            key="period",
            help="Referrals received between these dates (inclusive).",
        )
        with st.expander("More filters", expanded=False):
            age_bands = st.multiselect(
                "Age band",
                AGE_BAND_CHOICES,
                key="age_bands",
                placeholder="All ages 0-5",
                help="Age at referral; antenatal where recorded.",
            )
            elements = st.multiselect(
                "Support element",
                list(SUPPORT_ELEMENTS),
                key="support_elements",
                placeholder="All elements",
                format_func=lambda e: f"{e}. {SUPPORT_ELEMENTS[e][0]} ({SUPPORT_ELEMENTS[e][1]})",
            )
            sources = st.multiselect(
                "Referral source",
                list(REFERRAL_SOURCES),
                key="referral_sources",
                placeholder="All sources",
                format_func=lambda c: f"{REFERRAL_SOURCES[c]} ({c})",
            )
            service_names = loaders.services(cfg)
            st.session_state["services"] = [v for v in st.session_state.get("services", []) if v in service_names]
            services = st.multiselect(
                "Service",
                service_names,
                key="services",
                placeholder="All services",
                help="Service names as recorded in the referral data.",
            )
            ethnic = st.multiselect(
                "Ethnic group", BROAD_ETHNIC_GROUPS, key="ethnic_groups", placeholder="All ethnic groups"
            )
    date_from, date_to = period if isinstance(period, tuple) and len(period) == 2 else (PERIOD_START, end)
    try:
        selection = Selection.from_dict(
            {
                "vintage": vintage,
                "places": places,
                "lads": lads,
                "date_from": date_from,
                "date_to": date_to,
                "age_bands": age_bands,
                "support_elements": elements,
                "referral_sources": sources,
                "ethnic_groups": ethnic,
                "services": services,
                "benchmark": benchmark,
            }
        )
    except SelectionError as exc:
        st.sidebar.error(str(exc))
        selection = Selection.from_dict({"vintage": vintage, "benchmark": benchmark})
    query.write(st.query_params, selection)
    selection = selection.with_(detail_places=scope_of(access))
    st.session_state["selection"] = selection
    return selection


def benchmark_choices(detail: tuple[str, ...] | None) -> list[str]:
    """L&SC, the user's own Place(s) (every Place for a user who sees all of L&SC), England."""
    return [LSC, *(detail if detail is not None else PLACES), ENGLAND]


def scope_of(access: Access | None) -> tuple[str, ...] | None:
    """The Places whose neighbourhood detail this user may see; None when that is every Place."""
    if access is None or access.detail_places == PLACES:
        return None
    return access.detail_places


def current_selection() -> Selection:
    return st.session_state.get("selection", Selection())
