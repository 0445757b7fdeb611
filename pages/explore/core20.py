"""Core20PLUS5 and inequalities: are we reaching Core20 and PLUS groups in proportion to need?"""

import streamlit as st

from charts.core20 import coverage_dots, funnel_chart, gradient_chart, quarterly_chart, representation_chart
from equity import plus
from equity.core20 import FUNNEL_POINT_COLUMNS, GRADIENT_DIMENSIONS, MEASURE_LABELS, suppressed_note
from equity.display import DISCLOSURE_NOTE
from equity.metrics import denominator_label
from equity.need import NeedModel
from equity.summaries import coverage_sentence
from publish.exports import csv_bytes
from ui import core20 as uc
from ui import loaders
from ui.auth import download_audit
from ui.boardpack import add_to_pack_button
from ui.common import data_banner, footer, in_words, source_line
from ui.figure import chart
from ui.query import encode
from ui.sidebar import current_selection
from ui.tables import shown_table

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)
source = source_line(info)
model = NeedModel()
ages = denominator_label(selection.age_bands)

st.title("Core20PLUS5 and inequalities")
data_banner(info)
c1, c2 = st.columns([2, 1])
measure = c1.radio(
    "Measure",
    list(MEASURE_LABELS),
    format_func=MEASURE_LABELS.get,
    horizontal=True,
    key="c20_measure",
    help="Referrals received, or children with at least one attended contact (access).",
)
use_target = c2.toggle("Show a local target", key="c20_use_target")
target = (
    c2.number_input("Local target (coverage ratio)", 0.5, 2.0, 1.1, 0.05, key="c20_target", disabled=not use_target)
    if use_target
    else None
)
label = MEASURE_LABELS[measure]
st.caption(
    f"Selection: {selection.describe()} · Core20 = national IMD {selection.vintage} deciles 1-2 · "
    f"need: {model.describe()}"
)

st.header("1. Core20 coverage")
cov = uc.coverage(cfg, selection, measure, model)
chart(
    coverage_dots(
        frame=cov,
        title=f"Core20 coverage of {label.lower()}, by Place",
        subtitle=f"{selection.describe()} · 1 = in proportion · whiskers: 95% CI",
        source=source,
        target=target,
    ),
    width="stretch",
    key="c20_coverage",
    pack=True,
)
total = cov.iloc[0]
in_words(
    coverage_sentence(label.lower(), total["coverage_ratio"], total["lower_95"], total["upper_95"]),
    key="c20_in_words",
)
shown_table(
    uc.coverage_screen(cov, label),
    key="c20_coverage_table",
    title=f"Core20 coverage of {label.lower()}",
    subtitle=selection.describe(),
)
st.download_button(
    "Download coverage table (CSV)",
    csv_bytes(cov),
    "core20_coverage.csv",
    "text/csv",
    key="dl_cov",
    **download_audit("Download coverage table (CSV)"),
)

st.header("2. Deprivation gradient")
by = st.radio(
    "Deprivation measure", list(GRADIENT_DIMENSIONS), format_func=GRADIENT_DIMENSIONS.get, horizontal=True, key="c20_by"
)
grad, sentence = uc.gradient(cfg, selection, by, measure, model)
st.info(sentence)
chart(
    gradient_chart(
        frame=grad,
        group_label=GRADIENT_DIMENSIONS[by],
        ages=ages,
        title=f"{label} per 1,000 children {ages}, by national {GRADIENT_DIMENSIONS[by]}",
        subtitle=f"{selection.describe()} · bars: observed with 95% CI · diamonds: expected "
        "from need at the L&SC rate per child in need",
        source=source,
    ),
    width="stretch",
    key="c20_gradient",
    pack=True,
)
st.download_button(
    "Download gradient table (CSV)",
    csv_bytes(grad),
    f"gradient_{by}.csv",
    "text/csv",
    key="dl_grad",
    **download_audit("Download gradient table (CSV)"),
)

st.header("3. PLUS groups")
flags = uc.recorded_flags(cfg)
groups = plus.groups_for(cfg.state_location, selection.places, flags)
chosen = sorted({g for keys in groups.values() for g in keys})
st.markdown("**PLUS groups counted for the selected Places:** " + "; ".join(plus.label(g) for g in chosen))
with st.expander("Change which groups count as PLUS in a Place"):
    place = st.selectbox("Place", list(groups), key="plus_place")
    with st.form(f"plus_form_{place}"):
        new = st.multiselect(
            "PLUS groups", plus.vocabulary(flags), default=groups.get(place, []), format_func=plus.label
        )
        who = st.text_input("Your name (recorded with the change)")
        saved = st.form_submit_button("Save")
    if saved:
        try:
            plus.set_groups(cfg.state_location, place, new, who, flags)
            st.success(f"Saved the PLUS groups for {place}.")
        except plus.PlusSettingError as exc:
            st.error(str(exc))
    st.dataframe(plus.history(cfg.state_location), hide_index=True, width="stretch")
