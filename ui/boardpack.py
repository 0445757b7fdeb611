"""The board pack kept in the session: add, order, edit and build (Streamlit only here).

Any page can offer its chart or table with :func:`add_to_pack_button`; the Board pack page orders
the items, adds a title and commentary, and downloads PowerPoint, PDF and the pack config; the
Present page shows the items one at a time.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from equity.selection import Selection
from equity.settings import Settings
from publish import pack_items
from publish.boardpack import BoardPack, BoardPackError, PackItem, config_from_text, pack_to_config
from publish.pack_items import ItemContent
from ui.common import plain
from ui.loaders import _HASH

PACK_KEY = "board_pack"
DEFAULT_TITLE = "Infant and early-years mental health: equity board pack"
COMMENTARY_MAX = 1500

#: Shown by the Present page when the pack is empty.
DEFAULT_DECK: tuple[tuple[str, dict], ...] = (
    ("overview_rates", {}),
    ("spc", {"measure": "referrals", "area": "ICB"}),
    ("spc", {"measure": "core20_coverage", "area": "ICB"}),
    ("spc_summary", {}),
)


SAVED_KEY = "board_pack_saved"


def _user_id() -> str | None:
    from ui.auth import ACCESS_KEY

    access = st.session_state.get(ACCESS_KEY)
    return getattr(access, "user_id", None) or None


def _store_path():
    from ui import loaders

    return loaders.settings().state_location


def pack_state() -> dict:
    """The pack in session state: {"title", "subtitle", "items": [{"id", "kind", "spec", "title", "commentary"}]}.
    A new session starts from the signed-in user's pack saved in the store (``data.packs``)."""
    if PACK_KEY not in st.session_state:
        saved = None
        user = _user_id()
        if user:
            from data.packs import PackStoreError, load

            try:
                saved = load(_store_path(), user)
            except (PackStoreError, OSError) as exc:
                st.warning(f"Your saved board pack could not be read: {exc}")
        state = saved or {"title": DEFAULT_TITLE, "subtitle": "", "items": []}
        state.setdefault("subtitle", "")
        st.session_state[PACK_KEY] = state
        st.session_state[SAVED_KEY] = json.dumps(state, sort_keys=True)
        ids = [int(item.get("id", 0)) for item in state["items"]]
        st.session_state["board_pack_next_id"] = max(ids, default=0) + 1
    return st.session_state[PACK_KEY]


def save_pack() -> None:
    """Keep the session's pack in the store as the signed-in user's pack (when it changed)."""
    user = _user_id()
    state = pack_state()
    text = json.dumps(state, sort_keys=True)
    if not user or st.session_state.get(SAVED_KEY) == text:
        return
    from data.packs import save

    save(_store_path(), user, state)
    st.session_state[SAVED_KEY] = text


def _next_id() -> int:
    """Item ids never repeat within a session (widget keys are built from them)."""
    value = st.session_state.get("board_pack_next_id", 1)
    st.session_state["board_pack_next_id"] = value + 1
    return value


def _same(item: Mapping, kind: str, spec: Mapping) -> bool:
    return item["kind"] == kind and json.dumps(item["spec"], sort_keys=True) == json.dumps(dict(spec), sort_keys=True)


def in_pack(kind: str, spec: Mapping) -> bool:
    return any(_same(item, kind, spec) for item in pack_state()["items"])


def add_item(kind: str, spec: Mapping, title: str = "", commentary: str = "") -> None:
    pack_items.validate(kind, spec)
    state = pack_state()
    if any(_same(item, kind, spec) for item in state["items"]):
        return
    item = {"id": _next_id(), "kind": kind, "spec": dict(spec), "title": title, "commentary": commentary}
    state["items"].append(item)
    save_pack()


def _add_and_toast(kind: str, spec: Mapping, title: str) -> None:
    add_item(kind, spec, title)
    st.toast(f"Added to the board pack: {plain(title)}", icon=":material/playlist_add_check:")


def add_to_pack_button(item_kind: str, title: str, spec: dict, key: str, *, label: str = "Add to board pack") -> None:
    """A button that adds the chart or table (``item_kind`` of :mod:`publish.pack_items` with ``spec``)
    to the board pack; shows "In board pack" once it is there."""
    pack_items.validate(item_kind, spec)
    present = in_pack(item_kind, spec)
    st.button(
        "In board pack" if present else label,
        key=key,
        icon=":material/playlist_add_check:" if present else ":material/playlist_add:",
        disabled=present,
        on_click=_add_and_toast,
        args=(item_kind, dict(spec), title),
        help="Collect charts and tables on the Board pack page, add commentary, download PowerPoint or PDF.",
    )


def _snapshot_marker(key: str, caption: str) -> dict:
    return {"page_key": key, "shown_as": caption}


def _in_pack_as(marker: Mapping) -> bool:
    return any(
        item["kind"] == "snapshot" and all(item["spec"].get(k) == v for k, v in marker.items())
        for item in pack_state()["items"]
    )


def _add_snapshot(make_spec, marker: dict, title: str) -> None:
    spec = {**make_spec(), **marker}
    pack_items.validate("snapshot", spec)
    state = pack_state()
    state["items"].append({"id": _next_id(), "kind": "snapshot", "spec": spec, "title": title, "commentary": ""})
    save_pack()
    st.toast(f"Added to the board pack: {plain(title)}", icon=":material/playlist_add_check:")


