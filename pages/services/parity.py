"""Gap-to-parity planner: the additional children a year each area would need to reach for need-adjusted access
to reach 1, and what it would cost at the unit costs the user enters (nothing assumed)."""

import pandas as pd
import streamlit as st

from charts.bars import rate_bars
from data.schema import SUPPORT_ELEMENTS
from equity import formatting as fmt
from equity import parity
from equity.need import NeedModel
from publish.exports import csv_bytes
from ui import loaders
from ui import outcomes as uo
from ui.auth import download_audit
from ui.boardpack import add_to_pack_button
from ui.common import data_banner, footer, source_line
from ui.figure import chart
from ui.sidebar import current_selection

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)
source = source_line(info)

st.title("Gap to parity planner")
data_banner(info)
st.caption(
    "For each area: children accessing against those expected from need at the L&SC rate per child in need "
    f"({NeedModel().describe()}), and the additional children a year it would need to reach for its need-adjusted "
    "access ratio to reach 1 (zero where already at or above). Enter unit costs below to see the yearly cost: "
    "nothing is assumed, and every figure you enter is shown beside the result and saved with the board-pack item."
)
by = st.radio("Areas", list(uo.GAP_LABELS), format_func=uo.GAP_LABELS.get, horizontal=True, key="gap_by")
try:
    table = uo.gap(cfg, selection, by)
except Exception as exc:
    st.error(f"The gap to parity could not be worked out: {exc}")
    st.stop()

st.subheader("Your assumptions")
st.caption(
    "Unit cost: GBP per child supported by the support element (for example from the service's own costing or the "
    "PSSRU Unit Costs of Health and Social Care). Share: the % of the additional children who would receive each "
    "element (leave empty when only one element is costed). Leave everything empty to see the gap in children only."
)
raw: dict = {"unit_costs": {}, "mix": {}}
for element, (element_name, thrive) in SUPPORT_ELEMENTS.items():
    c1, c2, c3 = st.columns([3, 1, 1])
    c1.markdown(f"**{element}. {element_name}** ({thrive})")
    cost = c2.number_input(
        f"Element {element}: GBP per child", min_value=0.0, value=None, step=50.0, key=f"gap_cost_{element}"
    )
    share = c3.number_input(
        f"Element {element}: share (%)", min_value=0.0, max_value=100.0, value=None, step=5.0,
        key=f"gap_share_{element}",
    )
    if cost is not None:
        raw["unit_costs"][element] = cost
    if share is not None:
        raw["mix"][element] = share / 100
raw["cost_source"] = st.text_area("Source of the unit costs (required with any cost)", key="gap_cost_source",
                                  max_chars=parity.MAX_TEXT)
c1, c2 = st.columns([1, 3])
raw["return_per_pound"] = c1.number_input("Return per GBP 1 (optional)", min_value=0.0, value=None, step=0.5,
                                          key="gap_return")
raw["return_source"] = c2.text_input("Source of the return (required with a return)", key="gap_return_source",
                                     max_chars=parity.MAX_TEXT)
try:
    assumptions = parity.Assumptions.from_dict(raw)
except parity.AssumptionError as exc:
    st.error(f"The costs cannot be used yet: {exc}.")
    assumptions = parity.Assumptions()
result = parity.costed(table, assumptions)

st.subheader("The gap")
label = uo.GAP_LABELS[by]
months = float(table["months"].iloc[0]) if len(table) else 0.0
left, right = st.columns([3, 2])
below = result[pd.to_numeric(result["additional_per_year"], errors="coerce") > 0]
total = pd.to_numeric(below["additional_per_year"], errors="coerce").sum()
left.metric(
    "Additional children a year, areas below parity",
    fmt.rate(total, 0),
    help="Sum over the areas below parity of max(0, expected - observed) x 12 / months of data; areas with a "
    "hidden count are left out.",
)
if assumptions.cost_per_child is not None:
    cost = pd.to_numeric(below["cost_per_year"], errors="coerce").sum()
    left.metric("Yearly cost of closing the gap", f"£{cost:,.0f}")
    if assumptions.return_per_pound is not None:
        left.metric("Return a year", f"£{cost * assumptions.return_per_pound:,.0f}")
else:
    left.info(assumptions.missing())
with right:
    st.markdown("**Assumptions behind the result**")
    lines = [
        f"Need model: {NeedModel().describe()}; expected at the L&SC rate per child in need.",
        f"A year = the selected period's {months:.1f} months of data, scaled to 12.",
        *assumptions.describe(),
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))

ranked = result.sort_values("additional_per_year", ascending=False, na_position="last")
shown = ranked.head(20) if by == "lsoa" else ranked
names = shown["name"] if "name" in shown else shown["group"]
chart(
    rate_bars(
        frame=shown.assign(label=names.to_numpy()),
        label_column="label",
        rate_column="additional_per_year",
        lower_column="additional_lower_95",
        upper_column="additional_upper_95",
        title=f"Additional children a year for need-adjusted access to reach 1, by {label.lower()}"
        + (" (the 20 largest gaps)" if by == "lsoa" else ""),
        subtitle=f"{selection.describe()} · bars show 95% intervals (Byar limits of the observed count)",
        source=source,
        x_title="Additional children accessing a year (children)",
        height=max(380, 26 * len(shown) + 160),
    ),
    key="gap_chart",
    width="stretch",
)
st.dataframe(parity.display(ranked, assumptions, label), hide_index=True, width="stretch")
st.caption(
    "Children accessing rounded to 5 (1-4 shown as *; the ratio and gap hidden with them). The interval of the gap "
    f"treats the expected count as fixed. {source}."
)
cols = st.columns(2)
cols[0].download_button(
    "Download the gap to parity (CSV)",
    csv_bytes(result),
    file_name=f"lsc_gap_to_parity_{by}.csv",
    mime="text/csv",
    key="gap_csv",
    **download_audit("Gap to parity (CSV)"),
)
with cols[1]:
    add_to_pack_button("gap_to_parity", f"Gap to parity by {label.lower()}",
                       {"by": by, "assumptions": assumptions.to_dict()}, key="pack_gap")
footer()
