"""Every chart and table on the pages can go into the board pack (issue 16, point 6): the Core20 "trend of
the gap" button adds the quarterly chart (it used to add the inequality table), and any other chart or
table is added as shown (a 'snapshot' item) and builds into the pack."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from equity.settings import REPO_ROOT
from publish import pack_items


def _page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _items(at: AppTest) -> list[dict]:
    return at.session_state["board_pack"]["items"] if "board_pack" in at.session_state else []


def _pack_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key and b.key.startswith("pack_")]


@pytest.mark.parametrize(
    "page",
    [
        "pages/explore/overview.py",
        "pages/explore/map.py",
        "pages/explore/core20.py",
        "pages/explore/trends.py",
        "pages/services/provision.py",
        "pages/services/reach.py",
    ],
)
def test_every_chart_on_a_page_has_a_board_pack_button(demo_store, page):
    at = _page(page)
    charts = at.get("plotly_chart")
    assert charts
    assert len(_pack_buttons(at)) >= len(charts), page


def test_core20_trend_of_the_gap_adds_the_quarterly_chart(settings, demo_store):
    at = _page("pages/explore/core20.py")
    at.button(key="pack_c20_quarterly").click().run()
    assert not at.exception, at.exception
    item = _items(at)[-1]
    assert item["kind"] == "core20_quarterly"
    assert item["spec"] == {"measure": "referrals", "target": None}
    content = pack_items.build(item["kind"], settings, at.session_state["selection"], item["spec"])
    on_page = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "by quarter" in c.proto.spec)
    assert content.title in on_page["layout"]["title"]["text"]
    # NHS financial quarters: 'Q1 2023/24' (April to June 2023) onwards
    labels = list(content.figure.data[-1].x)
    assert labels[0] == "Q1 2023/24" and all(label.startswith("Q") and "/" in label for label in labels)


def test_any_chart_or_table_is_added_as_shown_and_builds(settings, demo_store):
    at = _page("pages/explore/core20.py")
    at.button(key="pack_snap_c20_funnel").click().run()
    at.button(key="pack_snap_c20_coverage_table").click().run()
    assert not at.exception, at.exception
    funnel, table = _items(at)[-2:]
    assert funnel["kind"] == table["kind"] == "snapshot"
    assert at.button(key="pack_snap_c20_funnel").label == "In board pack"
    shown = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Neighbourhoods (LSOA)" in c.proto.spec)
    content = pack_items.build("snapshot", settings, at.session_state["selection"], funnel["spec"])
    assert content.title == shown["layout"]["title"]["text"].split("<br>")[0]
    assert len(content.figure.data) == len(shown["data"])
    page_table = at.main.dataframe[0].value
    built = pack_items.build("snapshot", settings, at.session_state["selection"], table["spec"]).table
    assert list(built.columns) == [str(c) for c in page_table.columns]
    assert len(built) == len(page_table)


def test_a_snapshot_spec_is_checked():
    with pytest.raises(pack_items.PackItemError, match="exactly one of 'figure' or 'table'"):
        pack_items.validate("snapshot", {})
    with pytest.raises(pack_items.PackItemError, match="row 2 has 1 values, expected 2"):
        pack_items.validate("snapshot", {"table": {"columns": ["a", "b"], "rows": [["1", "2"], ["3"]]}})
