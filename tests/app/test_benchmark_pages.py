"""Benchmarking on the pages (issue 16, point 1): the sidebar's benchmark, the comparison written in the
Overview's table and drawn in its bars, the L&SC line at L&SC's own value when a Place is selected, and
Trends naming the selected Place instead of 'Selected areas'.

The expected figures are the demo store's published overview (``python -m equity table
overview_headline``): L&SC ICB referrals 12,000 of 111,615 children (107.5 per 1,000); Blackpool 1,885 of
9,693 (194.5; 95% Byar 185.8 to 203.5), so Blackpool is higher than L&SC at both levels; South Cumbria has
1,687 of its 9,682 children in Core20 areas (17.4%; Wilson 95% about 16.7% to 18.2%), below England's 20%.
"""

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest

from equity.settings import REPO_ROOT


def _run(**query):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _bars(at):
    return json.loads(at.main.get("plotly_chart")[0].proto.spec)


def test_one_place_keeps_the_lsc_line_at_lsc_and_compares_with_it(demo_store):
    at = _run(place="Blackpool")
    assert at.selectbox(key="benchmark").value == "L&SC"
    spec = _bars(at)
    lines = [s for s in spec["layout"]["shapes"] if s.get("type") == "line"]
    assert len(lines) == 1
    assert round(lines[0]["x0"], 1) == 107.5  # L&SC's own rate, not Blackpool's 194.5
    labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert "L&SC 107.5" in labels
    bar = spec["data"][0]
    assert bar["y"] == ["Blackpool"]
    assert bar["marker"]["color"] == ["#C2CCFF"]  # Fingertips 'higher' (no polarity: referrals are demand)
    assert bar["text"] == ["194.5 · higher"]
    table = at.main.dataframe[0].value
    assert list(table["Area"]) == ["Total of selected areas", "Blackpool"]
    assert list(table["Referrals vs L&SC"]) == ["higher (95% and 99.8%)"] * 2
    assert list(table["Access vs L&SC"]) == ["better (95% and 99.8%)"] * 2


def test_a_place_benchmark_from_the_url(demo_store):
    at = _run(bench="Lancashire")
    assert at.selectbox(key="benchmark").value == "Lancashire"
    table = at.main.dataframe[0].value
    words = dict(zip(table["Area"], table["Referrals vs Lancashire"], strict=True))
    assert words["Lancashire"] == "similar"  # compared with itself
    assert words["Blackpool"].startswith("higher")
    assert words["South Cumbria"].startswith("lower")  # 82.6 (77.0 to 88.6) against 98.6
    spec = _bars(at)
    labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert "L&SC 107.5" in labels and "Lancashire 98.6" in labels
    assert at.query_params["bench"] == ["Lancashire"] or at.query_params["bench"] == "Lancashire"


def test_england_is_the_benchmark_only_where_national_data_exist(demo_store):
    at = _run(bench="England")
    table = at.main.dataframe[0].value
    core20 = dict(zip(table["Area"], table["Core20 children vs England"], strict=True))
    assert core20["South Cumbria"] == "lower (95% and 99.8%)"  # 17.4% against England's 20%
    assert core20["Blackpool"] == "higher (95% and 99.8%)"  # 57.0%
    # no England referral rate: referrals are compared with L&SC, and the column says so
    assert "Referrals vs L&SC" in table.columns


def test_trends_names_the_selected_place(demo_store):
    at = _run(place="Blackpool")
    at.switch_page("pages/explore/trends.py").run()
    assert not at.exception, at.exception
    title = json.loads(at.main.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert "Selected areas" not in title
    assert "Blackpool" in title.split("<br>")[0]
    assert at.selectbox(key="spc_area").options[0] == "Blackpool"


def _map(**query):
    at = _run(**query)
    at.switch_page("pages/explore/map.py").run()
    assert not at.exception, at.exception
    return at


def test_map_areas_coloured_by_comparison_with_lsc(demo_store):
    at = _map(metric="access_vs_benchmark", level="place")
    spec = json.loads(at.main.get("plotly_chart")[0].proto.spec)
    area = [t for t in spec["data"] if t["type"] == "choropleth" and t.get("showscale", True) is not False][-1]
    assert area["colorbar"]["ticktext"] == ["worse", "similar", "better"]
    assert "(L&SC)" in spec["layout"]["title"]["text"]
    table = at.main.dataframe[0].value
    # against L&SC (ratio 1 by construction) the map's categories are the table's 'compared with expected'
    words = {"significantly below": 0, "similar": 1, "significantly above": 2}
    by_name = dict(zip(table["Area"], table["Compared with expected"].map(words), strict=True))
    names = [row[1] for row in area["customdata"]]
    z = area["z"]
    if isinstance(z, dict):  # plotly.js typed array
        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).tolist()
    assert [by_name[n] for n in names] == z


def test_map_table_compares_with_a_place_benchmark(demo_store):
    at = _map(bench="Blackpool", level="place")
    table = at.main.dataframe[0].value
    words = dict(zip(table["Area"], table["Compared with Blackpool"], strict=True))
    assert words["Blackpool"] == "similar"  # compared with itself
    assert set(words.values()) <= {"better", "similar", "worse"}


def test_ranked_table_colours_keep_whole_number_ranks():
    import pandas as pd

    from ui.explorer import styled_ranked

    frame = pd.DataFrame(
        {
            "Area": ["A", "B"],
            "Rank in Place": pd.array([1, None], dtype="Int64"),
            "Compared with expected": ["significantly below", "*"],
        }
    )
    html = styled_ranked(frame).to_html()
    assert ">1<" in html and "1.000000" not in html
    assert "background-color: #C00000;\n  color: #FFFFFF;" in html  # below expected: Fingertips worse
