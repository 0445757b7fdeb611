"""The public reference bundle: which files we read, and their validation.

Every file the build uses is described by a :class:`FileSpec` (required columns, minimum row
count, code columns and their format). :func:`read_reference_csv` reads one file and raises
:class:`ReferenceDataError` naming the file and the problem when it is missing or malformed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


class ReferenceDataError(Exception):
    """A reference file is missing or malformed. The message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem} (looked in {self.path.parent})")


LSOA11 = re.compile(r"^E01\d{6}$")
LSOA21 = LSOA11  # same format; membership distinguishes the vintages
MSOA = re.compile(r"^E02\d{6}$")
LAD = re.compile(r"^E0[6-9]\d{6}$")


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[str, ...]
    min_rows: int
    codes: tuple[tuple[str, re.Pattern[str]], ...] = ()
    unique: str | None = None
    dtype: dict[str, str] | None = None


SPECS: dict[str, FileSpec] = {
    "iod2025": FileSpec(
        "iod2025_lsoa21_england.csv",
        (
            "lsoa21cd",
            "lsoa21nm",
            "imd_score",
            "imd_rank",
            "imd_decile",
            "idaci_rank",
            "idaci_decile",
            "income_decile",
            "employment_decile",
            "education_decile",
            "health_decile",
            "crime_decile",
            "barriers_decile",
            "living_env_decile",
            "income_score",
            "idaci_rank",
        ),
        33_000,
        (("lsoa21cd", LSOA21),),
        unique="lsoa21cd",
    ),
    "iod2019": FileSpec(
        "iod2019_lsoa11_england.csv",
        (
            "lsoa11cd",
            "lsoa11nm",
            "lad19cd",
            "lad19nm",
            "imd_rank",
            "imd_decile",
            "idaci_rank",
            "idaci_decile",
            "income_decile",
            "employment_decile",
            "education_decile",
            "health_decile",
            "crime_decile",
            "barriers_decile",
            "living_env_decile",
        ),
        32_000,
        (("lsoa11cd", LSOA11), ("lad19cd", LAD)),
        unique="lsoa11cd",
    ),
    "sape2020": FileSpec(
        "sape_mid2020_lsoa11_age0to5_england.csv",
        ("lsoa11cd", "lsoa11nm", "pop_all_ages", "age_0", "age_1", "age_2", "age_3", "age_4", "age_5"),
        32_000,
        (("lsoa11cd", LSOA11),),
        unique="lsoa11cd",
    ),
    "ethnicity": FileSpec(
        "census2021_ts021_ethnic_group_lsoa21_england.csv",
        ("lsoa21cd", "total_usual_residents", "asian", "black", "mixed", "white", "other"),
        33_000,
        (("lsoa21cd", LSOA21),),
        unique="lsoa21cd",
    ),
    "lookup21": FileSpec(
        "lookup_lsoa21_lsc_full.csv",
        (
            "lsoa21cd",
            "lsoa21nm",
            "msoa21cd",
            "msoa21nm",
            "msoa21hclnm",
            "wd24cd",
            "wd24nm",
            "lad22cd",
            "lad22nm",
            "sicbl24cdh",
            "sicbl24nm",
            "icb24cd",
            "lsc_place_by_lad",
            "in_lsc_16_lads",
            "in_lsc_icb24",
        ),
        1_000,
        (("lsoa21cd", LSOA21), ("msoa21cd", MSOA), ("lad22cd", LAD)),
        unique="lsoa21cd",
    ),
    "lookup11": FileSpec(
        "lookup_lsoa11_lsc_full.csv",
        (
            "lsoa11cd",
            "lsoa11nm",
            "msoa11cd",
            "msoa11nm",
            "lad19cd",
            "lad19nm",
            "lad22cd",
            "lad22nm",
            "wd17cd",
            "sicbl22cdh",
            "sicbl22nm",
            "icb22cd",
            "lsc_place_by_lad",
            "in_lsc_16_lads",
            "in_lsc_icb22",
        ),
        1_000,
        (("lsoa11cd", LSOA11), ("msoa11cd", MSOA), ("lad19cd", LAD)),
        unique="lsoa11cd",
    ),
    "change": FileSpec(
        "lookup_lsoa11_to_lsoa21_england.csv",
        ("lsoa11cd", "lsoa21cd", "chgind", "lad22cd"),
        33_000,
        (("lsoa11cd", LSOA11), ("lsoa21cd", LSOA21)),
    ),
    "ruc": FileSpec(
        "ruc2021_lsoa21_lsc.csv",
        ("lsoa21cd", "ruc21cd", "ruc21nm", "urban_rural"),
        1_000,
        (("lsoa21cd", LSOA21),),
        unique="lsoa21cd",
    ),
    "centroids": FileSpec(
        "lsoa21_population_weighted_centroids_lsc.csv",
        ("lsoa21cd", "easting_bng", "northing_bng"),
        1_000,
        (("lsoa21cd", LSOA21),),
        unique="lsoa21cd",
    ),
}

BOUNDARY_FILES: dict[str, tuple[str, str, int]] = {
    # key: (file name, code property, minimum features)
    "lsoa21": ("boundaries_lsoa21_bsc_lsc.geojson", "lsoa21_code", 1_000),
    "msoa21": ("boundaries_msoa21_bsc_lsc.geojson", "msoa21_code", 200),
}


def read_reference_csv(source_dir: Path, key: str) -> pd.DataFrame:
    """Read and validate one reference CSV; raise :class:`ReferenceDataError` if it is unusable."""
    spec = SPECS[key]
    path = Path(source_dir) / spec.name
    if not path.is_file():
        raise ReferenceDataError(path, "file is missing")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except Exception as exc:
        raise ReferenceDataError(path, f"cannot be read as CSV ({exc})") from exc
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise ReferenceDataError(path, f"missing column(s) {', '.join(missing)}")
    if len(frame) < spec.min_rows:
        raise ReferenceDataError(path, f"has {len(frame):,} rows, expected at least {spec.min_rows:,}")
    for column, pattern in spec.codes:
        bad = ~frame[column].fillna("").str.match(pattern)
        if bad.any():
            row = int(bad.idxmax())
            raise ReferenceDataError(
                path, f"row {row + 2}: column {column} has malformed code {frame.at[row, column]!r}"
            )
    if spec.unique and frame[spec.unique].duplicated().any():
        dup = frame.loc[frame[spec.unique].duplicated(), spec.unique].iloc[0]
        raise ReferenceDataError(path, f"column {spec.unique} has duplicate code {dup}")
    return frame


def numeric(frame: pd.DataFrame, columns: list[str], path_name: str) -> pd.DataFrame:
    """Convert ``columns`` to numbers, raising a named error for the first non-numeric cell."""
    out = frame.copy()
    for column in columns:
        values = pd.to_numeric(out[column], errors="coerce")
        bad = values.isna() & out[column].notna()
        if bad.any():
            row = int(bad.idxmax())
            raise ReferenceDataError(
                Path(path_name), f"row {row + 2}: column {column} is not a number ({out.at[row, column]!r})"
            )
        out[column] = values
    return out
