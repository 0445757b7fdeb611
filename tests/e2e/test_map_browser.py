"""End to end: the real app in headless Chromium draws the neighbourhood shapes, offline."""

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.e2e.conftest import CHROMIUM

pytestmark = pytest.mark.e2e

MAP = (
    "[...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')]"
    ".find(g => g._fullLayout && g._fullLayout.geo)"
)
# areas actually drawn: SVG paths with an outline (not just data sent)
FILLED = f"""() => {{ const gd = {MAP}; if (!gd) return -1;
  return [...gd.querySelectorAll('path.choroplethlocation')].filter(p => (p.getAttribute('d') || '').length > 10)
    .length; }}"""
LOCATIONS = f"""() => {{ const gd = {MAP}; if (!gd) return -1;
  return gd.data.filter(t => t.type === 'choropleth').reduce((n, t) => n + t.locations.length, 0); }}"""


def _wait_for_map(page, condition: str = "n > 0"):
    page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=60_000)
    page.wait_for_function(f"(() => {{ const n = ({LOCATIONS})(); return {condition}; }})()", timeout=60_000)
    page.wait_for_function(f"({FILLED})() > 0", timeout=60_000)
    return page.evaluate(LOCATIONS), page.evaluate(FILLED)


def test_map_draws_neighbourhood_shapes(app_url, page):
    shapes = []
    page.on("requestfinished", lambda r: shapes.append(r.url) if "/app/static/geo/" in r.url else None)
    page.goto(app_url + "/map", wait_until="networkidle")
    locations, filled = _wait_for_map(page)
    assert locations == 1060  # every LSOA 2021 of the ICB
    assert filled == 1060  # and every one drawn, with no tiles
    # no area drawn as "the rest of the world" (a ring wound the wrong way fills the whole map): the
    # widest neighbourhood spans well under half the map
    widest = page.evaluate(f"""() => {{ const gd = {MAP}; const frame = gd.querySelector('.geo .bglayer, .geo')
      .getBoundingClientRect(); return Math.max(...[...gd.querySelectorAll('path.choroplethlocation')]
      .map(p => p.getBoundingClientRect().width)) / frame.width; }}""")
    assert 0 < widest < 0.5
    assert page.locator('[data-testid="stException"]').count() == 0
    # the figure names the shapes' URL (the app's static files) and this new browser context fetched them
    # once for both map traces; the filled count above shows the fetch worked
    geojson = page.evaluate(f"() => ({MAP}).data.filter(t => t.type === 'choropleth').map(t => t.geojson)")
    assert geojson and all(isinstance(g, str) and g.startswith("app/static/geo/map_lsoa_2025_") for g in geojson)
    assert len(shapes) == 1


def test_table_download_is_disclosure_controlled(app_url, page):
    # below ICB level counts 1-4 are hidden and the others rounded to the nearest 5 (DESIGN.md,
    # disclosure control)
    page.goto(app_url + "/map", wait_until="networkidle")
    _wait_for_map(page, "n == 1060")
    button = page.get_by_role("button", name="Download table (CSV, disclosure-controlled)")
    with page.expect_download(timeout=30_000) as download:
        button.click()
    assert download.value.suggested_filename == "lsc_lsoa_2025.csv"
    table = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(table) == 1060 and table["code"].str.startswith("E01").all()
    for column in ("referrals", "people_accessing"):  # (population 0-5 is a published ONS estimate)
        shown = table[column].dropna()
        assert len(shown) > 500 and (shown % 5 == 0).all() and not shown.between(1, 4).any(), column
    hidden = table["referrals"].isna()
    assert hidden.any() and table.loc[hidden, "rate_per_1000"].isna().all()  # no rate from a hidden count


def test_map_draws_without_webgl(app_url, browser):
    # remote desktops and old projector laptops often have no WebGL: the map is SVG and must not need it
    no_webgl = browser.browser_type.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-webgl", "--disable-3d-apis"]
    )
    try:
        page = no_webgl.new_page(viewport={"width": 1280, "height": 720})
        page.goto(app_url + "/map", wait_until="networkidle")
        assert page.evaluate("() => !document.createElement('canvas').getContext('webgl')")  # really none
        assert _wait_for_map(page, "n == 1060") == (1060, 1060)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        no_webgl.close()


