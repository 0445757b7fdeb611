"""Map-ready boundaries: simplified, quantised GeoJSON with only an id per feature."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import mapping

from geo.cache import load_boundaries

#: Simplification tolerance in degrees (about 40 m) and coordinate decimals (about 1 m).
TOLERANCE_DEG = 0.0004
DECIMALS = 4


def _round(coords: object) -> object:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(coords[0]), DECIMALS), round(float(coords[1]), DECIMALS)]
    return [_round(c) for c in coords]  # type: ignore[union-attr]


def to_geojson(shapes: gpd.GeoDataFrame, id_column: str = "code", tolerance: float = TOLERANCE_DEG) -> dict:
    """FeatureCollection with ``id`` = ``id_column``, simplified and rounded; no other properties."""
    simplified = shapes.geometry.simplify(tolerance, preserve_topology=True)
    features = []
    for code, geometry in zip(shapes[id_column], simplified, strict=True):
        geo = mapping(geometry)
        features.append(
            {
                "type": "Feature",
                "id": str(code),
                "properties": {},
                "geometry": {"type": geo["type"], "coordinates": _round(geo["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=16)
def map_geojson(cache_dir: Path, vintage: int, level: str) -> dict:
    """Map-ready GeoJSON of a level, kept beside the cache as JSON so a new server reads it in
    milliseconds instead of simplifying the boundaries again (rebuilt when the boundaries change)."""
    cache_dir = Path(cache_dir)
    source = cache_dir / f"boundaries_{level}_{vintage}.parquet"
    target = cache_dir / f"map_{level}_{vintage}.json"
    if target.is_file() and source.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return json.loads(target.read_text())
    geojson = to_geojson(load_boundaries(cache_dir, vintage, level))
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(geojson, separators=(",", ":")))
    tmp.replace(target)
    return geojson


def outline_lines(shapes: gpd.GeoDataFrame, tolerance: float = 0.001) -> tuple[list[float | None], list[float | None]]:
    """Boundary rings as one lon/lat line list with None separators (for a line trace)."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geometry in shapes.geometry.simplify(tolerance, preserve_topology=True):
        polygons = getattr(geometry, "geoms", [geometry])
        for polygon in polygons:
            x, y = polygon.exterior.coords.xy
            lons += [round(v, DECIMALS) for v in x] + [None]
            lats += [round(v, DECIMALS) for v in y] + [None]
    return lons, lats


def bounds_of(shapes: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = shapes.total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def fit_view(
    bounds: tuple[float, float, float, float], width_px: int = 800, height_px: int = 600
) -> tuple[dict, float]:
    """Centre and zoom that fit ``bounds`` (lon/lat) in a web-mercator map of the given size."""
    minx, miny, maxx, maxy = bounds
    centre = {"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2}

    def merc(lat: float) -> float:
        return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))

    lon_span = max(maxx - minx, 1e-4)
    lat_span = max(merc(maxy) - merc(miny), 1e-6)
    zoom_x = np.log2(width_px * 360 / (512 * lon_span))
    zoom_y = np.log2(height_px * 2 * np.pi / (512 * lat_span))
    return centre, float(min(zoom_x, zoom_y) - 0.15)
