"""A board pack is saved per signed-in user in the store and survives a refresh (issue 16, point 6)."""

from streamlit.testing.v1 import AppTest

from data import packs
from equity.access import everything
from equity.settings import REPO_ROOT, load_settings

BOARDPACK = str(REPO_ROOT / "pages" / "board" / "boardpack.py")
OVERVIEW = str(REPO_ROOT / "pages" / "explore" / "overview.py")


def _as(user: str) -> AppTest:
    at = AppTest.from_file(OVERVIEW, default_timeout=90)
    at.session_state["_access"] = everything(user, user.title(), "signed_in")
    return at


def test_a_pack_survives_a_new_session_for_its_user_only(demo_store):
    first = _as("ann").run()
    assert not first.exception, first.exception
    first.button(key="pack_overview_table").click().run()
    assert [i["kind"] for i in first.session_state["board_pack"]["items"]] == ["overview_table"]
    saved = packs.load(load_settings().store_location, "ann")
    assert saved is not None and [i["kind"] for i in saved["items"]] == ["overview_table"]

    # a refresh is a new session: the pack comes back from the store
    again = _as("ann").run()
    assert again.button(key="pack_overview_table").label == "In board pack"
    at = AppTest.from_file(BOARDPACK, default_timeout=90)
    at.session_state["_access"] = everything("ann", "Ann", "signed_in")
    at.run()
    assert not at.exception, at.exception
    assert [i["kind"] for i in at.session_state["board_pack"]["items"]] == ["overview_table"]
    # removing the item is saved too
    remove = next(b for b in at.button if b.key and b.key.startswith("pack_remove"))
    remove.click().run()
    assert packs.load(load_settings().store_location, "ann")["items"] == []

    # another user has their own (empty) pack
    other = _as("bob").run()
    assert other.button(key="pack_overview_table").label == "Add to board pack"


def test_a_damaged_saved_pack_is_named(tmp_path):
    import pytest

    store = tmp_path / "s.duckdb"
    packs.save(store, "ann", {"title": "t", "items": []})
    from data.backend import connect_store

    with connect_store(store) as con:
        con.execute("UPDATE board_packs SET pack = 'not json' WHERE user_id = 'ann'")
    with pytest.raises(packs.PackStoreError, match="saved board pack of ann is not valid JSON"):
        packs.load(store, "ann")
    assert packs.load(store, "nobody") is None
