"""Slope and relative index of inequality (SII, RII) across ordered deprivation groups.

Method after PHEindicatormethods ``phe_sii`` (Low & Low 2004, J Public Health 26:388-395), with
conventions chosen for this dashboard and stated here once:

* **Rank.** Groups arrive ordered from most to least deprived. Each group's relative rank is the
  midpoint of its range in the cumulative population share, so rank 0 is the most deprived end
  and rank 1 the least deprived end (as PHE).
* **Regression.** The rate (per ``per``) is regressed on the rank: weighted least squares with
  weights equal to population shares (``method='wls'``, PHE's square-root-of-population
  transformation) or ordinary least squares (``method='ols'``).
* **SII sign.** ``SII = fitted rate at the most deprived end (rank 0) - fitted rate at the least
  deprived end (rank 1) = -slope``. A positive SII means higher rates in more deprived areas.
  (PHE reports the slope itself, least minus most deprived; ours is its negative.)
* **RII** as PHE's ``phe_sii``: the ratio of the fitted ends, ``RII = fitted(1) / fitted(0) =
  (intercept + slope) / intercept``, i.e. the fitted rate at the least deprived end divided by that
  at the most deprived end (PHE orders quantiles from 1 = most deprived, so rank 0 is the most
  deprived end and its ``RII = (Y0 + SII_PHE) / Y0``). So ``RII < 1`` when rates are higher in more
  deprived areas, ``RII > 1`` when they are lower, 1 for no gradient; ``1 / RII`` is how many times
  the most deprived end's fitted rate is the least deprived end's. Undefined (NaN) when the fitted
  rate at the most deprived end is not positive.
* **Confidence limits** by Monte Carlo simulation as ``phe_sii`` with rates (``value_type = 1``):
  each group's rate is drawn ``simulations`` times from a normal distribution on the log scale,
  with standard error ``(log upper - log lower) / (2 x 1.96)`` from its 95% Byar / exact Poisson
  limits, back-transformed; the regression is refitted to every draw and the limits are the
  ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the simulated SII and RII (each draw's
  RII is the ratio of its own fitted ends, as ``phe_sii``). The default is PHE's 100,000
  simulations. Groups with no events cannot be log-transformed: they are drawn on the
  natural scale with standard error ``upper / (2 x 1.96)`` and truncated at 0. The numpy Generator
  is seeded, so results are reproducible.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from equity.stats import rate_per

REQUIRED_COLUMNS = ("group", "numerator", "population")
Z95 = 1.959963984540054


def _coefficients(rank: np.ndarray, weights: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weighted least-squares (intercept, slope) of ``y`` on ``rank``; ``y`` may be k x m."""
    design = np.column_stack([np.ones_like(rank), rank])
    weighted = design.T * weights
    hat = np.linalg.solve(weighted @ design, weighted)  # 2 x k
    return hat @ y


def _end_ratio(intercept: np.ndarray | float, slope: np.ndarray | float) -> np.ndarray:
    """PHE's RII: fitted value at rank 1 over fitted value at rank 0, ``(intercept + slope) / intercept``;
    NaN where the fitted value at rank 0 is not positive (no meaningful ratio)."""
    intercept = np.asarray(intercept, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(intercept > 0, (intercept + np.asarray(slope, dtype=float)) / intercept, np.nan)


def _validate(groups: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in groups.columns]
    if missing:
        raise ValueError(f"slope_index needs columns {list(REQUIRED_COLUMNS)}; missing {missing}")
    if len(groups) < 2:
        raise ValueError(f"slope_index needs at least two groups, got {len(groups)}")
    numerator = pd.to_numeric(groups["numerator"], errors="coerce")
    population = pd.to_numeric(groups["population"], errors="coerce")
    if numerator.isna().any() or (numerator < 0).any():
        raise ValueError("slope_index: every group needs a non-negative numerator")
    if population.isna().any() or (population <= 0).any():
        bad = groups.loc[population.isna() | (population <= 0), "group"].tolist()
        raise ValueError(f"slope_index: every group needs a positive population; check groups {bad}")


def slope_index(
    groups: pd.DataFrame,
    per: float = 1000,
    level: float = 0.95,
    method: Literal["wls", "ols"] = "wls",
    simulations: int = 100_000,
    seed: int = 20240601,
) -> dict[str, Any]:
    """Slope index of inequality (SII) and relative index (RII) of a rate, with simulated limits.

    ``groups`` has columns ``group, numerator, population``, one row per group ordered from most
    to least deprived (e.g. IMD deciles 1..10). See the module docstring for the conventions:
    ``sii`` is the fitted rate per ``per`` at the most deprived end minus that at the least
    deprived end (positive = higher in deprived areas); ``rii`` is PHE's ratio of the fitted ends,
    least deprived / most deprived (below 1 = higher in deprived areas).

    Returns a dict with ``sii, sii_lower, sii_upper, rii, rii_lower, rii_upper, mean_rate,
    fitted_most_deprived, fitted_least_deprived, level, method, simulations, seed`` and ``table``
    (a DataFrame of group, numerator, population, rate, rank and fitted rate).
    """
    if method not in ("wls", "ols"):
        raise ValueError(f"method must be 'wls' or 'ols', got {method!r}")
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1, got {level!r}")
    if simulations < 1000:
        raise ValueError(f"use at least 1000 simulations, got {simulations}")
    _validate(groups)

    numerator = groups["numerator"].to_numpy(dtype=float)
    population = groups["population"].to_numpy(dtype=float)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    weights = share if method == "wls" else np.ones_like(share)
    rate, lower, upper = (np.asarray(v) for v in rate_per(numerator, population, per=per, level=0.95))
    mean_rate = numerator.sum() / population.sum() * per

    intercept, slope = _coefficients(rank, weights, rate)
    sii = -slope
    rii = _end_ratio(intercept, slope)

    # Monte Carlo limits (PHE phe_sii): log-normal draws around each rate
    rng = np.random.default_rng(seed)
    draws = rng.standard_normal((len(rate), simulations))
    has_events = numerator > 0
    safe_lower = np.where(has_events, lower, 1.0)
    safe_rate = np.where(has_events, rate, 1.0)
    log_se = (np.log(upper) - np.log(safe_lower)) / (2 * Z95)
    simulated = np.where(
        has_events[:, None],
        np.exp(np.log(safe_rate)[:, None] + log_se[:, None] * draws),
        np.maximum((upper / (2 * Z95))[:, None] * draws, 0.0),
    )
    sim_intercept, sim_slope = _coefficients(rank, weights, simulated)
    sim_sii = -sim_slope
    sim_rii = _end_ratio(sim_intercept, sim_slope)
    tails = [(1 - level) / 2, (1 + level) / 2]
    sii_lower, sii_upper = np.quantile(sim_sii, tails)
    rii_lower, rii_upper = np.nanquantile(sim_rii, tails) if np.isfinite(rii) else (np.nan, np.nan)

    table = pd.DataFrame(
        {
            "group": groups["group"].to_numpy(),
            "numerator": numerator,
            "population": population,
            "rate": rate,
            "rank": rank,
            "fitted": intercept + slope * rank,
        }
    )
    return {
        "sii": float(sii),
        "sii_lower": float(sii_lower),
        "sii_upper": float(sii_upper),
        "rii": float(rii),
        "rii_lower": float(rii_lower),
        "rii_upper": float(rii_upper),
        "mean_rate": float(mean_rate),
        "fitted_most_deprived": float(intercept),
        "fitted_least_deprived": float(intercept + slope),
        "level": level,
        "method": method,
        "simulations": simulations,
        "seed": seed,
        "table": table,
    }
