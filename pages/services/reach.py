"""Reach: service sites on a map, straight-line distance coverage, access by distance, and the pathway."""

import duckdb
import streamlit as st

from charts.bars import rate_bars
from charts.sites import coverage_bars, interval_dots, sites_map, source_mix_bars
from data.store import StoreError
from equity.reach import DISTANCE_NOTE, THRESHOLDS_KM, ReachError
from equity.sites import SITE_TYPES, SPECIALIST_OR_HUB, SiteError
from geo.cache import CacheMissingError
from geo.reference import ReferenceDataError
from ui import forms, loaders
from ui import reach as ui
from ui.auth import current_access
from ui.common import data_banner, footer, source_line
from ui.figure import chart
from ui.sidebar import current_selection
from ui.tables import shown_table

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)

st.title("Service reach and pathway")
data_banner(info)
forms.flash()
try:
    sites = ui.all_sites(cfg)
except (ReferenceDataError, SiteError, StoreError, CacheMissingError, duckdb.Error) as exc:
    st.error(f"The service sites could not be loaded: {exc}")
    st.stop()

site_source = (
    "Sites: GP practices from NHS England ODS epraccur with ePCN membership (OGL v3.0), located by postcode with the "
    "ONS Postcode Directory; other sites added by users"
)
total_label = ui.total_label(selection)
types_present = ui.types_present(sites)
tab_map, tab_reach, tab_pathway, tab_sites = st.tabs(["Sites map", "Reach", "Pathway", "Manage sites"])

with tab_map:
    st.caption(DISTANCE_NOTE)
    map_type = st.selectbox(
        "Shade neighbourhoods by distance to the nearest",
        types_present,
        format_func=SITE_TYPES.get,
        key="reach_map_type",
    )
    bounds, outline = ui.map_view(cfg, selection)
    nearest = ui.nearest(cfg, selection, map_type)
    chart(
        sites_map(
            sites=sites,
            type_labels=SITE_TYPES,
            bounds=bounds,
            outline=outline,
            geojson=loaders.map_geometry(cfg, selection.vintage, "lsoa"),
            areas=nearest,
            area_hover=ui.distance_hover(nearest, SITE_TYPES[map_type]),
            colorbar_title=f"Straight-line km to<br>nearest {SITE_TYPES[map_type]}",
            title=f"Service sites, and straight-line distance to the nearest {SITE_TYPES[map_type]}",
            subtitle=f"{selection.describe()} · shading: distance from each neighbourhood's population-weighted "
            "centroid · sites by type (shape and colour)",
            source=f"{site_source}. ONS boundaries and centroids (OGL v3.0), OS data © Crown copyright",
        ),
        width="stretch",
        key="sites_map",
        pack=True,
        config={"scrollZoom": True},
    )
    st.dataframe(ui.site_count_table(sites), hide_index=True)

with tab_reach:
    st.caption(DISTANCE_NOTE)
    st.subheader("Children living near each type of site")
    shown_table(
        ui.all_types_table(ui.all_types(cfg, selection)),
        key="reach_all_types",
        title="Children within reach of each kind of site",
        subtitle=selection.describe(),
    )
    reach_type = st.selectbox("Site type", types_present, format_func=SITE_TYPES.get, key="reach_type")
    coverage = ui.coverage(cfg, selection, reach_type)
    chart(
        coverage_bars(
            coverage_row=coverage.iloc[0],
            thresholds=THRESHOLDS_KM,
            source=f"{site_source}. {source_line(info)}",
            title=f"Children aged 0-5 living within each straight-line distance of a {SITE_TYPES[reach_type]}",
            subtitle=f"{total_label} · {selection.describe()} · {int(coverage['sites'].iloc[0]):,} sites",
        ),
        width="stretch",
        key="reach_coverage",
        pack=True,
    )
    shown_table(
        ui.coverage_table(coverage),
        key="reach_coverage_table",
        title="Children within reach, by Place",
        subtitle=selection.describe(),
    )

    st.subheader("Access by distance")
    try:
        bands = ui.access_by_band(cfg, selection, reach_type)
    except (ReachError, StoreError) as exc:
        st.error(str(exc))
    else:
        chart(
            rate_bars(
                frame=bands,
                label_column="band",
                rate_column="rate_per_1000",
                lower_column="lower_95",
                upper_column="upper_95",
                source=f"{site_source}. {source_line(info)}",
                title=f"People accessing per 1,000 children aged 0-5, by straight-line distance to a "
                f"{SITE_TYPES[reach_type]}",
                subtitle=f"{selection.describe()} · bars show 95% confidence intervals (Byar)",
                x_title="People with a first attended contact per 1,000 children aged 0-5",
            ),
            width="stretch",
            key="reach_bands",
            pack=True,
        )
        shown_table(
            ui.band_table(bands),
            key="reach_band_table",
            title="Children by distance band",
            subtitle=selection.describe(),
        )

    st.subheader("Core20 neighbourhoods farthest from a specialist base or Family Hub")
    if not set(SPECIALIST_OR_HUB) & set(types_present):
        st.info(
            "No Family Hub or specialist (PAIRS) sites have been added yet: there is no public list of them. "
            "Add them under **Manage sites** to see which Core20 neighbourhoods are farthest from one."
        )
    else:
        farthest = ui.farthest(cfg, selection)
        shown_table(
            ui.farthest_table(farthest),
            key="reach_farthest",
            title="Neighbourhoods farthest from a site",
            subtitle=selection.describe(),
        )

