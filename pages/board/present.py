"""Present: the board pack one page at a time, full width, large type, for a projector (1280 x 720)."""

import streamlit as st

from charts.export import for_export
from publish.pack_items import for_presentation
from ui import boardpack, loaders
from ui.auth import ACCESS_KEY
from ui.common import plain
from ui.figure import chart
from ui.present import PRESENT_CSS, PRESENT_LAYOUT_WIDTH, chart_height, slide_keys
from ui.sidebar import current_selection

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)

state = boardpack.pack_state()
items = state["items"] or [
    {"id": -n, "kind": kind, "spec": spec, "title": "", "commentary": ""}
    for n, (kind, spec) in enumerate(boardpack.DEFAULT_DECK, start=1)
]
pages = boardpack.deck(cfg, selection, items)
count = len(pages)
index = min(max(st.session_state.get("present_index", 0), 0), count - 1)
st.session_state["present_index"] = index


def _step(step: int) -> None:
    st.session_state["present_index"] = min(max(st.session_state.get("present_index", 0) + step, 0), count - 1)


page = pages[index]
item, content = page["item"], page["content"]
nav = st.columns([1, 1, 0.8, 5.2], vertical_alignment="center")
nav[0].button(
    "Previous",
    icon=":material/arrow_back:",
    on_click=_step,
    args=(-1,),
    disabled=index == 0,
    key="present_prev",
    width="stretch",
)
nav[1].button(
    "Next",
    icon=":material/arrow_forward:",
    on_click=_step,
    args=(1,),
    disabled=index == count - 1,
    key="present_next",
    width="stretch",
)
nav[2].markdown(f"**{index + 1} / {count}**")
full_screen = nav[3].toggle(
    "Full screen (hide the sidebar)",
    value=True,
    key="present_full_screen",
    help="Arrow keys, Page Down / Page Up and a presentation clicker move between slides.",
)
with nav[3]:
    slide_keys()  # the keyboard and clicker move between slides (a tiny local script, no requests)
st.html(
    "<style>"
    + (
        'section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}'
        if full_screen
        else ""
    )
    + PRESENT_CSS
    + "</style>"
)

notes = []
if not state["items"]:
    notes.append("The board pack is empty: showing a default set (add charts on the Trends and Board pack pages).")
if info.kind == "demo":
    notes.append("Demo data: synthetic referrals, not real patients.")
# the open-demo banner is hidden here, to leave the screen to the slide: say it under the slide instead
if getattr(st.session_state.get(ACCESS_KEY), "mode", "") == "open_demo":
    notes.append("Open demo mode: no sign-in.")

if content is None:
    st.markdown(f"## {plain(item['title'] or item['kind'])}")  # user text: never rendered as Markdown
    st.warning(f"This item cannot be shown for the current selection: {plain(page['error'])}")
elif content.figure is not None:
    if item["title"]:
        st.markdown(f"## {plain(item['title'])}")
    height = chart_height(bool(item["title"]), item["commentary"] if page["part"] == 0 else "")
    chart(
        for_presentation(for_export(content.figure, width=PRESENT_LAYOUT_WIDTH, pin_title=False), height=height),
        width="stretch",
        key=f"present_chart_{index}",
        theme=None,
    )
else:
    st.markdown(f"### {plain(item['title'] or content.title)}" + (" (continued)" if page["part"] else ""))
    st.caption(plain(content.subtitle))
    st.table(boardpack.page_table(page))
if item["commentary"] and page["part"] == 0:
    st.html(f"<div class='present-commentary'>{boardpack.escape(item['commentary'])}</div>")
st.caption(" ".join([f"Data date {info.data_date}.", content.notes if content else "", *notes]))
