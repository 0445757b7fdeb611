"""The Provision and Reach pages (Streamlit AppTest), each on its own temporary demo store."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from data import audit
from equity import provision, sites
from equity.access import Access
from equity.settings import PLACES, REPO_ROOT

PROVISION_PAGE = str(REPO_ROOT / "pages" / "services" / "provision.py")
REACH_PAGE = str(REPO_ROOT / "pages" / "services" / "reach.py")


def _as(at, access):
    at.session_state["_access"] = access
    return at


ANN = Access(user_id="https://idp.example|ann", display_name="Ann Example", roles={"South Cumbria": "data_manager"})


def chart(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_provision_page_shows_matrix_beside_access(store):
    at = _as(AppTest.from_file(PROVISION_PAGE, default_timeout=90), ANN).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Provision by Place"
    assert any("Demo data" in w.value for w in at.warning)
    matrix = chart(at, 0)
    heatmap = next(t for t in matrix["data"] if t["type"] == "heatmap")
    assert heatmap["x"] == ["Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria"]
    texts = [a["text"] for a in matrix["layout"]["annotations"]]
    assert any("referrals per 1,000" in t for t in texts) and any(t.startswith("Source:") for t in texts)
    table = at.dataframe[0].value
    assert len(table) == 24 and {"Provision", "Referrals per 1,000 aged 0-5", "Note", "Source"} <= set(table.columns)
    shown = [v for v in table["Referrals"] if v != "*"]
    assert all(int(v.replace(",", "")) % 5 == 0 for v in shown)  # disclosure control below ICB level
    pairs = table[(table["Place"] == "Blackpool") & table["Support element"].str.startswith("4.")].iloc[0]
    assert pairs["Provision"] == "Full provision (Green)" and "Parent Infant Foundation" in pairs["Source"]
    history = at.dataframe[1].value
    assert len(history) == 24 and set(history["Who"]) == {provision.SEED_AUTHOR}
    labels = [b.label for b in at.get("download_button")]
    assert any("CSV" in label for label in labels) and any("SVG" in label for label in labels)


def test_editing_a_cell_is_saved_with_who_and_when(store):
    at = _as(AppTest.from_file(PROVISION_PAGE, default_timeout=90), ANN).run()
    assert at.selectbox(key="prov_place").options == ["South Cumbria"]  # only the Places Ann manages
    at.selectbox(key="prov_place").set_value("South Cumbria").run()
    at.selectbox(key="prov_element").set_value(6).run()
    assert at.selectbox(key="prov_status_South Cumbria_6").value == "Unknown"
    at.selectbox(key="prov_status_South Cumbria_6").set_value("In development")
    at.text_area(key="prov_note_South Cumbria_6").input("Crisis pathway being designed with CSC.")
    assert not at.text_input  # the name comes from the sign-in, not from a text box
    at.button(key="prov_save").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("Unknown → In development" in s.value and "Ann Example" in s.value for s in at.success)
    cell = provision.current_matrix(store).set_index(["place", "support_element"]).loc[("South Cumbria", 6)]
    assert cell["status"] == "In development" and cell["updated_by"] == "Ann Example"
    history = at.dataframe[1].value
    assert history.iloc[0]["Who"] == "Ann Example" and history.iloc[0]["Status"] == "Unknown → In development"
    events = audit.read(store, action="provision_edit")
    assert list(events["user_id"]) == [ANN.user_id] and "South Cumbria" in events["detail"].iloc[0]


def test_a_viewer_cannot_edit_the_matrix(store):
    viewer = Access(user_id="idp|v", display_name="Vic Viewer", roles=dict.fromkeys(PLACES, "viewer"))
    at = _as(AppTest.from_file(PROVISION_PAGE, default_timeout=90), viewer).run()
    assert not at.exception, at.exception
    # no editing buttons (adding a chart or table to the board pack is for every user)
    assert not [b for b in at.button if not b.key.startswith("pack_")]
    assert not [b for b in at.get("form_submit_button")]
    assert any("data manager role" in c.value for c in at.caption)


def test_reach_page_with_gp_practices_only(store):
    at = _as(AppTest.from_file(REACH_PAGE, default_timeout=120), ANN).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Service reach and pathway"
    assert not at.error, [e.value for e in at.error]
    site_map = chart(at, 0)
    markers = [t for t in site_map["data"] if t["type"] == "scattergeo" and t.get("showlegend")]
    assert [t["name"] for t in markers] == ["GP practice (196)"]
    assert site_map["layout"]["geo"]["visible"] is False  # a plain map: no base map or tiles to fetch
    assert markers[0]["marker"]["symbol"] == "circle" and "locations" not in site_map["data"][0]
    assert any("No Family Hub or specialist" in i.value for i in at.info)
    assert any("straight-line" in c.value for c in at.caption)
    assert at.selectbox(key="reach_type").value == "gp_practice"
    subheaders = [s.value for s in at.subheader]
    assert "Access by distance" in subheaders and "Add a site" in subheaders


BEA = Access(user_id="https://idp.example|bea", display_name="Bea Example", roles={"Blackpool": "data_manager"})


def test_adding_sites_on_the_reach_page(store):
    at = _as(AppTest.from_file(REACH_PAGE, default_timeout=120), BEA).run()
    at.text_input(key="site_name").input("Test Hub North")
    at.selectbox(key="site_type").set_value("family_hub")
    at.text_input(key="site_postcode").input("fy1 3jg")
    at.multiselect(key="site_elements").set_value([1, 3])
    at.button(key="site_add_button").click().run()
    assert not at.exception, at.exception
    assert any("Added site #1: Test Hub North" in s.value for s in at.success)
    stored = sites.user_sites(store)
    assert list(stored["name"]) == ["Test Hub North"] and stored.loc[0, "postcode"] == "FY1 3JG"
    assert stored.loc[0, "added_by"] == "Bea Example"  # the signed-in user, not a typed name
    assert list(audit.read(store, action="site_edit")["user_name"]) == ["Bea Example"]
    site_map = chart(at, 0)
    names = [t["name"] for t in site_map["data"] if t["type"] == "scattergeo" and t.get("showlegend")]
    assert "Family Hub (1)" in names
    assert not any("No Family Hub or specialist" in i.value for i in at.info)  # the farthest list is shown

    at.selectbox(key="reach_type").set_value("family_hub").run()
    assert not at.exception, at.exception
    coverage = chart(at, 1)
    assert "Family Hub" in coverage["layout"]["title"]["text"]

    csv = b"name,site_type,support_elements,postcode\nTest Base,PAIRS,4;5,FY4 3AD\nTest Bad,castle,3,FY4 3AD\n"
    at.file_uploader(key="sites_csv").set_value(("sites.csv", csv, "text/csv")).run()
    at.run()
    assert not at.exception, at.exception
    rejected = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert list(rejected["Row"]) == [3] and "type must be one of" in rejected["Problem"].iloc[0]
    at.button(key="sites_csv_add").click().run()
    assert not at.exception, at.exception
    assert any("Added 1 site(s) from sites.csv" in s.value for s in at.success)
    assert list(sites.user_sites(store)["name"]) == ["Test Hub North", "Test Base"]


def test_adding_a_site_with_a_bad_postcode_shows_an_error(store):
    at = _as(AppTest.from_file(REACH_PAGE, default_timeout=120), ANN).run()
    at.text_input(key="site_name").input("Test Venue")
    at.text_input(key="site_postcode").input("ZZ9 9ZZ")
    at.multiselect(key="site_elements").set_value([3])
    at.button(key="site_add_button").click().run()
    assert not at.exception, at.exception
    assert any("not found in the ONS Postcode Directory" in e.value for e in at.error)
    assert sites.user_sites(store).empty


def test_an_unusable_store_gives_the_true_reason_not_busy(store, monkeypatch):
    from data.store import StoreError

    def refuse(*args, **kwargs):
        raise StoreError(f"the referral store {store} is read-only")

    monkeypatch.setattr(provision, "update_cell", refuse)
    at = _as(AppTest.from_file(PROVISION_PAGE, default_timeout=90), ANN).run()
    at.selectbox(key="prov_status_South Cumbria_1").set_value("Some provision")
    at.button(key="prov_save").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [f"The change was not saved: the referral store {store} is read-only"]


def test_a_data_manager_changes_sites_of_their_own_places_only(store):
    at = _as(AppTest.from_file(REACH_PAGE, default_timeout=120), ANN).run()  # South Cumbria only
    at.text_input(key="site_name").input("Hub in Blackpool")
    at.selectbox(key="site_type").set_value("family_hub")
    at.text_input(key="site_postcode").input("FY1 3JG")
    at.multiselect(key="site_elements").set_value([1])
    at.button(key="site_add_button").click().run()
    assert not at.exception, at.exception
    assert any("in Blackpool is outside the Places you manage (South Cumbria)" in e.value for e in at.error)
    assert sites.user_sites(store).empty
