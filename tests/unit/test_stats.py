"""Tests for equity.stats against values worked out independently of the implementation.

Constants used in the hand derivations:
  z95  = 1.959964 (two-sided 95%),  z95^2 = 3.841459
  z998 = 3.090232 (two-sided 99.8%)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from equity.stats import (
    byar_interval,
    coverage_ratio,
    funnel_limits,
    funnel_limits_ratio,
    need_prevalence,
    rate_per,
    rate_ratio,
    rate_table,
    standardised_ratio,
    wilson_interval,
)

# ------------------------------------------------------------------------------------------
# Wilson


def test_wilson_1_of_10_worked_by_hand() -> None:
    # x=1, n=10: 4x(1-p) = 4*1*0.9 = 3.6; sqrt(3.841459 + 3.6) = 2.727904; * z = 5.346595
    # lower = (2 + 3.841459 - 5.346595) / (2 * 13.841459) = 0.494864 / 27.682918 = 0.017876
    # upper = (2 + 3.841459 + 5.346595) / 27.682918 = 11.188054 / 27.682918 = 0.404150
    lower, upper = wilson_interval(1, 10)
    assert lower == pytest.approx(0.017876, abs=1e-6)
    assert upper == pytest.approx(0.404150, abs=1e-6)


def test_wilson_45_of_100_worked_by_hand() -> None:
    # 4x(1-p) = 4*45*0.55 = 99; sqrt(102.841459) = 10.141078; * z = 19.876141
    # lower = (90 + 3.841459 - 19.876141) / 207.682918 = 73.965318 / 207.682918 = 0.356145
    # upper = (90 + 3.841459 + 19.876141) / 207.682918 = 113.717600 / 207.682918 = 0.547554
    lower, upper = wilson_interval(45, 100)
    assert lower == pytest.approx(0.356145, abs=1e-6)
    assert upper == pytest.approx(0.547554, abs=1e-6)


def test_wilson_edges_and_zero_denominator() -> None:
    # x = 0: lower = (z^2 - z*z) / ... = 0; x = n: upper = (2n + 2 z^2) / (2(n + z^2)) = 1
    assert wilson_interval(0, 20)[0] == 0.0
    assert wilson_interval(20, 20)[1] == pytest.approx(1.0)
    lower, upper = wilson_interval(np.array([1, 0]), np.array([10, 0]))
    assert np.isnan(lower[1]) and np.isnan(upper[1])
    assert lower[0] == pytest.approx(0.017876, abs=1e-6)


def test_wilson_keeps_series_index_and_rejects_bad_input() -> None:
    x = pd.Series([1, 45], index=["a", "b"])
    lower, _ = wilson_interval(x, pd.Series([10, 100], index=["a", "b"]))
    assert list(lower.index) == ["a", "b"]
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(1, 10, level=95)


# ------------------------------------------------------------------------------------------
# Byar / exact Poisson


def test_exact_poisson_for_three_events() -> None:
    # chi2(0.025; 6)/2 = 0.6187 and chi2(0.975; 8)/2 = 8.7673 (published exact limits for O = 3)
    lower, upper = byar_interval(3)
    assert lower == pytest.approx(0.6187, abs=1e-4)
    assert upper == pytest.approx(8.7673, abs=1e-4)


def test_exact_poisson_for_zero_events() -> None:
    # O = 0: lower 0; upper chi2(0.975; 2)/2 = -ln(0.025) = 3.688879 (closed form, 2 df)
    lower, upper = byar_interval(0)
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), abs=1e-9)
    # at 99.8%: -ln(0.001) = 6.907755
    assert byar_interval(0, level=0.998)[1] == pytest.approx(-math.log(0.001), abs=1e-9)


def test_byar_for_twenty_events_per_hundred() -> None:
    # O = 20: z/(3 sqrt 20) = 1.959964/13.416408 = 0.146087; 1/180 = 0.005556
    #   lower = 20 * (1 - 0.005556 - 0.146087)^3 = 20 * 0.848357^3 = 12.2114
    # O + 1 = 21: z/(3 sqrt 21) = 1.959964/13.747727 = 0.142567; 1/189 = 0.005291
    #   upper = 21 * (1 - 0.005291 + 0.142567)^3 = 21 * 1.137276^3 = 30.8899
    lower, upper = byar_interval(20)
    assert lower == pytest.approx(12.2114, abs=1e-3)
    assert upper == pytest.approx(30.8899, abs=1e-3)
    rate, rate_lower, rate_upper = rate_per(20, 100, per=100)
    assert rate == pytest.approx(20.0)
    assert rate_lower == pytest.approx(12.2114, abs=1e-3)
    assert rate_upper == pytest.approx(30.8899, abs=1e-3)


def test_switch_between_exact_and_byar_at_ten() -> None:
    # O = 9 is exact: chi2(0.025; 18)/2; O = 10 is Byar: 10 (1 - 1/90 - z/(3 sqrt 10))^3 = 4.7954
    assert byar_interval(9)[0] == pytest.approx(sps.chi2.ppf(0.025, 18) / 2, rel=1e-9)
    assert byar_interval(10)[0] == pytest.approx(
        10 * (1 - 1 / 90 - 1.959964 / (3 * math.sqrt(10))) ** 3, rel=1e-6
    )


def test_rate_per_zero_denominator_is_nan() -> None:
    rate, lower, upper = rate_per(np.array([5, 5]), np.array([1000, 0]))
    assert rate[0] == pytest.approx(5.0)
    assert np.isnan(rate[1]) and np.isnan(lower[1]) and np.isnan(upper[1])


def test_rate_table_columns_and_values() -> None:
    table = rate_table(pd.Series([3, 20], index=["x", "y"]), pd.Series([1000, 1000], index=["x", "y"]))
    assert list(table.columns) == [
        "numerator",
        "denominator",
        "rate_per_1000",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
    ]
    assert list(table.index) == ["x", "y"]
    assert table.loc["x", "lower_95"] == pytest.approx(0.6187, abs=1e-4)  # 3 events per 1000
    assert table.loc["y", "upper_95"] == pytest.approx(30.8899, abs=1e-3)
    # 99.8% exact for O = 3: chi2(0.001; 6)/2
    assert table.loc["x", "lower_998"] == pytest.approx(sps.chi2.ppf(0.001, 6) / 2, rel=1e-9)


# ------------------------------------------------------------------------------------------
# ratios


def test_rate_ratio_equal_rates() -> None:
    ratio, lower, upper = rate_ratio(20, 1000, 40, 2000)
    assert ratio == pytest.approx(1.0)
    assert lower < 1 < upper


def test_rate_ratio_matches_f_distribution_form() -> None:
    # Exact conditional limits written through the F distribution (Breslow & Day 1987):
    #   lower = o1 / (o2 + 1) * F(0.025; 2 o1, 2(o2 + 1)) * n2/n1
    #   upper = (o1 + 1) / o2 * F(0.975; 2(o1 + 1), 2 o2) * n2/n1
    o1, n1, o2, n2 = 12, 1500, 30, 2000
    ratio, lower, upper = rate_ratio(o1, n1, o2, n2)
    assert ratio == pytest.approx((12 / 1500) / (30 / 2000))
    assert lower == pytest.approx(o1 / (o2 + 1) * sps.f.ppf(0.025, 2 * o1, 2 * (o2 + 1)) * n2 / n1, rel=1e-8)
    assert upper == pytest.approx((o1 + 1) / o2 * sps.f.ppf(0.975, 2 * (o1 + 1), 2 * o2) * n2 / n1, rel=1e-8)


def test_rate_ratio_zero_numerator_closed_form() -> None:
    # o1 = 0, o2 = 5, equal denominators: Clopper-Pearson upper p = 1 - 0.025^(1/5) = 0.521824,
    # so the ratio's upper limit is p/(1-p) = 0.025^(-1/5) - 1 = 1.091279; lower limit 0.
    ratio, lower, upper = rate_ratio(0, 100, 5, 100)
    assert ratio == 0.0 and lower == 0.0
    assert upper == pytest.approx(0.025 ** (-1 / 5) - 1, rel=1e-9)
    assert upper == pytest.approx(1.091279, abs=1e-6)


def test_rate_ratio_undefined_cases() -> None:
    ratio, lower, upper = rate_ratio(
        np.array([0, 5]), np.array([100, 100]), np.array([0, 0]), np.array([100, 100])
    )
    assert np.isnan(ratio[0]) and np.isnan(lower[0]) and np.isnan(upper[0])
    assert math.isinf(ratio[1]) and math.isinf(upper[1]) and lower[1] > 0


def test_coverage_ratio_worked_by_hand() -> None:
    # 30 of 100 referrals from a group holding 20% of the population: ratio 0.30/0.20 = 1.5.
    # Wilson 30/100: sqrt(3.841459 + 84) = 9.372377, * z = 18.369522;
    #   lower = (60 + 3.841459 - 18.369522)/207.682918 = 0.218949, upper = 82.210981/207.682918 = 0.395848
    # divided by 0.2: (1.094744, 1.979242)
    ratio, lower, upper = coverage_ratio(30, 100, 2000, 10000)
    assert ratio == pytest.approx(1.5)
    assert lower == pytest.approx(1.094744, abs=1e-5)
    assert upper == pytest.approx(1.979242, abs=1e-5)


def test_standardised_ratio_three_observed_two_expected() -> None:
    # O/E = 1.5; limits = exact limits of O = 3 divided by E = 2: 0.6187/2, 8.7673/2
    ratio, lower, upper = standardised_ratio(3, 2)
    assert ratio == pytest.approx(1.5)
    assert lower == pytest.approx(0.30934, abs=1e-4)
    assert upper == pytest.approx(4.38364, abs=1e-4)
    assert np.isnan(standardised_ratio(3, 0)[0])


# ------------------------------------------------------------------------------------------
# funnels


def _spiegelhalter(mean: float, p: float) -> float:
    """Reference computation written out separately from scipy's Poisson quantile function."""
    r = sps.poisson.ppf(p, mean)
    f_r, f_below = sps.poisson.cdf(r, mean), sps.poisson.cdf(r - 1, mean)
    return max(r - (f_r - p) / (f_r - f_below), 0.0)


