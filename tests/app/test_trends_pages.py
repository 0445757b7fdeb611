"""Trends, Board pack and Present pages on demo data (Streamlit AppTest, each page script run directly:
the app's sidebar is not part of these scripts, so the selection is the default or set in session state)."""

import io
import json

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from data import audit
from equity.access import Access
from equity.selection import Selection
from equity.settings import PLACES, REPO_ROOT

TRENDS = str(REPO_ROOT / "pages" / "explore" / "trends.py")
PRESENT = str(REPO_ROOT / "pages" / "board" / "present.py")
BOARDPACK = str(REPO_ROOT / "pages" / "board" / "boardpack.py")


def run(path: str, **state) -> AppTest:
    at = AppTest.from_file(path, default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def chart_spec(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def pack_item(kind: str, spec: dict, title: str = "", commentary: str = "", item_id: int = 1) -> dict:
    return {"id": item_id, "kind": kind, "spec": spec, "title": title, "commentary": commentary}


# --------------------------------------------------------------------------------------------
# Trends


def test_trends_page_draws_the_spc_chart_and_summary(demo_store):
    at = run(TRENDS)
    assert at.title[0].value == "Trends (SPC)"
    assert any("Demo data" in w.value for w in at.warning)
    spec = chart_spec(at)
    assert spec["layout"]["title"]["text"].startswith("Referrals received per month: L&SC ICB")
    names = {trace.get("name") for trace in spec["data"]}
    assert {"Mean", "Process limits", "Common cause"} <= names
    # the demo's 10% a year growth gives a recent run above the mean; referrals are demand, neutral by
    # default, so it is special cause variation (purple), not an improvement (review 14, finding 9c)
    assert "Special cause: neither better nor worse" in names
    assert "Special cause: improvement" not in names
    hovers = [a.get("hovertext") for a in spec["layout"]["annotations"] if a.get("hovertext")]
    assert "Special cause variation (high)" in hovers
    summary = at.dataframe[0].value
    assert len(summary) == 3 * 5  # three measures x (ICB + four Places)
    assert summary["Variation icon"].str.startswith("data:image/svg+xml;base64,").all()
    place_counts = summary[(summary["Area"] != "L&SC ICB") & (summary["Measure"] != "Core20 coverage ratio")]
    assert all(v == "*" or int(v.replace(",", "")) % 5 == 0 for v in place_counts["Latest"])


def test_target_and_rebase_change_the_chart(demo_store):
    at = run(TRENDS)
    at.radio(key="spc_measure").set_value("core20_coverage").run()
    assert not at.exception
    assert at.number_input(key="spc_target_core20_coverage").value == 1.0
    spec = chart_spec(at)
    assert spec["layout"]["title"]["text"].startswith("Core20 coverage ratio per month")
    assert any(s.get("y0") == 1.0 for s in spec["layout"]["shapes"])  # the target line
    assert any("**Assurance:**" in m.value for m in at.markdown)  # under the summary in words
    months = at.multiselect(key="spc_rebase").options
    at.multiselect(key="spc_rebase").select(months[23]).run()
    assert not at.exception
    spec = chart_spec(at)
    assert any(a.get("text") == "rebased" for a in spec["layout"]["annotations"])
    mean = next(t for t in spec["data"] if t.get("name") == "Mean")
    assert None in mean["y"]  # two segments: the mean line breaks at the rebase


def test_polarity_setting_recolours_special_causes(demo_store):
    at = run(TRENDS)
    assert at.selectbox(key="spc_polarity_referrals").value == "neutral"
    at.selectbox(key="spc_polarity_referrals").set_value("lower").run()
    assert not at.exception
    names = {trace.get("name") for trace in chart_spec(at)["data"]}
    assert "Special cause: concern" in names  # the recent run above the mean is now a concern
    hovers = [a.get("hovertext") for a in chart_spec(at)["layout"]["annotations"] if a.get("hovertext")]
    assert "Special cause concern (high)" in hovers
    at.button(key="pack_spc").click().run()
    assert at.session_state["board_pack"]["items"][0]["spec"]["polarity"] == "lower"


def test_add_to_board_pack_from_trends(demo_store):
    at = run(TRENDS)
    at.button(key="pack_spc").click().run()
    assert not at.exception
    items = at.session_state["board_pack"]["items"]
    assert [(i["kind"], i["spec"]["measure"], i["spec"]["area"]) for i in items] == [("spc", "referrals", "ICB")]
    assert at.button(key="pack_spc").disabled  # "In board pack"
    at.button(key="pack_summary").click().run()
    assert [i["kind"] for i in at.session_state["board_pack"]["items"]] == ["spc", "spc_summary"]


def test_trends_with_too_short_a_period(demo_store):
    import datetime as dt

    selection = Selection(date_from=dt.date(2026, 10, 5), date_to=dt.date(2026, 10, 31))
    at = run(TRENDS, selection=selection)
    assert any("Fewer than two complete months" in w.value for w in at.warning)
    assert not at.get("plotly_chart")


def test_trends_for_one_place(demo_store):
    at = run(TRENDS, selection=Selection(places=("Blackpool",)))
    # the selection's total is Blackpool itself: offered once, by name (not "Selected areas")
    assert at.selectbox(key="spc_area").options == ["Blackpool"]
    summary = at.dataframe[0].value
    assert len(summary) == 3  # one row per measure: the total is Blackpool, listed once


# --------------------------------------------------------------------------------------------
# Present


def test_present_empty_pack_shows_the_default_deck(demo_store):
    at = run(PRESENT)
    assert at.markdown[0].value == "**1 / 6**"  # 3 charts + the 15-row summary in pages of 5
    assert chart_spec(at)["layout"]["title"]["text"].startswith("Referrals per 1,000 children aged 0-5, by Place")
    at.button(key="present_next").click().run()
    assert not at.exception
    assert at.markdown[0].value == "**2 / 6**"
    spec = chart_spec(at)
    assert spec["layout"]["title"]["text"].startswith("Referrals received per month")
    assert spec["layout"]["font"]["size"] >= 19  # projector-sized type
    assert at.button(key="present_prev").disabled is False


def test_present_shows_the_pack_items_with_commentary(demo_store):
    pack = {
        "title": "T",
        "subtitle": "",
        "items": [
            pack_item("spc", {"measure": "access", "area": "Blackpool"}, "Access in Blackpool", "Waits are short.", 1),
            pack_item("inequality", {"measure": "referrals"}, "", "", 2),
        ],
    }
    at = run(PRESENT, board_pack=pack)
    assert at.markdown[0].value == "**1 / 3**"  # a chart, then the 9-row inequality table on two pages
    assert any("Access in Blackpool" in m.value for m in at.markdown)
    assert chart_spec(at)["layout"]["title"]["text"].startswith("Children with a first attended contact")
    at.button(key="present_next").click().run()
    assert not at.exception
    assert at.table[0].value.index[0] == "SII"
    at.button(key="present_next").click().run()
    assert at.button(key="present_next").disabled
    assert any("(continued)" in m.value for m in at.markdown)


# --------------------------------------------------------------------------------------------
# Board pack


@pytest.mark.slow
def test_board_pack_page_orders_comments_builds_and_downloads(demo_store):
    pack = {
        "title": "Equity pack",
        "subtitle": "",
        "items": [
            pack_item("overview_rates", {}, "", "", 1),
            pack_item("spc_summary", {}, "", "", 2),
        ],
    }
    clerk = Access(user_id="idp|clerk", display_name="Board Clerk", roles=dict.fromkeys(PLACES, "viewer"))
    at = run(BOARDPACK, board_pack=pack, board_pack_next_id=3, _access=clerk)
    assert at.title[0].value == "Board pack"
    at.button(key="pack_down_1").click().run()  # move the bar chart below the summary
    assert [i["kind"] for i in at.session_state["board_pack"]["items"]] == ["spc_summary", "overview_rates"]
    at.text_area(key="pack_commentary_1").input("Blackpool refers most.").run()
    assert at.session_state["board_pack"]["items"][1]["commentary"] == "Blackpool refers most."
    at.button(key="pack_build").click().run()
    assert not at.exception and not at.error
    files = at.session_state["pack_files"]["files"]
    prs = Presentation(io.BytesIO(files["pptx"]))
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]
    assert "Equity pack" in texts[0]
    assert "Blackpool refers most." in texts[2]
    assert files["pdf"].startswith(b"%PDF")
    built = audit.read(demo_store, action="boardpack_build")
    assert list(built["user_name"]) == ["Board Clerk"] and "overview_rates" in built["detail"].iloc[0]
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Download PowerPoint (.pptx)", "Download PDF", "Download config (JSON)"} <= set(labels)
    at.button(key="pack_remove_2").click().run()
    assert [i["kind"] for i in at.session_state["board_pack"]["items"]] == ["overview_rates"]
    assert any("changed since the files were built" in i.value for i in at.info)

