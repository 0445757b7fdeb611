"""Display copies of indicator tables with disclosure control (DESIGN.md section 4).

Below ICB level: counts 1-4 hidden, others rounded to the nearest 5, secondary suppression
against shown totals, and rates (with their intervals) hidden when their numerator is hidden.
Rates that are shown below ICB level are recomputed from the *rounded* numerator, so that an
exact count cannot be recovered from a rate and a published population.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from equity.disclosure import apply_disclosure
from equity.stats import rate_table

RATE_PARTS: tuple[str, ...] = ("rate_per_1000", "lower_95", "upper_95", "lower_998", "upper_998")
DISCLOSURE_NOTE = (
    "Disclosure control: below ICB level counts of 1-4 are suppressed (shown as *), other counts are "
    "rounded to the nearest 5 and rates are calculated from rounded counts; a further cell is hidden "
    "where a suppressed value could otherwise be worked out from a total."
)


def disclose(
    table: pd.DataFrame,
    *,
    counts: Sequence[str],
    rates: Mapping[str, str] | None = None,
    level: str = "sub_icb",
    total_shown: bool = True,
    enabled: bool = True,
) -> pd.DataFrame:
    """Display copy of ``table``. ``rates`` maps a rate-column prefix ('' or 'access_') to its
    numerator column; the prefix's rate and interval columns are hidden or recomputed with it.
    ``total_shown`` says whether the table's total is published elsewhere (the usual case)."""
    rates = dict(rates or {})
    rate_cols = {prefix + part: numerator for prefix, numerator in rates.items() for part in RATE_PARTS}
    rate_cols = {c: n for c, n in rate_cols.items() if c in table.columns}
    shown = apply_disclosure(
        table,
        count_cols=list(counts),
        rate_cols=rate_cols,
        level="icb" if level == "icb" else "sub_icb",
        known_total=list(counts) if total_shown else None,
        enabled=enabled,
    )
    if enabled and level != "icb":
        for prefix, numerator in rates.items():
            if prefix + "rate_per_1000" not in table.columns:
                continue
            visible = shown[numerator].notna().to_numpy()
            rounded = shown.loc[visible, numerator].astype("int64").to_numpy()
            recomputed = rate_table(rounded, table.loc[visible, "denominator"].to_numpy(), per=1000)
            for part in RATE_PARTS:
                if prefix + part not in shown.columns:
                    continue
                column = shown[prefix + part].astype("Float64")
                column[visible] = recomputed[part].to_numpy()
                shown[prefix + part] = column
    return shown
