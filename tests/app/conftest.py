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
