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


# --- The same referrals on every backend (data.engine) --------------------------------------------------
# `backend_settings` is the session's settings pointed at a copy of `demo_frame` on DuckDB, PostgreSQL
# or Spark (a local session, started once: about 8 s). Spark runs only with `-m spark` / `make test-spark`
# (see pyproject.toml markers and README).


@pytest.fixture(scope="session")
def spark_session():
    from pyspark.sql import SparkSession

    from data.engine import LOCAL_SPARK_CONFIG

    builder = SparkSession.builder.master("local[2]").appName("equity-tests")
    for key, value in {**LOCAL_SPARK_CONFIG, "spark.sql.shuffle.partitions": "2"}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    yield session
    session.stop()


@pytest.fixture(scope="session")
def duckdb_settings(settings, demo_frame, tmp_path_factory) -> Settings:
    from dataclasses import replace

    cfg = replace(settings, store_path=tmp_path_factory.mktemp("duckdb") / "referrals.duckdb", store=None)
    replace_all(cfg.store_path, demo_frame, kind="demo", description="Demo data: seed 20231, 12,000 referrals")
    return cfg


@pytest.fixture(scope="session")
def postgresql_settings(settings, demo_frame, postgres_server, tmp_path_factory) -> Settings:
    import uuid
    from dataclasses import replace

    import psycopg

    from data.copies import to_postgres
    from data.location import parse_store

    name = f"s_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = postgres_server.rsplit("/", 1)[0] + "/" + name
    to_postgres(url, demo_frame, description="Demo data: seed 20231, 12,000 referrals")
    state = tmp_path_factory.mktemp("pg-state") / "unused.duckdb"
    yield replace(settings, store=parse_store(url), store_path=state)
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def spark_settings(settings, demo_frame, spark_session, tmp_path_factory) -> Settings:
    from dataclasses import replace

    from data.copies import to_parquet
    from data.location import parse_store

    folder = tmp_path_factory.mktemp("spark")
    spark_session.read.parquet(str(to_parquet(demo_frame, folder / "referrals.parquet"))).createOrReplaceTempView(
        "test_referrals"
    )
    return replace(settings, store=parse_store("spark:test_referrals"), store_path=folder / "state.duckdb")


@pytest.fixture(
    scope="session", params=["duckdb", "postgresql", pytest.param("spark", marks=pytest.mark.spark)]
)
def backend_settings(request) -> Settings:
    """Settings reading the demo referrals from each backend in turn (same frame, same reference cache)."""
    return request.getfixturevalue(f"{request.param}_settings")
