"""Map explorer: find the neighbourhoods where children are being missed."""

import streamlit as st

from equity.display import DISCLOSURE_NOTE
from equity.explorer import LEVELS, METRICS
from equity.scope import SCOPE_NOTE
from equity.summaries import map_sentence
from publish.exports import csv_bytes
from publish.maptable import coarser_level, hidden_share
from ui import explorer as ux
from ui import format as fmt
from ui import loaders
from ui.auth import download_audit
from ui.boardpack import add_to_pack_button
from ui.common import data_banner, footer, in_words, source_line
from ui.definitions import metric_help
from ui.explorer_state import page_state, remember, switch_level
from ui.figure import chart
from ui.sidebar import current_selection
from ui.tables import shown_table

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)
state = page_state()

st.title("Neighbourhood map")
data_banner(info)
c1, c2, c3 = st.columns([3, 2, 2])
metric_key = c1.selectbox(
    "Colour the map by",
    list(METRICS),
    key="map_metric",
    format_func=lambda k: METRICS[k].label,
    help=metric_help(),
)
# below Place level only where the user's access covers neighbourhood detail (equity.scope enforces it too)
levels = [key for key in LEVELS if key == "place" or selection.detail_places != ()]
if st.session_state.get("map_level") not in levels:
    st.session_state["map_level"] = "place"
level = c2.selectbox("Geography", levels, key="map_level", format_func=LEVELS.get)
highlight = c3.toggle(
    "Outline areas significantly below expected access",
    key="map_highlight",
    help="Need-adjusted access ratio whose upper 95% limit is below 1: where to target outreach.",
)
remember(metric_key, level, highlight)
metric = METRICS[metric_key]
if selection.detail_places is not None and level != "place":
    st.caption(f"{SCOPE_NOTE} Your access covers: {', '.join(selection.detail_places) or 'no Place'}.")

table = ux.areas(cfg, selection, level)
below = table.loc[table["significantly_below"], "code"]
coarser = coarser_level(table, metric.column, level)
if coarser in levels:
    st.warning(
        f"Most of the map is grey: {hidden_share(table, metric.column):.0%} of its {len(table):,} areas have this "
        "figure hidden (too few children to show safely) or no data for this selection. "
        f"{LEVELS[coarser]} areas are larger, so fewer are hidden."
    )
    st.button(f"Show {LEVELS[coarser]} level", key="map_coarser", on_click=switch_level, args=(coarser,))
fig = ux.figure(cfg, selection, metric_key, level, highlight, source_line(info))
event = chart(
    fig,
    width="stretch",
    key="explorer_map",
    on_select="rerun",
    selection_mode="points",
    config={"scrollZoom": True},
)
in_words(
    map_sentence(ux.ranked_table(cfg, selection, level), level_word=LEVELS[level], total=len(table)),
    key="map_in_words",
)
add_to_pack_button(
    "lsoa_map",
    fig.layout.title.text.split("<br>")[0],
    {"metric": metric_key, "level": level, "highlight": bool(highlight)},
    key="pack_map",
)

st.subheader("Which areas are furthest below expected access?")
below_only = st.toggle("Significantly below expected only", key="map_below_only")
st.markdown(
    f"**{LEVELS[level]}** · {len(table):,} areas · {len(below):,} significantly below expected access "
    "(upper 95% limit of the need-adjusted ratio below 1) · rank 1 = lowest ratio"
)
ranked = ux.ranked_table(cfg, selection, level, below_only=below_only)
shown_table(
    ux.styled_ranked(ranked),
    key="map_ranked",
    title=f"Which areas are furthest below expected access? ({LEVELS[level]})",
    subtitle=selection.describe(),
    height=420,
    column_config=ux.ranked_table_config(ranked),
)
if "Rank in L&SC" not in ranked.columns:
    st.caption("Rank in L&SC is shown only where your access covers every Place's neighbourhoods.")
st.download_button(
    "Download table (CSV, disclosure-controlled)",
    csv_bytes(ux.table_for_download(table)),
    file_name=f"lsc_{level}_{selection.vintage}.csv",
    mime="text/csv",
    **download_audit("Download table (CSV, disclosure-controlled)"),
)
st.caption(
    "Need-adjusted ratio: children accessing ÷ the number expected if every child in need had the same chance "
    "as across L&SC, with need rising from 15% (IMD decile 10) to 34% (decile 1). 1 = in line with need. "
    "Compared with expected: from the 95% interval shown (Byar). "
    "Rates are for the whole selected period. " + DISCLOSURE_NOTE
)

clicked = [p.get("customdata") for p in (event.selection.points if event else []) if p.get("customdata")]
if clicked:
    state["area"] = clicked[0][0] if isinstance(clicked[0], list) else clicked[0]
if level == "lsoa":
    st.subheader("Neighbourhood profile")
    options = ["", *table.sort_values("name")["code"].tolist()]
    names = dict(zip(table["code"], table["name"], strict=True))
    current = state.get("area") if state.get("area") in names else ""
    chosen = st.selectbox(
        "Open a neighbourhood (or click one on the map)",
        options,
        index=options.index(current),
        format_func=lambda c: names.get(c, "Choose…"),
    )
    if chosen:
        state["area"] = chosen
        st.query_params["area"] = chosen
        p = ux.profile(cfg, selection, chosen)
        row = p["row"]
        st.markdown(f"### {row['name']} ({chosen})")
        st.caption(
            f"{p['area']['msoa_name']} · {p['area']['lad_name']} · {row['place']} · "
            f"IMD {selection.vintage} rank {p['rank_imd'][0]:,} of England's LSOAs (1 = most deprived)"
        )
        k = st.columns(4)
        k[0].metric("Children aged 0-5", f"{int(row['denominator']):,}")
        k[1].metric(
            "Referrals per 1,000",
            fmt.rate(row["rate_per_1000"]),
            help=f"95% CI {fmt.interval(row['lower_95'], row['upper_95'])}; referrals {fmt.count(row['referrals'])}",
        )
        k[2].metric(
            "Access per 1,000",
            fmt.rate(row["access_rate_per_1000"]),
            help=f"95% CI {fmt.interval(row['access_lower_95'], row['access_upper_95'])}",
        )
        k[3].metric(
            "Need-adjusted ratio",
            fmt.rate(row["access_ratio"], 2),
            help=f"95% CI {fmt.interval(row['access_ratio_lower'], row['access_ratio_upper'])}",
        )
        rank, of = p["rank_access_ratio"]
        st.write(
            f"Ranked **{rank:,} of {of:,}** L&SC neighbourhoods by need-adjusted access (1 = furthest below "
            "what need implies)."
            if rank
            else "Need-adjusted access is suppressed for this neighbourhood."
        )
        a, b = st.columns(2)
        a.markdown("**Compared with its Place and L&SC**")
        a.dataframe(ux.comparison_table(p["comparison"]), hide_index=True, width="stretch")
        b.markdown(f"**Deprivation domains (IoD {selection.vintage}, national deciles, 1 = most deprived)**")
        b.dataframe(p["domains"], hide_index=True, width="stretch")
else:
    st.caption("Choose Neighbourhood (LSOA) to open a neighbourhood's profile.")
footer()
