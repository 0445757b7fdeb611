"""Reach: straight-line distance from each neighbourhood to the nearest service site.

Distances are **straight-line** (Euclidean) distances in metres on the British National Grid
(EPSG:27700), from each neighbourhood's ONS population-weighted centroid (``easting``,
``northing`` of the area table) to the site's postcode grid reference (ONS Postcode Directory).
They are not travel distances or times: rivers, estuaries (Morecambe Bay), hills and public
transport are ignored. The nearest site is found with :class:`scipy.spatial.cKDTree`.

* :func:`coverage` — share of children aged 0-5 (and of Core20 children) living in neighbourhoods
  whose centroid lies within 1, 2, 5 and 10 km (inclusive) of a site of a type. Populations are
  ONS estimates (public), so they are shown unrounded.
* :func:`access_by_band` — people accessing (at least one attended contact) per 1,000 aged 0-5 by
  distance band, with Byar / exact Poisson intervals, disclosure-controlled (a band is a group
  below ICB level).
* :func:`farthest_core20` — Core20 neighbourhoods farthest from a specialist or Family Hub site.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.settings import PLACES
from equity.sites import SITE_TYPES, SPECIALIST_OR_HUB

THRESHOLDS_KM: tuple[float, ...] = (1, 2, 5, 10)
BAND_EDGES_KM: tuple[float, ...] = (0, 1, 2, 5, 10)
BANDS: tuple[str, ...] = ("0-1 km", "1-2 km", "2-5 km", "5-10 km", "10 km or more")
DISTANCE_NOTE = (
    "Distances are straight-line (as the crow flies) from each neighbourhood's population-weighted centroid to "
    "the site's postcode, on the British National Grid; they are not travel distances or times."
)


class ReachError(ValueError):
    """Reach cannot be computed as asked (e.g. no sites of the chosen type)."""


def nearest(points_xy: np.ndarray, sites_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance (metres) from each point to the nearest site, and that site's row index.

    Both arrays are (n, 2) easting/northing in metres (BNG). Raises :class:`ReachError` when there
    are no sites or a coordinate is not finite."""
    points = np.asarray(points_xy, dtype="float64").reshape(-1, 2)
    sites = np.asarray(sites_xy, dtype="float64").reshape(-1, 2)
    if len(sites) == 0:
        raise ReachError("there are no sites to measure distances to")
    if not np.isfinite(points).all() or not np.isfinite(sites).all():
        raise ReachError("every neighbourhood centroid and site needs an easting and northing")
    from scipy.spatial import cKDTree  # imported when needed: scipy.spatial is slow to import

    distance, index = cKDTree(sites).query(points, k=1)
    return np.asarray(distance, dtype="float64"), np.asarray(index, dtype="int64")


def _check_types(site_types: tuple[str, ...]) -> None:
    unknown = [t for t in site_types if t not in SITE_TYPES]
    if unknown:
        raise ReachError(f"unknown site type(s) {', '.join(unknown)}; choose from {', '.join(SITE_TYPES)}")


def nearest_site(areas: pd.DataFrame, sites: pd.DataFrame, site_types: tuple[str, ...]) -> pd.DataFrame:
    """One row per area: distance to the nearest site of any of ``site_types`` and that site.

    Columns added to the area's ``lsoa_code``: ``distance_m``, ``distance_km``, ``site_key``,
    ``site_name``, ``site_type``, ``site_postcode``. :class:`ReachError` when there is no such site."""
    _check_types(site_types)
    chosen = sites[sites["site_type"].isin(site_types)].reset_index(drop=True)
    if chosen.empty:
        labels = " or ".join(SITE_TYPES[t] for t in site_types)
        raise ReachError(f"there are no sites of type {labels} yet: add them on the Reach page or from a CSV")
    distance, index = nearest(areas[["easting", "northing"]].to_numpy(), chosen[["easting", "northing"]].to_numpy())
    return pd.DataFrame(
        {
            "lsoa_code": areas["lsoa_code"].to_numpy(),
            "distance_m": distance,
            "distance_km": distance / 1000,
            "site_key": chosen["site_key"].to_numpy()[index],
            "site_name": chosen["name"].to_numpy()[index],
            "site_type": chosen["site_type"].to_numpy()[index],
            "site_postcode": chosen["postcode"].to_numpy()[index],
        }
    )


