"""End to end: the real app in headless Chromium draws the neighbourhood shapes, offline."""

import pytest

pytestmark = pytest.mark.e2e

MAP = "[...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullLayout && g._fullLayout.map)"
# polygons MapLibre actually rendered in the choropleth fill layers (not just data sent)
FILLED = f"""() => {{ const gd = {MAP}; if (!gd) return -1;
  return gd._fullLayout.map._subplot.map.queryRenderedFeatures()
    .filter(f => f.layer.id.endsWith('-fill')).length; }}"""
LOCATIONS = f"""() => {{ const gd = {MAP}; if (!gd) return -1;
  return gd.data.filter(t => t.type === 'choroplethmap').reduce((n, t) => n + t.locations.length, 0); }}"""


def _wait_for_map(page, condition: str = "n > 0"):
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas", timeout=60_000)
    page.wait_for_function(f"(() => {{ const n = ({LOCATIONS})(); return {condition}; }})()", timeout=60_000)
    page.wait_for_function(f"({FILLED})() > 0", timeout=60_000)
    return page.evaluate(LOCATIONS), page.evaluate(FILLED)


def test_map_draws_neighbourhood_shapes(app_url, page):
    page.goto(app_url + "/map", wait_until="networkidle")
    locations, filled = _wait_for_map(page)
    assert locations == 1060  # every LSOA 2021 of the ICB
    assert filled >= 1000  # and MapLibre rendered (almost) all of them in view, with no tiles
    assert page.locator('[data-testid="stException"]').count() == 0


def test_place_filter_changes_the_map_and_url_restores_it(app_url, page, browser):
    page.goto(app_url + "/map", wait_until="networkidle")
    _wait_for_map(page, "n == 1060")
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="Blackpool").click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('place=Blackpool')", timeout=30_000)
    locations, filled = _wait_for_map(page, "n == 94")
    assert locations == 94 and 0 < filled < 400
    shared = page.url
    other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    other.goto(shared, wait_until="networkidle")
    locations, _ = _wait_for_map(other, "n > 0")
    assert locations == 94
    assert "Blackpool" in other.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
