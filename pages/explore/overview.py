"""Overview: headline figures for L&SC and each Place."""

import streamlit as st

from equity.summaries import overview_sentences
from publish.benchmarks import overview_bars
from ui import format as fmt
from ui import loaders
from ui.boardpack import add_to_pack_button
from ui.common import data_banner, footer, in_words, source_line
from ui.figure import chart
from ui.sidebar import current_selection
from ui.tables import inequality_table, overview_table, styled

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)

st.title("Overview")
data_banner(info)
table = loaders.overview(cfg, selection)
icb = table.iloc[0]
cols = st.columns(4)
cols[0].metric(
    "Referrals", fmt.count(icb["referrals"]), help=f"Referrals received in the period ({icb['group_name']})."
)
cols[1].metric(
    "People accessing",
    fmt.count(icb["people_accessing"]),
    help="Children with at least one attended contact after a referral in the period.",
)
cols[2].metric(
    "Referrals per 1,000 aged 0-5",
    fmt.rate(icb["rate_per_1000"]),
    help=f"95% CI {fmt.interval(icb['lower_95'], icb['upper_95'])}; denominator ONS mid-2020 population aged 0-5.",
)
cols[3].metric(
    "Referrals from Core20 areas",
    fmt.share(icb["core20_referral_share"]),
    help=f"{fmt.share(icb['core20_population_share'])} of children aged 0-5 live in Core20 neighbourhoods "
    "(national IMD deciles 1-2).",
)
st.caption(f"Selection: {selection.describe()}")

compared = loaders.overview_compared(cfg, selection)
chart(overview_bars(compared, selection, source=source_line(info)), width="stretch", key="overview_rate_bars")
equity_rows = loaders.inequality(cfg, selection)
in_words(overview_sentences(compared, equity_rows), key="overview_in_words")
add_to_pack_button("overview_rates", "Referrals per 1,000 children aged 0-5, by Place", {}, key="pack_overview_rates")
st.subheader("Headline figures by Place")
st.dataframe(styled(overview_table(compared)), hide_index=True, width="stretch")
st.caption(
    f"Compared with {selection.benchmark}: from each row's 95% interval (and 99.8% where also significant), as "
    "OHID Fingertips: higher or lower when the interval excludes the benchmark's value, else similar; "
    "better or worse for access (more is better). England's value exists only for the Core20 share (20%); "
    "other figures are then compared with L&SC."
)
add_to_pack_button("overview_table", "Headline figures by Place", {}, key="pack_overview_table")

st.subheader("Equity of referral: deprivation gradient, Core20 coverage and need")
st.caption(
    "SII/RII: slope and relative index of inequality across national IMD deciles (population-weighted rank, "
    "simulated 95% limits). Coverage ratio: share of referrals from Core20 neighbourhoods divided by their share of "
    "children aged 0-5 (1 = in proportion to population); need-adjusted Core20 coverage ratio: the same share against "
    "their share of children in need (as on the Core20PLUS5 page). Need-adjusted referral ratio (O/E): observed / "
    "expected referrals, where expected assumes need rising from 15% in IMD decile 10 to 34% in decile 1 at the L&SC "
    "rate per child in need (1 = in proportion to need; the Map's need-adjusted access ratio counts children "
    "accessing instead)."
)
st.dataframe(inequality_table(equity_rows), hide_index=True, width="stretch")
add_to_pack_button("inequality", "Equity of referral", {"measure": "referrals"}, key="pack_inequality")
footer()
