"""Read the built reference cache (areas, boundaries, change links)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.manifest import cache_is_current
from geo.vintages import VINTAGES

if TYPE_CHECKING:
    import geopandas as gpd

LEVELS: tuple[str, ...] = ("lsoa", "msoa", "lad", "place")


class CacheMissingError(Exception):
    """The reference cache has not been built (or is from an older build)."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__(
            f"the reference cache in {cache_dir} is missing or out of date; run `python -m equity build-reference`"
        )


def _check(cache_dir: Path) -> None:
    if not cache_is_current(cache_dir):
        raise CacheMissingError(cache_dir)


@lru_cache(maxsize=8)
def _areas(cache_dir: Path, vintage: int) -> pd.DataFrame:
    _check(cache_dir)
    return pd.read_parquet(cache_dir / f"areas_{vintage}.parquet")


def load_areas(cache_dir: Path, vintage: int, definition: str = "icb") -> pd.DataFrame:
    """Area (LSOA) table of a vintage. ``definition`` is 'icb' (default) or '16_lads'."""
    if vintage not in VINTAGES:
        raise ValueError(f"vintage must be one of {', '.join(map(str, VINTAGES))}, got {vintage}")
    areas = _areas(Path(cache_dir), vintage)
    if definition == "icb":
        return areas[areas["in_lsc_icb"]].reset_index(drop=True)
    if definition == "16_lads":
        return areas[areas["in_lsc_16_lads"]].reset_index(drop=True)
    raise ValueError(f"definition must be 'icb' or '16_lads', got {definition!r}")


@lru_cache(maxsize=16)
def load_boundaries(cache_dir: Path, vintage: int, level: str) -> gpd.GeoDataFrame:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    _check(Path(cache_dir))
    import geopandas as gpd  # here, not at the top: drawing a map needs no GeoPandas

    return gpd.read_parquet(Path(cache_dir) / f"boundaries_{level}_{vintage}.parquet")


@lru_cache(maxsize=2)
def load_change_links(cache_dir: Path) -> pd.DataFrame:
    _check(Path(cache_dir))
    return pd.read_parquet(Path(cache_dir) / "lsoa11_to_lsoa21.parquet")
