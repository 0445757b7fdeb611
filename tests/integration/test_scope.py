"""Place scope is enforced where the data is read, not by hiding widgets (equity.scope)."""

import datetime as dt

import pytest

from data.audit import AuditError, read, record
from data.imports import holds_only_demo
from equity import explorer, report
from equity.dashboard import lsoa_frame
from equity.scope import ScopeError
from equity.selection import Selection, SelectionError
from publish import tables


@pytest.fixture
def blackpool_analyst():
    return Selection(detail_places=("Blackpool",))


def test_scope_cannot_be_set_from_outside_input():
    with pytest.raises(SelectionError, match="unknown field"):
        Selection.from_dict({"detail_places": ["Blackpool", "Lancashire"]})
    assert "detail_places" not in Selection(detail_places=("Blackpool",)).to_dict()


@pytest.mark.parametrize("level", ["lsoa", "msoa", "lad"])
def test_neighbourhood_levels_hold_only_the_places_in_scope(settings, demo_store, areas_2025, blackpool_analyst, level):
    shown = explorer.area_metrics(settings, blackpool_analyst, level)
    assert set(shown["place"]) == {"Blackpool"}
    everything = explorer.area_metrics(settings, Selection(), level)
    assert len(everything) > len(shown) > 0
    if level == "lsoa":
        assert set(shown["code"]) == set(areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_code"])


def test_a_crafted_place_filter_reaches_no_other_place_detail(settings, demo_store, blackpool_analyst):
    crafted = blackpool_analyst.with_(places=("Blackburn with Darwen",))  # ?place=Blackburn+with+Darwen&level=lsoa
    assert explorer.area_metrics(settings, crafted, "lsoa").empty
    places = explorer.area_metrics(settings, crafted, "place")  # Place level stays visible
    assert list(places["code"]) == ["Blackburn with Darwen"]


def test_viewer_gets_place_level_only(settings, demo_store):
    viewer = Selection(detail_places=())
    assert explorer.area_metrics(settings, viewer, "lsoa").empty
    assert len(explorer.area_metrics(settings, viewer, "place")) == 4
    assert report.report(settings, viewer, "referrals", "msoa").empty
    assert len(report.report(settings, viewer, "referrals", "place")) == 4


def test_profile_and_district_filter_outside_scope_are_refused(settings, demo_store, areas_2025, blackpool_analyst):
    bwd = areas_2025.loc[areas_2025["place"] == "Blackburn with Darwen"].iloc[0]
    with pytest.raises(ScopeError, match="outside the Places your access covers"):
        tables.neighbourhood_profile(settings, blackpool_analyst, bwd["lsoa_code"])
    with pytest.raises(ScopeError, match="district"):
        lsoa_frame(settings, blackpool_analyst.with_(lads=(bwd["lad_code"],)))
    blackpool = areas_2025.loc[areas_2025["place"] == "Blackpool"].iloc[0]
    profile = tables.neighbourhood_profile(settings, blackpool_analyst, blackpool["lsoa_code"])
    assert profile["row"]["place"] == "Blackpool"


def test_report_by_lsoa_keeps_only_places_in_scope(settings, demo_store, areas_2025, blackpool_analyst):
    shown = report.report(settings, blackpool_analyst, "referrals", "lsoa")
    names = set(areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_name"])
    assert set(shown["group"]) == names


def test_audit_trail_records_and_filters(store_url):
    store = store_url  # a DuckDB file, then a PostgreSQL database
    first = record(store, user_id="kc|1", user_name="Bea", action="sign_in", detail={"access": "viewer"})
    second = record(store, user_id="kc|2", user_name="Cal", action="download", detail={"file": "x.csv"})
    assert (first, second) == (1, 2)
    events = read(store)
    assert list(events["event_id"]) == [2, 1] and list(events["user_name"]) == ["Cal", "Bea"]
    assert list(read(store, user="Bea")["action"]) == ["sign_in"]
    assert list(read(store, user="kc|2", action="download")["detail"]) == ['{"file": "x.csv"}']
    assert read(store, action="import").empty
    today = dt.datetime.now(dt.UTC).date()
    assert len(read(store, date_from=today, date_to=today)) == 2
    assert read(store, date_to=today - dt.timedelta(days=1)).empty
    with pytest.raises(AuditError, match="action must be one of"):
        record(store, user_id="kc|1", user_name="Bea", action="delete_everything")
    with pytest.raises(AuditError, match="stable id"):
        record(store, user_id="", user_name="Bea", action="sign_in")


def test_only_a_pure_demo_store_counts_as_demo(tmp_path, demo_store):
    assert holds_only_demo(demo_store)
    assert holds_only_demo(tmp_path / "absent.duckdb")


def test_cli_on_behalf_of_a_user_applies_their_scope(settings, demo_store, areas_2025, tmp_path, monkeypatch, capsys):
    import json

    from cli.main import main

    policy = tmp_path / "access.toml"
    policy.write_text(
        '[[grant]]\nemail = "analyst@blackpool.example"\nrole = "place_analyst"\nplaces = ["Blackpool"]\n'
    )
    monkeypatch.setenv("EQUITY_ACCESS_FILE", str(policy))
    monkeypatch.setenv("EQUITY_STORE", str(demo_store))
    as_user = ["--as-user", "analyst@blackpool.example"]
    assert main(["table", "map_areas", "--level", "lsoa", "--format", "json", *as_user]) == 0
    rows = json.loads(capsys.readouterr().out)
    blackpool = set(areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_code"])
    assert {r["code"] for r in rows} == blackpool
    assert main(["report", "--by", "lsoa", "--place", "Blackburn with Darwen", "--format", "json", *as_user]) == 0
    assert json.loads(capsys.readouterr().out) == []  # a crafted Place filter reaches no other Place's detail
    assert main(["report", "--by", "lsoa", "--no-suppress", *as_user]) == 2
    assert "cannot be used on behalf of a user" in capsys.readouterr().err
    assert main(["report", "--by", "place", "--as-user", "nobody@elsewhere.example"]) == 2
    assert "matches no grant" in capsys.readouterr().err
