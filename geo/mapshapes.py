"""Build the map assets from the boundaries (GeoPandas): simplified, quantised GeoJSON with only an id per
feature, and outline lines and extents. ``geo.mapassets`` reads them back without GeoPandas."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
from shapely.geometry import mapping

from geo.cache import load_areas, load_boundaries
from geo.mappaths import geojson_path, outlines_path

#: Simplification tolerance in degrees (about 40 m) and coordinate decimals (about 1 m).
TOLERANCE_DEG = 0.0004
#: Simplification of the district and Place outlines drawn over the areas (about 100 m).
OUTLINE_TOLERANCE_DEG = 0.001
DECIMALS = 4


def _round(coords: object) -> list:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(coords[0]), DECIMALS), round(float(coords[1]), DECIMALS)]
    return [_round(c) for c in coords]  # type: ignore[attr-defined]


def _ring_area(ring: list) -> float:
    """Shoelace area in square degrees: positive when the ring runs anticlockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def _wound(rings: list) -> list:
    """One polygon's rings with the outer ring clockwise and the holes anticlockwise, dropping rings that
    rounding flattened to no area (slivers too thin to see); no rings when the outer ring is flat."""
    if not rings or _ring_area(rings[0]) == 0:
        return []
    out = []
    for k, ring in enumerate(rings):
        area = _ring_area(ring)
        if area != 0:
            out.append(ring[::-1] if (area > 0) == (k == 0) else ring)
    return out


def map_geometry(geometry: dict) -> dict:
    """A (Multi)Polygon GeoJSON geometry ready for the map: rounded to ``DECIMALS``, each outer ring
    clockwise and each hole anticlockwise, as the map's spherical drawing needs (``charts.maps``: an
    anticlockwise outer ring would enclose the rest of the world), and parts flattened by rounding
    dropped."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    parts = [p for p in (_wound(_round(rings)) for rings in polygons) if p]
    if not parts:
        raise ValueError("the geometry has no area left after rounding")
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def to_geojson(shapes: gpd.GeoDataFrame, id_column: str = "code", tolerance: float = TOLERANCE_DEG) -> dict:
    """FeatureCollection with ``id`` = ``id_column``, simplified and made map-ready (``map_geometry``);
    no other properties."""
    simplified = shapes.geometry.simplify(tolerance, preserve_topology=True)
    features = []
    for code, geometry in zip(shapes[id_column], simplified, strict=True):
        try:
            geo = map_geometry(dict(mapping(geometry)))
        except ValueError as exc:
            raise ValueError(f"{id_column} {code}: {exc}") from None
        features.append({"type": "Feature", "id": str(code), "properties": {}, "geometry": geo})
    return {"type": "FeatureCollection", "features": features}


def _write_json(target: Path, content: object) -> None:
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(content, separators=(",", ":")))
    tmp.replace(target)


def write_geojson(cache_dir: Path, vintage: int, level: str) -> Path:
    """Write a level's map-ready GeoJSON beside the cache (read back by ``geo.mapassets``)."""
    target = geojson_path(cache_dir, vintage, level)
    _write_json(target, to_geojson(load_boundaries(cache_dir, vintage, level)))
    return target


def write_outlines(cache_dir: Path, vintage: int, tolerance: float = OUTLINE_TOLERANCE_DEG) -> Path:
    """Write each district's outline (with the Places its neighbourhoods are in), each Place's outline
    and each Place's extent beside the cache."""
    districts = load_boundaries(cache_dir, vintage, "lad")
    places = load_boundaries(cache_dir, vintage, "place")
    areas = load_areas(cache_dir, vintage)
    places_of = areas.groupby("lad_code")["place"].agg(lambda s: sorted(set(s))).to_dict()
    content: dict = {"districts": {}, "places": {}, "extents": {}}
    for code, shape in districts.groupby("code", sort=True):
        lons, lats = outline_lines(shape, tolerance)
        content["districts"][str(code)] = {"lons": lons, "lats": lats, "places": places_of.get(code, [])}
    for code, shape in places.groupby("code", sort=True):
        lons, lats = outline_lines(shape, tolerance)
        content["places"][str(code)] = {"lons": lons, "lats": lats}
        content["extents"][str(code)] = list(bounds_of(shape))
    target = outlines_path(cache_dir, vintage)
    _write_json(target, content)
    return target


def outline_lines(
    shapes: gpd.GeoDataFrame, tolerance: float = OUTLINE_TOLERANCE_DEG
) -> tuple[list[float | None], list[float | None]]:
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
