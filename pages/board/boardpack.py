"""Board pack: collect charts and tables, order them, add a title and commentary; download
PowerPoint, PDF and the pack's config (for `python -m equity boardpack`)."""

import streamlit as st

from equity import trends
from equity.settings import PLACES
from publish import pack_items
from publish.boardpack import BoardPackError
from ui import boardpack, loaders
from ui.auth import download_audit
from ui.common import data_banner, footer, plain
from ui.sidebar import current_selection

cfg = loaders.settings()
selection = current_selection()
info = loaders.store_info(cfg)

st.title("Board pack")
data_banner(info)
st.caption(
    f"The pack is built for the sidebar's selection: {selection.describe()}. Every slide carries its title, "
    "the chart or table, your commentary, the data date, the source and the disclosure note."
)
state = boardpack.pack_state()

cols = st.columns(2)
cols[0].text_input(
    "Pack title",
    value=state["title"],
    key="pack_title_input",
    max_chars=120,
    on_change=boardpack.set_pack_text,
    args=("title", "pack_title_input"),
)
cols[1].text_input(
    "Subtitle (optional)",
    value=state.get("subtitle", ""),
    key="pack_subtitle_input",
    max_chars=160,
    on_change=boardpack.set_pack_text,
    args=("subtitle", "pack_subtitle_input"),
)

with st.expander("Add charts and tables", expanded=not state["items"]):
    kinds = [k for k in pack_items.KINDS if k != "snapshot"]  # snapshots come from the pages' own buttons
    kind = st.selectbox("Item", kinds, format_func=lambda k: pack_items.KINDS[k].label, key="pack_add_kind")
    spec: dict = {}
    if kind == "spc":
        a, b = st.columns(2)
        measure = a.selectbox(
            "Measure", list(trends.MEASURES), format_func=lambda k: trends.MEASURES[k].label, key="pack_add_measure"
        )
        area = b.selectbox(
            "Area",
            trends.chart_areas(selection),
            format_func=lambda x: trends.area_label(x, selection),
            key="pack_add_area",
        )
        spec = {"measure": measure, "area": area}
    elif kind == "spc_places":
        spec = {
            "measure": st.selectbox(
                "Measure",
                list(trends.MEASURES),
                format_func=lambda k: trends.MEASURES[k].label,
                key="pack_add_places_measure",
            )
        }
    elif kind in ("overview_rates", "inequality", "core20_quarterly"):
        spec = {
            "measure": st.radio(
                "Measure",
                ("referrals", "access"),
                horizontal=True,
                key="pack_add_rate_measure",
                format_func=lambda m: "Referrals" if m == "referrals" else "Access (people with an attended contact)",
            )
        }
    boardpack.add_to_pack_button(kind, pack_items.default_title(kind, spec, selection), spec, key="pack_add")
    st.caption(
        "SPC charts with a target or a rebase are added from the Trends page. Places offered: "
        + ", ".join(selection.places or PLACES)
        + "."
    )

items = state["items"]
st.subheader(f"Items ({len(items)})")
if not items:
    st.info("The pack is empty. Add items above, or with the **Add to board pack** buttons on other pages.")
for position, item in enumerate(items):
    with st.container(border=True):
        head = st.columns([5, 1, 1.2, 1.4], vertical_alignment="bottom")
        head[0].text_input(
            f"Slide {position + 2} title",
            value=item["title"],
            placeholder=pack_items.default_title(item["kind"], item["spec"], selection),
            key=f"pack_title_{item['id']}",
            on_change=boardpack.set_text,
            args=(item["id"], "title", f"pack_title_{item['id']}"),
        )
        head[1].button(
            "Up",
            icon=":material/arrow_upward:",
            key=f"pack_up_{item['id']}",
            disabled=position == 0,
            on_click=boardpack.move_item,
            args=(item["id"], -1),
        )
        head[2].button(
            "Down",
            icon=":material/arrow_downward:",
            key=f"pack_down_{item['id']}",
            disabled=position == len(items) - 1,
            on_click=boardpack.move_item,
            args=(item["id"], 1),
        )
        head[3].button(
            "Remove",
            icon=":material/delete:",
            key=f"pack_remove_{item['id']}",
            on_click=boardpack.remove_item,
            args=(item["id"],),
        )
        st.text_area(
            "Commentary",
            value=item["commentary"],
            key=f"pack_commentary_{item['id']}",
            max_chars=boardpack.COMMENTARY_MAX,
            height=90,
            on_change=boardpack.set_text,
            args=(item["id"], "commentary", f"pack_commentary_{item['id']}"),
        )
        st.caption(f"{pack_items.KINDS[item['kind']].label} · {boardpack.spec_json(item['spec'])}")

st.subheader("Download")
build_col, config_col = st.columns(2)
if build_col.button(
    "Build PowerPoint and PDF", icon=":material/slideshow:", disabled=not items, key="pack_build", type="primary"
):
    with st.spinner("Drawing the charts with the local browser ..."):
        try:
            boardpack.build_files(cfg, selection)
        except BoardPackError as exc:
            st.error(f"The board pack could not be built: {plain(str(exc))}")
built, current = boardpack.built_files(selection)
if built and current:
    for error in built["errors"]:
        st.warning(f"Shown as a note in the pack: {plain(error)}")  # names the slide's title: user text
    a, b = st.columns(2)
    a.download_button(
        "Download PowerPoint (.pptx)",
        built["files"]["pptx"],
        file_name=f"{built['stem']}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        icon=":material/download:",
        key="pack_download_pptx",
        **download_audit("Download PowerPoint (.pptx)"),
    )
    b.download_button(
        "Download PDF",
        built["files"]["pdf"],
        file_name=f"{built['stem']}.pdf",
        mime="application/pdf",
        icon=":material/download:",
        key="pack_download_pdf",
        **download_audit("Download PDF"),
    )
elif built:
    st.info("The pack or the selection has changed since the files were built: build them again.")

config_col.download_button(
    "Download config (JSON)",
    boardpack.config_json(selection),
    file_name="board_pack_config.json",
    mime="application/json",
    disabled=not items,
    key="pack_download_config",
    help="Rebuild the same pack without the app: python -m equity boardpack --config FILE --out DIR",
    **download_audit("Download config (JSON)"),
)
with st.expander("Load a saved config"):
    st.file_uploader("Pack config (JSON or TOML)", type=["json", "toml"], key="pack_config_upload")
    st.button(
        "Load it (replaces the items above)",
        key="pack_config_load",
        on_click=boardpack.load_uploaded,
        args=("pack_config_upload",),
    )
    if st.session_state.get("pack_load_error"):
        st.error(plain(st.session_state["pack_load_error"]))
    loaded = st.session_state.get("pack_loaded_selection")
    if loaded is not None and loaded != selection:
        st.info(f"The loaded config was saved for: {loaded.describe()}. The pack uses the sidebar's selection.")
footer()
