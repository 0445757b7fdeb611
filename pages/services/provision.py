"""Provision: the strategy's Table 2 matrix (editable, with history) beside referrals to each element."""

import duckdb
import streamlit as st

from charts.provision import matrix_svg, provision_and_access, provision_matrix
from data.store import StoreError
from equity.provision import STATUSES, ProvisionError, matrix_export
from geo.cache import CacheMissingError
from publish.exports import csv_bytes
from ui import forms, loaders
from ui import provision as ui
from ui.auth import current_access, download_audit
from ui.common import data_banner, footer, source_line
from ui.figure import chart
from ui.sidebar import current_selection
from ui.tables import shown_table

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)

st.title("Provision by Place")
data_banner(info)
forms.flash()
st.caption(
    "The six support elements of the strategy (Table 1, with their THRIVE category) by Place, with the provision "
    "status of the strategy's Table 2. The matrix starts from what the strategy's supporting information (March 2025) "
    "says, quoting the sentences each cell rests on; cells it does not settle start as Unknown. Place teams can "
    "update any cell below; every change is kept with who made it and when."
)
try:
    matrix = ui.matrix(cfg)
    access = ui.element_access(cfg, selection)
    history = ui.history(cfg)
except (ProvisionError, StoreError, CacheMissingError, duckdb.Error) as exc:
    st.error(f"The provision matrix could not be shown: {exc}")
    st.stop()

places = selection.places or None
shown = ui.for_places(matrix, selection.places)
source = (
    f"{source_line(info)}. Provision: L&SC 0-5 mental health strategy, supporting information (March 2025), "
    "as updated by Place teams"
)
subtitle = f"{selection.describe()} · each cell: provision status, and referrals per 1,000 children aged 0-5"
chart(
    provision_matrix(
        matrix=matrix,
        access=access,
        places=places,
        source=source,
        subtitle=subtitle,
        title="Provision and referrals by support element and Place",
    ),
    width="stretch",
    key="provision_matrix",
    pack=True,
)
chart(
    provision_and_access(
        matrix=shown,
        access=access,
        source=source,
        title="Referrals per 1,000 children aged 0-5 to each support element, coloured by provision",
        subtitle=f"{selection.describe()} · bars show 95% confidence intervals (Byar)",
    ),
    width="stretch",
    key="provision_access_bars",
    pack=True,
)

st.subheader("Provision beside access, by Place and support element")
shown_table(
    ui.matrix_table(shown, access),
    key="provision_table",
    title="Provision by Place and support element",
    subtitle=selection.describe(),
)
st.caption(" · ".join(f"**{label}** ({v[1]}): {v[3]}" for label, v in STATUSES.items()))
cols = st.columns(2)
cols[0].download_button(
    "Download the matrix with notes, sources and access figures (CSV)",
    csv_bytes(matrix_export(matrix, access)),
    file_name="lsc_provision_matrix.csv",
    mime="text/csv",
    key="provision_csv",
    **download_audit("Download the matrix with notes, sources and access figures (CSV)"),
)
cols[1].download_button(
    "Download the matrix chart (SVG)",
    matrix_svg(
        matrix=matrix,
        access=access,
        source=source,
        subtitle=subtitle,
        title="Provision and referrals by support element and Place",
    ).encode("utf-8"),
    file_name="lsc_provision_matrix.svg",
    mime="image/svg+xml",
    key="provision_svg",
    **download_audit("Download the matrix chart (SVG)"),
)

st.subheader("Update a cell")
ui.edit_cell_form(cfg, matrix, current_access())

st.subheader("History of changes")
st.dataframe(ui.history_table(history), hide_index=True, width="stretch")
st.download_button(
    "Download the history (CSV)",
    csv_bytes(history),
    file_name="lsc_provision_history.csv",
    mime="text/csv",
    key="provision_history_csv",
    **download_audit("Download the history (CSV)"),
)
footer()
