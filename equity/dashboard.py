"""What each page shows, as pure functions of (settings, selection): pages only render these."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from equity import metrics
from equity.queries import counts_by_lsoa, open_store
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


def store_info(store_path: Path) -> StoreInfo:
    from data.store import read_meta

    meta = read_meta(store_path)
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


def _store_state(path: Path) -> tuple:
    """Modification time and size of the store file and of its write-ahead log (where DuckDB puts
    committed writes until it checkpoints them into the file)."""
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
    key = (settings.store_path, _store_state(settings.store_path), settings.cache_dir, selection)
    with _FRAMES_LOCK:
        if key in _FRAMES:
            _FRAMES.move_to_end(key)
            return _FRAMES[key].copy()
    areas = load_areas(settings.cache_dir, selection.vintage, selection.definition)
    if selection.lads:
        check_districts(selection, dict(zip(areas["lad_code"], areas["place"], strict=True)), selection.lads)
    con = open_store(settings.store_path)
    try:
        counts = counts_by_lsoa(con, selection)
    finally:
        con.close()
    frame = metrics.area_frame(areas, counts, selection)
    with _FRAMES_LOCK:
        _FRAMES[key] = frame
        while len(_FRAMES) > FRAMES_KEPT:
            _FRAMES.popitem(last=False)
    return frame.copy()


def service_names(store_path: Path) -> list[str]:
    """Distinct service names recorded in the store, sorted."""
    con = open_store(store_path)
    try:
        rows = con.execute("SELECT DISTINCT service FROM referrals WHERE service IS NOT NULL ORDER BY 1").fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]
