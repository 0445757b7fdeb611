"""Sites from the real bundle and the ONS postcode directory, user sites in a store, reach on the real
neighbourhoods, the provision and reach commands, and access/pathway figures on demo data.

Every store here is a temporary file. User sites are made up (names like "Test Hub") but use real
L&SC postcodes, so they can be placed.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from data.backend import connect_store
from data.store import replace_all
from equity import provision, reach, sites
from equity.selection import Selection
from geo.postcodes import postcode_directory
from geo.reference import ReferenceDataError

SITES_CSV = (
    b"name,site_type,support_elements,postcode\n"
    b"Test Hub North,Family Hub,1;3,FY1 3JG\n"
    b"Test Hub East,family_hub,\"1, 3\",bb2 2su\n"
    b"Test Specialist Base,PAIRS,4;5,FY4 3AD\n"
    b"Test HV Base,Health-visiting base,2,PR1 3NA\n"
    b"=HYPERLINK(\"x\"),vcfse,3,LA14 1LF\n"
    b"Test Bad Type,castle,3,LA14 1LF\n"
    b"Test Bad Element,vcfse,7,LA14 1LF\n"
    b"Test Unknown Postcode,vcfse,3,ZZ9 9ZZ\n"
    b"Test Hub North,Family Hub,3,FY13JG\n"
    b"Test London Venue,other,3,SW1A 1AA\n"
)


@pytest.fixture
def store(tmp_path, demo_frame) -> Path:
    path = tmp_path / "sites.duckdb"
    replace_all(path, demo_frame, kind="demo", description="Demo data: seed 20231, 12,000 referrals")
    return path


@pytest.fixture
def site_store(store_url) -> str:
    """A store without sites, provision rows or referrals: a DuckDB file, then a PostgreSQL database."""
    connect_store(store_url).close()
    return store_url


@pytest.fixture
def cfg(settings, store):
    return dataclasses.replace(settings, store_path=store)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------------------------
# GP practices


def test_gp_practices_from_the_bundle_are_located(settings):
    gp = sites.gp_sites(settings.reference_dir)
    assert len(gp) == 196  # 197 active GP practices (setting 4), one without a PCN
    assert gp["site_key"].is_unique and gp["pcn_code"].notna().all()
    assert gp["easting"].between(300_000, 420_000).all() and gp["northing"].between(390_000, 530_000).all()
    ulverston = gp.set_index("site_key").loc["GP:A82003"]
    assert ulverston["postcode"] == "LA12 7BT" and ulverston["pcn_name"] == "MID FURNESS PCN"
    assert (ulverston["easting"], ulverston["northing"]) == (328478.0, 478682.0)  # ONS Postcode Directory


def test_gp_file_problems_name_the_file_row_and_column(settings, tmp_path):
    frame = pd.read_csv(Path(settings.reference_dir) / sites.GP_FILE, dtype=str, keep_default_na=False)
    frame.loc[3, "organisation_code"] = "bad code!"
    frame.to_csv(tmp_path / sites.GP_FILE, index=False)
    with pytest.raises(ReferenceDataError, match=r"gp_practices_epraccur_lsc_qe1.csv: row 5: column organisation_code"):
        sites.read_gp_file(tmp_path)
    frame.drop(columns=["postcode"]).to_csv(tmp_path / sites.GP_FILE, index=False)
    with pytest.raises(ReferenceDataError, match="missing column"):
        sites.read_gp_file(tmp_path)
    (tmp_path / sites.GP_FILE).unlink()
    with pytest.raises(ReferenceDataError, match="file is missing"):
        sites.read_gp_file(tmp_path)


def test_gp_practice_with_an_unknown_postcode_is_an_error(settings):
    frame = sites.read_gp_file(settings.reference_dir)
    chosen = sites.select_gp_practices(frame).copy()
    chosen.loc[chosen.index[0], "postcode"] = "ZZ9 9ZZ"
    with pytest.raises(ReferenceDataError, match="not in the ONS Postcode Directory"):
        sites.gp_sites_from_frame(chosen, postcode_directory())


# --------------------------------------------------------------------------------------------
# distances on real data, checked by hand


def test_distance_from_a_real_centroid_to_a_real_postcode(settings, areas_2025):
    # ONS population-weighted centroid of E01012571 (Blackburn with Darwen 007A): (369792.7893, 427825.7634);
    # ONS Postcode Directory grid reference of BB2 2SU: (366620, 427214).
    # sqrt(3172.7893^2 + 611.7634^2) = 3,231.23 m.
    area = areas_2025[areas_2025["lsoa_code"] == "E01012571"]
    assert area[["easting", "northing"]].iloc[0].tolist() == pytest.approx([369792.7893, 427825.7634])
    result = sites.validate_sites(
        pd.DataFrame([{"name": "Test Hub", "site_type": "family_hub", "support_elements": "3", "postcode": "BB2 2SU"}]),
        postcode_directory(),
    )
    hub = result.accepted.assign(site_key="U:1")
    near = reach.nearest_site(area, hub, ("family_hub",))
    assert near.loc[0, "distance_m"] == pytest.approx(3231.23, abs=0.01)
    assert near.loc[0, "distance_m"] == pytest.approx(math.hypot(369792.7893 - 366620, 427825.7634 - 427214))


def test_gp_coverage_of_the_icb(settings, areas_2025):
    gp = sites.gp_sites(settings.reference_dir)
    table = reach.coverage_for_type(areas_2025, gp, "gp_practice")
    total = table.iloc[0]
    assert total["neighbourhoods"] == 1060 and total["sites"] == 196
    shares = [total[f"share_within_{km}km"] for km in (1, 2, 5, 10)]
    assert shares == sorted(shares) and 0.4 < shares[0] < 0.9 and shares[-1] > 0.95
    assert total["children_0_5"] == pytest.approx(areas_2025["population_0_5"].sum())
    assert list(table["area"]) == ["L&SC ICB", "Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria"]


# --------------------------------------------------------------------------------------------
# user sites in the store


def test_csv_import_with_row_level_errors_then_reach(site_store, settings, areas_2025):
    locate = sites.lsoa_locator(settings.cache_dir)
    checked, ids = sites.import_sites_csv(site_store, SITES_CSV, file_name="sites.csv", added_by="Ann",
                                          locate_lsoa=locate, apply=False)
    assert ids == [] and sites.user_sites(site_store).empty  # a check writes nothing
    assert checked.rows_read == 10 and len(checked.accepted) == 5 and checked.rejected_rows == 5
    problems = {(r.row, r.column): r.problem for r in checked.rejected.itertuples()}
    assert problems[(6, "name")].startswith("name must not start with")
    assert "type must be one of" in problems[(7, "site_type")]
    assert problems[(8, "support_elements")] == "'7' is not a support element (1-6)"
    assert problems[(9, "postcode")] == "postcode not found in the ONS Postcode Directory"
    assert problems[(10, "name")] == "repeats row 2"
    assert checked.rejected.loc[checked.rejected["row"] == 6, "value"].iloc[0].startswith("'=")  # defused
    assert any("Test London Venue lies outside L&SC" in w for w in checked.warnings)

    _, ids = sites.import_sites_csv(site_store, SITES_CSV, file_name="sites.csv", added_by="Ann",
                                    locate_lsoa=locate)
    assert ids == [1, 2, 3, 4, 5]
    stored = sites.user_sites(site_store)
    assert list(stored["postcode"]) == ["FY1 3JG", "BB2 2SU", "FY4 3AD", "PR1 3NA", "SW1A 1AA"]
    assert list(stored["support_elements"]) == ["1;3", "1;3", "4;5", "2", "3"]
    assert stored.loc[1, "lsoa21_code"].startswith("E01") and pd.isna(stored.loc[4, "lsoa21_code"])
    assert set(stored["added_by"]) == {"Ann"} and set(stored["origin"]) == {"CSV sites.csv"}

    again, _ = sites.import_sites_csv(site_store, SITES_CSV, file_name="sites.csv", added_by="Ann", apply=False)
    assert len(again.accepted) == 0  # every good row is now "already in the list"

    everything = sites.all_sites(settings.reference_dir, site_store)
    assert len(everything) == 196 + 5 and everything["site_key"].is_unique
    table = reach.coverage_for_type(areas_2025, everything, "family_hub")
    assert table.iloc[0]["sites"] == 2 and 0 < table.iloc[0]["share_within_5km"] < 0.5
    farthest = reach.farthest_core20(areas_2025, everything)
    assert len(farthest) == 20 and farthest["distance_km"].is_monotonic_decreasing
    assert set(farthest["place"]) <= {"South Cumbria", "Lancashire"}  # far from Blackpool and Blackburn
    assert (areas_2025.set_index("lsoa_code").loc[farthest["lsoa_code"], "core20"]).all()

    name = sites.remove_site(site_store, 2, removed_by="Bob")
    assert name == "Test Hub East" and len(sites.user_sites(site_store)) == 4
    assert len(sites.user_sites(site_store, include_removed=True)) == 5
    history = sites.site_history(site_store)
    assert list(history["action"][:2]) == ["removed", "added"] and history.iloc[0]["changed_by"] == "Bob"
    with pytest.raises(sites.SiteError, match="already been removed"):
        sites.remove_site(site_store, 2, removed_by="Bob")


def test_single_site_add_and_its_errors(site_store):
    site_id, warnings = sites.add_site(site_store, name="Test Hub", site_type="family_hub",
                                       support_elements=[3, 1], postcode="fy1 3jg", added_by="Ann")
    assert site_id == 1 and warnings == ()
    with pytest.raises(sites.SiteError, match="already in the list"):
        sites.add_site(site_store, name="test hub", site_type="Family Hub", support_elements=[3],
                       postcode="FY1 3JG", added_by="Ann")
    with pytest.raises(sites.SiteError, match="postcode: not a UK postcode"):
        sites.add_site(site_store, name="X", site_type="vcfse", support_elements=[3], postcode="12345",
                       added_by="Ann")
    with pytest.raises(sites.SiteError, match="support_elements: give at least one"):
        sites.add_site(site_store, name="X", site_type="vcfse", support_elements=[], postcode="FY1 3JG",
                       added_by="Ann")
    with pytest.raises(sites.SiteError, match="your name"):
        sites.add_site(site_store, name="X", site_type="vcfse", support_elements=[3], postcode="FY1 3JG",
                       added_by="")
    with pytest.raises(sites.SiteError, match="GP practices come from the reference bundle"):
        sites.add_site(site_store, name="X", site_type="gp_practice", support_elements=[3],
                       postcode="FY1 3JG", added_by="Ann")


def test_site_csv_without_a_column_is_refused(site_store):
    with pytest.raises(sites.SiteError, match="lacks column"):
        sites.import_sites_csv(site_store, b"name,postcode\nA,FY1 3JG\n", file_name="x.csv", added_by="Ann")
    with pytest.raises(sites.SiteError, match="is empty"):
        sites.import_sites_csv(site_store, b"", file_name="x.csv", added_by="Ann")


# --------------------------------------------------------------------------------------------
# access and pathway on demo data


def test_element_access_on_demo_data_is_disclosure_controlled(cfg):
    from publish import tables

    table = tables.get("provision_access", cfg, Selection())
    assert len(table) == 4 * 7
    shown = pd.to_numeric(table["referrals"], errors="coerce").dropna()
    assert (shown % 5 == 0).all()
    indexed = table.set_index(["place", "support_element"])
    assert indexed.loc[("Blackpool", 4), "referrals"] > 0  # PAIRS
    assert indexed.loc[("Lancashire", 4), "referrals"] == 0
    exact = provision.element_access(cfg, Selection())
    assert exact["referrals"].sum() == 12_000
    matrix = provision.current_matrix(cfg.store_path)
    export = provision.matrix_export(matrix, table)
    assert len(export) == 24 and export["referrals"].notna().any()


def test_pathway_on_demo_data(cfg):
    from publish import tables

    waits = tables.get("pathway_waits", cfg, Selection(), {"by": "place"}).set_index("label")
    # the demo plants mean waits of 24 (Blackpool) and 61 days (South Cumbria)
    assert waits.loc["Blackpool", "median_days"] < waits.loc["South Cumbria", "median_days"]
    assert (waits["lower_95"] <= waits["median_days"]).all() and (waits["median_days"] <= waits["upper_95"]).all()
    conversion = tables.get("pathway_conversion", cfg, Selection(), {"by": "imd_quintile"})
    assert list(conversion["group"]) == [1, 2, 3, 4, 5]
    # the demo plants lower access in Core20 neighbourhoods (quintile 1)
    assert conversion.loc[0, "share"] < conversion.loc[4, "share"]
    mix = tables.get("pathway_source_mix", cfg, Selection(places=("Blackpool",)))
    assert set(mix["place"]) == {"Blackpool"}
    assert mix.set_index("referral_source").loc["A2", "share"] > 0.25  # health visitors refer most


# --------------------------------------------------------------------------------------------
# commands


def test_provision_command(site_store):
    code, out, _ = run(["provision", "--store", site_store])
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert len(frame) == 24 and {"status", "note", "source"} <= set(frame.columns)
    provision.update_cell(site_store, "South Cumbria", 6, status="No provision", note="checked",
                          source="Place team", changed_by="Ann")
    code, out, _ = run(["provision", "--format", "json", "--store", site_store])
    rows = json.loads(out)
    cell = next(r for r in rows if r["place"] == "South Cumbria" and r["support_element"] == 6)
    assert cell["status"] == "No provision" and cell["updated_by"] == "Ann" and cell["note"] == "checked"


def test_provision_command_without_a_store_prints_the_seed(tmp_path):
    code, out, err = run(["provision", "--store", str(tmp_path / "none.duckdb")])
    assert code == 0 and "seeded from the strategy" in err and not (tmp_path / "none.duckdb").exists()
    assert len(pd.read_csv(io.StringIO(out))) == 24


def test_reach_command(site_store):
    code, out, err = run(["reach", "--site-type", "gp_practice", "--format", "csv", "--store", site_store])
    assert code == 0 and "straight-line" in err
    table = pd.read_csv(io.StringIO(out))
    assert table["area"].iloc[0] == "L&SC ICB" and len(table) == 5
    assert {"share_within_1km", "core20_share_within_10km"} <= set(table.columns)
    code, _, err = run(["reach", "--site-type", "specialist", "--store", site_store])
    assert code == 2 and err.startswith("error: there are no sites of type PAIRS")
    sites.add_site(site_store, name="Test Base", site_type="specialist", support_elements=[4],
                   postcode="FY4 3AD", added_by="Ann")
    code, out, _ = run(["reach", "--site-type", "specialist", "--place", "Blackpool", "--format", "json",
                        "--store", site_store])
    rows = json.loads(out)
    assert code == 0 and [r["area"] for r in rows] == ["Total of selected areas", "Blackpool"]
    assert rows[1]["share_within_10km"] == 1.0  # all of Blackpool is within 10 km of FY4


def test_register_adds_both_commands():
    import argparse

    parser = argparse.ArgumentParser()
    from cli.provision import register

    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["reach", "--site-type", "family_hub"])
    assert args.command == "reach" and args.format == "csv" and callable(args.func)
    with pytest.raises(SystemExit):
        parser.parse_args(["reach", "--site-type", "castle"])