def distance_band(distance_m: np.ndarray | pd.Series) -> pd.Categorical:
    """Band of each distance: 0-1 km is [0, 1000] m, 1-2 km (1000, 2000], ..., 10 km or more > 10,000 m."""
    edges = [-np.inf, *(1000 * e for e in BAND_EDGES_KM[1:]), np.inf]
    return pd.cut(np.asarray(distance_m, dtype="float64"), bins=edges, labels=list(BANDS), right=True)


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The weighted median (lower median: the smallest value whose cumulative weight reaches half)."""
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    keep = weights > 0
    if not keep.any():
        return float("nan")
    order = np.argsort(values[keep], kind="stable")
    v, w = values[keep][order], weights[keep][order]
    cumulative = np.cumsum(w)
    return float(v[np.searchsorted(cumulative, cumulative[-1] / 2)])


def _coverage_row(frame: pd.DataFrame, label: str, thresholds: tuple[float, ...]) -> dict[str, object]:
    children = frame["population_0_5"].to_numpy(dtype="float64")
    core20 = np.where(frame["core20"].to_numpy(dtype=bool), children, 0.0)
    distance = frame["distance_m"].to_numpy(dtype="float64")
    row: dict[str, object] = {
        "area": label,
        "neighbourhoods": len(frame),
        "children_0_5": float(children.sum()),
        "core20_children_0_5": float(core20.sum()),
        "median_distance_km": weighted_median(distance, children) / 1000,
        "core20_median_distance_km": weighted_median(distance, core20) / 1000 if core20.sum() else float("nan"),
    }
    for km in thresholds:
        within = distance <= km * 1000
        tag = f"{km:g}km"
        row[f"children_within_{tag}"] = float(children[within].sum())
        row[f"share_within_{tag}"] = children[within].sum() / children.sum() if children.sum() else np.nan
        row[f"core20_children_within_{tag}"] = float(core20[within].sum())
        row[f"core20_share_within_{tag}"] = core20[within].sum() / core20.sum() if core20.sum() else np.nan
    return row


def coverage(
    areas: pd.DataFrame, nearest_frame: pd.DataFrame, *, thresholds: tuple[float, ...] = THRESHOLDS_KM,
    total_label: str = "L&SC ICB",
) -> pd.DataFrame:
    """Coverage table: a total row then one row per Place present in ``areas``.

    For each threshold ``k`` (km): children aged 0-5 living in neighbourhoods whose centroid is
    within ``k`` km (distance <= k km) of the nearest site, and their share; the same for children
    in Core20 neighbourhoods; and the population-weighted median distance."""
    frame = areas[["lsoa_code", "place", "core20", "population_0_5"]].merge(
        nearest_frame[["lsoa_code", "distance_m"]], on="lsoa_code", how="inner", validate="one_to_one"
    )
    rows = [_coverage_row(frame, total_label, thresholds)]
    for place in PLACES:
        part = frame[frame["place"] == place]
        if len(part):
            rows.append(_coverage_row(part, place, thresholds))
    return pd.DataFrame(rows)


def coverage_for_type(
    areas: pd.DataFrame, sites: pd.DataFrame, site_type: str, *, total_label: str = "L&SC ICB"
) -> pd.DataFrame:
    """:func:`coverage` for the sites of one type, with the site type and number of sites as columns."""
    near = nearest_site(areas, sites, (site_type,))
    table = coverage(areas, near, total_label=total_label)
    table.insert(0, "site_type", site_type)
    table.insert(1, "sites", int((sites["site_type"] == site_type).sum()))
    return table


def coverage_all_types(areas: pd.DataFrame, sites: pd.DataFrame, *, total_label: str = "L&SC ICB") -> pd.DataFrame:
    """The total row of :func:`coverage` for every site type that has sites (one row per type)."""
    rows = []
    for site_type in SITE_TYPES:
        if (sites["site_type"] == site_type).any():
            rows.append(coverage_for_type(areas, sites, site_type, total_label=total_label).iloc[[0]])
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def access_by_band_exact(frame: pd.DataFrame, nearest_frame: pd.DataFrame) -> pd.DataFrame:
    """Exact people accessing and children 0-5 by distance band (every band listed). ``frame`` is the
    per-LSOA counts frame (``lsoa_code``, ``people_accessing``, ``referrals``, ``denominator``)."""
    merged = frame[["lsoa_code", "people_accessing", "referrals", "denominator", "core20"]].merge(
        nearest_frame[["lsoa_code", "distance_m"]], on="lsoa_code", how="inner", validate="one_to_one"
    )
    merged["band"] = distance_band(merged["distance_m"])
    sums = merged.groupby("band", observed=False).agg(
        neighbourhoods=("lsoa_code", "size"),
        core20_neighbourhoods=("core20", "sum"),
        referrals=("referrals", "sum"),
        people_accessing=("people_accessing", "sum"),
        denominator=("denominator", "sum"),
    )
    table = sums.reindex(list(BANDS), fill_value=0).reset_index().rename(columns={"index": "band"})
    for column in ("neighbourhoods", "core20_neighbourhoods", "referrals", "people_accessing", "denominator"):
        table[column] = table[column].astype("int64")
    table["band"] = table["band"].astype("str")
    return table


FARTHEST_COLUMNS: tuple[str, ...] = (
    "lsoa_code", "lsoa_name", "msoa_name", "lad_name", "place", "imd_decile", "population_0_5", "distance_km",
    "site_name", "site_type", "site_postcode",
)


def farthest_core20(
    areas: pd.DataFrame, sites: pd.DataFrame, *, site_types: tuple[str, ...] = SPECIALIST_OR_HUB, limit: int = 20
) -> pd.DataFrame:
    """The ``limit`` Core20 neighbourhoods farthest (straight line) from a site of any of ``site_types``
    (default: a specialist base or a Family Hub), farthest first."""
    near = nearest_site(areas, sites, site_types)
    frame = areas.merge(near, on="lsoa_code", how="inner", validate="one_to_one")
    core20 = frame[frame["core20"].astype(bool)]
    ordered = core20.sort_values(["distance_m", "lsoa_code"], ascending=[False, True], kind="stable")
    return ordered.head(int(limit))[list(FARTHEST_COLUMNS)].reset_index(drop=True)


def reach_table(areas: pd.DataFrame, sites: pd.DataFrame, site_type: str) -> pd.DataFrame:
    """The coverage table for the CLI: the total row and each Place, shares as proportions."""
    return coverage_for_type(areas, sites, site_type)
