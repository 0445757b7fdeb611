"""Settings: the only module that reads environment variables.

Every configurable value of the project is defined here, with its environment variable,
default and meaning. ``tests/unit/test_settings.py`` fails if an ``EQUITY_*`` variable is
read anywhere else or is left undocumented in README.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from data.location import StoreLocation, parse_store
from geo.vintages import VINTAGES

__all__ = ["PLACES", "VINTAGES", "Settings", "load_settings"]

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Files the app server hands to browsers (Streamlit static serving: ``static/`` beside ``app.py``,
#: served at ``app/static/``; switched on in ``.streamlit/config.toml``). Only built map shapes go here.
STATIC_DIR = REPO_ROOT / "static"
STATIC_URL = "app/static"

#: Environment variables understood by the project, with their meaning (documented in README).
ENVIRONMENT_VARIABLES: dict[str, str] = {
    "EQUITY_REFERENCE_DIR": "Directory holding the public reference bundle "
    "(default: ../shared/reference beside the repository).",
    "EQUITY_CACHE_DIR": "Directory for built artefacts (Parquet, GeoParquet, GeoJSON; default: .cache).",
    "EQUITY_STORE": "Where the referral store lives: a DuckDB file path (default: <cache dir>/referrals.duckdb) "
    "or a postgresql://user@host:port/database URL (see README for the Spark / Databricks forms).",
    "EQUITY_DEFAULT_VINTAGE": "Deprivation vintage used when none is chosen: 2025 or 2019 (default 2025).",
    "EQUITY_ACCESS_FILE": "The access policy (TOML: who may see and do what, for which Places; default: "
    ".streamlit/access.toml beside app.py). Read when sign-in is configured.",
    "EQUITY_ALLOW_NO_SIGN_IN": "Set to 'yes' to run without sign-in on a store holding real data: one trusted "
    "user on their own machine; every page then carries a warning (default: refuse to start).",
}

#: Fringe LSOAs of the ICB that lie outside the 16 districts, placed in a Place by their
#: LAD 2022 code. Copeland (E07000029) -> South Cumbria; Craven (E07000163) -> Lancashire.
DEFAULT_FRINGE_PLACES: dict[str, str] = {
    "E07000029": "South Cumbria",
    "E07000163": "Lancashire",
}

PLACES: tuple[str, ...] = ("Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria")



@dataclass(frozen=True)
class Settings:
    reference_dir: Path
    cache_dir: Path
    store_path: Path  # the DuckDB file when ``store`` is DuckDB; code that may meet a server uses ``store``
    default_vintage: int = 2025
    access_file: Path = REPO_ROOT / ".streamlit" / "access.toml"
    allow_no_sign_in: bool = False
    fringe_places: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FRINGE_PLACES))
    #: A server store (PostgreSQL, Spark, Databricks); None means the DuckDB file at ``store_path``
    #: (so ``dataclasses.replace(settings, store_path=...)`` moves a DuckDB store, as tests do).
    store: StoreLocation | None = None

    @property
    def store_location(self) -> StoreLocation:
        return self.store if self.store is not None else StoreLocation("duckdb", path=self.store_path)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    reference_dir = Path(env.get("EQUITY_REFERENCE_DIR") or REPO_ROOT.parent / "shared" / "reference")
    cache_dir = Path(env.get("EQUITY_CACHE_DIR") or REPO_ROOT / ".cache")
    store = parse_store(env.get("EQUITY_STORE") or str(cache_dir / "referrals.duckdb"))
    store_path = store.path if store.path is not None else cache_dir / "referrals.duckdb"
    vintage_text = env.get("EQUITY_DEFAULT_VINTAGE") or "2025"
    try:
        vintage = int(vintage_text)
    except ValueError:
        raise ValueError(f"EQUITY_DEFAULT_VINTAGE must be 2025 or 2019, got {vintage_text!r}") from None
    if vintage not in VINTAGES:
        raise ValueError(f"EQUITY_DEFAULT_VINTAGE must be 2025 or 2019, got {vintage}")
    access_file = Path(env.get("EQUITY_ACCESS_FILE") or REPO_ROOT / ".streamlit" / "access.toml")
    override = (env.get("EQUITY_ALLOW_NO_SIGN_IN") or "").strip().lower()
    if override not in ("", "yes", "no"):
        raise ValueError(f"EQUITY_ALLOW_NO_SIGN_IN must be 'yes' or 'no', got {override!r}")
    return Settings(
        reference_dir=reference_dir.resolve(),
        cache_dir=cache_dir.resolve(),
        store_path=store_path.resolve(),
        default_vintage=vintage,
        access_file=access_file.resolve(),
        allow_no_sign_in=override == "yes",
        store=None if store.kind == "duckdb" else store,
    )
