"""The Import and Data quality pages (Streamlit AppTest), each on its own temporary store."""

from __future__ import annotations

from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from data.store import replace_all
from equity.access import Access, everything
from equity.settings import REPO_ROOT

IMPORT_PAGE = str(REPO_ROOT / "pages" / "admin" / "import_data.py")
QUALITY_PAGE = str(REPO_ROOT / "pages" / "admin" / "data_quality.py")
CSV = (
    b"UniqServReqID,Referral Date,AgeServReferRecDate,EthnicCategory,LSOA2011\n"
    b"A1,01/02/2024,3,A,E01012571\n"
    b"A2,01/02/2024,9,=cmd,E01012571\n"
    b"A3,02/02/2024,1,99,E01000001\n"
)


def referral_count(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM referrals").fetchall()[0][0]
    finally:
        con.close()


def as_admin(at: AppTest) -> AppTest:
    """The page as an administrator sees it (app.py's sign-in gate puts the access in session state)."""
    at.session_state["_access"] = everything("idp|admin", "Ada Admin", "signed_in")
    return at


def test_quality_page_on_demo_data(store):
    at = AppTest.from_file(QUALITY_PAGE, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Data quality"
    assert any("Demo data" in w.value for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Referrals in the store"] == "12,000"
    assert metrics["Unknown ethnicity"].endswith("%") and metrics["LSOA resolved"] == "100.0%"
    assert metrics["Records outside L&SC"] == "0"
    assert [s.value for s in at.subheader] == [
        "Completeness and validity by field, L&SC ICB",
        "Completeness by Place",
        "Unknown ethnicity, L&SC ICB",
        "How each referral's neighbourhood was found, L&SC ICB",
        "Outcome measures recorded, L&SC ICB",
        "Rejected rows by import, column and reason",
        "Import history",
    ]
    places = at.dataframe[1].value
    assert list(places["Place"])[-1] == "Place not known (no LSOA)"
    assert all(v == "*" or int(v.replace(",", "")) % 5 == 0 for v in places["Referrals"])  # disclosure control
    assert all("data date" in c.value for c in at.caption if "Number" in c.value)


def test_import_page_upload_validate_import_and_roll_back(store):
    before = referral_count(store)
    at = as_admin(AppTest.from_file(IMPORT_PAGE, default_timeout=60)).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Import referrals"
    at.file_uploader(key="import_file").set_value(("extract.csv", CSV, "text/csv")).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="map_referral_date").value == "Referral Date"  # matched without case or spaces
    assert at.selectbox(key="map_lsoa_code").value == "LSOA2011"
    at.button(key="import_validate").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["3", "1", "2", "0"]
    reasons = at.dataframe[1].value
    assert sorted(reasons["Reason"]) == sorted(
        ["age outside 0-5", "unknown ethnic category code (use A-S, Z or 99)", "outside L&SC"]
    )
    assert at.get("download_button")  # rejected rows can be downloaded
    assert at.button(key="import_confirm").disabled  # the demo data needs a decision first
    at.radio(key="import_demo_choice").set_value("Replace the demo data with this extract").run()
    at.button(key="import_confirm").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "import #1: 3 rows read: 1 accepted, 2 rejected; 1 inserted, 0 updated, 0 unchanged, 12,000 demo rows removed"
    ]
    assert referral_count(store) == 1
    at.checkbox(key="rollback_confirm").check().run()
    at.button(key="rollback_button").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("rolled back import #1 (extract.csv)")
    assert referral_count(store) == before


def test_import_page_unreadable_file_is_an_error_not_a_traceback(store):
    at = as_admin(AppTest.from_file(IMPORT_PAGE, default_timeout=60)).run()
    at.file_uploader(key="import_file").set_value(("empty.csv", b"referral_id\n", "text/csv")).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This file cannot be imported: empty.csv has a header row but no data rows"]


def test_import_page_mapping_can_be_corrected(store):
    data = b"Ref,Received,Age\nB1,03/03/2024,2\n"
    at = as_admin(AppTest.from_file(IMPORT_PAGE, default_timeout=60)).run()
    at.file_uploader(key="import_file").set_value(("odd.csv", data, "text/csv")).run()
    assert not at.exception
    assert at.error[0].value == "Map the required column(s) before validating: referral_id, referral_date."
    at.selectbox(key="map_referral_id").set_value("Ref")
    at.selectbox(key="map_referral_date").set_value("Received").run()
    assert not at.error
    at.button(key="import_validate").click().run()
    assert [m.value for m in at.metric][:3] == ["1", "1", "0"]


def test_after_a_store_change_no_page_shows_the_old_figures(store, demo_frame, areas_2025):
    """The Import page calls forget_store_results after an import or rollback: the Map's table and its
    kept figure both show the new store, even when its kind, description and data date are unchanged."""
    import json

    from ui.importing import forget_store_results

    def blackpool_referrals() -> tuple[str, float]:
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
        at.query_params["level"] = "place"
        at.query_params["metric"] = "population"
        at.run()
        at.switch_page("pages/explore/map.py").run()
        assert not at.exception, at.exception
        table = at.main.dataframe[0].value
        shown = dict(zip(table["Area"], table["Children accessing"], strict=True))["Blackpool"]
        traces = json.loads(at.main.get("plotly_chart")[0].proto.spec)["data"]
        maps = [t for t in traces if t["type"] == "choropleth"]
        hover = [row for t in maps for row in t["customdata"] if row[0] == "Blackpool"]
        return shown, json.dumps(hover)

    before_table, before_hover = blackpool_referrals()
    blackpool = set(areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_code"])
    last_day = demo_frame["referral_date"].max()  # kept, so the data date (and the map's source line) stay
    in_blackpool = demo_frame["lsoa21_code"].isin(blackpool)
    kept = demo_frame[~in_blackpool | (demo_frame["referral_date"] == last_day) | (demo_frame.index % 2 == 0)]
    replace_all(store, kept, kind="demo", description="Demo data: seed 20231, 12,000 referrals")
    forget_store_results()
    after_table, after_hover = blackpool_referrals()
    assert after_table != before_table
    assert after_hover != before_hover  # the map's hover counts changed too: its kept figure was dropped


def test_import_page_needs_the_data_manager_role_for_every_place(store):
    analyst = Access(user_id="idp|bea", display_name="Bea", roles={"Blackpool": "data_manager"})
    at = AppTest.from_file(IMPORT_PAGE, default_timeout=60)
    at.session_state["_access"] = analyst
    at.run()
    assert not at.exception, at.exception
    assert any("data manager role for all Places" in w.value for w in at.warning)
    assert not at.get("file_uploader")
