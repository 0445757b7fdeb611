"""Map explorer: URL -> Selection and page state -> figure data (AppTest)."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from equity.explorer import LEVELS, METRICS
from equity.settings import REPO_ROOT


def _run(params: dict) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/explore/map.py").run()
    assert not at.exception, at.exception
    return at


def _traces(at: AppTest) -> list[dict]:
    return json.loads(at.main.get("plotly_chart")[0].proto.spec)["data"]


@pytest.mark.parametrize("level", list(LEVELS))
def test_each_level_draws_its_areas(demo_store, level):
    at = _run({"level": level})
    expected = {"lsoa": 1060, "msoa": 216, "lad": 18, "place": 4}[level]
    locations = [c for t in _traces(at) if t["type"] == "choropleth" for c in t["locations"]]
    assert len(locations) == expected


@pytest.mark.parametrize("metric", list(METRICS))
def test_each_metric_colours_the_map_with_a_title_and_units(demo_store, metric):
    at = _run({"metric": metric, "level": "msoa"})
    spec = json.loads(at.main.get("plotly_chart")[0].proto.spec)
    assert METRICS[metric].label in spec["layout"]["title"]["text"]
    coloured = [t for t in spec["data"] if t["type"] == "choropleth" and t.get("showscale", True) is not False]
    assert coloured and coloured[-1]["colorbar"]["title"]["text"] == METRICS[metric].unit


def test_filters_and_highlight_from_url(demo_store):
    at = _run({"place": "Blackburn with Darwen", "age": "0-1", "highlight": "1", "metric": "access_ratio"})
    selection = at.session_state["selection"]
    assert selection.places == ("Blackburn with Darwen",) and selection.age_bands == ("0-1",)
    traces = _traces(at)
    locations = [c for t in traces if t["type"] == "choropleth" for c in t["locations"]]
    assert len(locations) == 91
    names = [t.get("name") for t in traces if t["type"] == "scattergeo"]
    assert "Place boundary" in names and "District boundary" in names
    table = at.main.dataframe[0].value
    below = int((table["Compared with expected"] == "significantly below").sum())
    assert ("Significantly below expected access" in names) == (below > 0)


def test_area_in_url_opens_profile(demo_store):
    at = _run({"area": "E01012662"})
    assert any("Blackpool 002A" in m.value for m in at.markdown)
    assert len(at.metric) >= 4


def test_service_filter_from_url(demo_store, demo_frame):
    service = "Blackpool PAIRS (parent-infant relationship service)"
    at = _run({"service": service, "level": "place"})
    assert at.session_state["selection"].services == (service,)
    assert at.multiselect(key="services").value == [service]
    table = at.main.dataframe[0].value
    # PAIRS is only in Blackpool: no child in any other Place accessed it
    accessing = dict(zip(table["Area"], table["Children accessing"], strict=True))
    assert int(accessing["Blackpool"].replace(",", "")) > 0
    assert all(accessing[p] == "0" for p in ("Lancashire", "South Cumbria", "Blackburn with Darwen"))
    unknown = _run({"service": "No such service"})
    assert unknown.session_state["selection"].services == ()


def test_ranked_table_answers_which_areas_are_furthest_below_expected(demo_store):
    at = _run({"place": "Blackpool", "age": "0-1", "level": "lsoa", "metric": "access_ratio"})
    frame = at.main.dataframe[0]
    table = frame.value
    assert list(table.columns) == [
        "Area",
        "Rank in Place",
        "Rank in L&SC",
        "Children accessing",
        "Ratio (95% CI)",
        "Compared with expected",
    ]
    assert len(table) == 94
    config = json.loads(frame.proto.columns)
    assert config["Area"]["pinned"] is True
    # suppressed counts show as '*', never as 'None'
    assert (table["Children accessing"] == "*").any()
    shown = table.drop(columns=["Rank in Place", "Rank in L&SC"]).astype(str)
    assert not shown.isin(["None", "nan", "<NA>"]).any().any()
    hidden = table["Children accessing"] == "*"
    assert (table.loc[hidden, "Ratio (95% CI)"] == "*").all() and table.loc[hidden, "Rank in Place"].isna().all()
    # ranked within Blackpool and across L&SC (same filters), lowest ratio first
    ranked = table.dropna(subset=["Rank in Place"])
    assert ranked["Rank in Place"].is_monotonic_increasing and ranked["Rank in L&SC"].is_monotonic_increasing
    assert (ranked["Rank in L&SC"] >= ranked["Rank in Place"]).all()
    assert ranked["Rank in L&SC"].max() > 94  # ranks among all L&SC neighbourhoods
    assert set(table["Compared with expected"]) <= {"significantly below", "similar", "significantly above", "*"}
    below = int((table["Compared with expected"] == "significantly below").sum())
    at.toggle(key="map_below_only").set_value(True).run()
    filtered = at.main.dataframe[0].value
    assert len(filtered) == below and set(filtered["Compared with expected"]) <= {"significantly below"}


def test_mostly_grey_map_says_so_and_offers_msoa_level(demo_store):
    # ages 0-1 only: most neighbourhoods' referral counts are 1-4, so hidden
    at = _run({"age": "0-1", "level": "lsoa", "metric": "referral_rate"})
    warnings = [w.value for w in at.main.warning if "Most of the map is grey" in w.value]
    assert len(warnings) == 1 and "of its 1,060 areas" in warnings[0]
    share = int(warnings[0].split("grey: ")[1].split("%")[0])
    assert share > 50
    at.button(key="map_coarser").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="map_level").value == "msoa"
    assert len([c for t in _traces(at) if t["type"] == "choropleth" for c in t["locations"]]) == 216
    assert not [w for w in at.main.warning if "Most of the map is grey" in w.value]
    assert at.query_params["level"] in ("msoa", ["msoa"])  # kept in the URL


def test_map_with_few_grey_areas_offers_no_other_level(demo_store):
    at = _run({"level": "lsoa", "metric": "referral_rate"})
    assert not [w for w in at.main.warning if "Most of the map is grey" in w.value]
    assert not [b for b in at.button if b.key == "map_coarser"]


def test_map_help_comes_from_the_definitions(demo_store):
    from equity.definitions import COLUMN_HELP, DEFINITIONS

    at = _run({"level": "msoa"})
    help_text = at.selectbox(key="map_metric").help
    assert all(DEFINITIONS[key]["definition"] in help_text for key in METRICS)
    config = json.loads(at.main.dataframe[0].proto.columns)
    shown = [c for c in config if not c.startswith("_")]
    assert shown and all(config[c]["help"] == COLUMN_HELP[c] for c in shown)


def test_definitions_page_lists_every_indicator(demo_store):
    from equity.definitions import DEFINITIONS, SECTIONS
    from publish import tables

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/explore/definitions.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Definitions"
    assert len(at.main.expander) == len(METRICS) + len(tables.TABLES)
    labels = [e.label for e in at.main.expander]
    assert all(any(m.label == label for label in labels) for m in METRICS.values())
    text = "\n".join(m.value for m in at.markdown)
    for entry in DEFINITIONS.values():
        assert all(f"**{SECTIONS[s]}.** {entry[s]}" in text for s in SECTIONS)
