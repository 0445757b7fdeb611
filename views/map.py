"""Map: LSOA choropleth of referrals per 1,000 children aged 0-5."""

import streamlit as st

from charts.maps import choropleth_map
from geo.cache import load_boundaries
from geo.mapshapes import bounds_of, fit_view, outline_lines
from ui import loaders
from ui.common import data_banner, footer, source_line
from ui.sidebar import current_selection
from ui.tables import map_download, map_hover

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)

st.title("Neighbourhood map")
data_banner(info)
table = loaders.map_table(cfg, selection)
places = load_boundaries(cfg.cache_dir, selection.vintage, "place")
shown = places[places["code"].isin(selection.places)] if selection.places else places
centre, zoom = fit_view(bounds_of(shown), 660, 520)
area_word = "LSOA 2021" if selection.vintage == 2025 else "LSOA 2011"
fig = choropleth_map(
    geojson=loaders.map_geometry(cfg, selection.vintage, "lsoa"),
    frame=table,
    id_column="lsoa_code",
    value_column="rate_per_1000",
    hover_text=map_hover(table, selection.vintage),
    title=f"Referrals per 1,000 children aged 0-5, by neighbourhood ({area_word})",
    subtitle=f"{selection.describe()} · grey = suppressed (1-4 referrals) or no children",
    source=source_line(info),
    colorbar_title="Referrals per 1,000<br>aged 0-5",
    centre=centre,
    zoom=zoom,
    colorscale="Viridis",
    outline=outline_lines(shown),
    height=640,
)
st.plotly_chart(fig, width="stretch", key="lsoa_map", config={"scrollZoom": True})
st.download_button(
    "Download neighbourhood table (CSV, disclosure-controlled)",
    map_download(table).to_csv(index=False).encode("utf-8"),
    file_name=f"lsc_neighbourhoods_{selection.vintage}.csv",
    mime="text/csv",
)
footer()
