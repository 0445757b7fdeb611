"""Definitions: every indicator the dashboard publishes, with the Fingertips metadata sections."""

import streamlit as st

from equity.definitions import SECTIONS
from ui import loaders
from ui.common import data_banner, footer
from ui.definitions import indicator_groups

cfg = loaders.settings()
info = loaders.store_info(cfg)

st.title("Definitions")
data_banner(info)
st.write(
    "Every map metric and every published table, with its definition, numerator, denominator, method, "
    "confidence interval method, disclosure control, caveats and data source. "
    f"Referral data date: **{info.data_date or 'no referrals yet'}**."
)
for group, indicators in indicator_groups():
    st.subheader(group)
    for key, title, sections in indicators:
        with st.expander(title):
            st.caption(f"Indicator key: `{key}`")
            for section, label in SECTIONS.items():
                st.markdown(f"**{label}.** {sections[section]}")
footer()
