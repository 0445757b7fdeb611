"""Fixtures of the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.store import replace_all
from ui import loaders


@pytest.fixture
def store(tmp_path, monkeypatch, demo_frame) -> Path:
    """A temporary demo store that the pages' settings point at (restored afterwards)."""
    path = tmp_path / "pages.duckdb"
    replace_all(path, demo_frame, kind="demo", description="Demo data: seed 20231, 12,000 referrals")
    monkeypatch.setenv("EQUITY_STORE", str(path))
    loaders.settings.clear()
    yield path
    loaders.settings.clear()


@pytest.fixture(autouse=True)
def no_saved_board_packs():
    """Each page test starts without board packs saved by an earlier test in the session's store
    (packs are kept per user in the store, and the demo user is the same in every test)."""
    from data.backend import connect_store, store_exists
    from equity.settings import load_settings

    def clear() -> None:
        store = load_settings().store_location
        if store_exists(store):
            with connect_store(store) as con:
                if "board_packs" in con.tables():
                    con.execute("DELETE FROM board_packs")

    clear()
    yield
    clear()
