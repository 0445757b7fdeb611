"""Tests for equity.inequality (SII / RII) on datasets whose answers are known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equity.inequality import slope_index


def _linear_groups() -> pd.DataFrame:
    # Population shares 0.1, 0.2, 0.3, 0.4 -> midpoint ranks 0.05, 0.20, 0.45, 0.80.
    # Rates (per 1000) set exactly on the line rate = 50 - 20 * rank: 49, 46, 41, 34.
    # Numerators = rate * population / 1000 = 490, 920, 1230, 1360 (total 4000 of 100000).
    # So the fitted line is exact for any weighting: fitted(0) = 50 (most deprived),
    # fitted(1) = 30 (least deprived), SII = 50 - 30 = 20, mean rate = 40.
    # RII as PHE phe_sii: fitted(rank 1) / fitted(rank 0) = (intercept + slope) / intercept
    # = (50 - 20) / 50 = 30 / 50 = 0.6 (least deprived over most deprived; not SII / mean = 0.5).
    return pd.DataFrame(
        {
            "group": ["Q1", "Q2", "Q3", "Q4"],
            "numerator": [490, 920, 1230, 1360],
            "population": [10_000, 20_000, 30_000, 40_000],
        }
    )


@pytest.mark.parametrize("method", ["wls", "ols"])
def test_sii_equals_constructed_slope(method: str) -> None:
    result = slope_index(_linear_groups(), method=method)
    assert result["sii"] == pytest.approx(20.0, abs=1e-9)
    assert result["fitted_most_deprived"] == pytest.approx(50.0, abs=1e-9)
    assert result["fitted_least_deprived"] == pytest.approx(30.0, abs=1e-9)
    assert result["mean_rate"] == pytest.approx(40.0)
    assert result["rii"] == pytest.approx(0.6, abs=1e-12)
    assert result["table"]["rank"].tolist() == pytest.approx([0.05, 0.20, 0.45, 0.80])
    assert result["sii_lower"] < 20 < result["sii_upper"]
    assert result["rii_lower"] < 0.6 < result["rii_upper"] < 1


def test_sign_convention_negative_when_higher_in_least_deprived() -> None:
    # rates rise towards the least deprived end, so the SII must be negative
    reversed_rates = pd.DataFrame(
        {"group": ["Q1", "Q2", "Q3", "Q4"], "numerator": [340, 820, 1380, 1960], "population": [10_000] * 4}
    )
    # equal shares: ranks 0.125, 0.375, 0.625, 0.875; rates 34, 82, 138, 196 per 1000
    # OLS slope = cov(rank, rate)/var(rank): rank deviations -0.375,-0.125,0.125,0.375; rate mean 112.5
    #   cov = (0.375*78.5 + 0.125*30.5 + 0.125*25.5 + 0.375*83.5)/4 = 67.75/4 = 16.9375
    #   var = (0.140625*2 + 0.015625*2)/4 = 0.078125 -> slope = 216.8; SII = -216.8
    # (equal populations: WLS = OLS); mean rate 4500/40000*1000 = 112.5
    # intercept = mean rate - slope x mean rank = 112.5 - 216.8 x 0.5 = 4.1; fitted(1) = 4.1 + 216.8 = 220.9
    # PHE RII = fitted(1) / fitted(0) = 220.9 / 4.1 = 53.878...: above 1, rates higher in the least deprived
    result = slope_index(reversed_rates)
    assert result["sii"] == pytest.approx(-216.8, abs=1e-9)
    assert result["rii"] == pytest.approx(220.9 / 4.1, rel=1e-9)
    assert result["sii_upper"] < 0


def test_wls_matches_numpy_weighted_fit_and_differs_from_ols() -> None:
    groups = pd.DataFrame(
        {
            "group": list("ABCDE"),
            "numerator": [120, 90, 150, 40, 30],
            "population": [4000, 2000, 9000, 3000, 5000],
        }
    )
    pop = groups["population"].to_numpy(float)
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    rate = groups["numerator"].to_numpy(float) / pop * 1000
    # np.polyfit minimises sum((w * residual)^2), so w = sqrt(share) gives weights = share
    slope_wls, _ = np.polyfit(rank, rate, 1, w=np.sqrt(share))
    slope_ols, _ = np.polyfit(rank, rate, 1)
    wls = slope_index(groups, method="wls")
    ols = slope_index(groups, method="ols")
    assert wls["sii"] == pytest.approx(-slope_wls, rel=1e-10)
    assert ols["sii"] == pytest.approx(-slope_ols, rel=1e-10)
    assert abs(wls["sii"] - ols["sii"]) > 1


def test_simulated_interval_agrees_with_delta_method_for_large_counts() -> None:
    # With large counts the simulated rates are near-normal with variance rate * per / population
    # (Poisson), so the SII's standard error is sqrt(sum(c_i^2 var_i)) for the linear map c from
    # rates to the WLS slope. The simulated 95% limits should sit near SII -/+ 1.96 se.
    groups = pd.DataFrame(
        {
            "group": [f"D{i}" for i in range(1, 11)],
            "numerator": [2400, 2300, 2150, 2100, 1900, 1800, 1750, 1600, 1500, 1400],
            "population": [60_000, 58_000, 61_000, 59_000, 60_000, 62_000, 60_000, 57_000, 60_000, 61_000],
        }
    )
    pop = groups["population"].to_numpy(float)
    num = groups["numerator"].to_numpy(float)
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    design = np.column_stack([np.ones_like(rank), rank])
    c = np.linalg.inv(design.T @ (design * share[:, None])) @ (design.T * share)
    variance = num / pop**2 * 1000**2
    se = np.sqrt(np.sum(c[1] ** 2 * variance))
    result = slope_index(groups, simulations=20_000)
    assert result["sii_lower"] == pytest.approx(result["sii"] - 1.959964 * se, rel=0.03)
    assert result["sii_upper"] == pytest.approx(result["sii"] + 1.959964 * se, rel=0.03)
    wider = slope_index(groups, level=0.998, simulations=20_000)
    assert wider["sii_lower"] < result["sii_lower"] and wider["sii_upper"] > result["sii_upper"]


def test_simulation_is_reproducible_and_seeded() -> None:
    groups = _linear_groups()
    first = slope_index(groups)
    second = slope_index(groups)
    other = slope_index(groups, seed=7)
    assert first["sii_lower"] == second["sii_lower"] and first["rii_upper"] == second["rii_upper"]
    assert first["sii_lower"] != other["sii_lower"]
    assert first["simulations"] == 100_000  # PHE phe_sii's default number of simulations


def test_zero_event_group_is_handled() -> None:
    groups = pd.DataFrame({"group": list("ABCDE"), "numerator": [9, 5, 3, 1, 0], "population": [1000] * 5})
    result = slope_index(groups)
    assert np.isfinite([result["sii"], result["sii_lower"], result["sii_upper"]]).all()
    assert result["sii_lower"] < result["sii"] < result["sii_upper"]


def test_invalid_inputs_raise() -> None:
    groups = _linear_groups()
    with pytest.raises(ValueError, match="missing"):
        slope_index(groups.drop(columns="population"))
    with pytest.raises(ValueError, match="positive population"):
        slope_index(groups.assign(population=[0, 1, 2, 3]))
    with pytest.raises(ValueError, match="method"):
        slope_index(groups, method="poisson")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two groups"):
        slope_index(groups.head(1))


def test_rii_interval_is_the_simulated_ratio_of_fitted_ends() -> None:
    # Large counts: each simulated rate is close to normal with variance rate x 1000 / population.
    # The delta method for R = (a + b) / a (a = intercept, b = slope, both linear in the rates:
    # a = c0 . rate, a + b = (c0 + c1) . rate) gives var(R) ~ sum_i ((c0_i + c1_i) / a - (a + b) c0_i / a^2)^2 var_i.
    # The simulated 95% limits of the RII should sit near RII -/+ 1.96 se (within 5% of the half-width).
    groups = pd.DataFrame(
        {
            "group": [f"D{i}" for i in range(1, 11)],
            "numerator": [2400, 2300, 2150, 2100, 1900, 1800, 1750, 1600, 1500, 1400],
            "population": [60_000, 58_000, 61_000, 59_000, 60_000, 62_000, 60_000, 57_000, 60_000, 61_000],
        }
    )
    pop = groups["population"].to_numpy(float)
    num = groups["numerator"].to_numpy(float)
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    rate = num / pop * 1000
    design = np.column_stack([np.ones_like(rank), rank])
    c = np.linalg.inv(design.T @ (design * share[:, None])) @ (design.T * share)
    a, b = c @ rate
    gradient = (c[0] + c[1]) / a - (a + b) * c[0] / a**2
    se = np.sqrt(np.sum(gradient**2 * num / pop**2 * 1000**2))
    result = slope_index(groups)
    assert result["rii"] == pytest.approx((a + b) / a, rel=1e-10)
    assert result["rii"] < 1  # higher rates in the more deprived deciles
    half = 1.959964 * se
    assert result["rii_lower"] == pytest.approx(result["rii"] - half, abs=0.05 * half)
    assert result["rii_upper"] == pytest.approx(result["rii"] + half, abs=0.05 * half)