if "ethnic_minority" in chosen:
    eth, unknown, eth_caveat = uc.ethnicity(cfg, selection)
    st.subheader("Ethnic group of referrals against the population of the same neighbourhoods")
    st.warning(
        f"Ethnicity not stated or not known: {100 * unknown:.1f}% of referrals (reported, as NHS England asks, "
        "not hidden). Shares of referrals below are of those with a known group.",
        icon=":material/info:",
    )
    chart(
        representation_chart(
            frame=eth,
            title="Referrals with a known ethnic group vs children aged 0-5",
            subtitle=f"{selection.describe()} · population: Census 2021 mix of each "
            "neighbourhood applied to its children aged 0-5",
            source=source,
        ),
        width="stretch",
        key="c20_ethnicity",
        pack=True,
    )
    shown_table(
        uc.ethnicity_screen(eth),
        key="c20_ethnicity_table",
        title="Referrals by ethnic group against the population",
        subtitle=selection.describe(),
    )
    st.caption(eth_caveat)
    st.download_button(
        "Download ethnicity table (CSV)",
        csv_bytes(eth),
        "ethnicity.csv",
        "text/csv",
        key="dl_eth",
        **download_audit("Download ethnicity table (CSV)"),
    )
if "rural" in chosen:
    st.subheader("Rural and urban neighbourhoods")
    st.dataframe(
        uc.rurality_screen(uc.rurality(cfg, selection, measure, model), label), hide_index=True, width="stretch"
    )
flag_keys = [g.removeprefix("flag:") for g in chosen if g.startswith("flag:")]
if flag_keys:
    st.subheader("PLUS flags recorded on referrals")
    table = uc.plus_flags(cfg, selection)
    table = table[table["flag"].isin([*flag_keys, "All referrals in the selection"])]
    shown_table(uc.flags_screen(table), key="c20_flags_table", title="PLUS groups", subtitle=selection.describe())
    st.caption("Conversion: share of referrals with a first attended contact (Wilson 95% CI).")

st.header("4. Neighbourhood funnel plot")
kind = st.radio(
    "Plot",
    ["access_rate", "access_ratio"],
    horizontal=True,
    key="c20_funnel_kind",
    format_func={
        "access_rate": "Access per 1,000 against population",
        "access_ratio": "Need-adjusted access ratio against expected",
    }.get,
)
points, limits, not_plotted, _ = uc.funnel(cfg, selection, kind, model)
event = chart(
    funnel_chart(
        points=points,
        limits=limits,
        kind=kind,
        ages=ages,
        title="Neighbourhoods (LSOA): children accessing"
        + (f" per 1,000 {ages}" if kind == "access_rate" else ", observed / expected from need"),
        subtitle=f"{selection.describe()} · {len(points):,} neighbourhoods shown; {suppressed_note(not_plotted)} · "
        "click a point to open its profile on the Map · counts rounded to 5 before plotting, "
        "hence the curved bands",
        source=source,
    ),
    width="stretch",
    key="c20_funnel",
    pack=True,
    on_select="rerun",
    selection_mode="points",
)
picked = [p["customdata"][0] for p in (event.selection.points if event else []) if p.get("customdata")]
if picked:
    st.session_state.setdefault("map_state", {})["area"] = picked[0]
    st.session_state["map_level"] = "lsoa"
    st.switch_page("pages/explore/map.py", query_params={**encode(selection), "level": "lsoa", "area": picked[0]})
st.download_button(
    "Download funnel data (CSV)",
    csv_bytes(points[["code", "name", "place", "imd_decile", "x", "y", *FUNNEL_POINT_COLUMNS]]),
    "funnel.csv",
    "text/csv",
    key="dl_funnel",
    **download_audit("Download funnel data (CSV)"),
)

st.header("5. Trend of the gap")
q = uc.quarterly(cfg, selection, measure)
chart(
    quarterly_chart(
        frame=q,
        title=f"Core20 coverage ratio of {label.lower()}, by quarter",
        subtitle=f"{selection.describe()} · shaded: 95% CI · NHS financial quarters · the last may be incomplete",
        source=source,
        target=target,
    ),
    width="stretch",
    key="c20_quarterly",
)
add_to_pack_button(
    "core20_quarterly",
    f"Core20 coverage ratio of {label.lower()}, by quarter",
    {"measure": measure, "target": target},
    key="pack_c20_quarterly",
    label="Add this chart to board pack",
)

st.header("6. IMD 2019 and IMD 2025 compared")
changes, by_vintage = uc.vintages(cfg, selection, measure, model)
shown_table(
    by_vintage.rename(
        columns={
            "definition": "Core20 defined by",
            "share_of_measure": "Share from Core20",
            "share_of_population": "Share of children",
            "coverage_ratio": "Coverage ratio",
            "lower_95": "Lower 95%",
            "upper_95": "Upper 95%",
        }
    ).round(3),
    key="c20_vintages_table",
    title="Core20 coverage under IMD 2019 and IMD 2025",
    subtitle=selection.describe(),
)
st.caption(
    f"{(changes['change'].str.startswith('Enters')).sum():,} neighbourhoods enter Core20 and "
    f"{(changes['change'].str.startswith('Leaves')).sum():,} leave it between IMD 2019 and IMD 2025 "
    "(LSOA 2021; 2019 status from the LSOA 2011 areas holding most of each neighbourhood's population)."
)
shown_table(
    changes.rename(
        columns={
            "lsoa_code": "LSOA 2021",
            "lsoa_name": "Name",
            "place": "Place",
            "lad_name": "District",
            "imd_decile": "IMD 2025 decile",
            "population_0_5": "Children 0-5",
            "change": "Change",
        }
    ).drop(columns=["core20_2019", "core20_2025"]),
    key="c20_vintage_changes",
    title="Neighbourhoods entering or leaving Core20 between IMD 2019 and IMD 2025",
    subtitle=selection.describe(),
    height=300,
)
st.caption(DISCLOSURE_NOTE)
footer()
