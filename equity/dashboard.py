"""What each page shows, as pure functions of (settings, selection): pages only render these."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data.location import StoreLocation
from equity import metrics
from equity.queries import counts_by_lsoa, distinct_values, reading
from equity.scope import check_districts
from equity.selection import Selection
from equity.settings import Settings
from geo.cache import load_areas


@dataclass(frozen=True)
class StoreInfo:
    kind: str
    description: str
    referrals: int
    first_referral_date: str
    data_date: str


def store_info(store: StoreLocation | Path) -> StoreInfo:
    """What the store holds (``Settings.store_location``, or a DuckDB path), read through the query layer."""
    from data.engine import store_meta

    meta = store_meta(store)
    return StoreInfo(
        kind=meta.get("kind", "unknown"),
        description=meta.get("description", ""),
        referrals=int(meta.get("referrals", 0)),
        first_referral_date=meta.get("first_referral_date", ""),
        data_date=meta.get("data_date", ""),
    )


#: Recent LSOA frames of this process, so the several figures of one page (and the pages after it)
#: share one query per selection. Keyed by the store file's state, so any write to the store misses.
_FRAMES: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_FRAMES_LOCK = threading.Lock()
FRAMES_KEPT = 32


def forget_frames() -> None:
    """Drop the kept LSOA frames (benchmarks time a filter change from an empty memo)."""
    with _FRAMES_LOCK:
        _FRAMES.clear()


#: How long (seconds) a kept LSOA frame of a server store or source is trusted: a write by another
#: process leaves no file to watch, so the frame is recomputed at least this often.
SERVER_FRAME_SECONDS = 60


def store_state(store: StoreLocation | Path) -> tuple:
    """Modification time and size of the store file and of its write-ahead log (where DuckDB puts
    committed writes until it checkpoints them into the file); for a server store or a Spark or
    Databricks source, the current :data:`SERVER_FRAME_SECONDS` interval."""
    if isinstance(store, StoreLocation) and store.kind != "duckdb":
        import time

        return (store.describe(), int(time.time() // SERVER_FRAME_SECONDS))
    path = store.path if isinstance(store, StoreLocation) and store.path is not None else Path(str(store))
    state: list[tuple[int, int] | None] = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            stat = file.stat()
            state.append((stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            state.append(None)
    return tuple(state)


def lsoa_frame(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Exact counts per LSOA of the selection (never shown directly). Each call returns its own copy."""
    selection = selection.with_(benchmark=Selection().benchmark)  # the counts do not depend on the benchmark
    store = settings.store_location
    key = (store, store_state(store), settings.cache_dir, selection)
    with _FRAMES_LOCK:
        if key in _FRAMES:
            _FRAMES.move_to_end(key)
            return _FRAMES[key].copy()
    areas = load_areas(settings.cache_dir, selection.vintage, selection.definition)
    if selection.lads:
        check_districts(selection, dict(zip(areas["lad_code"], areas["place"], strict=True)), selection.lads)
    with reading(store) as referrals:
        counts = counts_by_lsoa(referrals, selection)
    frame = metrics.area_frame(areas, counts, selection)
    with _FRAMES_LOCK:
        _FRAMES[key] = frame
        while len(_FRAMES) > FRAMES_KEPT:
            _FRAMES.popitem(last=False)
    return frame.copy()


def service_names(store: StoreLocation | Path) -> list[str]:
    """Distinct service names recorded in the store, sorted."""
    with reading(store) as referrals:
        return [str(name) for name in distinct_values(referrals, "service")]
