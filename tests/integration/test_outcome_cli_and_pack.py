"""Outcomes and the gap to parity through the command line and the board pack."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pandas as pd
import pytest
from pptx import Presentation

from cli.main import main
from equity.selection import Selection
from publish import boardpack, pack_items
from publish.boardpack import BoardPack, PackItem


def run(*argv: str) -> pd.DataFrame:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return pd.read_csv(io.StringIO(out.getvalue()))


@pytest.mark.parametrize("by", ["place", "imd_quintile", "core20", "ethnic_group", "age_band", "service"])
def test_outcomes_by_group_has_the_issue_columns(demo_store, by):
    frame = run("table", "outcomes_by_group", "--measure", "PHQ-9", "--by", by)
    assert {"group", "pairs", "mean_change", "lower_95", "upper_95", "reliably_improved_share"} <= set(frame.columns)
    assert frame["group"].iloc[0] == "All in the selection" and len(frame) >= 3
    sub = frame[frame["level"] == "sub_icb"]["pairs"].dropna()
    assert (sub % 5 == 0).all()


def test_gap_to_parity_has_the_issue_columns_and_honours_the_selection_flags(demo_store):
    frame = run("table", "gap_to_parity", "--by", "lad", "--place", "South Cumbria", "--from", "2024-04-01",
                "--to", "2025-03-31")
    assert {"group", "observed", "expected", "ratio", "additional_per_year"} <= set(frame.columns)
    assert set(frame["place"]) == {"South Cumbria"} and len(frame) >= 1
    assert frame["months"].iloc[0] == pytest.approx(365 / 30.4375, abs=0.01)
    hidden = frame["observed"].isna()  # 1-4, or hidden so that it cannot be worked out from the Place's total
    assert frame.loc[hidden, ["ratio", "additional_per_year"]].isna().all().all()
    below, above = ~hidden & (frame["ratio"] < 1), ~hidden & (frame["ratio"] >= 1)
    assert (frame.loc[below, "additional_per_year"] > 0).all() and (frame.loc[above, "additional_per_year"] == 0).all()
    assert below.any()


def test_an_unknown_measure_is_a_one_line_error(demo_store, capsys):
    assert main(["table", "outcomes_by_group", "--measure", "SDQ"]) == 2
    assert "--measure must be one of PIR-GAS" in capsys.readouterr().err


def test_pack_items_keep_the_assumptions(settings, demo_store):
    spec = {"by": "place", "assumptions": {"unit_costs": {"4": 1500}, "cost_source": "PAIRS service costing 2025",
                                           "return_per_pound": 2.0, "return_source": "Local evaluation 2024"}}
    content = pack_items.build("gap_to_parity", settings, Selection(), spec)
    assert "Cost a year" in content.table.columns and "Return a year" in content.table.columns
    assert "PAIRS service costing 2025" in content.notes and "GBP 1,500 per child" in content.notes
    outcome = pack_items.build("outcomes", settings, Selection(), {"measure": "GBO", "by": "core20"})
    assert "Reliably improved" in outcome.table.columns and "Edbrooke-Childs" in outcome.notes
    with pytest.raises(pack_items.PackItemError, match="cost_source"):
        pack_items.validate("gap_to_parity", {"assumptions": {"unit_costs": {"4": 1}}})
    with pytest.raises(pack_items.PackItemError, match="measure must be one of"):
        pack_items.validate("outcomes", {"measure": "SDQ"})
    pack = BoardPack("Outcomes pack", Selection(), (PackItem("outcomes", {"measure": "PIR-GAS"}, "", ""),
                                                     PackItem("gap_to_parity", spec, "", "")))
    files, slides = boardpack.build(settings, pack, ("pptx",))
    assert not any(s.error for s in slides)
    texts = [" ".join(cell.text for shape in slide.shapes if shape.has_table for row in shape.table.rows
                      for cell in row.cells) for slide in Presentation(io.BytesIO(files["pptx"])).slides]
    assert "Blackpool" in texts[1] and "£" in texts[2]
