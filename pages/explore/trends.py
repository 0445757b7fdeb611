"""Trends: monthly referrals, access and Core20 coverage as Making Data Count XmR charts."""

import streamlit as st

from equity import trends
from equity.spc import RULES, SHIFT_RUN, TREND_RUN
from equity.summaries import spc_sentence
from publish.exports import csv_bytes
from publish.pack_items import spc_figure, spc_title
from publish.tables import SummaryOptions
from ui import loaders
from ui import trends as ui_trends
from ui.auth import download_audit
from ui.boardpack import add_to_pack_button
from ui.common import data_banner, footer, in_words
from ui.figure import chart
from ui.sidebar import current_selection
from ui.trends import POLARITY_LABELS

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)

st.title("Trends (SPC)")
data_banner(info)
try:
    series = ui_trends.monthly_series(cfg, selection)
except Exception as exc:
    st.error(f"The monthly series could not be built: {exc}")
    st.stop()
months = trends.series_months(series)
if len(months) < 2:
    st.warning(
        "Fewer than two complete months in the chosen period: widen the referral period in the sidebar "
        "to see trends (only whole calendar months up to the data date are charted)."
    )
    footer()
    st.stop()
st.caption(
    f"Complete months {ui_trends.month_label(months[0])} to {ui_trends.month_label(months[-1])} "
    f"({len(months)} months) · {selection.describe()}"
)

areas = trends.chart_areas(selection)
cols = st.columns([1.3, 1, 0.9, 0.9, 1.3])
measure = cols[0].radio(
    "Measure",
    list(trends.MEASURES),
    format_func=lambda k: trends.MEASURES[k].label,
    key="spc_measure",
)
area = cols[1].selectbox("Area", areas, format_func=lambda a: trends.area_label(a, selection), key="spc_area")
spec_measure = trends.MEASURES[measure]
polarity = cols[2].selectbox(
    "Better when",
    list(POLARITY_LABELS),
    index=list(POLARITY_LABELS).index(spec_measure.polarity),
    format_func=POLARITY_LABELS.get,
    key=f"spc_polarity_{measure}",
    help="Which direction counts as improvement (blue) and which as concern (orange).",
)
target = cols[3].number_input(
    "Target (optional)",
    value=spec_measure.default_target,
    min_value=0.0,
    step=0.05 if not spec_measure.is_count else 1.0,
    key=f"spc_target_{measure}",
    help="Draws a target line and gives the assurance icon (passes, fails, or hit and miss).",
)
rebase = cols[4].multiselect(
    "Rebase limits from",
    months[1:],
    format_func=ui_trends.month_label,
    key="spc_rebase",
    help="A known change (a new service, a new pathway): separate mean and limits before and after.",
)
st.caption(spec_measure.description)

try:
    fig, result = spc_figure(
        series,
        selection,
        info,
        measure=measure,
        area=area,
        target=target,
        rebase=tuple(rebase),
        polarity=polarity,
    )
except trends.TrendError as exc:
    st.warning(str(exc))
else:
    chart(fig, width="stretch", key="spc_chart")
    latest = result.latest
    in_words(
        spc_sentence(
            spc_title(measure, area, selection),
            f"{latest['period']:%B %Y}",
            format(float(latest["value"]), spec_measure.value_format),
            format(float(latest["mean"]), ",.1f" if spec_measure.is_count else ",.2f"),  # as the summary table
            result.variation_label,
            result.assurance_label,
        ),
        key="spc_in_words",
    )
    st.markdown(f"**Variation:** {result.variation_label} · **Assurance:** {result.assurance_label}")
    for warning in result.warnings:
        st.caption(f"Note: {warning}.")
    spec = {"measure": measure, "area": area, "target": target, "rebase": [m.isoformat() for m in rebase]}
    if polarity != spec_measure.polarity:
        spec["polarity"] = polarity
    add_to_pack_button(
        "spc", spc_title(measure, area, selection), spec, key="pack_spc", label="Add this chart to board pack"
    )
    add_to_pack_button(
        "spc_places",
        f"{spec_measure.label} per month, by Place",
        {"measure": measure},
        key="pack_spc_places",
        label="Add this measure for the four Places (small multiples)",
    )

with st.expander("How to read these charts (Making Data Count)"):
    st.markdown(
        "XmR chart: the black line is the mean, the dashed grey lines are the process limits "
        "(mean ± 2.66 × the mean moving range, i.e. about ±3σ). A point is **special cause** when "
        + "; ".join(RULES.values())
        + f". Runs and trends use {SHIFT_RUN} and {TREND_RUN} points, as NHS England's current Making Data Count "
        "guidance. **Blue** points are special cause improvement, **orange** special cause concern (more access "
        "is better; a Core20 coverage ratio nearer parity, 1, than its mean is better, further is worse), "
        "**purple** special cause neither (referrals are demand: neutral by default), grey common cause. The "
        "left icon shows the latest point's variation (H/L = high/low); the right icon, when a target is set, "
        "whether the process consistently passes (P), fails (F) or is hit and miss (?). Hover a point to see "
        "which rule fired."
    )

st.subheader("Summary: every measure and area")
targets = {k: st.session_state.get(f"spc_target_{k}", m.default_target) for k, m in trends.MEASURES.items()}
polarities = {k: st.session_state.get(f"spc_polarity_{k}", m.polarity) for k, m in trends.MEASURES.items()}
changed = {k: p for k, p in polarities.items() if p != trends.MEASURES[k].polarity}
summary_settings = SummaryOptions(targets, tuple(rebase), changed)
summary = loaders.table(cfg, "trend_summary", selection, **summary_settings.as_options())
st.dataframe(
    ui_trends.summary_with_icons(summary),
    hide_index=True,
    width="stretch",
    column_config=ui_trends.ICON_COLUMNS,
    row_height=44,
    height=ui_trends.table_height(len(summary), 44),
)
st.caption(
    "Latest value of the latest complete month; below ICB level counts of 1-4 show as * and others are "
    "rounded to 5. Means and limits are those of the latest segment."
)
summary_spec = {"targets": targets, "rebase": [m.isoformat() for m in rebase]}
if changed:
    summary_spec["polarities"] = changed
add_to_pack_button(
    "spc_summary",
    "Trends at a glance: SPC variation and assurance",
    summary_spec,
    key="pack_summary",
    label="Add this summary to board pack",
)

download = loaders.table(cfg, "trend_monthly", selection)
st.download_button(
    "Download the monthly series (CSV, disclosure-controlled)",
    csv_bytes(download),
    file_name=f"lsc_monthly_series_{info.data_date}.csv",
    mime="text/csv",
    **download_audit("Download the monthly series (CSV, disclosure-controlled)"),
)
footer()