def test_funnel_limits_at_known_denominator() -> None:
    # target 20 per 1000 at n = 2500: expected count mu = 50.
    limits = funnel_limits([2500], target_rate=20, per=1000).iloc[0]
    mu = 50.0
    for column, p in [("lower_95", 0.025), ("upper_95", 0.975), ("lower_998", 0.001), ("upper_998", 0.999)]:
        exact_count = sps.poisson.ppf(p, mu)  # smallest r with P(X <= r) >= p
        value = limits[column] * 2500 / 1000  # back to the count scale
        assert exact_count - 1 <= value <= exact_count  # interpolation stays within one step
        assert value == pytest.approx(_spiegelhalter(mu, p), abs=1e-9)
    # the 95% Poisson quantiles for mu = 50 are 37 and 64 (within one count below after interpolation)
    assert 36 <= limits["lower_95"] * 2.5 <= 37 and 63 <= limits["upper_95"] * 2.5 <= 64
    assert limits["target"] == 20


def test_funnel_limits_narrow_and_nest() -> None:
    table = funnel_limits(np.array([100, 1000, 10000, 100000]), target_rate=20)
    assert (np.diff(table["upper_95"]) < 0).all() and (np.diff(table["lower_95"]) > 0).all()
    assert (table["lower_998"] <= table["lower_95"]).all() and (table["upper_998"] >= table["upper_95"]).all()
    assert (table["lower_95"] <= 20).all() and (table["upper_95"] >= 20).all()


