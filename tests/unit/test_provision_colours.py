"""Provision status colours stay apart with deuteranopia, and every cell and bar says its status in words."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
import pytest

from charts.colour import delta_e, simulate_deuteranopia
from charts.provision import matrix_svg, provision_and_access, provision_matrix
from equity.provision import STATUS_LABELS, STATUSES

#: CIE76 ΔE: about 2.3 is just noticeable; 30 is a difference nobody misses in a small cell.
MIN_DELTA_E = 30


def test_simulation_matches_machado_2009():
    assert simulate_deuteranopia("#FFFFFF") == "#FFFFFF" and simulate_deuteranopia("#000000") == "#000000"
    # pure red and pure green collapse towards the same yellow-olive axis with deuteranopia
    red, green = simulate_deuteranopia("#FF0000"), simulate_deuteranopia("#00FF00")
    assert delta_e(red, green) < delta_e("#FF0000", "#00FF00") / 2
    assert delta_e("#1B7837", "#C0392B") > 50  # the old green and the red, seen with full colour vision ...
    assert delta_e(simulate_deuteranopia("#1B7837"), simulate_deuteranopia("#C0392B")) < MIN_DELTA_E  # ... not


@pytest.mark.parametrize("vision", ["normal", "deuteranopia"])
def test_every_pair_of_status_colours_is_clearly_different(vision):
    see = (lambda c: c) if vision == "normal" else simulate_deuteranopia
    colours = {label: see(STATUSES[label][2]) for label in STATUS_LABELS}
    close = {
        (a, b): round(delta_e(colours[a], colours[b]), 1)
        for a, b in combinations(STATUS_LABELS, 2)
        if delta_e(colours[a], colours[b]) < MIN_DELTA_E
    }
    assert not close, f"status colours too alike with {vision} vision (CIE76 ΔE): {close}"


@pytest.fixture
def matrix():
    places = ["Blackpool", "Lancashire"]
    rows = []
    for p, place in enumerate(places):
        for element in range(1, len(STATUS_LABELS) + 1):
            rows.append(
                {
                    "place": place,
                    "support_element": element,
                    "element_name": f"Element {element}",
                    "thrive_category": "Getting help",
                    "status": STATUS_LABELS[(element - 1 + p) % len(STATUS_LABELS)],
                    "note": "",
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture
def access(matrix):
    out = matrix[["place", "support_element"]].copy()
    out["rate_per_1000"] = [10.0 + i if i != 3 else None for i in range(len(out))]
    out["lower_95"] = out["rate_per_1000"] - 1
    out["upper_95"] = out["rate_per_1000"] + 1
    return out


def test_each_matrix_cell_shows_its_status_word(matrix, access):
    fig = provision_matrix(matrix=matrix, access=access, title="T", subtitle="S", source="Source")
    cells = {(a.x, a.y.split("<br>")[0]): a.text for a in fig.layout.annotations if a.xref is None}
    assert len(cells) == len(matrix)
    for row in matrix.itertuples():
        text = cells[(row.place, f"{row.support_element}. {row.element_name}")]
        assert text.startswith(f"<b>{STATUSES[row.status][0]}</b>"), (row.place, row.support_element, text)
    svg = matrix_svg(matrix=matrix, access=access, title="T", subtitle="S", source="Source")
    for status in set(matrix["status"]):
        assert svg.count(f">{STATUSES[status][0]}</tspan>") == (matrix["status"] == status).sum()


def test_each_access_bar_is_labelled_with_its_status_word(matrix, access):
    fig = provision_and_access(matrix=matrix, access=access, title="T", subtitle="S", source="Source")
    labels = [t for t in fig.data if t.type == "scatter" and t.mode == "text"]
    assert len(labels) == 2  # one per Place
    for trace, place in zip(labels, ["Blackpool", "Lancashire"], strict=True):
        statuses = matrix.loc[matrix["place"] == place].sort_values("support_element")["status"]
        assert [t.split(" · ")[-1] for t in trace.text] == [STATUSES[s][0] for s in statuses]
    assert any(t.strip().startswith("suppressed · ") for t in labels[0].text)
