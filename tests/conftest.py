"""Shared fixtures. The reference cache is the project's real cache (built from ../shared/reference
by `make test` before pytest runs, or here if missing); referral stores are always temporary."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# App tests and the e2e test read settings from the environment: point the store at a temporary
# file before anything loads settings, so tests never touch a developer's store.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="equity-tests-"))
os.environ["EQUITY_STORE"] = str(_SESSION_DIR / "demo.duckdb")

from data.demo import generate  # noqa: E402
from data.store import replace_all  # noqa: E402
from equity.settings import Settings, load_settings  # noqa: E402
from geo.build import build_reference  # noqa: E402
from geo.cache import load_areas, load_change_links  # noqa: E402
from geo.manifest import cache_is_current  # noqa: E402


@pytest.fixture(scope="session")
def settings() -> Settings:
    cfg = load_settings()
    if not cache_is_current(cfg.cache_dir):
        build_reference(cfg.reference_dir, cfg.cache_dir, cfg.fringe_places)
    return cfg


@pytest.fixture(scope="session")
def areas_2025(settings):
    return load_areas(settings.cache_dir, 2025)


@pytest.fixture(scope="session")
def areas_2019(settings):
    return load_areas(settings.cache_dir, 2019)


@pytest.fixture(scope="session")
def change_links(settings):
    return load_change_links(settings.cache_dir)


@pytest.fixture(scope="session")
def demo_frame(areas_2025, change_links):
    return generate(areas_2025, change_links, referrals=12_000, seed=20231)


@pytest.fixture(scope="session")
def demo_store(settings, demo_frame) -> Path:
    """The session's default store (EQUITY_STORE) filled with the default demo data."""
    replace_all(settings.store_path, demo_frame, kind="demo", description="Demo data: seed 20231, 12,000 referrals")
    return settings.store_path


# --- PostgreSQL ------------------------------------------------------------------------------------
# `make test` starts a throwaway PostgreSQL 15 server (scripts/postgres-up) and writes its URL to
# .cache/postgres.url; started here too when missing, so a lone `pytest` run works the same way.
_REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of the test server's maintenance database (``equity_test``)."""
    import subprocess

    url_file = _REPO / ".cache" / "postgres.url"
    subprocess.run([str(_REPO / "scripts" / "postgres-up")], check=True, capture_output=True)
    return url_file.read_text().strip()


@pytest.fixture
def postgres_url(postgres_server: str):
    """A fresh, empty PostgreSQL database for one test (dropped afterwards): its postgresql:// URL."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["duckdb", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A new store on each backend, as ``--store`` / ``EQUITY_STORE`` would name it: a DuckDB file path
    (not created yet) or the URL of a fresh, empty PostgreSQL database. Tests that take it run twice."""
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    return request.getfixturevalue("postgres_url")
