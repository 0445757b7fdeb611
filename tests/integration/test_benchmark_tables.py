"""The comparisons with the benchmark are named tables too (issue 14's one layer): the command line
prints the words the Overview and the Map show, for the benchmark chosen with --benchmark."""

from __future__ import annotations

import json

from equity.selection import Selection
from publish import tables


def test_overview_comparison_on_the_command_line_is_the_pages_table(demo_store, settings, monkeypatch, capsys):
    from cli.main import main

    monkeypatch.setenv("EQUITY_STORE", str(demo_store))
    args = ["table", "overview_compared", "--benchmark", "Lancashire", "--format", "json"]
    assert main(args) == 0
    rows = {r["group_name"]: r for r in json.loads(capsys.readouterr().out)}
    page = tables.get("overview_compared", settings, Selection(benchmark="Lancashire")).set_index("group_name")
    for name, row in rows.items():
        assert row["referrals_vs"] == page.loc[name, "referrals_vs"]
        assert row["referrals_benchmark"] == "Lancashire"
    # Lancashire compared with itself: its interval contains its own value
    assert rows["Lancashire"]["referrals_vs_95"] == "similar"
    # the words follow the rule: above when the whole 95% interval is above the benchmark's value
    value = rows["Lancashire"]["rate_per_1000"]
    for name, row in rows.items():
        if row["lower_95"] is not None and row["lower_95"] > value:
            assert row["referrals_vs_95"] == "higher", name
        if row["upper_95"] is not None and row["upper_95"] < value:
            assert row["referrals_vs_95"] == "lower", name


def test_map_comparison_is_against_the_chosen_place_ratio(demo_store, settings):
    chosen = Selection(benchmark="Blackpool")
    places = tables.get("map_areas", settings, Selection(), {"level": "place"}).set_index("name")
    benchmark = float(places.loc["Blackpool", "access_ratio"])
    lsoas = tables.get("map_areas_compared", settings, chosen, {"level": "lsoa"})
    assert set(lsoas["access_benchmark"]) == {"Blackpool"}
    compared = lsoas.dropna(subset=["access_ratio_upper"])
    below = compared[compared["access_ratio_upper"].astype(float) < benchmark]
    above = compared[compared["access_ratio_lower"].astype(float) > benchmark]
    assert len(below) and set(below["access_vs"]) == {"worse"}
    assert set(above["access_vs"]) <= {"better"}
    # with L&SC the benchmark is a ratio of 1
    lsc = tables.get("map_areas_compared", settings, Selection(), {"level": "lsoa"})
    flagged = lsc[lsc["access_ratio_upper"].astype(float) < 1]
    assert set(flagged["access_vs"]) == {"worse"}
