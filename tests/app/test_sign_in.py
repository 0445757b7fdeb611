"""Sign-in, roles and Place scope through app.py's gate (Streamlit AppTest with ``at.user``)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from data import audit
from data.store import replace_all
from equity.settings import REPO_ROOT
from ui import loaders

APP = str(REPO_ROOT / "app.py")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-not-a-secret",
    "client_id": "dashboard",
    "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
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
BLACKPOOL_ANALYST = {
    "is_logged_in": True, "iss": "http://idp.test", "sub": "bea", "email": "analyst@blackpool.example",
    "name": "Bea Analyst",
}
ICS_VIEWER = {
    "is_logged_in": True, "iss": "http://idp.test", "sub": "ian", "name": "Ian Viewer", "roles": ["lsc.ics.viewer"],
}


@pytest.fixture
def policy(store, tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(POLICY)
    monkeypatch.setenv("EQUITY_ACCESS_FILE", str(path))
    loaders.settings.clear()
    yield path
    loaders.settings.clear()


def app(user: dict | None, query: dict | None = None, auth: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if auth:
        at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def _real(elements) -> list:
    """Elements other than app.py's hidden, data-free chart and table preload (ui/preload.py)."""
    return [e for e in elements if not str(getattr(e, "key", "") or "").startswith("chart_library_preload")]


def _no_data(at: AppTest) -> None:
    assert not _real(at.get("plotly_chart")) and not at.main.dataframe and not at.metric and not at.table
    assert [list(d.value.columns) for d in at.sidebar.dataframe] in ([], [["preload"]])
    assert not at.get("download_button")


def test_a_visitor_who_is_not_signed_in_sees_only_the_sign_in_page(policy):
    # (no page is registered, so none can be switched to: st.navigation is never reached; the browser test
    # tests/e2e/test_sign_in_browser.py requests every page's URL)
    at = app({"is_logged_in": False}, {"place": "Blackpool", "level": "lsoa"})
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    _no_data(at)
    assert not at.sidebar.get("multiselect")  # not even the filters
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/explore/map.py")


def test_blackpool_analyst_sees_blackpool_neighbourhoods_only_even_with_a_crafted_url(policy, store, areas_2025):
    at = app(BLACKPOOL_ANALYST, {"place": "Blackburn with Darwen", "level": "lsoa", "metric": "population"})
    at.run()
    at.switch_page("pages/explore/map.py").run()
    assert not at.exception, at.exception
    table = at.main.dataframe[0].value
    assert table.empty  # Blackburn with Darwen chosen: no neighbourhood of it is published
    traces = json.loads(at.main.get("plotly_chart")[0].proto.spec)["data"]
    bwd = set(areas_2025.loc[areas_2025["place"] == "Blackburn with Darwen", "lsoa_code"])
    drawn = {loc for t in traces if t["type"] == "choropleth" for loc in t.get("locations", [])}
    assert not drawn & bwd
    at.sidebar.multiselect(key="places").set_value(["Blackpool"]).run()
    table = at.main.dataframe[0].value
    blackpool = areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_name"]
    assert len(table) == len(blackpool) and set(table["Area"]) <= set(blackpool)
    # ranked within Blackpool only: a rank across L&SC would draw on other Places' neighbourhoods
    assert "Rank in Place" in table.columns and "Rank in L&SC" not in table.columns
    assert any("Signed in as **Bea Analyst**" in c.value for c in at.sidebar.caption)
    events = audit.read(store, action="sign_in")
    assert list(events["user_id"]) == ["http://idp.test|bea"] and list(events["user_name"]) == ["Bea Analyst"]


def test_ics_viewer_gets_place_level_only(policy):
    at = app(ICS_VIEWER, {"level": "lsoa"})
    at.run()
    at.switch_page("pages/explore/map.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="map_level").options == ["Place"]
    table = at.main.dataframe[0].value
    assert sorted(table["Area"]) == ["Blackburn with Darwen", "Blackpool", "Lancashire", "South Cumbria"]
    assert not at.sidebar.multiselect(key="places").value  # the Place filter is there, districts are not
    assert "lads" not in [m.key for m in at.sidebar.multiselect]


def test_a_signed_in_user_without_a_grant_is_told_who_to_ask(policy):
    at = app({"is_logged_in": True, "iss": "http://idp.test", "sub": "zed", "email": "zed@elsewhere.example"})
    at.run()
    assert not at.exception, at.exception
    assert any("No access — ask your ICB data team" in e.value for e in at.error)
    _no_data(at)


def test_open_demo_mode_says_so_and_real_data_without_sign_in_refuses(store, demo_frame, monkeypatch):
    at = app(None, auth=False)
    at.run()
    assert any("Open demo mode: no sign-in; synthetic data" in i.value for i in at.info)
    replace_all(store, demo_frame.head(500), kind="real", description="Real referrals: extract.csv")
    loaders.store_info.clear()
    at = app(None, auth=False)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Sign-in is not configured"
    _no_data(at)
    monkeypatch.setenv("EQUITY_ALLOW_NO_SIGN_IN", "yes")
    loaders.settings.clear()
    at = app(None, auth=False)
    at.run()
    assert any("Sign-in is switched off" in w.value for w in at.warning)
    assert _real(at.get("plotly_chart"))  # the single trusted user sees the dashboard


def test_admin_page_is_for_administrators_and_lists_the_audit_trail(policy, store):
    from equity.access import Access, everything

    admin_page = str(REPO_ROOT / "pages" / "admin" / "audit.py")
    audit.record(store, user_id="idp|bea", user_name="Bea Analyst", action="download", detail={"what": "Map"})
    at = AppTest.from_file(admin_page, default_timeout=60)
    at.session_state["_access"] = everything("idp|ada", "Ada Admin", "signed_in")
    at.run()
    assert not at.exception, at.exception
    events = at.dataframe[0].value
    assert list(events["User"]) == ["Bea Analyst"] and list(events["Action"]) == ["download"]
    grants = at.dataframe[1].value
    assert list(grants["role"]) == ["place_analyst", "viewer"]
    viewer = Access(user_id="idp|ian", display_name="Ian", roles={"Blackpool": "viewer"})
    at = AppTest.from_file(admin_page, default_timeout=60)
    at.session_state["_access"] = viewer
    at.run()
    assert any("for administrators" in w.value for w in at.warning) and not at.dataframe