with tab_pathway:
    st.caption(ui.PATHWAY_NOTE)
    mix = ui.source_mix(cfg, selection)
    chart(
        source_mix_bars(
            mix=mix,
            source=source_line(info),
            title="Who refers: share of referrals by source of referral, by Place",
            subtitle=f"{selection.describe()} · MHSDS source of referral",
        ),
        width="stretch",
        key="pathway_mix",
        pack=True,
    )
    with st.expander("Source of referral by Place (table)"):
        shown_table(
            ui.mix_table(mix),
            key="pathway_mix_table",
            title="Source of referral by Place",
            subtitle=selection.describe(),
        )
    for by, heading in (("place", "Place"), ("imd_quintile", "IMD quintile")):
        converted = ui.conversion(cfg, selection, by)
        waits = ui.median_wait(cfg, selection, by)
        cols = st.columns(2)
        chart(
            interval_dots(
                frame=converted,
                label_column="label",
                value_column="share",
                lower_column="lower_95",
                upper_column="upper_95",
                percent=True,
                source=source_line(info),
                x_title="% of referrals",
                title=f"Referrals with a first attended contact, by {heading}",
                subtitle=f"{selection.describe()} · 95% Wilson intervals",
            ),
            width="stretch",
            key=f"pathway_conversion_{by}",
            where=cols[0],
            pack=True,
        )
        chart(
            interval_dots(
                frame=waits,
                label_column="label",
                value_column="median_days",
                lower_column="lower_95",
                upper_column="upper_95",
                source=source_line(info),
                x_title="Days from referral to first contact",
                title=f"Median wait to first attended contact, by {heading}",
                subtitle=f"{selection.describe()} · 95% order-statistic intervals",
            ),
            width="stretch",
            key=f"pathway_wait_{by}",
            where=cols[1],
            pack=True,
        )
        shown_table(
            ui.conversion_table(converted, heading),
            key=f"pathway_conversion_table_{by}",
            title=f"Referrals with a first attended contact, by {heading}",
            subtitle=selection.describe(),
            where=cols[0],
        )
        shown_table(
            ui.wait_table(waits, heading),
            key=f"pathway_wait_table_{by}",
            title=f"Median wait to first attended contact, by {heading}",
            subtitle=selection.describe(),
            where=cols[1],
        )

with tab_sites:
    st.caption(
        "The app starts with GP practices only: there is no public list of Family Hubs, health-visiting bases or "
        "PAIRS sites. Add them here one by one or from a CSV file; each is placed by its postcode."
    )
    can_edit_sites = bool(current_access().manage_places)
    if can_edit_sites:
        st.subheader("Add a site")
        ui.add_site_form(cfg)
        st.subheader("Add sites from a CSV file")
        ui.import_sites_form(cfg)
    else:
        st.caption("Adding and removing sites needs the data manager role; ask your ICB data team.")
    st.subheader("Sites added by users")
    user_sites = ui.user_sites(cfg)
    st.dataframe(ui.user_sites_table(user_sites), hide_index=True, width="stretch")
    if can_edit_sites:
        ui.remove_site_form(cfg, user_sites)
    with st.expander("History of site changes"):
        st.dataframe(ui.site_history_table(ui.site_history(cfg)), hide_index=True, width="stretch")
footer()
