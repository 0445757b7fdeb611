"""Outcomes for infants and parents: pairs of start and end scores on the standardised measures."""

import streamlit as st

from charts.bars import rate_bars
from charts.outcomes import reliable_change_bars
from data.measures import registry
from equity import outcomes
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
source = source_line(info) + "; thresholds: the measure registry (data/measures.toml)"
measures = registry()

st.title("Outcomes for infants and parents")
data_banner(info)
st.caption(
    "Pairs of start and end scores on the standardised measures of the registry, for referrals in the selection. "
    "Completeness (pairs of discharged referrals / discharged referrals) comes first: a low share means the pairs "
    "may not be typical of everyone seen."
)
try:
    overview = uo.summary(cfg, selection)
except Exception as exc:
    st.error(f"The outcome tables could not be built: {exc}")
    st.stop()

st.subheader("Every measure, the selection as a whole")
any_pair = uo.any_pair_share(overview)
st.metric(
    "Discharged referrals with an outcome pair (any registry measure)",
    "not known" if any_pair is None else f"{100 * any_pair:.1f}%",
    help="Pairs of discharged referrals on any measure of the registry / discharged referrals in the selection, "
    "from the counts as shown (rounded). Measures not in the registry are listed on the Data quality page.",
)
st.dataframe(uo.summary_table(overview), hide_index=True, width="stretch")
recorded = [m for m, n in zip(overview["measure"], overview["pairs"].fillna(0), strict=True) if n > 0]
choices = recorded or list(measures)
c1, c2 = st.columns([1, 2])
name = c1.selectbox("Measure", choices, key="out_measure", format_func=lambda m: f"{m} ({measures[m].describes})")
by = c2.radio("Break down by", list(uo.BY_LABELS), format_func=uo.BY_LABELS.get, horizontal=True, key="out_by")
measure = measures[name]
table = uo.outcomes(cfg, selection, name, by)
st.caption(outcomes.thresholds_text(measure))

groups = table.iloc[1:]
benchmark = table["benchmark_mean_change"].iloc[0]
label = uo.BY_LABELS[by]
subtitle = f"{selection.describe()} · {outcomes.change_words(measure)} · bars show 95% confidence intervals (t)"
chart(
    rate_bars(
        frame=groups,
        label_column="group",
        rate_column="mean_change",
        lower_column="lower_95",
        upper_column="upper_95",
        title=f"Mean change in {name} score (end minus start) by {label.lower()}",
        subtitle=subtitle,
        source=source,
        x_title=f"Mean change in {name} score (points)",
        reference=None if benchmark != benchmark else float(benchmark),
        reference_label="L&SC",
    ),
    key="out_mean_chart",
    width="stretch",
)
if measure.reliable_change is not None:
    chart(
        reliable_change_bars(
            frame=groups,
            title=f"Reliable change on {name} by {label.lower()}",
            subtitle=f"{selection.describe()} · reliable change = {measure.reliable_change:g} points or more",
            source=source,
        ),
        key="out_reliable_chart",
        width="stretch",
    )
else:
    st.info(f"Reliable change is not shown for {name}: {measure.reliable_change_note}.")

st.subheader(f"{name} by {label.lower()}")
st.caption(
    "Number of pairs (rounded to 5, 1-4 shown as *; the mean and interval hidden with them). Compared with L&SC: "
    "better or worse when the L&SC mean change lies outside the group's 95% interval (the PHE convention), in the "
    f"measure's better direction. {source}."
)
st.dataframe(outcomes.display(table, measure), hide_index=True, width="stretch")
cols = st.columns(2)
cols[0].download_button(
    "Download the outcome table (CSV)",
    csv_bytes(table),
    file_name=f"lsc_outcomes_{name.replace(':', '')}_{by}.csv",
    mime="text/csv",
    key="out_csv",
    **download_audit("Outcome table (CSV)"),
)
with cols[1]:
    add_to_pack_button("outcomes", f"Outcomes: {name} by {label.lower()}", {"measure": name, "by": by},
                       key="pack_outcomes")
footer()
