"""Where the map assets live in the cache: written by ``geo.mapshapes``, read by ``geo.mapassets``."""

from __future__ import annotations

from pathlib import Path


def geojson_path(cache_dir: Path, vintage: int, level: str) -> Path:
    return Path(cache_dir) / f"map_{level}_{vintage}.json"


def outlines_path(cache_dir: Path, vintage: int) -> Path:
    return Path(cache_dir) / f"outlines_{vintage}.json"


def boundaries_path(cache_dir: Path, vintage: int, level: str) -> Path:
    return Path(cache_dir) / f"boundaries_{level}_{vintage}.parquet"
