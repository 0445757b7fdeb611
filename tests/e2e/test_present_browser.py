"""Present mode on a projector (issue 16, point 5): at 1280 x 720 every slide's chart, title and notes
fit without scrolling, the keys a presentation clicker sends (Page Down / Page Up) and the arrow keys move
between slides, and there is no header bar (toolbar, Deploy menu)."""

import re

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
COUNTER = re.compile(r"^(\d+) / (\d+)$")


def _settle(page) -> None:
    page.wait_for_timeout(400)
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_timeout(800)


def _slide(page) -> tuple[int, int]:
    text = page.get_by_text(COUNTER).first.inner_text()
    number, count = COUNTER.match(text.strip()).groups()
    return int(number), int(count)


def _scroll(page) -> tuple[int, int]:
    return tuple(
        page.evaluate(
            "() => { const m = document.querySelector('[data-testid=stMain]'); "
            "return [m.scrollHeight, m.clientHeight] }"
        )
    )


def test_present_fits_1280_by_720_and_keys_move_slides(app_url, page):
    assert page.viewport_size == {"width": 1280, "height": 720}
    page.goto(f"{app_url}/present", wait_until="domcontentloaded")
    page.wait_for_selector(READY, timeout=90_000)
    page.locator("[class*=st-key-present_chart] .js-plotly-plot").first.wait_for(timeout=60_000)
    _settle(page)
    assert not page.locator('header[data-testid="stHeader"]').is_visible()
    assert page.get_by_text("Deploy").count() == 0
    number, count = _slide(page)
    assert number == 1 and count >= 4
    for expected in range(1, count + 1):
        assert _slide(page)[0] == expected
        height, visible = _scroll(page)
        assert height <= visible, f"slide {expected} scrolls: {height} px of content in {visible} px"
        if expected < count:
            page.keyboard.press("PageDown")
            _settle(page)
    page.keyboard.press("PageUp")
    _settle(page)
    assert _slide(page)[0] == count - 1
    page.keyboard.press("ArrowLeft")
    _settle(page)
    assert _slide(page)[0] == count - 2
    page.keyboard.press("ArrowRight")
    _settle(page)
    assert _slide(page)[0] == count - 1
