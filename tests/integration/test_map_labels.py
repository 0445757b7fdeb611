"""Place and town names on the map: positions from the reference cache, drawn as text traces."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from equity.selection import Selection
from geo.cache import load_areas, load_boundaries
from geo.mapassets import outlines
from geo.maplabels import TOWN_CENTRES, map_labels
from publish.mapview import explorer_map

PLACES = ("Blackburn with Darwen", "Blackpool", "Lancashire", "South Cumbria")


def _texts(fig) -> dict[str, tuple[float, float]]:
    out = {}
    for trace in fig.data:
        if trace.type == "scattergeo" and trace.mode and "text" in trace.mode:
            for text, lon, lat in zip(trace.text, trace.lon, trace.lat, strict=True):
                out[text.replace("<b>", "").replace("</b>", "")] = (lon, lat)
    return out


def test_place_names_sit_at_their_extents_centres(settings):
    extents = outlines(settings.cache_dir, 2025).extents
    places = {lab.text: lab for lab in map_labels(settings.cache_dir) if lab.kind == "place"}
    assert sorted(places) == sorted(PLACES)
    for name, lab in places.items():
        minx, miny, maxx, maxy = extents[name]
        assert (lab.lon, lab.lat) == pytest.approx(((minx + maxx) / 2, (miny + maxy) / 2))


def test_town_names_sit_in_their_town_centre_msoa(settings):
    areas = load_areas(settings.cache_dir, 2025)
    msoas = load_boundaries(settings.cache_dir, 2025, "msoa")
    towns = {lab.text: lab for lab in map_labels(settings.cache_dir) if lab.kind == "town"}
    assert sorted(towns) == sorted(TOWN_CENTRES)  # every town centre MSOA is in the reference data
    for town, lab in towns.items():
        centre = areas[areas["msoa_name"] == TOWN_CENTRES[town]]
        weights = centre["population_0_5"]
        assert lab.lon == pytest.approx((centre["lon"] * weights).sum() / weights.sum())
        assert lab.place == centre["place"].iloc[0]
        # the weighted centre of the MSOA's neighbourhoods lies within (or at the edge of) that MSOA
        shape = msoas.loc[msoas["code"] == centre["msoa_code"].iloc[0]].geometry.iloc[0]
        assert shape.buffer(0.01).contains(Point(lab.lon, lab.lat)), town


def test_explorer_map_writes_the_names_of_the_places_in_view(settings, demo_store):
    common = dict(metric_key="referral_rate", level="lsoa", highlight=False, source="Source: test")
    whole = _texts(explorer_map(settings, Selection(), **common))
    assert set(PLACES) | set(TOWN_CENTRES) == set(whole)
    south_cumbria = _texts(explorer_map(settings, Selection(places=("South Cumbria",)), **common))
    assert set(south_cumbria) == {"South Cumbria", "Kendal", "Barrow-in-Furness"}
    fig = explorer_map(settings, Selection(), **common)
    labels = [t for t in fig.data if t.type == "scattergeo" and t.mode and "text" in t.mode]
    assert all(t.hoverinfo == "skip" and t.showlegend is False for t in labels)
    assert fig.data[0].locations is None  # still drawn offline: a lon/lat trace first
