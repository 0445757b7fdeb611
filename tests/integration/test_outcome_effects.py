"""Known-answer test: the outcome tables recover the demo model's planted outcome effects (data/DEMO.md):
a Core20 mean change of core20_outcome_factor (0.65) x that elsewhere, on every measure, and the share of
discharged referrals with a pair (outcome_share, 45%)."""

from __future__ import annotations

import pytest

from data.demo import DemoParameters
from equity.selection import Selection
from publish import tables

CORE20, REST = "Core20 (IMD deciles 1-2)", "Not Core20"


def _by_core20(settings, measure: str):
    return tables.get("outcomes_by_group", settings, Selection(), {"measure": measure, "by": "core20"}).set_index(
        "group"
    )


def test_pir_gas_change_is_significantly_smaller_in_core20_areas(demo_store, settings):
    table = _by_core20(settings, "PIR-GAS")
    core, rest = table.loc[CORE20], table.loc[REST]
    assert core["upper_95"] < rest["lower_95"]  # the intervals do not overlap
    ratio = core["mean_change"] / rest["mean_change"]
    assert abs(ratio - DemoParameters().core20_outcome_factor) < 0.1  # planted 0.65 (scores bounded 1-90)
    assert core["compared_95"] == "Worse" and rest["compared_95"] == "Better"


@pytest.mark.parametrize("measure", ["PHQ-9", "ASQ:SE-2", "GBO"])
def test_other_measures_improve_less_in_core20_areas(demo_store, settings, measure):
    table = _by_core20(settings, measure)
    core, rest = table.loc[CORE20], table.loc[REST]
    better = 1 if table["better"].iloc[0] == "higher" else -1
    assert better * core["mean_change"] > 0 and better * rest["mean_change"] > 0  # both improve on average
    assert better * core["mean_change"] < better * rest["mean_change"]
    assert core["pairs"] >= 50 and rest["pairs"] >= 50


def test_completeness_is_the_planted_outcome_share(demo_store, settings):
    from data.measures import names

    total = 0.0
    for measure in names():
        row = tables.get("outcomes_by_group", settings, Selection(), {"measure": measure, "by": "place"}).iloc[0]
        total += row["discharged_pairs"] / row["discharged"]
    # 45% of discharged referrals have a pair; 2% of those record a measure not in the registry (WEMWBS)
    assert abs(total - DemoParameters().outcome_share * 0.98) < 0.03
