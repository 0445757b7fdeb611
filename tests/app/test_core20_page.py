"""The Core20PLUS5 page runs for every Place and both vintages; the funnel and the map agree."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from equity.selection import Selection
from equity.settings import PLACES, REPO_ROOT
from publish import tables


def _run(params: dict) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/explore/core20.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("vintage", ["2025", "2019"])
@pytest.mark.parametrize("place", ["", *PLACES])
def test_page_runs_for_every_place_and_vintage(demo_store, place, vintage):
    params = {"vintage": vintage, **({"place": place} if place else {})}
    at = _run(params)
    headers = [h.value for h in at.header]
    assert headers[:6] == [
        "1. Core20 coverage",
        "2. Deprivation gradient",
        "3. PLUS groups",
        "4. Neighbourhood funnel plot",
        "5. Trend of the gap",
        "6. IMD 2019 and IMD 2025 compared",
    ]
    coverage = at.main.dataframe[0].value
    assert list(coverage["Area"])[1:] == ([place] if place else list(sorted(PLACES)))
    if place:  # below ICB level every count is rounded to 5 or suppressed
        for value in coverage["Referrals (all)"]:
            assert value == "*" or int(value.replace(",", "")) % 5 == 0
    assert any("not stated or not known" in w.value for w in at.warning)
    assert any("all-age Census 2021" in c.value for c in at.caption)  # the ethnicity caveat beside the table
    charts = at.main.get("plotly_chart")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in charts]
    assert all(titles) and len(titles) >= 5


def test_funnel_point_is_the_same_neighbourhood_on_the_map(settings, demo_store):
    selection = Selection(places=("Blackburn with Darwen",))
    points = tables.funnel_data(settings, selection, "access_rate").points
    areas = tables.get("map_areas", settings, selection, {"level": "lsoa"}).set_index("code")
    sample = points.iloc[len(points) // 2]
    assert sample["code"] in areas.index
    on_map = areas.loc[sample["code"]]
    assert on_map["name"] == sample["name"]
    assert on_map["access_rate_per_1000"] == pytest.approx(sample["y"])
    assert on_map["denominator"] == sample["x"]
