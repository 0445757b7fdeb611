"""Map assets: outlines and extents written with the cache, the GeoJSON published for browsers, and
the explorer map naming its shapes by URL instead of carrying them."""

from __future__ import annotations

import json
import shutil
from itertools import pairwise

import plotly.graph_objects as go
import pytest

from charts.maps import lines_first, map_layout
from equity.selection import Selection
from geo.cache import load_boundaries
from geo.mapassets import Outlines, map_geojson, outlines, publish_geojson
from geo.mappaths import geojson_path
from publish.mapview import explorer_map


def test_extents_are_the_place_boundaries_bounds(settings):
    # independent of the asset code: GeoPandas' own bounds of each Place boundary
    places = load_boundaries(settings.cache_dir, 2025, "place")
    lines = outlines(settings.cache_dir, 2025)
    assert sorted(lines.extents) == sorted(places["code"])
    for code, geometry in zip(places["code"], places.geometry, strict=True):
        assert lines.extents[code] == pytest.approx(geometry.bounds, abs=1e-9)


def test_place_outlines_lie_on_their_place(settings):
    lines = outlines(settings.cache_dir, 2025)
    for code, (lons, lats) in lines.places.items():
        minx, miny, maxx, maxy = lines.extents[code]
        xs = [x for x in lons if x is not None]
        ys = [y for y in lats if y is not None]
        assert len(xs) == len(ys) > 10 and lons[-1] is None  # rings end with a break
        # simplified (about 100 m) and rounded to 4 decimals: within 0.002 degrees of the true extent
        assert min(xs) == pytest.approx(minx, abs=2e-3) and max(xs) == pytest.approx(maxx, abs=2e-3)
        assert min(ys) == pytest.approx(miny, abs=2e-3) and max(ys) == pytest.approx(maxy, abs=2e-3)
    districts_x = [x for x in lines.district_lines([])[0] if x is not None]
    assert len(districts_x) > sum(len(v[0]) for v in lines.places.values()) / 2  # 18 districts, more rings


def test_district_outlines_are_those_of_the_chosen_places(settings):
    # independent of the asset code: GeoPandas' own bounds of the district boundaries
    districts = load_boundaries(settings.cache_dir, 2025, "lad").set_index("code")
    lines = outlines(settings.cache_dir, 2025)
    assert len(lines.districts) == len(districts) == 18
    blackpool = [v for v in lines.district_lines(["Blackpool"])[0] if v is not None]
    assert min(blackpool) == pytest.approx(districts.loc["E06000009"].geometry.bounds[0], abs=2e-3)
    assert max(blackpool) == pytest.approx(districts.loc["E06000009"].geometry.bounds[2], abs=2e-3)
    assert lines.district_places["E06000009"] == ("Blackpool",)
    cumbria = {code for code, places in lines.district_places.items() if "South Cumbria" in places}
    assert cumbria and len(lines.district_lines(["South Cumbria"])[0]) == sum(
        len(lines.districts[c][0]) for c in cumbria
    )


def test_place_lines_and_extent_combine_places():
    lines = Outlines(
        districts={"D1": ([0.5, None], [0.5, None]), "D2": ([5.5, None], [5.5, None])},
        district_places={"D1": ("A",), "D2": ("A", "B")},
        places={"A": ([0.0, 1.0, None], [0.0, 1.0, None]), "B": ([5.0, 6.0, None], [5.0, 6.0, None])},
        extents={"A": (0.0, 0.0, 1.0, 1.0), "B": (5.0, -2.0, 6.0, 6.0)},
    )
    assert lines.place_lines(["B", "A"]) == ([5.0, 6.0, None, 0.0, 1.0, None], [5.0, 6.0, None, 0.0, 1.0, None])
    assert lines.extent(["A"]) == (0.0, 0.0, 1.0, 1.0)
    assert lines.extent(["A", "B"]) == (0.0, -2.0, 6.0, 6.0)
    assert lines.extent([]) == (0.0, -2.0, 6.0, 6.0)  # none chosen: all Places
    assert lines.district_lines(["B"]) == ([5.5, None], [5.5, None])  # D2 has neighbourhoods in A and B
    assert lines.district_lines(["A"]) == lines.district_lines([]) == ([0.5, None, 5.5, None], [0.5, None, 5.5, None])


def test_map_layout_shows_the_bounds_with_a_margin():
    # 2% of each side's span: 1.2 degrees of longitude -> 0.024, 0.9 degrees of latitude -> 0.018
    layout = map_layout((-3.2, 53.6, -2.0, 54.5))
    assert layout["lonaxis_range"] == pytest.approx([-3.224, -1.976])
    assert layout["lataxis_range"] == pytest.approx([53.582, 54.518])
    assert layout["projection_type"] == "mercator" and layout["visible"] is False  # no base map to fetch