def snapshot_button(*, key: str, title: str, caption: str, make_spec) -> None:
    """A button that adds a chart or table to the board pack as shown (a 'snapshot' item of
    :mod:`publish.pack_items`); ``make_spec`` builds its spec only when clicked. ``caption`` (the shown
    title and subtitle) tells a new view of the same chart from one already in the pack."""
    marker = _snapshot_marker(key, caption)
    present = _in_pack_as(marker)
    st.button(
        "In board pack" if present else "Add to board pack",
        key=f"pack_snap_{key}",
        icon=":material/playlist_add_check:" if present else ":material/playlist_add:",
        disabled=present,
        on_click=_add_snapshot,
        args=(make_spec, marker, title),
        help="Adds this chart or table as shown now; collect them on the Board pack page.",
    )


def remove_item(item_id: int) -> None:
    state = pack_state()
    state["items"] = [item for item in state["items"] if item["id"] != item_id]
    save_pack()


def move_item(item_id: int, step: int) -> None:
    items = pack_state()["items"]
    index = next(i for i, item in enumerate(items) if item["id"] == item_id)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    save_pack()


def set_text(item_id: int, field: str, widget_key: str) -> None:
    for item in pack_state()["items"]:
        if item["id"] == item_id:
            item[field] = st.session_state[widget_key]
    save_pack()


def current_pack(selection: Selection) -> BoardPack:
    state = pack_state()
    return BoardPack(
        title=state["title"] or DEFAULT_TITLE,
        subtitle=state.get("subtitle", ""),
        selection=selection,
        items=tuple(
            PackItem(kind=i["kind"], spec=dict(i["spec"]), title=i["title"], commentary=i["commentary"])
            for i in state["items"]
        ),
    )


def config_json(selection: Selection) -> bytes:
    return json.dumps(pack_to_config(current_pack(selection)), indent=2).encode("utf-8")


def load_pack(pack: BoardPack) -> None:
    """Replace the session's pack with ``pack`` (its selection is not applied: the sidebar's stays)."""
    st.session_state[PACK_KEY] = {"title": pack.title, "subtitle": pack.subtitle, "items": []}
    st.session_state["pack_title_input"] = pack.title
    st.session_state["pack_subtitle_input"] = pack.subtitle
    for item in pack.items:
        add_item(item.kind, item.spec, item.title, item.commentary)
    save_pack()


def load_uploaded(widget_key: str) -> None:
    """Callback: load the config file in the uploader ``widget_key`` into the session's pack."""
    upload = st.session_state.get(widget_key)
    if upload is None:
        return
    try:
        pack = config_from_text(upload.getvalue().decode("utf-8-sig"), upload.name)
    except (BoardPackError, UnicodeDecodeError) as exc:
        st.session_state["pack_load_error"] = str(exc)
        return
    st.session_state.pop("pack_load_error", None)
    st.session_state["pack_loaded_selection"] = pack.selection
    load_pack(pack)


def set_pack_text(field: str, widget_key: str) -> None:
    pack_state()[field] = st.session_state[widget_key]
    save_pack()


def signature(selection: Selection) -> str:
    """Changes whenever the pack or the selection changes (to tell when built files are stale)."""
    return json.dumps(pack_to_config(current_pack(selection)), sort_keys=True)


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=64)
def item_content(cfg: Settings, selection: Selection, kind: str, spec_json: str) -> ItemContent:
    """One item's content for the selection (cached; ``spec_json`` is the spec as sorted JSON)."""
    return pack_items.build(kind, cfg, selection, json.loads(spec_json))


def spec_json(spec: Mapping) -> str:
    return json.dumps(dict(spec), sort_keys=True)


def escape(text: str) -> str:
    """Commentary as safe HTML (line breaks kept)."""
    return html.escape(text).replace("\n", "<br>")


def build_files(cfg: Settings, selection: Selection) -> None:
    """Render the pack and keep the PowerPoint and PDF in the session (with the pack's signature)."""
    from equity.dashboard import store_info
    from publish.boardpack import build, file_stem
    from ui.auth import audit

    pack = current_pack(selection)
    files, slides = build(cfg, pack)
    audit(
        cfg,
        "boardpack_build",
        {"title": pack.title, "items": [i.kind for i in pack.items], "selection": selection.describe()},
    )
    st.session_state["pack_files"] = {
        "signature": signature(selection),
        "files": files,
        "stem": file_stem(pack, store_info(cfg.store_location)),
        "errors": [f"{s.title}: {s.error}" for s in slides if s.error],
    }


def built_files(selection: Selection) -> tuple[dict | None, bool]:
    """(the last build, whether it still matches the pack and selection)."""
    built = st.session_state.get("pack_files")
    return built, bool(built) and built["signature"] == signature(selection)


PRESENT_TABLE_ROWS = 5


def deck(cfg: Settings, selection: Selection, items: list[dict]) -> list[dict]:
    """Presentation pages: one per chart, tables split into pages of ``PRESENT_TABLE_ROWS`` rows (so a
    page fits a 1280 x 720 projector). Each page: item, content (or None), error, rows (a slice)."""
    pages: list[dict] = []
    for item in items:
        try:
            content = item_content(cfg, selection, item["kind"], spec_json(item["spec"]))
        except pack_items.PackItemError as exc:
            pages.append({"item": item, "content": None, "error": str(exc), "rows": None, "part": 0})
            continue
        if content.table is None:
            pages.append({"item": item, "content": content, "error": "", "rows": None, "part": 0})
            continue
        for part, start in enumerate(range(0, max(len(content.table), 1), PRESENT_TABLE_ROWS)):
            rows = slice(start, start + PRESENT_TABLE_ROWS)
            pages.append({"item": item, "content": content, "error": "", "rows": rows, "part": part})
    return pages


def page_table(page: dict) -> pd.DataFrame:
    """The rows of a presentation page's table, indexed by the first column."""
    table = page["content"].table.iloc[page["rows"]]
    return table.set_index(table.columns[0]) if len(table.columns) else table
