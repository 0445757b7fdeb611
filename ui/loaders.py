"""Cached loaders and first-start preparation (Streamlit only here, in pages/ and app.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from equity import dashboard
from equity.selection import Selection
from equity.settings import STATIC_DIR, STATIC_URL, Settings, load_settings


def store_version(path: Path) -> tuple:
    """A cheap version of the referral store: inode, modification time (ns) and size of the DuckDB file and
    of its write-ahead log (where DuckDB keeps committed writes until it checkpoints them into the file).
    Any write to the store, by this app or by another process (``python -m equity import``), changes it;
    it costs two ``stat`` calls, no connection. A write that leaves it unchanged would need the same
    inode, size and nanosecond timestamp, which DuckDB's page-sized writes and checkpoints do not give."""
    version = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            stat = os.stat(file)
        except OSError:
            version.append(None)
        else:
            version.append((stat.st_ino, stat.st_mtime_ns, stat.st_size))
    return tuple(version)


def settings_key(cfg: Settings) -> tuple:
    """Settings as a cache key that follows the store: a loader keyed by it recomputes on the first run
    after the store changes, wherever the change came from (the ttl only bounds memory)."""
    if cfg.store_location.kind != "duckdb":  # a server store or source: no file to watch
        return repr(cfg), dashboard.store_state(cfg.store_location)
    return repr(cfg), store_version(cfg.store_path)


#: hash_funcs of every cached loader whose result comes from the store.
_HASH = {Selection: lambda s: repr(s), Settings: settings_key}
#: hash_funcs of loaders that read only the reference cache (not recomputed when the store changes).
REFERENCE_HASH = {Selection: lambda s: repr(s), Settings: lambda s: repr(s)}


@st.cache_resource
def settings() -> Settings:
    return load_settings()


def ensure_ready(cfg: Settings) -> None:
    """Build the reference cache and demo store on first start (``equity.prepare``, as the command line
    does), with a progress bar and a spinner."""
    from equity.prepare import ensure_ready as prepare
    from geo.manifest import cache_is_current

    if cache_is_current(cfg.cache_dir) and (cfg.store_path.is_file() or not cfg.store_location.writable):
        return
    bar = st.progress(0.0, text="First start: preparing the reference data and the demo store ...")
    prepare(cfg, progress=lambda f, m: bar.progress(f, text=m), status=lambda m: bar.progress(1.0, text=m))
    bar.empty()


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600)
def store_info(cfg: Settings) -> dashboard.StoreInfo:
    return dashboard.store_info(cfg.store_location)


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=64)
def table(cfg: Settings, name: str, selection: Selection, **options: str) -> pd.DataFrame:
    """A named indicator table of ``publish.tables`` (disclosure-controlled), cached per selection."""
    from publish import tables

    return tables.get(name, cfg, selection, options)


def overview(cfg: Settings, selection: Selection) -> pd.DataFrame:
    return table(cfg, "overview_headline", selection)


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=64)
def overview_compared(cfg: Settings, selection: Selection) -> pd.DataFrame:
    """The overview rows with their comparison with the selection's benchmark (``publish.benchmarks``)."""
    return table(cfg, "overview_compared", selection)


@st.cache_resource(hash_funcs=REFERENCE_HASH)
def map_geometry(cfg: Settings, vintage: int, level: str) -> dict | str:
    """A level's map shapes for a figure: the URL the browser fetches them from (once, then from its
    cache) when the server hands out static files, else the GeoJSON itself to send inside the figure."""
    from geo.mapassets import map_geojson, publish_geojson

    if st.get_option("server.enableStaticServing"):
        try:
            return f"{STATIC_URL}/{publish_geojson(cfg.cache_dir, vintage, level, STATIC_DIR)}"
        except OSError:  # a read-only install: send the shapes inside the figure instead
            pass
    return map_geojson(cfg.cache_dir, vintage, level)


def inequality(cfg: Settings, selection: Selection) -> pd.DataFrame:
    return table(cfg, "equity_summary", selection, measure="referrals")


@st.cache_data(hash_funcs=REFERENCE_HASH, show_spinner=False)
def districts(cfg: Settings, vintage: int, places: tuple[str, ...]) -> dict[str, str]:
    """LAD code -> name of the vintage, limited to the chosen Places."""
    from equity.geography import districts as compute

    return compute(cfg.cache_dir, vintage, places)


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600)
def services(cfg: Settings) -> list[str]:
    """Service names present in the store (for the sidebar filter)."""
    return dashboard.service_names(cfg.store_location)
