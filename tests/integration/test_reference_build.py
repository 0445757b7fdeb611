"""The reference build against the real bundle, checked with figures from SOURCES.md and
recomputed independently from the raw files."""

from pathlib import Path

import pandas as pd
import pytest

from equity.settings import DEFAULT_FRINGE_PLACES
from geo.build import build_reference
from geo.reference import ReferenceDataError


def test_both_definitions_of_lsc(areas_2025, areas_2019):
    assert len(areas_2025) == 1060 and areas_2025["in_lsc_16_lads"].sum() == 1051
    assert len(areas_2019) == 1058 and areas_2019["in_lsc_16_lads"].sum() == 1049


def test_population_totals_preserved_through_2011_to_2021_change(settings, areas_2025, areas_2019):
    raw = pd.read_csv(settings.reference_dir / "sape_mid2020_lsoa11_age0to5_england.csv")
    raw = raw[raw["lsoa11cd"].isin(areas_2019["lsoa_code"])]
    ages = [f"age_{a}" for a in range(6)]
    for age in ages:
        assert areas_2025[age].sum() == raw[age].sum() == areas_2019[age].sum()
    # SOURCES.md: 16-district totals aged 0-4 = 91,077 and aged 0-5 = 110,850 (ONS mid-2020)
    assert areas_2025.loc[areas_2025["in_lsc_16_lads"], "population_0_4"].sum() == 91_077
    assert areas_2025.loc[areas_2025["in_lsc_16_lads"], "population_0_5"].sum() == 110_850
    assert areas_2019.loc[areas_2019["in_lsc_16_lads"], "population_0_5"].sum() == 110_850


def test_split_lsoas_apportioned_by_census_residents(settings, areas_2025):
    change = pd.read_csv(settings.reference_dir / "lookup_lsoa11_to_lsoa21_lsc_full.csv")
    splits = change[change["chgind"] == "S"]
    source = splits["lsoa11cd"].iloc[0]
    targets = splits.loc[splits["lsoa11cd"] == source, "lsoa21cd"].tolist()
    raw = pd.read_csv(settings.reference_dir / "sape_mid2020_lsoa11_age0to5_england.csv")
    total = int(raw.loc[raw["lsoa11cd"] == source, [f"age_{a}" for a in range(6)]].sum(axis=1).iloc[0])
    got = areas_2025.set_index("lsoa_code").loc[targets, "population_0_5"]
    assert got.sum() == total
    assert areas_2025.set_index("lsoa_code").loc[targets, "population_approximate"].all()


def test_core20_counts_match_raw_deciles(settings, areas_2025, areas_2019):
    iod25 = pd.read_csv(settings.reference_dir / "iod2025_lsoa21_england.csv", usecols=["lsoa21cd", "imd_decile"])
    expected25 = int(iod25[iod25["lsoa21cd"].isin(areas_2025["lsoa_code"])]["imd_decile"].le(2).sum())
    iod19 = pd.read_csv(settings.reference_dir / "iod2019_lsoa11_england.csv", usecols=["lsoa11cd", "imd_decile"])
    expected19 = int(iod19[iod19["lsoa11cd"].isin(areas_2019["lsoa_code"])]["imd_decile"].le(2).sum())
    assert areas_2025["core20"].sum() == expected25
    assert areas_2019["core20"].sum() == expected19
    assert expected25 != expected19  # the vintage decides Core20


def test_fringe_lsoas_placed_by_configuration(areas_2025):
    fringe = areas_2025[~areas_2025["in_lsc_16_lads"]]
    assert len(fringe) == 9
    assert dict(fringe.groupby("lad_code")["place"].first()) == DEFAULT_FRINGE_PLACES
    assert set(areas_2025["place"]) == {"Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria"}


def test_lsoa_attributes_complete(areas_2025):
    for column in (
        "msoa_name",
        "ward_code",
        "lad_code",
        "subicb_code",
        "imd_score",
        "idaci_decile",
        "eth_total",
        "urban_rural",
        "lon",
        "lat",
    ):
        assert areas_2025[column].notna().all(), column
    # MSOA names are the House of Commons Library names
    assert "Audley" in set(areas_2025["msoa_name"])


def _bundle_copy(settings, tmp_path: Path) -> Path:
    source = tmp_path / "bundle"
    source.mkdir()
    for path in settings.reference_dir.iterdir():
        (source / path.name).symlink_to(path)
    return source


def test_missing_file_is_named(settings, tmp_path):
    source = _bundle_copy(settings, tmp_path)
    (source / "ruc2021_lsoa21_lsc.csv").unlink()
    with pytest.raises(ReferenceDataError, match=r"ruc2021_lsoa21_lsc.csv: file is missing"):
        build_reference(source, tmp_path / "cache", DEFAULT_FRINGE_PLACES)
    assert not (tmp_path / "cache" / "manifest.json").exists()


def test_malformed_code_is_named_with_row_and_column(settings, tmp_path):
    source = _bundle_copy(settings, tmp_path)
    target = source / "lsoa21_population_weighted_centroids_lsc.csv"
    text = target.read_text().splitlines()
    target.unlink()
    first = text[1].split(",")
    text[1] = ",".join(["X01012589", *first[1:]])
    target.write_text("\n".join(text) + "\n")
    with pytest.raises(
        ReferenceDataError, match=r"centroids_lsc.csv: row 2: column lsoa21cd has malformed code 'X01012589'"
    ):
        build_reference(source, tmp_path / "cache", DEFAULT_FRINGE_PLACES)


def test_missing_column_is_named(settings, tmp_path):
    source = _bundle_copy(settings, tmp_path)
    target = source / "ruc2021_lsoa21_lsc.csv"
    frame = pd.read_csv(target).drop(columns=["urban_rural"])
    target.unlink()
    frame.to_csv(target, index=False)
    with pytest.raises(ReferenceDataError, match=r"ruc2021_lsoa21_lsc.csv: missing column\(s\) urban_rural"):
        build_reference(source, tmp_path / "cache", DEFAULT_FRINGE_PLACES)


def test_build_writes_both_vintages(settings):
    for vintage in (2025, 2019):
        assert (settings.cache_dir / f"areas_{vintage}.parquet").is_file()
        for level in ("lsoa", "msoa", "lad", "place"):
            assert (settings.cache_dir / f"boundaries_{level}_{vintage}.parquet").is_file()
