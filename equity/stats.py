"""Indicator statistics, following the PHE/OHID Fingertips methods (``PHEindicatormethods``).

Pure functions: no I/O, no Streamlit. Every function accepts scalars, numpy arrays or pandas
Series (broadcast together, aligned by position). A result has the shape of its inputs: a
``float`` when every input is a scalar, a ``pandas.Series`` carrying the index of the first
Series input, otherwise a ``numpy.ndarray``. Undefined values (a zero denominator, a zero
expected count) are NaN rather than errors; invalid inputs (negative counts, a numerator above
its denominator, a confidence level outside (0, 1)) raise ``ValueError``.

References
----------
* PHE (2018), *Technical Guide: Confidence Intervals*, Fingertips Public Health Methods.
* ``PHEindicatormethods`` (UKHSA/OHID R package): ``phe_proportion`` (Wilson), ``phe_rate`` and
  ``byars_lower``/``byars_upper`` (Byar; exact Poisson below 10 events), ``phe_isr``/``phe_smr``.
* Spiegelhalter D (2005), Funnel plots for comparing institutional performance,
  *Statistics in Medicine* 24:1185-1202 (appendix: interpolated exact Poisson limits).
* Breslow NE & Day NE (1987), *Statistical Methods in Cancer Research II*, section 2.2
  (exact conditional confidence limits for a ratio of two Poisson rates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd
from scipy import special

ArrayLike: TypeAlias = float | int | np.ndarray | pd.Series | Sequence[float]
Result: TypeAlias = float | np.ndarray | pd.Series

#: Counts below this use exact (chi-square / gamma) Poisson limits; at or above, Byar's method.
EXACT_BELOW = 10


# --------------------------------------------------------------------------------------------
# helpers


def _z(level: float) -> float:
    """Two-sided standard normal critical value for a confidence ``level`` in (0, 1)."""
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1 (e.g. 0.95 or 0.998), got {level!r}")
    return float(special.ndtri(0.5 + level / 2))


def _arrays(*values: ArrayLike) -> tuple[list[np.ndarray], pd.Series | bool]:
    """Broadcast inputs to float arrays; also return the template that shapes the result."""
    template: pd.Series | bool = all(np.ndim(v) == 0 for v in values)
    for value in values:
        if isinstance(value, pd.Series):
            template = value
            break
    arrays = [np.asarray(v.to_numpy() if isinstance(v, pd.Series) else v, dtype=float) for v in values]
    return list(np.broadcast_arrays(*arrays)), template


def _shape(array: np.ndarray, template: pd.Series | bool) -> Result:
    if isinstance(template, pd.Series):
        return pd.Series(np.broadcast_to(array, template.shape), index=template.index, dtype=float)
    if template is True:
        return float(array)
    return np.asarray(array, dtype=float)


def _check_non_negative(name: str, values: np.ndarray) -> None:
    if np.any(values[~np.isnan(values)] < 0):
        raise ValueError(f"{name} must not be negative")


def _per_label(per: float) -> str:
    """Column suffix for a multiplier: 1000 -> '1000', 100000 -> '100000', 0.5 -> '0.5'."""
    return str(int(per)) if float(per).is_integer() else f"{per:g}"


def _level_label(level: float) -> str:
    """Column suffix for a confidence level: 0.95 -> '95', 0.998 -> '998'."""
    return f"{level * 100:g}".replace(".", "")


# --------------------------------------------------------------------------------------------
# proportions


def wilson_interval(
    numerator: ArrayLike, denominator: ArrayLike, level: float = 0.95
) -> tuple[Result, Result]:
    """Wilson score interval for a proportion ``numerator / denominator``.

    PHE Technical Guide (Confidence Intervals, section "Proportions"), as ``wilson_lower`` /
    ``wilson_upper`` in PHEindicatormethods, with ``p = x / n`` and ``z`` the two-sided critical
    value::

        (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - p))) / (2(n + z^2))

    Returns ``(lower, upper)`` as proportions in [0, 1]; NaN where the denominator is 0.
    """
    z = _z(level)
    (x, n), template = _arrays(numerator, denominator)
    _check_non_negative("numerator", x)
    _check_non_negative("denominator", n)
    if np.any(x > n):
        raise ValueError("numerator must not exceed denominator for a proportion")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, x / n, np.nan)
        half_width = z * np.sqrt(z**2 + 4 * x * (1 - p))
        lower = (2 * x + z**2 - half_width) / (2 * (n + z**2))
        upper = (2 * x + z**2 + half_width) / (2 * (n + z**2))
    lower = np.where(n > 0, np.clip(lower, 0, 1), np.nan)
    upper = np.where(n > 0, np.clip(upper, 0, 1), np.nan)
    return _shape(lower, template), _shape(upper, template)


# --------------------------------------------------------------------------------------------
# means


def mean_interval(
    mean: ArrayLike, sd: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[Result, Result]:
    """Student's t interval of a mean, as ``phe_mean`` in PHEindicatormethods::

        mean -/+ t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n)

    ``sd`` is the sample standard deviation (denominator n - 1). NaN where ``n`` is below 2 (no
    standard deviation) or any input is missing.
    """
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1 (e.g. 0.95 or 0.998), got {level!r}")
    (m, s, k), template = _arrays(mean, sd, n)
    _check_non_negative("sd", s)
    _check_non_negative("n", k)
    valid = k >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = special.stdtrit(np.where(valid, k - 1, 1), 0.5 + level / 2)
        half = t * s / np.sqrt(np.where(valid, k, 1))
    lower = np.where(valid, m - half, np.nan)
    upper = np.where(valid, m + half, np.nan)
    return _shape(lower, template), _shape(upper, template)


# --------------------------------------------------------------------------------------------
# counts and rates


def _poisson_limits(o: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    z = _z(level)
    alpha = 1 - level
    safe = np.where(o > 0, o, 1.0)  # avoids log/division warnings; masked out below
    # exact: lower = chi2(alpha/2, 2O)/2 = Gamma(O).ppf(alpha/2); upper = chi2(1-alpha/2, 2O+2)/2
    exact_lower = np.where(o > 0, special.gammaincinv(safe, alpha / 2), 0.0)
    exact_upper = special.gammaincinv(o + 1, 1 - alpha / 2)
    byar_lower = safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3
    byar_upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    exact = o < EXACT_BELOW
    lower = np.where(exact, exact_lower, byar_lower)
    upper = np.where(exact, exact_upper, byar_upper)
    lower = np.where(np.isnan(o), np.nan, np.maximum(lower, 0.0))
    return lower, upper


def byar_interval(count: ArrayLike, level: float = 0.95) -> tuple[Result, Result]:
    """Confidence interval for a Poisson count ``O``.

    PHE Technical Guide and PHEindicatormethods ``phe_rate``: below 10 events the exact limits
    ``chi2(alpha/2; 2O) / 2`` and ``chi2(1 - alpha/2; 2O + 2) / 2`` (computed here through the
    equivalent gamma quantiles; the lower limit is 0 when ``O = 0``); from 10 events Byar's
    approximation::

        lower = O (1 - 1/(9O) - z/(3 sqrt(O)))^3
        upper = (O + 1) (1 - 1/(9(O + 1)) + z/(3 sqrt(O + 1)))^3

    Returns ``(lower, upper)`` on the count scale.
    """
    (o,), template = _arrays(count)
    _check_non_negative("count", o)
    lower, upper = _poisson_limits(o, level)
    return _shape(lower, template), _shape(upper, template)


def rate_per(
    count: ArrayLike, denominator: ArrayLike, per: float = 1000, level: float = 0.95
) -> tuple[Result, Result, Result]:
    """Crude rate ``per * count / denominator`` with Byar / exact Poisson limits (``phe_rate``).

    The limits are those of :func:`byar_interval` on the count, divided by the denominator and
    multiplied by ``per``. Returns ``(rate, lower, upper)``; NaN where the denominator is 0.
    """
    (o, n), template = _arrays(count, denominator)
    _check_non_negative("count", o)
    _check_non_negative("denominator", n)
    lower, upper = _poisson_limits(o, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, per / n, np.nan)
    return tuple(_shape(v * scale, template) for v in (o, lower, upper))  # type: ignore[return-value]


def rate_table(numerator: ArrayLike, denominator: ArrayLike, per: float = 1000) -> pd.DataFrame:
    """Rates per ``per`` with 95% and 99.8% limits, one row per input element.

    Columns: ``numerator, denominator, rate_per_<per>, lower_95, upper_95, lower_998,
    upper_998`` (``rate_per_1000`` with the default). Keeps the index of a Series input.
    """
    (o, n), template = _arrays(numerator, denominator)
    index = template.index if isinstance(template, pd.Series) else None
    rate, lower_95, upper_95 = rate_per(o, n, per=per, level=0.95)
    _, lower_998, upper_998 = rate_per(o, n, per=per, level=0.998)
    return pd.DataFrame(
        {
            "numerator": np.atleast_1d(o),
            "denominator": np.atleast_1d(n),
            f"rate_per_{_per_label(per)}": np.atleast_1d(rate),
            "lower_95": np.atleast_1d(lower_95),
            "upper_95": np.atleast_1d(upper_95),
            "lower_998": np.atleast_1d(lower_998),
            "upper_998": np.atleast_1d(upper_998),
        },
        index=index,
    )


def rate_ratio(
    o1: ArrayLike, n1: ArrayLike, o2: ArrayLike, n2: ArrayLike, level: float = 0.95
) -> tuple[Result, Result, Result]:
    """Ratio of two crude rates ``(o1/n1) / (o2/n2)`` with exact conditional limits.

    Method (chosen here: exact Clopper-Pearson): conditional on the total ``o1 + o2``, ``o1`` is
    binomial with ``p = R n1 / (R n1 + n2)`` where ``R`` is the rate ratio (Breslow & Day 1987;
    R's ``poisson.test`` for two samples). The Clopper-Pearson limits of ``p``,
    ``Beta(alpha/2; o1, o2 + 1)`` and ``Beta(1 - alpha/2; o1 + 1, o2)``, are transformed by
    ``R = p / (1 - p) * n2 / n1``. The lower limit is 0 when ``o1 = 0``; the ratio and its upper
    limit are infinite when ``o2 = 0``; all three are NaN when ``o1 = o2 = 0`` or a denominator
    is 0. Returns ``(ratio, lower, upper)``.
    """
    _z(level)  # validates the level
    alpha = 1 - level
    (a, na, b, nb), template = _arrays(o1, n1, o2, n2)
    for name, values in (("o1", a), ("n1", na), ("o2", b), ("n2", nb)):
        _check_non_negative(name, values)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (a / na) / (b / nb)
        p_lower = np.where(a > 0, special.betaincinv(np.where(a > 0, a, 1), b + 1, alpha / 2), 0.0)
        p_upper = np.where(b > 0, special.betaincinv(a + 1, np.where(b > 0, b, 1), 1 - alpha / 2), 1.0)
        scale = nb / na
        lower = p_lower / (1 - p_lower) * scale
        upper = np.where(p_upper < 1, p_upper / (1 - p_upper), np.inf) * scale
    undefined = (a + b == 0) | ~(na > 0) | ~(nb > 0)
    ratio, lower, upper = (np.where(undefined, np.nan, v) for v in (ratio, lower, upper))
    return _shape(ratio, template), _shape(lower, template), _shape(upper, template)


def coverage_ratio(
    area_numerator: ArrayLike,
    total_numerator: ArrayLike,
    area_population: ArrayLike,
    total_population: ArrayLike,
    level: float = 0.95,
) -> tuple[Result, Result, Result]:
    """Share of referrals from a group divided by that group's share of the population.

    ``ratio = (area_numerator / total_numerator) / (area_population / total_population)``; 1 means
    referrals in proportion to population, above 1 over-representation. The population share is
    treated as fixed and known (a census or mid-year estimate), so the interval is the Wilson
    interval of the referral share (:func:`wilson_interval`) divided by the population share.
    Returns ``(ratio, lower, upper)``; NaN where a total or the group population is 0.
    """
    (a, t, pa, pt), template = _arrays(area_numerator, total_numerator, area_population, total_population)
    _check_non_negative("area_population", pa)
    if np.any(pa > pt):
        raise ValueError("area_population must not exceed total_population")
    share_lower, share_upper = wilson_interval(a, t, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        population_share = np.where((pt > 0) & (pa > 0), pa / pt, np.nan)
        share = np.where(t > 0, a / t, np.nan)
    values = (share, np.asarray(share_lower), np.asarray(share_upper))
    return tuple(_shape(v / population_share, template) for v in values)  # type: ignore[return-value]


def standardised_ratio(
    observed: ArrayLike, expected: ArrayLike, level: float = 0.95
) -> tuple[Result, Result, Result]:
    """Indirectly standardised ratio ``O / E`` (PHEindicatormethods ``phe_smr`` / ``phe_isr``).

    The limits are the exact Poisson (below 10) or Byar limits of ``O`` (:func:`byar_interval`)
    divided by ``E``, which is treated as fixed. Returns ``(ratio, lower, upper)`` as ratios
    (1 = as expected); NaN where ``E`` is 0.
    """
    (o, e), template = _arrays(observed, expected)
    _check_non_negative("observed", o)
    _check_non_negative("expected", e)
    lower, upper = _poisson_limits(o, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.where(e > 0, 1 / e, np.nan)
    return tuple(_shape(v * inverse, template) for v in (o, lower, upper))  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# funnel plots


def _poisson_cdf(k: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """P(X <= k) for X ~ Poisson(mean); 0 for k < 0 (scipy.special.pdtr, a light import)."""
    k = np.asarray(k, dtype=float)
    return np.where(k >= 0, special.pdtr(np.maximum(k, 0), mean), 0.0)


def _poisson_ppf(probability: float, mean: np.ndarray) -> np.ndarray:
    """Smallest integer r with P(X <= r) >= probability (as scipy.stats.poisson.ppf)."""
    mean = np.asarray(mean, dtype=float)
    with np.errstate(invalid="ignore"):
        guess = np.where(mean > 0, np.ceil(np.nan_to_num(special.pdtrik(probability, mean))), 0.0)
    r = np.maximum(guess, 0.0)
    for _ in range(4):  # the continuous inverse is within one of the answer; settle it exactly
        r = np.where((r > 0) & (_poisson_cdf(r - 1, mean) >= probability), r - 1, r)
        r = np.where(_poisson_cdf(r, mean) < probability, r + 1, r)
    return r


def _poisson_control_count(mean: np.ndarray, probability: float) -> np.ndarray:
    """Spiegelhalter's interpolated Poisson quantile (Statistics in Medicine 2005, appendix).

    With ``r`` the smallest count such that ``P(X <= r) >= probability`` (the exact quantile),
    the limit is ``r - a`` where ``a = (P(X <= r) - probability) / (P(X <= r) - P(X <= r - 1))``.
    This makes the limit a smooth function of the mean; it is clipped at 0.
    """
    r = _poisson_ppf(probability, mean)
    at_r = _poisson_cdf(r, mean)
    below_r = _poisson_cdf(r - 1, mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(at_r > below_r, (at_r - probability) / (at_r - below_r), 0.0)
    return np.maximum(r - a, 0.0)


def _funnel(mean: np.ndarray, levels: Sequence[float], scale: np.ndarray) -> dict[str, np.ndarray]:
    columns: dict[str, np.ndarray] = {}
    for level in levels:
        _z(level)
        label = _level_label(level)
        columns[f"lower_{label}"] = _poisson_control_count(mean, (1 - level) / 2) * scale
        columns[f"upper_{label}"] = _poisson_control_count(mean, 1 - (1 - level) / 2) * scale
    return columns


def funnel_limits(
    denominators: ArrayLike, target_rate: float, per: float = 1000, levels: Sequence[float] = (0.95, 0.998)
) -> pd.DataFrame:
    """Poisson funnel-plot control limits for a crude rate around ``target_rate`` (per ``per``).

    For a denominator ``n`` the expected count is ``mu = target_rate / per * n``; each limit is
    the interpolated exact Poisson quantile of ``mu`` (Spiegelhalter 2005, appendix; the approach
    of the PHE funnel-plot tools), divided by ``n`` and multiplied by ``per``. Columns:
    ``denominator, target, lower_95, upper_95, lower_998, upper_998`` (one pair per level).
    """
    (n,), _ = _arrays(denominators)
    n = np.atleast_1d(n)
    if np.any(n <= 0):
        raise ValueError("funnel denominators must be positive")
    if target_rate < 0:
        raise ValueError("target_rate must not be negative")
    mean = target_rate / per * n
    frame = {"denominator": n, "target": np.full(n.shape, float(target_rate))}
    frame.update(_funnel(mean, levels, per / n))
    return pd.DataFrame(frame)


def funnel_limits_ratio(expected: ArrayLike, levels: Sequence[float] = (0.95, 0.998)) -> pd.DataFrame:
    """Funnel-plot control limits for an indirectly standardised ratio ``O / E`` around 1.

    Under the null hypothesis ``O ~ Poisson(E)``; each limit is the interpolated exact Poisson
    quantile of ``E`` (as :func:`funnel_limits`) divided by ``E``. Columns:
    ``expected, target, lower_95, upper_95, lower_998, upper_998``.
    """
    (e,), _ = _arrays(expected)
    e = np.atleast_1d(e)
    if np.any(e <= 0):
        raise ValueError("expected counts must be positive")
    frame = {"expected": e, "target": np.ones(e.shape)}
    frame.update(_funnel(e, levels, 1 / e))
    return pd.DataFrame(frame)


# --------------------------------------------------------------------------------------------
# need


def need_prevalence(imd_decile: ArrayLike, least: float = 0.15, most: float = 0.34) -> Result:
    """Assumed prevalence of need by national IMD decile, interpolated linearly.

    Decile 1 (most deprived) gets ``most`` and decile 10 (least deprived) gets ``least``; deciles
    between lie on the straight line (default: 34% disorganised attachment in low-income families
    against 15% in middle-class families, as cited by the L&SC strategy). Missing deciles give NaN.
    """
    (decile,), template = _arrays(imd_decile)
    known = decile[~np.isnan(decile)]
    if np.any((known < 1) | (known > 10)):
        raise ValueError("IMD deciles must lie between 1 and 10")
    prevalence = most + (decile - 1) / 9 * (least - most)
    return _shape(prevalence, template)
