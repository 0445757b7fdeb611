"""Map assets read while drawing: map-ready GeoJSON, boundary outlines and Place extents.

They are written once beside the reference cache (by ``geo.mapshapes``, during the build) so that
drawing a map reads small JSON files and never opens the boundary GeoParquet or imports GeoPandas.
A stale or missing asset (older than its boundaries) is rebuilt on first use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.mappaths import boundaries_path as _boundaries
from geo.mappaths import geojson_path, outlines_path

Bounds = tuple[float, float, float, float]
Lines = tuple[list[float | None], list[float | None]]


def _is_current(target: Path, *sources: Path) -> bool:
    return target.is_file() and all(s.is_file() and target.stat().st_mtime >= s.stat().st_mtime for s in sources)


def geojson_file(cache_dir: Path, vintage: int, level: str) -> Path:
    """The map-ready GeoJSON file of a level, written first if missing or older than its boundaries."""
    target = geojson_path(cache_dir, vintage, level)
    if not _is_current(target, _boundaries(cache_dir, vintage, level)):
        from geo.mapshapes import write_geojson

        write_geojson(Path(cache_dir), vintage, level)
    return target


@lru_cache(maxsize=16)
def map_geojson(cache_dir: Path, vintage: int, level: str) -> dict:
    """Map-ready GeoJSON of a level: simplified, rounded, an ``id`` per feature and nothing else."""
    return json.loads(geojson_file(Path(cache_dir), vintage, level).read_text())


def _joined(parts: list[Lines]) -> Lines:
    lons: list[float | None] = []
    lats: list[float | None] = []
    for part_lons, part_lats in parts:
        lons += part_lons
        lats += part_lats
    return lons, lats


@dataclass(frozen=True)
class Outlines:
    """Each district's outline and the Places its neighbourhoods are in, each Place's outline and each
    Place's extent, for one vintage."""

    districts: dict[str, Lines]
    district_places: dict[str, tuple[str, ...]]
    places: dict[str, Lines]
    extents: dict[str, Bounds]

    def place_lines(self, codes: list[str] | tuple[str, ...]) -> Lines:
        """One line list (None between rings) for the given Places, in the order given."""
        return _joined([self.places[code] for code in codes])

    def district_lines(self, places: list[str] | tuple[str, ...]) -> Lines:
        """One line list for the districts with neighbourhoods in any of the given Places (all districts
        when none are given), in district code order."""
        return _joined(
            [
                lines
                for code, lines in sorted(self.districts.items())
                if not places or set(self.district_places[code]) & set(places)
            ]
        )

    def extent(self, codes: list[str] | tuple[str, ...]) -> Bounds:
        """The bounding box (lon/lat) of the given Places; of all Places when none are given."""
        boxes = [self.extents[c] for c in (codes or list(self.extents))]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


@lru_cache(maxsize=4)
def outlines(cache_dir: Path, vintage: int) -> Outlines:
    """District and Place outlines of a vintage, written first if missing or older than the boundaries or
    the areas (which place each district)."""
    cache_dir = Path(cache_dir)
    target = outlines_path(cache_dir, vintage)
    sources = (
        _boundaries(cache_dir, vintage, "lad"),
        _boundaries(cache_dir, vintage, "place"),
        cache_dir / f"areas_{vintage}.parquet",
    )
    if not _is_current(target, *sources):
        from geo.mapshapes import write_outlines

        write_outlines(cache_dir, vintage)
    raw = json.loads(target.read_text())
    return Outlines(
        districts={code: (v["lons"], v["lats"]) for code, v in raw["districts"].items()},
        district_places={code: tuple(v["places"]) for code, v in raw["districts"].items()},
        places={code: (v["lons"], v["lats"]) for code, v in raw["places"].items()},
        extents={code: tuple(v) for code, v in raw["extents"].items()},
    )


def publish_geojson(cache_dir: Path, vintage: int, level: str, static_dir: Path) -> str:
    """Copy a level's map GeoJSON into ``static_dir`` (served to browsers, which then cache it) under a
    name carrying its content hash, so a rebuilt cache never meets a stale browser copy. Returns the
    file's path relative to ``static_dir``."""
    source = geojson_file(Path(cache_dir), vintage, level)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    name = f"geo/map_{level}_{vintage}_{digest}.json"
    target = Path(static_dir) / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")  # one per process: servers may race
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    return name
