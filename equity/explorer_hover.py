"""Hover fields for the explorer map: short strings per area, shown through one template."""

from __future__ import annotations

import pandas as pd

from equity import explorer
from equity import formatting as fmt


def value_text(metric: explorer.Metric, value: object) -> str:
    if pd.isna(value):
        return fmt.SUPPRESSED
    if metric.key == "core20":
        return f"{float(value):.0f}%"
    return f"{float(value):,.{metric.decimals}f}"


HOVER_TEMPLATE = (
    "<b>%{customdata[1]}</b> (%{customdata[0]})<br>%{customdata[2]}<br>%{customdata[3]}<br>"
    "<b>%{customdata[4]}</b><br>Children aged 0-5: %{customdata[5]}<br>"
    "Referrals: %{customdata[6]} · %{customdata[7]} per 1,000 (95% CI %{customdata[8]})<br>"
    "Need-adjusted access ratio: %{customdata[9]}"
)


def hover_fields(table: pd.DataFrame, metric: explorer.Metric, level: str, vintage: int) -> pd.DataFrame:
    """String fields for the map hover (see HOVER_TEMPLATE); suppressed values show as '*'."""
    rows = []
    for row in table.to_dict("records"):
        where = f"{row.get('msoa_name', '')} · {row['place']}" if level == "lsoa" else row["place"]
        core = " · Core20" if row["core20_flag"] else ""
        imd = (
            f"IMD {vintage} decile {int(row['imd_decile'])} (1 = most deprived){core}"
            if level == "lsoa"
            else f"Average IMD {vintage} decile {row['imd_decile']:.1f}"
        )
        below = " · significantly below expected" if row["significantly_below"] else ""
        rows.append(
            (
                row["name"],
                where,
                imd,
                f"{metric.label}: {value_text(metric, row[metric.column])}",
                f"{int(row['denominator']):,}",
                fmt.count(row["referrals"]),
                fmt.rate(row["rate_per_1000"]),
                fmt.interval(row["lower_95"], row["upper_95"]),
                f"{fmt.rate(row['access_ratio'], 2)}{below}",
            )
        )
    return pd.DataFrame(rows)
