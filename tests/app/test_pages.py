"""Every page runs without exception on demo data (Streamlit AppTest)."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from equity.settings import REPO_ROOT

PAGES = ["pages/explore/overview.py", "pages/explore/map.py"]


@pytest.fixture
def app(demo_store):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert app.title[0].value
    assert any("Demo data" in w.value for w in app.warning)


def test_overview_shows_icb_and_places(app):
    table = app.dataframe[0].value
    assert list(table["Area"]) == [
        "NHS Lancashire and South Cumbria ICB",
        "Blackburn with Darwen",
        "Blackpool",
        "Lancashire",
        "South Cumbria",
    ]
    assert app.metric[0].value == "12,000"


def test_place_from_url_reaches_overview_and_map(demo_store):
    # (AppTest re-runs only the page script after the first run, so the shared sidebar is exercised
    # through the URL it restores from; the browser test covers changing the widget itself.)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["place"] = "Blackpool"
    at.query_params["vintage"] = "2019"
    at.run()
    assert not at.exception
    assert at.multiselect(key="places").value == ["Blackpool"]
    assert at.session_state["selection"].vintage == 2019
    table = at.main.dataframe[0].value
    assert list(table["Area"]) == ["Total of selected areas", "Blackpool"]
    # below ICB level counts are rounded to 5 (the total of one Place is not an ICB figure)
    assert all(int(v.replace(",", "")) % 5 == 0 for v in table["Referrals"])
    at.switch_page("pages/explore/map.py").run()
    assert not at.exception
    data = json.loads(at.main.get("plotly_chart")[0].proto.spec)["data"]
    locations = [loc for trace in data if trace["type"] == "choropleth" for loc in trace["locations"]]
    assert len(locations) == 94  # Blackpool's LSOA 2011 neighbourhoods (94 in both vintages)
    assert all(code.startswith("E01") for code in locations)
