"""Need-adjusted access: observed referrals against those expected from population and need.

Need model (a visible, changeable setting): the prevalence of need among children aged 0-5 rises
linearly with deprivation, from ``least`` in national IMD decile 10 to ``most`` in decile 1
(default 15% -> 34%: the strategy's disorganised-attachment figures for middle-class and
low-income families). Expected referrals are indirectly standardised: every child in need is
given the same chance of referral, the reference rate being the rate per child in need across
the whole reference population (by default the selection itself), so ratios above 1 mean more
referrals than need implies and below 1 fewer. Intervals are exact Poisson / Byar limits on the
observed count divided by the expected count (``equity.stats.standardised_ratio``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equity.stats import need_prevalence, standardised_ratio


@dataclass(frozen=True)
class NeedModel:
    least: float = 0.15  # prevalence in IMD decile 10 (least deprived)
    most: float = 0.34  # prevalence in IMD decile 1 (most deprived)

    def __post_init__(self) -> None:
        for name in ("least", "most"):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ValueError(f"need prevalence {name} must be between 0 and 1, got {value}")

    def describe(self) -> str:
        return f"need rising from {self.least:.0%} (IMD decile 10) to {self.most:.0%} (decile 1)"


def children_in_need(frame: pd.DataFrame, model: NeedModel) -> pd.Series:
    """Expected number of children in need in each LSOA: denominator x prevalence(IMD decile)."""
    prevalence = need_prevalence(frame["imd_decile"].to_numpy(), least=model.least, most=model.most)
    return pd.Series(frame["denominator"].to_numpy() * np.asarray(prevalence), index=frame.index)


def add_expected(
    frame: pd.DataFrame, numerator: str, model: NeedModel, reference: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add ``expected``: the measure expected from need at the rate per child in need of ``reference``
    (default: the frame itself; pass the whole ICB so that a Place is compared with L&SC, not itself)."""
    need = children_in_need(frame, model)
    base = frame if reference is None else reference
    total_need = children_in_need(base, model).sum() if reference is not None else need.sum()
    rate = base[numerator].sum() / total_need if total_need > 0 else np.nan
    return frame.assign(children_in_need=need, expected=need * rate)


def need_adjusted(
    frame: pd.DataFrame, by: str, numerator: str, model: NeedModel, reference: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Observed / expected ratio with 95% and 99.8% limits per group of column ``by``."""
    work = add_expected(frame, numerator, model, reference)
    table = work.groupby(by, sort=True).agg(observed=(numerator, "sum"), expected=("expected", "sum")).reset_index()
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        ratio, lower, upper = standardised_ratio(table["observed"].to_numpy(), table["expected"].to_numpy(), level)
        table["ratio"] = ratio
        table[f"lower_{suffix}"] = lower
        table[f"upper_{suffix}"] = upper
    return table.rename(columns={by: "group"})
