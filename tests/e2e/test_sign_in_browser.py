"""Sign-in through a real OpenID Connect provider running offline on localhost (oidc-provider-mock), for a
Blackpool place analyst and an ICS viewer: what each can and cannot see; and no page gives a visitor who is
not signed in any data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from cli.main import main as cli_main
from tests.e2e.conftest import running_app
from tests.e2e.test_map_browser import MAP
from ui.serve import free_port

pytestmark = pytest.mark.e2e

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGES = [
    "",
    "map",
    "core20",
    "trends",
    "outcomes",
    "provision",
    "reach",
    "parity",
    "board-pack",
    "present",
    "import",
    "data-quality",
    "admin",
]
ANALYST = {"sub": "analyst@blackpool.example", "email": "analyst@blackpool.example", "name": "Bea Analyst"}
VIEWER = {"sub": "viewer-7", "email": "viewer@lsc.example", "name": "Ian Viewer", "roles": ["lsc.ics.viewer"]}
POLICY = """
[[grant]]
email = "analyst@blackpool.example"
role = "place_analyst"
places = ["Blackpool"]

[[grant]]
claim = "roles"
value = "lsc.ics.viewer"
role = "viewer"
places = "all"
"""


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("oidc") / "oidc.log").open("w")
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for user in (ANALYST, VIEWER):
        args += ["--user-claims", json.dumps(user)]
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("oidc-provider-mock did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def signed_in_app(provider, demo_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("auth")
    store = folder / "store.duckdb"
    shutil.copyfile(demo_store, store)
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "e2e-test-only-cookie-secret"\n'
        'client_id = "dashboard"\nclient_secret = "e2e"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    policy = folder / "access.toml"
    policy.write_text(POLICY)
    env = {"EQUITY_ACCESS_FILE": str(policy)}
    with running_app(store, folder, "--secrets.files", str(secrets), env=env, port=port) as url:
        yield url, store


def _open(page, url):
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)  # the script has run and drawn
    page.wait_for_selector(READY, timeout=90_000)


def _sign_in(browser, url, user):
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    _open(page, url + "/")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_placeholder("sub").fill(user["sub"])
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(url + "/**", timeout=30_000)
    page.wait_for_selector(READY, timeout=90_000)
    page.get_by_text(f"Signed in as {user['name']}").wait_for(timeout=60_000)
    return page


LOCATIONS = (
    f"() => {{ const gd = {MAP}; "
    "return gd ? gd.data.filter(t => t.type === 'choropleth').flatMap(t => [...t.locations]) : null; }"
)


def _drawn(page, condition="n > 0"):
    """The areas the map of the page draws, once ``condition`` on their number ``n`` holds."""
    wait = f"(() => {{ const l = ({LOCATIONS})(); const n = l ? l.length : -1; return {condition}; }})()"
    page.wait_for_function(wait, timeout=60_000)
    return set(page.evaluate(LOCATIONS))


def test_no_page_gives_a_visitor_who_is_not_signed_in_any_data(signed_in_app, browser):
    url, _ = signed_in_app
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    for path in PAGES:
        page.goto(f"{url}/{path}?place=Blackburn+with+Darwen&level=lsoa")
        page.get_by_role("button", name="Sign in").wait_for(timeout=90_000)  # the gate's page, for every path
        page.wait_for_selector(READY, timeout=90_000)
        page.wait_for_timeout(1000)  # anything else the script would send has arrived
        main = page.locator('[data-testid="stMain"]')
        assert page.get_by_role("button", name="Sign in").count() == 1, path
        assert main.locator(".js-plotly-plot").count() == 0, path
        assert (
            main.locator('[data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stMetric"]').count() == 0
        )
        assert page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count() == 0, path
    context.close()


def test_blackpool_analyst_and_ics_viewer_see_what_their_roles_allow(signed_in_app, browser, areas_2025, capsys):
    url, store = signed_in_app
    blackpool = set(areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_code"])
    bwd = set(areas_2025.loc[areas_2025["place"] == "Blackburn with Darwen", "lsoa_code"])

    analyst = _sign_in(browser, url, ANALYST)
    _open(analyst, url + "/map?place=Blackburn+with+Darwen&level=lsoa&metric=population")  # a crafted link
    assert not _drawn(analyst, "n >= 0") & bwd  # no Blackburn with Darwen neighbourhood reaches the browser
    _open(analyst, url + "/map?place=Blackpool&level=lsoa&metric=population")
    assert _drawn(analyst, f"n == {len(blackpool)}") == blackpool
    assert analyst.get_by_text("Admin").count() == 0  # no Admin page in the navigation
    _open(analyst, url + "/import")
    assert analyst.get_by_text("need the data manager role for all Places").count() == 1
    analyst.context.close()

    viewer = _sign_in(browser, url, VIEWER)
    _open(viewer, url + "/map?level=lsoa&metric=population")
    drawn = _drawn(viewer)
    assert drawn == {"Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria"}  # Place level only
    assert viewer.locator('[data-testid="stSidebar"]').get_by_text("District (LAD)").count() == 0
    viewer.context.close()

    assert cli_main(["audit", "--action", "sign_in", "--format", "json", "--store", str(store)]) == 0
    events = json.loads(capsys.readouterr().out)
    names = {e["user_name"] for e in events}
    assert {"Bea Analyst", "Ian Viewer"} <= names
    assert all(e["user_id"].endswith(("|analyst@blackpool.example", "|viewer-7")) for e in events)
