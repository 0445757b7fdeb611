"""Where the map writes Place and town names, from the reference cache (no coordinate is typed in).

A Place's name goes at the centre of its extent (the bounding box of its outline). A town's name goes at
the population-weighted centre of the neighbourhoods of its town-centre MSOA: the mean of the LSOA
2021 population-weighted centroids (ONS), weighted by children aged 0-5. The towns are named by the
House of Commons Library MSOA name of their centre, so the position comes from the reference data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.cache import load_areas
from geo.mapassets import outlines

#: town -> the MSOA (House of Commons Library name, MSOA 2021) at its centre. Blackpool and Blackburn are
#: left out: their Place's name already stands there.
TOWN_CENTRES: dict[str, str] = {
    "Preston": "Preston Town Centre",
    "Lancaster": "Lancaster Central",
    "Burnley": "Central Burnley & Daneshouse",
    "Chorley": "Chorley Town & South",
    "Kendal": "Kendal Town & Greenside",
    "Barrow-in-Furness": "Barrow Central",
}
#: positions are geographic, the same under either deprivation vintage: read from the LSOA 2021 areas
_POSITION_VINTAGE = 2025


@dataclass(frozen=True)
class MapLabel:
    text: str
    lon: float
    lat: float
    kind: str  # "place" or "town"
    place: str


@lru_cache(maxsize=4)
def map_labels(cache_dir: Path) -> tuple[MapLabel, ...]:
    """The Place names (at their extents' centres), then the town names (at their centres)."""
    cache_dir = Path(cache_dir)
    extents = outlines(cache_dir, _POSITION_VINTAGE).extents
    labels = [
        MapLabel(place, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, "place", place)
        for place, box in sorted(extents.items())
    ]
    areas = load_areas(cache_dir, _POSITION_VINTAGE)
    for town, msoa in TOWN_CENTRES.items():
        centre = areas[areas["msoa_name"] == msoa]
        weight = centre["population_0_5"].astype(float)
        if centre.empty or weight.sum() <= 0:  # a renamed MSOA: leave the town out rather than guess
            continue
        labels.append(
            MapLabel(
                town,
                float((centre["lon"] * weight).sum() / weight.sum()),
                float((centre["lat"] * weight).sum() / weight.sum()),
                "town",
                str(centre["place"].mode().iloc[0]),
            )
        )
    return tuple(labels)
