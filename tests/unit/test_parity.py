"""The gap to parity (equity.parity): additional children a year with their interval, worked by hand, and the
entered assumptions (nothing assumed; every cost needs its source)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from equity.parity import AssumptionError, Assumptions, costed, gap, months_covered


def test_additional_children_a_year_and_interval_by_hand():
    # Area A: observed 10, expected 20 over 24 months -> 10 more over the period, 5 a year.
    # Byar limits of 10 (PHE): lower = 10 (1 - 1/90 - 1.959964 / (3 sqrt 10))^3 = 10 x 0.782297^3 = 4.78753
    #                          upper = 11 (1 - 1/99 + 1.959964 / (3 sqrt 11))^3 = 11 x 1.186884^3 = 18.39161
    # additional a year: lower max(0, 20 - 18.39161) x 12/24 = 0.80420; upper (20 - 4.78753) x 12/24 = 7.60624
    # Area B: observed 30, expected 20: above parity, zero; Byar lower of 30 = 20.2395 > 20, so the upper is 0 too.
    table = gap(np.array([10.0, 30.0, np.nan]), np.array([20.0, 20.0, 5.0]), months=24)
    a, b, hidden = table.iloc[0], table.iloc[1], table.iloc[2]
    assert a["additional_in_period"] == pytest.approx(10) and a["additional_per_year"] == pytest.approx(5)
    assert a["additional_lower_95"] == pytest.approx(0.80420, abs=2e-4)
    assert a["additional_upper_95"] == pytest.approx(7.60624, abs=2e-4)
    assert (b["additional_per_year"], b["additional_lower_95"], b["additional_upper_95"]) == (0, 0, 0)
    assert np.isnan(hidden["additional_per_year"])  # a hidden observed count: no gap shown


def test_months_of_data_in_the_selection():
    first, last = dt.date(2023, 4, 1), dt.date(2026, 10, 31)
    assert months_covered(dt.date(2024, 4, 1), dt.date(2025, 3, 31), first, last) == pytest.approx(365 / 30.4375)
    assert months_covered(None, None, first, last) == pytest.approx(1310 / 30.4375)  # 1 Apr 2023 - 31 Oct 2026
    assert months_covered(dt.date(2020, 1, 1), dt.date(2023, 4, 30), first, last) == pytest.approx(30 / 30.4375)
    with pytest.raises(ValueError, match="no data"):
        months_covered(dt.date(2027, 1, 1), None, first, last)


def test_yearly_cost_and_return_from_the_entered_costs_and_mix():
    # GBP 400 a child for element 3 (75% of the children) and GBP 2,000 for element 4 (25%):
    # 0.75 x 400 + 0.25 x 2000 = 300 + 500 = GBP 800 a child; 5 children a year -> GBP 4,000; x 2.5 -> 10,000.
    a = Assumptions.from_dict({"unit_costs": {"3": 400, "4": 2000}, "mix": {"3": 0.75, "4": 0.25},
                               "cost_source": "Local costing 2025", "return_per_pound": 2.5,
                               "return_source": "Published evaluation"})
    assert a.cost_per_child == pytest.approx(800)
    table = costed(gap(np.array([10.0]), np.array([20.0]), months=24), a)
    assert table["cost_per_year"].iloc[0] == pytest.approx(4000)
    assert table["return_per_year"].iloc[0] == pytest.approx(10000)
    assert table["cost_per_year_upper_95"].iloc[0] == pytest.approx(7.60624 * 800, abs=0.2)
    saved = Assumptions.from_dict(a.to_dict())  # what the board-pack item keeps gives the same cost back
    assert saved == a
    assert any("Local costing 2025" in line for line in a.describe())


def test_one_costed_element_takes_all_the_children_and_nothing_is_assumed():
    assert Assumptions.from_dict({"unit_costs": {4: 1200}, "cost_source": "s"}).cost_per_child == 1200
    empty = Assumptions.from_dict({})
    assert empty.cost_per_child is None and "Enter a unit cost" in empty.missing()
    assert np.isnan(costed(gap(np.array([1.0]), np.array([3.0]), 12), empty)["cost_per_year"].iloc[0])
    two = Assumptions.from_dict({"unit_costs": {3: 1, 4: 2}, "cost_source": "s"})
    assert two.cost_per_child is None and "share" in two.missing()


@pytest.mark.parametrize(
    "raw, field",
    [
        ({"unit_costs": {"4": 100}}, "cost_source"),
        ({"unit_costs": {"4": -1}, "cost_source": "s"}, "unit_costs of element 4"),
        ({"unit_costs": {"9": 1}, "cost_source": "s"}, "not a support element"),
        ({"unit_costs": {"4": "abc"}, "cost_source": "s"}, "not a number"),
        ({"unit_costs": {"3": 1, "4": 1}, "mix": {"3": 0.5, "4": 0.4}, "cost_source": "s"}, "add up to 100%"),
        ({"unit_costs": {"3": 1}, "mix": {"3": 0.5, "4": 0.5}, "cost_source": "s"}, "no unit cost"),
        ({"return_per_pound": 3}, "return_source"),
    ],
)
def test_bad_assumptions_name_the_field(raw, field):
    with pytest.raises(AssumptionError, match=field):
        Assumptions.from_dict(raw)