def test_chart_preload_is_hidden(app_url, page):
    page.goto(app_url + "/", wait_until="networkidle")
    page.locator('[data-testid="stMain"] .js-plotly-plot').first.wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    preload = page.locator(".st-key-chart_library_preload")
    assert preload.count() == 1
    # its <style> arrives in the same run; on a busy machine the browser may apply it a moment after the chart
    # appears, so wait (bounded) for it to take effect, then check it holds
    preload.wait_for(state="hidden", timeout=15_000)
    assert not preload.is_visible()
    assert preload.bounding_box() is None  # takes no space in the sidebar
    assert preload.locator(".js-plotly-plot").count() == 1  # the chart code was loaded through it


def test_place_filter_changes_the_map_and_url_restores_it(app_url, page, browser):
    page.goto(app_url + "/map", wait_until="networkidle")
    _wait_for_map(page, "n == 1060")
    # open the Place picker once the script has finished (a click that lands during a rerun focuses the
    # box without opening it), then pick Blackpool
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    picker = page.get_by_role("combobox", name="Place")
    picker.click()
    if picker.get_attribute("aria-expanded") != "true":
        picker.press("ArrowDown")
    page.get_by_role("option", name="Blackpool").click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('place=Blackpool')", timeout=30_000)
    locations, filled = _wait_for_map(page, "n == 94")
    assert locations == 94 and filled == 94
    shared = page.url
    other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    other.goto(shared, wait_until="networkidle")
    locations, _ = _wait_for_map(other, "n > 0")
    assert locations == 94
    assert "Blackpool" in other.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()


def test_clicking_a_neighbourhood_opens_its_profile(app_url, page):
    page.goto(app_url + "/map?metric=population", wait_until="networkidle")
    _wait_for_map(page, "n == 1060")
    plot = page.locator('[data-testid="stMain"] .js-plotly-plot').first
    plot.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # let the map settle before clicking
    box = plot.bounding_box()
    for attempt in range(3):  # a click that lands while the map redraws is not registered: try again
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * (0.55 + 0.03 * attempt))
        try:
            page.wait_for_function("() => window.location.search.includes('area=E01')", timeout=10_000)
            break
        except Exception:
            continue
    code = page.evaluate("() => new URLSearchParams(window.location.search).get('area')")
    assert code and code.startswith("E01")
    heading = page.locator("h3", has_text=code)
    heading.wait_for(timeout=30_000)
    assert code in heading.inner_text()


POINT = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout && g.layout.title &&
      g.layout.title.text.includes('Neighbourhoods (LSOA)'));
  if (!gd) return null;
  gd.scrollIntoView();
  // the highest point: isolated, so the click cannot land on a neighbour drawn on top of it
  let best = null;
  for (const t of gd._fullData.filter(t => t.mode === 'markers' && t.customdata && t.customdata.length)) {
    t.y.forEach((y, i) => { if (best === null || y > best.y) best = {x: t.x[i], y: y, code: t.customdata[i][0]}; });
  }
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  return {x: box.left + xa._offset + xa.d2p(best.x), y: box.top + ya._offset + ya.d2p(best.y), code: best.code};
}"""


def test_clicking_a_funnel_point_opens_the_same_neighbourhood_on_the_map(app_url, page):
    page.goto(app_url + "/core20", wait_until="networkidle")
    heading = page.get_by_text("4. Neighbourhood funnel plot")
    heading.wait_for(timeout=60_000)
    heading.scroll_into_view_if_needed()
    page.wait_for_function(f"({POINT})() !== null", timeout=60_000)
    page.wait_for_timeout(1500)
    point = page.evaluate(POINT)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("() => window.location.pathname.endsWith('/map')", timeout=30_000)
    page.locator("h3", has_text=point["code"]).wait_for(timeout=60_000)
    assert f"area={point['code']}" in page.url


NOT_RUNNING = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# the Map's table (the first in the main column): its grid's scroller
RANKED = """() => { const grid = document.querySelector('[data-testid=stMain] [data-testid=stDataFrame]');
  const s = grid && grid.querySelector('.dvn-scroller');
  return s && {scroll: s.scrollWidth, client: s.clientWidth}; }"""


def test_ranked_table_fits_1280_px_without_scrolling_sideways(app_url, page):
    page.goto(app_url + "/map?place=Blackpool")
    page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
    page.wait_for_selector(NOT_RUNNING, timeout=60_000)
    assert page.viewport_size == {"width": 1280, "height": 720}
    page.wait_for_function(f"({RANKED})() !== null && ({RANKED})().client > 0", timeout=30_000)
    width = page.evaluate(RANKED)
    assert width["scroll"] <= width["client"], width
