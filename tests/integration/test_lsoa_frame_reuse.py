"""One query per selection and store state: pages that draw several figures from the same selection
share the LSOA frame, and any write to the store is seen at once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from data.store import replace_all
from equity import dashboard
from equity.selection import Selection


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = dashboard.counts_by_lsoa

    def counting(con, selection):
        calls.append(selection)
        return real(con, selection)

    monkeypatch.setattr(dashboard, "counts_by_lsoa", counting)
    return calls


@pytest.fixture
def own_store(settings, demo_frame, tmp_path):
    cfg = replace(settings, store_path=tmp_path / "store.duckdb")
    replace_all(cfg.store_path, demo_frame, kind="demo", description="test")
    return cfg


def test_same_selection_queries_once_and_returns_copies(own_store, counted):
    selection = Selection(places=("Blackpool",))
    first = dashboard.lsoa_frame(own_store, selection)
    first["referrals"] = -1  # a caller changing its frame does not change anyone else's
    second = dashboard.lsoa_frame(own_store, selection)
    assert counted == [selection]
    assert (second["referrals"] >= 0).all() and second["referrals"].sum() > 0
    dashboard.lsoa_frame(own_store, Selection(places=("Lancashire",)))
    assert len(counted) == 2  # another selection is another query


def test_a_write_to_the_store_is_seen_at_once(own_store, demo_frame, counted):
    before = dashboard.lsoa_frame(own_store, Selection())
    assert before["referrals"].sum() == demo_frame["lsoa21_code"].notna().sum()
    fewer = demo_frame.iloc[:5_000]
    replace_all(own_store.store_path, fewer, kind="demo", description="fewer")
    after = dashboard.lsoa_frame(own_store, Selection())
    assert len(counted) == 2
    assert after["referrals"].sum() == fewer["lsoa21_code"].notna().sum()
