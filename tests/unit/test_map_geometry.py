"""Map-ready geometry: rounded, outer rings clockwise, holes anticlockwise, flattened slivers dropped."""

import pytest

from geo.mapshapes import map_geometry

# a unit square anticlockwise (as GeoJSON's RFC 7946 winds outer rings) with an anticlockwise hole
SQUARE_ACW = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
SQUARE_CW = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
HOLE_ACW = [[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75], [0.25, 0.25]]
HOLE_CW = HOLE_ACW[::-1]


def test_outer_ring_is_made_clockwise_and_hole_anticlockwise():
    got = map_geometry({"type": "Polygon", "coordinates": [SQUARE_ACW, HOLE_CW]})
    assert got == {"type": "Polygon", "coordinates": [SQUARE_CW, HOLE_ACW]}


def test_rings_already_wound_are_kept_as_they_are():
    got = map_geometry({"type": "Polygon", "coordinates": [SQUARE_CW, HOLE_ACW]})
    assert got["coordinates"] == [SQUARE_CW, HOLE_ACW]


def test_a_part_flattened_by_rounding_is_dropped():
    # every latitude rounds to 54.0401: no area left (a real case: a sliver of LSOA E01025103)
    sliver = [[-2.84121, 54.04011], [-2.84102, 54.04013], [-2.84134, 54.04008], [-2.84121, 54.04011]]
    got = map_geometry({"type": "MultiPolygon", "coordinates": [[SQUARE_ACW], [sliver]]})
    assert got == {"type": "Polygon", "coordinates": [SQUARE_CW]}


def test_coordinates_are_rounded_to_four_decimals():
    ring = [[0.00001, 0.00002], [0.00001, 1.00004], [1.00003, 1.0], [1.0, 0.0], [0.00001, 0.00002]]
    got = map_geometry({"type": "Polygon", "coordinates": [ring]})
    assert got["coordinates"][0] == [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]


def test_a_geometry_with_no_area_left_is_an_error():
    flat = [[0, 0], [1, 0], [2, 0], [0, 0]]
    with pytest.raises(ValueError, match="no area"):
        map_geometry({"type": "Polygon", "coordinates": [flat]})
