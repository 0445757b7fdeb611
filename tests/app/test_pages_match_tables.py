"""Each page's figures plot exactly the values of the named indicator table they are built from
(``publish.tables``): Overview, Map, Core20PLUS5 and Trends, on the default selection."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from equity.selection import Selection
from equity.settings import PLACES, REPO_ROOT
from publish import tables


def _array(value: object) -> np.ndarray:
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).astype(float)
    return np.array([np.nan if v is None else v for v in value], dtype=object)


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.main.get("plotly_chart")]


@pytest.fixture
def app(demo_store):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_bars_are_the_overview_table(app, settings):
    table = tables.get("overview_headline", settings, Selection()).set_index("group_name")
    bars = next(t for t in _charts(app)[0]["data"] if t["type"] == "bar")
    plotted = dict(zip(bars["y"], _array(bars["x"]), strict=True))
    assert set(plotted) == set(PLACES)
    for place, value in plotted.items():
        assert value == pytest.approx(float(table.loc[place, "rate_per_1000"]))


def test_map_colours_are_the_map_table(app, settings):
    app.switch_page("pages/explore/map.py").run()
    assert not app.exception
    table = tables.get("map_areas", settings, Selection(), {"level": "lsoa"}).set_index("code")
    traces = [t for t in _charts(app)[0]["data"] if t["type"] == "choropleth" and "z" in t]
    plotted = {}
    for trace in traces:
        plotted |= dict(zip(trace["locations"], _array(trace["z"]), strict=True))
    shown = table["rate_per_1000"].astype("Float64").dropna()
    common = [code for code in shown.index if code in plotted]
    assert len(common) == len(shown)
    assert np.allclose([float(plotted[c]) for c in common], shown[common].astype(float).to_numpy())


def test_core20_coverage_dots_are_the_coverage_table(app, settings):
    app.switch_page("pages/explore/core20.py").run()
    assert not app.exception
    table = tables.get("core20_coverage", settings, Selection(), {"measure": "referrals"}).set_index("area")
    trace = next(t for t in _charts(app)[0]["data"] if t.get("name") == "Against population share")
    for area, value in zip(trace["y"], _array(trace["x"]), strict=True):
        assert value == pytest.approx(float(table.loc[area, "coverage_ratio"]))


def test_trends_points_are_the_trend_table(app, settings):
    app.switch_page("pages/explore/trends.py").run()
    assert not app.exception
    table = tables.get("trend_spc", settings, Selection(), {"measure": "referrals", "area": "ICB"})
    expected = dict(zip(table["month"].astype(str), table["value"].astype(float), strict=True))
    plotted = {}
    for trace in _charts(app)[0]["data"]:
        if trace.get("mode") == "markers":
            plotted |= dict(zip(trace["x"], _array(trace["y"]), strict=True))
    assert plotted and {m[:10]: v for m, v in plotted.items()} == pytest.approx(expected)


def test_data_quality_page_shows_the_data_quality_tables(app, settings):
    app.switch_page("pages/admin/data_quality.py").run()
    assert not app.exception
    ethnicity = tables.get("data_quality_ethnicity", settings, Selection()).set_index("code")
    places = tables.get("data_quality_places", settings, Selection())
    frames = [t.value for t in app.dataframe]
    shown_ethnicity = next(f for f in frames if "Category" in f.columns).set_index("Category")
    assert shown_ethnicity.loc["Not stated (Z)", "Referrals"] == f"{int(ethnicity.loc['Z', 'referrals']):,}"
    shown_places = next(f for f in frames if "Place" in f.columns and "Ethnicity stated (A-S)" in f.columns)
    assert list(shown_places["Referrals"]) == [f"{int(v):,}" for v in places["referrals"]]


def test_reach_conversion_dots_are_the_pathway_table(app, settings):
    app.switch_page("pages/services/reach.py").run()
    assert not app.exception
    table = tables.get("pathway_conversion", settings, Selection(), {"by": "place"}).set_index("label")
    chart = next(c for c in _charts(app) if "first attended contact, by Place" in c["layout"]["title"]["text"])
    trace = next(t for t in chart["data"] if len(t.get("y", [])) == len(table))
    for label, value in zip(trace["y"], _array(trace["x"]), strict=True):
        assert value == pytest.approx(float(table.loc[label, "share"]) * (100 if value > 1 else 1))


def test_reach_sites_map_shading_and_hover_are_the_nearest_site_table(app, settings):
    app.switch_page("pages/services/reach.py").run()
    assert not app.exception
    table = tables.get("reach_nearest", settings, Selection(), {"site_type": "gp_practice"}).set_index("lsoa_code")
    chart = next(c for c in _charts(app) if "distance to the nearest" in c["layout"]["title"]["text"])
    shading = next(t for t in chart["data"] if t["type"] == "choropleth")
    plotted = dict(zip(shading["locations"], _array(shading["z"]), strict=True))
    assert set(plotted) == set(table.index)
    for code, value in plotted.items():
        assert value == pytest.approx(float(table.loc[code, "distance_km"]))
    for code, text in zip(shading["locations"], shading["text"], strict=True):
        row = table.loc[code]
        assert f"Nearest GP practice: {row['site_name']} ({row['site_postcode']}), {row['distance_km']:,.1f} km" in text


def test_trends_summary_is_the_trend_summary_table_with_the_page_settings(app, settings):
    app.switch_page("pages/explore/trends.py").run()
    app.radio(key="spc_measure").set_value("access").run()
    app.number_input(key="spc_target_access").set_value(900.0).run()
    assert not app.exception
    shown = next(f.value for f in app.dataframe if "Assurance" in f.value.columns)
    table = tables.get("trend_summary", settings, Selection(), {"targets": "access=900.0"})
    assert len(shown) == len(table)
    access = table[table["measure"] == "access"]
    assert set(access["assurance"]) - {"no_target"}, "the target set on the page reaches the table"
    from ui.trends import summary_with_icons

    expected = summary_with_icons(table)
    assert shown.drop(columns=[c for c in shown.columns if "icon" in c.lower()]).equals(
        expected.drop(columns=[c for c in expected.columns if "icon" in c.lower()])
    )


def test_outcomes_bars_are_the_outcomes_table(app, settings):
    app.switch_page("pages/explore/outcomes.py").run()
    assert not app.exception, app.exception
    table = tables.get("outcomes_by_group", settings, Selection(), {"measure": "PIR-GAS", "by": "place"})
    chart = next(c for c in _charts(app) if "Mean change in PIR-GAS" in c["layout"]["title"]["text"])
    bars = next(t for t in chart["data"] if t["type"] == "bar")
    plotted = dict(zip(bars["y"], _array(bars["x"]), strict=True))
    for row in table.iloc[1:].itertuples(index=False):
        assert plotted[row.group] == pytest.approx(float(row.mean_change))


def test_parity_bars_are_the_gap_table(app, settings):
    app.switch_page("pages/services/parity.py").run()
    assert not app.exception, app.exception
    table = tables.get("gap_to_parity", settings, Selection(), {"by": "place"}).set_index("group")
    chart = next(c for c in _charts(app) if "Additional children a year" in c["layout"]["title"]["text"])
    bars = next(t for t in chart["data"] if t["type"] == "bar")
    for label, value in zip(bars["y"], _array(bars["x"]), strict=True):
        assert value == pytest.approx(float(table.loc[label, "additional_per_year"]))


def test_data_quality_page_lists_the_unknown_measure(app, settings):
    app.switch_page("pages/admin/data_quality.py").run()
    measures = tables.get("data_quality_measures", settings, Selection()).set_index("measure")
    shown = next(t.value for t in app.dataframe if "Measure as recorded" in t.value.columns).set_index(
        "Measure as recorded"
    )
    assert shown.loc["WEMWBS", "Registry"] == "Not in the registry: kept, not analysed"
    assert shown.loc["PIR-GAS", "Referrals"] == f"{int(measures.loc['PIR-GAS', 'referrals']):,}"
    assert any("WEMWBS" in w.value for w in app.warning)