def test_funnel_limits_ratio_around_one() -> None:
    table = funnel_limits_ratio([4.0, 50.0, 400.0])
    assert (table["lower_95"] < 1).all() and (table["upper_95"] > 1).all()
    assert table.loc[1, "upper_95"] == pytest.approx(_spiegelhalter(50.0, 0.975) / 50.0, abs=1e-12)
    with pytest.raises(ValueError):
        funnel_limits_ratio([0.0])


# ------------------------------------------------------------------------------------------
# need


def test_need_prevalence_interpolates_between_deciles() -> None:
    # decile 4: 0.34 + 3/9 * (0.15 - 0.34) = 0.34 - 0.063333 = 0.276667
    assert need_prevalence(1) == pytest.approx(0.34)
    assert need_prevalence(10) == pytest.approx(0.15)
    assert need_prevalence(4) == pytest.approx(0.276667, abs=1e-6)
    values = need_prevalence(pd.Series([1, 10, np.nan]))
    assert values.iloc[0] == pytest.approx(0.34) and np.isnan(values.iloc[2])
    with pytest.raises(ValueError):
        need_prevalence(11)


# ------------------------------------------------------------------------------------------
# properties

counts = st.integers(min_value=0, max_value=5000)


@given(counts, st.integers(min_value=1, max_value=100_000))
def test_property_wilson_contains_estimate_and_nests(x: int, extra: int) -> None:
    n = x + extra
    lower95, upper95 = wilson_interval(x, n, 0.95)
    lower998, upper998 = wilson_interval(x, n, 0.998)
    assert 0 <= lower998 <= lower95 <= x / n + 1e-12
    assert x / n - 1e-12 <= upper95 <= upper998 <= 1


@given(counts, st.integers(min_value=1, max_value=10_000_000))
def test_property_rate_contains_estimate_and_nests(o: int, n: int) -> None:
    rate, lower95, upper95 = rate_per(o, n)
    _, lower998, upper998 = rate_per(o, n, level=0.998)
    assert 0 <= lower998 <= lower95 <= rate <= upper95 <= upper998


@given(counts, st.floats(min_value=0.1, max_value=5000))
def test_property_standardised_ratio_contains_estimate(o: int, e: float) -> None:
    ratio, lower, upper = standardised_ratio(o, e)
    _, lower998, upper998 = standardised_ratio(o, e, level=0.998)
    assert lower998 <= lower <= ratio <= upper <= upper998


@given(counts, st.integers(1, 10**6), counts, st.integers(1, 10**6))
def test_property_rate_ratio_contains_estimate(o1: int, n1: int, o2: int, n2: int) -> None:
    ratio, lower, upper = rate_ratio(o1, n1, o2, n2)
    if o1 + o2 == 0:
        assert np.isnan(ratio)
        return
    _, lower998, upper998 = rate_ratio(o1, n1, o2, n2, level=0.998)
    assert lower998 <= lower <= ratio * (1 + 1e-9) and ratio <= upper * (1 + 1e-9) and upper <= upper998
