"""End to end: every page works offline, with no request leaving the app's own server.

NHS networks often block or log outside hosts, and a projector laptop may have no network: the
issue asks for no external tiles, and the same goes for fonts, icons and scripts. A new browser
context (nothing cached) opens every page in turn and every request is recorded.
"""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e

PAGES = [
    "", "map", "core20", "provision", "reach", "parity", "trends", "outcomes", "board-pack", "present", "import",
    "data-quality",
]
SCRIPT_FINISHED = """() =>
  document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length > 2
  && document.querySelector('[data-testid="stStatusWidget"]') === null"""


def _host(url: str) -> str:
    parsed = urlparse(url)
    return "" if parsed.scheme in ("data", "blob", "about") else parsed.netloc


def test_no_page_requests_anything_outside_the_app(app_url, browser):
    own_host = urlparse(app_url).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    outside: dict[str, list[str]] = {}
    current = [""]
    page.on(
        "request",
        lambda r: outside.setdefault(current[0], []).append(r.url) if _host(r.url) not in ("", own_host) else None,
    )
    try:
        for path in PAGES:
            current[0] = f"/{path}"
            page.goto(f"{app_url}/{path}", wait_until="networkidle")
            page.wait_for_function(SCRIPT_FINISHED, timeout=60_000)
            page.wait_for_load_state("networkidle")  # late fetches: map shapes, icons
            assert page.locator('[data-testid="stException"]').count() == 0, f"/{path} shows an exception"
    finally:
        context.close()
    assert outside == {}, f"pages requested outside hosts: {outside}"
