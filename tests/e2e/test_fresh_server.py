"""A shared link opened as the very first request of a freshly started server renders the right page with
its sidebar and filters (a flat pages/ folder would run the page alone, without app.py, showing the
whole ICB)."""

import pytest

from tests.e2e.conftest import running_app
from tests.e2e.test_map_browser import MAP, _wait_for_map

pytestmark = pytest.mark.e2e


def test_first_request_to_a_fresh_server_keeps_sidebar_and_place_filter(demo_store, areas_2025, browser, tmp_path):
    blackpool = set(areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_code"])
    assert 80 < len(blackpool) < 200
    with running_app(demo_store, tmp_path) as url:
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(url + "/map?place=Blackpool")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)
        locations, filled = _wait_for_map(page, f"n == {len(blackpool)}")
        # Streamlit's old multipage mode would answer the first request with a "Page not found" dialog
        # (ui/serve.py switches it off before the server starts)
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator('[role="dialog"]').count() == 0
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.is_visible()
        assert "Filters" in sidebar.inner_text()
        assert "Blackpool" in sidebar.locator('[data-testid="stMultiSelect"]').first.inner_text()
        drawn = page.evaluate(
            f"() => ({MAP}).data.filter(t => t.type === 'choropleth').flatMap(t => [...t.locations])"
        )
        assert set(drawn) == blackpool and locations == filled == len(blackpool)
        page.context.close()
