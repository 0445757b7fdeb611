"""End to end: axe-core finds no serious or critical WCAG 2.2 A/AA violation on any page.

axe-core (npm package, ``axe.min.js``) is installed by ``make test`` into ``.cache/npm`` and injected
from that file, so the check runs offline. Each page is loaded in the real app (open demo mode on the
demo store), left to finish its script run, and checked against the WCAG 2.0, 2.1 and 2.2 level A and
AA rules; every serious or critical violation is printed with its rule id, help and first targets.
"""

from __future__ import annotations

import pytest

from equity.settings import REPO_ROOT

pytestmark = pytest.mark.e2e

AXE = REPO_ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
#: url path -> what marks the page's main content as drawn (Present has no page title)
PAGES = {
    "/": "h1",
    "/?place=Blackpool&bench=Lancashire": "h1",  # bars and cells in every comparison colour
    "/map": "h1",
    "/map?metric=access_vs_benchmark&bench=Blackpool&level=place": "h1",
    "/core20": "h1",
    "/trends": "h1",
    "/outcomes": "h1",
    "/parity": "h1",
    "/provision": "h1",
    "/reach": "h1",
    "/board-pack": "h1",
    "/present": ".js-plotly-plot, [data-testid='stTable']",
    "/import": "h1",
    "/data-quality": "h1",
}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE}): run `make test`, or "
            "`npm install --no-save --prefix .cache/npm axe-core@4.14.1`"
        )
    return str(AXE)


def _load(page, url: str, content: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"[data-testid='stMain'] :is({content})", timeout=90_000)
    page.wait_for_selector(IDLE, timeout=90_000)
    # charts drawn (Plotly adds its SVG after the script run ends), and no spinner left
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]')]"
        ".every(c => c.offsetParent === null || c.querySelector('.main-svg'))",
        timeout=60_000,
    )
    page.wait_for_selector(IDLE, timeout=60_000)


def serious_violations(page) -> list[dict]:
    """Run axe on the page; the violations of impact serious or critical."""
    page.add_script_tag(path=_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = []
        for n in v["nodes"][:3]:
            data = next((c.get("data") for c in n.get("any", []) if isinstance(c.get("data"), dict)), None) or {}
            colours = f" [{data['fgColor']} on {data['bgColor']}: {data['contrastRatio']}]" if "fgColor" in data else ""
            targets.append(" ".join(map(str, n["target"])) + colours)
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} node(s)): {v['help']} -- {'; '.join(targets)}")
    return "\n".join(lines)


def test_axe_core_is_installed():
    with open(_axe_source(), encoding="utf-8") as f:
        head = f.read(500)
    assert "axe v4.14.1" in head, f"{AXE} is not axe-core 4.14.1 (the Makefile's AXE_VERSION): delete .cache/npm"


@pytest.mark.parametrize("path", list(PAGES))
def test_page_has_no_serious_wcag_violations(app_url, page, path):
    axe = _axe_source()
    assert axe
    _load(page, app_url + path, PAGES[path])
    assert page.locator('[data-testid="stException"]').count() == 0
    found = serious_violations(page)
    report = describe(found)
    print(f"\naxe {path}: {len(found)} serious/critical violation(s)\n{report}")
    assert not found, f"axe-core found serious/critical WCAG A/AA violations on {path}:\n{report}"
