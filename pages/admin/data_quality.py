"""Data quality: completeness and validity of the referral store, by field and by Place, and the imports."""

import streamlit as st

from ui import format as fmt
from ui import importing, loaders
from ui.common import data_banner, footer

cfg = loaders.settings()
st.title("Data quality")
try:
    info = loaders.store_info(cfg)
    fields = importing.quality_table(cfg, "data_quality_fields")
    places = importing.quality_table(cfg, "data_quality_places")
    ethnicity = importing.quality_table(cfg, "data_quality_ethnicity")
    geography = importing.quality_table(cfg, "data_quality_geography")
    measures = importing.quality_table(cfg, "data_quality_measures")
    imports, rejections, outside_lsc = importing.import_logs(cfg)
except Exception as exc:
    st.error(f"The data-quality tables could not be built: {exc}")
    st.stop()

data_banner(info)
kind = "synthetic demo referrals" if info.kind == "demo" else "referral extracts"
source = f"Source: {kind} in the referral store, data date {info.data_date or 'none'}."
st.caption("All referrals in the store (the sidebar filters do not apply on this page).")

cols = st.columns(5)
by_field = fields.set_index("field")
cols[0].metric("Referrals in the store", fmt.count(fields["referrals"].iloc[0] if len(fields) else 0))
cols[1].metric(
    "Unknown ethnicity",
    fmt.share(ethnicity.set_index("code")["share"].get("unknown")),
    help="Z (not stated) + 99 (not known) + no code, as a share of referrals (NHS England definition; the count "
    "rounded to 5, as on the Core20PLUS5 page).",
)
cols[2].metric(
    "LSOA resolved",
    fmt.share(by_field["recorded_share"].get("LSOA of residence")),
    help="Referrals placed in an L&SC LSOA 2021 neighbourhood.",
)
cols[3].metric(
    "Approximate geography",
    fmt.share(importing.approximate_share(geography)),
    help="Placed by postcode (point in polygon) or from an LSOA 2011 that was split in 2021.",
)
cols[4].metric(
    "Records outside L&SC",
    f"{outside_lsc:,}",
    help="Rows rejected by imports still applied because their LSOA or postcode lies outside L&SC.",
)

st.subheader("Completeness and validity by field, L&SC ICB")
st.caption(f"Number and % of referrals with the field recorded, and with a valid, known value. {source}")
st.dataframe(importing.field_table(fields), hide_index=True, width="stretch")

st.subheader("Completeness by Place")
st.caption(
    "Number of referrals (rounded to 5, 1-4 shown as *) and % of the Place's referrals; a % is shown only when its "
    f"counts are. Referrals with no LSOA have no Place. {source}"
)
st.dataframe(importing.place_table(places), hide_index=True, width="stretch")

st.subheader("Unknown ethnicity, L&SC ICB")
st.caption(
    "Number of referrals (rounded to 5, 1-4 shown as *: categories of the ICB's referrals, as on the Core20PLUS5 "
    "page) and % of all referrals in the store. NHS England counts Z, 99 and missing codes together as unknown. "
    f"{source}"
)
st.dataframe(importing.ethnicity_table(ethnicity), hide_index=True, width="stretch")

st.subheader("How each referral's neighbourhood was found, L&SC ICB")
st.caption(
    "Number (rounded to 5, 1-4 shown as *) and % of referrals. Postcodes are placed in an LSOA 2021 by point in "
    "polygon on ONS super-generalised "
    "boundaries, and an LSOA 2011 split in 2021 goes to its successor with most residents: both are approximate. "
    f"{source} Postcodes: ONS Postcode Directory (OGL v3.0)."
)
st.dataframe(importing.geography_table(geography), hide_index=True, width="stretch")

st.subheader("Outcome measures recorded, L&SC ICB")
unknown = measures[~measures["in_registry"].astype(bool)]
if measures.empty:
    st.caption("No referral in the store records an outcome measure.")
else:
    st.caption(
        "Number of referrals and of start-and-end pairs by measure name (rounded to 5, 1-4 shown as *) and % of all "
        "referrals. Names are matched to the measure registry (data/measures.toml) ignoring case and punctuation; "
        "a name the registry does not know is kept in the store but not analysed on the Outcomes page, because its "
        f"range and thresholds are unknown. {source}"
    )
    if len(unknown):
        st.warning(
            f"{len(unknown)} measure name(s) not in the registry: {', '.join(unknown['measure'])}. Add the measure "
            "to data/measures.toml (with its range and published thresholds) or correct the name in the extract."
        )
    st.dataframe(importing.measures_table(measures), hide_index=True, width="stretch")

st.subheader("Rejected rows by import, column and reason")
if rejections.empty:
    st.caption("No rows have been rejected by an import into this store.")
else:
    st.caption(f"Number of rows (exact, ICB level); 'outside L&SC' rows are not in the store. {source}")
    st.dataframe(importing.rejections_table(rejections), hide_index=True, width="stretch")

st.subheader("Import history")
if imports.empty:
    st.caption("No extract has been imported into this store (it holds demo data or was filled another way).")
else:
    st.caption(f"Number of rows per import (exact, ICB level). {source}")
    st.dataframe(importing.history_table(imports), hide_index=True, width="stretch")
footer()
