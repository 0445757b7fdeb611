"""Text alternatives of charts (charts.describe.describe): one sentence per figure, checked word for word
on small figures built by the house builders, with the expected sentences written by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from charts.bars import rate_bars
from charts.core20 import coverage_dots, funnel_chart, gradient_chart, quarterly_chart
from charts.describe import describe, number, plain, title_of
from charts.maps import choropleth_map
from charts.provision import provision_matrix
from charts.sites import interval_dots, source_mix_bars
from charts.spc import spc_chart
from equity.spc import xmr

KW = dict(subtitle="Sub <b>title</b>", source="Source: test")
PLACES = pd.DataFrame(
    {
        "group_name": ["Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria"],
        "rate_per_1000": [98.1, None, 60.0, 41.2],
        "lower_95": [90.0, None, 55.0, 38.0],
        "upper_95": [106.0, None, 65.0, 44.0],
    }
)


def test_helpers():
    assert plain("<b>Blackpool</b><br>009A &amp; more") == "Blackpool 009A & more"
    assert number(98.14) == "98.1" and number(0.853) == "0.85" and number(1200.0) == "1,200" and number(0) == "0"
    assert number(45.0, "%") == "45%"


def test_bar_chart_by_place():
    fig = rate_bars(
        frame=PLACES, label_column="group_name", rate_column="rate_per_1000", lower_column="lower_95",
        upper_column="upper_95", title="Referrals per 1,000 children aged 0-5, by Place", x_title="per 1,000",
        reference=70.0, reference_label="L&SC", **KW,
    )
    assert title_of(fig) == "Referrals per 1,000 children aged 0-5, by Place"
    assert describe(fig) == (
        "Bar chart: Referrals per 1,000 children aged 0-5, by Place. "
        "Highest Blackpool 98.1, lowest South Cumbria 41.2 (1 suppressed)."
    )


def test_grouped_bars_with_a_line_series():
    frame = pd.DataFrame(
        {"group": [1, 2, 3], "rate_per_1000": [80.0, 60.5, 40.0], "lower_95": [75.0, 55.0, 35.0],
         "upper_95": [85.0, 65.0, 45.0], "expected_rate_per_1000": [70.0, 60.0, 50.0]}
    )
    fig = gradient_chart(frame=frame, group_label="IMD quintile", title="Referrals by IMD quintile", **KW)
    assert describe(fig) == (
        "Bar chart: Referrals by IMD quintile. Observed (95% CI): highest 1 (most deprived) 80, lowest "
        "3 (least deprived) 40; Expected from need: highest 1 (most deprived) 70, lowest 3 (least deprived) 50."
    )


def test_stacked_bars_name_the_largest_part_of_each_bar():
    mix = pd.DataFrame(
        {"place": ["Blackpool", "Blackpool", "Lancashire", "Lancashire"],
         "source_label": ["GP", "Health visitor", "GP", "Health visitor"],
         "share": [0.6, 0.4, 0.3, 0.7], "referrals": [60, 40, 30, 70]}
    )
    fig = source_mix_bars(mix=mix, title="Who refers", **KW)
    assert describe(fig) == (
        "Bar chart: Who refers. Largest part of each bar, Blackpool: GP 60%; Lancashire: Health visitor 70%."
    )


def test_spc_line_chart():
    months = [dt.date(2024, m, 1) for m in range(1, 13)] + [dt.date(2025, 1, 1)]
    result = xmr([10, 12, 11, 13, 12, 11, 10, 12, 11, 13, 12, 11, 30], months)
    fig = spc_chart(result=result, title="Referrals received per month: L&SC ICB", y_title="referrals", **KW)
    assert describe(fig) == (
        "Line chart: Referrals received per month: L&SC ICB. Jan 2024 to Jan 2025: latest 30, highest "
        "Jan 2025 30, lowest Jan 2024 10; points: 12 common cause, 1 special cause: improvement."
    )


def test_line_over_quarters():
    frame = pd.DataFrame(
        {"quarter_label": ["2024 Q1", "2024 Q2", "2024 Q3"], "coverage_ratio": [0.9, 1.12, 1.0],
         "lower_95": [0.8, 1.0, 0.9], "upper_95": [1.0, 1.2, 1.1]}
    )
    fig = quarterly_chart(frame=frame, title="Core20 coverage ratio, by quarter", target=None, **KW)
    assert describe(fig) == (
        "Line chart: Core20 coverage ratio, by quarter. 2024 Q1 to 2024 Q3: latest 1.00, "
        "highest 2024 Q2 1.12, lowest 2024 Q1 0.90."
    )


def test_dot_charts():
    cov = pd.DataFrame(
        {"area": ["L&SC", "Blackpool"], "coverage_ratio": [1.1, 0.85], "lower_95": [1.0, 0.8],
         "upper_95": [1.2, 0.9], "need_adjusted_ratio": [0.9, 0.8], "need_lower_95": [0.8, 0.7],
         "need_upper_95": [1.0, 0.9]}
    )
    fig = coverage_dots(frame=cov, title="Core20 coverage, by Place", target=None, **KW)
    assert describe(fig) == (
        "Dot chart: Core20 coverage, by Place. Against population share: highest L&SC 1.10, lowest Blackpool "
        "0.85; Against need share: highest L&SC 0.90, lowest Blackpool 0.80."
    )
    shares = PLACES.assign(share=[0.42, None, 0.5, 0.61])
    fig = interval_dots(
        frame=shares, label_column="group_name", value_column="share", lower_column="share",
        upper_column="share", percent=True, x_title="%", title="Referrals with a first contact", **KW,
    )
    assert describe(fig) == (
        "Dot chart: Referrals with a first contact. Highest South Cumbria 61%, lowest Blackpool 42% "
        "(1 suppressed)."
    )


def test_funnel_scatter():
    points = pd.DataFrame(
        {"code": ["E01", "E02", "E03"], "name": ["A", "B", "C"], "place": ["Blackpool"] * 3,
         "imd_decile": [1, 2, 10], "x": [100, 200, 300], "y": [10.0, 30.0, 20.5]}
    )
    limits = pd.DataFrame(
        {"x": [100, 300], "target": [20, 20], "lower_95": [5, 10], "upper_95": [35, 30], "lower_998": [1, 5],
         "upper_998": [40, 35]}
    )
    fig = funnel_chart(points=points, limits=limits, kind="access_rate", title="Neighbourhoods: access", **KW)
    assert describe(fig) == (
        "Scatter plot: Neighbourhoods: access. 3 points (IMD quintile 1 (most deprived) 2, IMD quintile 5 "
        "(least deprived) 1); children accessing per 1,000 aged 0-5 from 10 to 30."
    )


def _square(code: str, x: float) -> dict:
    ring = [[x, 0], [x, 1], [x + 1, 1], [x + 1, 0], [x, 0]]  # clockwise
    return {"type": "Feature", "id": code, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_choropleth_map():
    frame = pd.DataFrame(
        {"code": ["A", "B", "C"], "name": ["Blackpool 009A", "Lancaster 001B", "Preston 002C"],
         "rate": [98.1, np.nan, 41.2]}
    )
    geojson = {"type": "FeatureCollection", "features": [_square(c, i) for i, c in enumerate(frame["code"])]}
    fig = choropleth_map(
        geojson=geojson, frame=frame, id_column="code", value_column="rate", hover_fields=frame[["name"]],
        title="Referrals per 1,000 children aged 0-5, by LSOA 2021", colorbar_title="per 1,000<br>aged 0-5",
        bounds=(0, 0, 3, 1), **KW,
    )
    assert describe(fig) == (
        "Map: Referrals per 1,000 children aged 0-5, by LSOA 2021. 2 areas shaded, key \u201cper 1,000 aged 0-5\u201d: "
        "highest Blackpool 009A 98.1, lowest Preston 002C 41.2; 1 area suppressed or with no data."
    )


def test_provision_grid():
    matrix = pd.DataFrame(
        {"place": ["Blackpool", "Blackpool", "Lancashire", "Lancashire"], "support_element": [1, 2, 1, 2],
         "element_name": ["Universal", "Targeted"] * 2, "thrive_category": ["Getting advice"] * 4,
         "status": ["Full provision", "No provision", "Full provision", "Unknown"], "note": [""] * 4}
    )
    fig = provision_matrix(matrix=matrix, title="Provision by support element and Place", **KW)
    assert describe(fig) == (
        "Grid: Provision by support element and Place. 2 rows by 2 columns (Blackpool, Lancashire); "
        "cells: Full 2, None 1, Unknown 1."
    )