def _signed_area(ring: list) -> float:
    """Shoelace formula: positive when the ring runs anticlockwise (x east, y north)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


@pytest.mark.parametrize("vintage", [2025, 2019])
@pytest.mark.parametrize("level", ["lsoa", "msoa", "lad", "place"])
def test_map_outer_rings_run_clockwise(settings, vintage, level):
    # the map is drawn on the sphere (d3), where an anticlockwise outer ring encloses the rest of the world
    outer, holes = [], []
    for feature in map_geojson(settings.cache_dir, vintage, level)["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for rings in polygons:
            outer.append(_signed_area(rings[0]))
            holes += [_signed_area(r) for r in rings[1:]]
    assert outer and all(a < 0 for a in outer)
    assert all(a > 0 for a in holes)


def test_area_traces_come_after_a_plain_lon_lat_trace():
    # plotly.js fetches world outlines from cdn.plot.ly when a map's first trace names locations
    areas = go.Choropleth(geojson="x.json", locations=["A"], z=[1])
    fig = lines_first(go.Figure([areas, go.Scattergeo(lon=[0, 1], lat=[0, 1], name="outline")]))
    assert [t.type for t in fig.data] == ["scattergeo", "choropleth"] and fig.data[0].name == "outline"
    alone = lines_first(go.Figure([areas]))
    assert [t.type for t in alone.data] == ["scattergeo", "choropleth"] and alone.data[0].showlegend is False


def test_explorer_map_fits_the_chosen_place(settings, demo_store):
    common = dict(metric_key="access_ratio", level="lsoa", highlight=False, source="Source: test")
    fig = explorer_map(settings, Selection(places=("Blackpool",)), **common)
    minx, miny, maxx, maxy = outlines(settings.cache_dir, 2025).extent(["Blackpool"])
    lon, lat = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    assert lon[0] < minx < maxx < lon[1] and lat[0] < miny < maxy < lat[1]
    assert lon[1] - lon[0] < 0.2  # Blackpool only, not the ICB (about 1.5 degrees wide)
    assert fig.data[0].locations is None and sum(len(t.locations) for t in fig.data if t.type == "choropleth") == 94


def test_assets_are_written_into_a_new_cache(settings, tmp_path):
    for name in ("manifest.json", "boundaries_lad_2025.parquet", "boundaries_place_2025.parquet", "areas_2025.parquet"):
        shutil.copy2(settings.cache_dir / name, tmp_path / name)
    written = outlines(tmp_path, 2025)
    assert (tmp_path / "outlines_2025.json").is_file()
    assert written == outlines(settings.cache_dir, 2025)


def test_published_geojson_is_named_by_content(settings, tmp_path):
    name = publish_geojson(settings.cache_dir, 2025, "lsoa", tmp_path)
    assert name.startswith("geo/map_lsoa_2025_") and name.endswith(".json")
    published = tmp_path / name
    assert published.read_bytes() == geojson_path(settings.cache_dir, 2025, "lsoa").read_bytes()
    assert publish_geojson(settings.cache_dir, 2025, "lsoa", tmp_path) == name  # same content, same file
    other = publish_geojson(settings.cache_dir, 2019, "lsoa", tmp_path)
    assert other != name and len(list((tmp_path / "geo").iterdir())) == 2
    features = json.loads(published.read_text())["features"]
    assert len(features) == 1060 and all(set(f) == {"type", "id", "properties", "geometry"} for f in features)


def test_map_names_its_shapes_by_url(settings, demo_store):
    url = "app/static/geo/map_lsoa_2025_test.json"
    common = dict(metric_key="access_ratio", level="lsoa", highlight=True, source="Source: test")
    by_url = explorer_map(settings, Selection(), geometry_url=url, **common)
    inline = explorer_map(settings, Selection(), **common)
    maps = [t for t in by_url.data if t.type == "choropleth"]
    assert maps and all(t.geojson == url for t in maps)
    assert sum(len(t.locations) for t in maps) == 1060
    # the same areas, colours and hover as the figure that carries the shapes
    inline_maps = [t for t in inline.data if t.type == "choropleth"]
    assert [list(t.locations) for t in maps] == [list(t.locations) for t in inline_maps]
    carried = {f["id"] for t in inline_maps for f in t.geojson["features"]}
    assert carried == {f["id"] for f in map_geojson(settings.cache_dir, 2025, "lsoa")["features"]}
    assert len(by_url.to_json()) < len(inline.to_json()) / 2
