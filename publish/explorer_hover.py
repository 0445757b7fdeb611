"""Hover for the explorer map: short per-area strings, with the fixed wording in one template per figure."""

from __future__ import annotations

import pandas as pd

from equity import explorer
from equity import formatting as fmt
from equity.benchmark import CODES


def value_text(metric: explorer.Metric, value: object) -> str:
    if pd.isna(value):
        return fmt.SUPPRESSED
    # pd.isna does not narrow ``object`` for mypy; here the value is a number
    if metric.key == "access_vs_benchmark":
        words = {code: word for word, code in CODES.items()}
        return words.get(int(float(value)), fmt.SUPPRESSED)  # type: ignore[arg-type]
    if metric.key == "core20":
        return f"{float(value):.0f}%"  # type: ignore[arg-type]
    return f"{float(value):,.{metric.decimals}f}"  # type: ignore[arg-type]


def hover_template(metric: explorer.Metric, level: str, vintage: int) -> str:
    """Template for :func:`hover_fields` (``customdata[0]`` is the area code)."""
    imd = (
        f"IMD {vintage} decile %{{customdata[3]}} (1 = most deprived)"
        if level == "lsoa"
        else (f"Average IMD {vintage} decile %{{customdata[3]}}")
    )
    return (
        "<b>%{customdata[1]}</b> (%{customdata[0]})<br>%{customdata[2]}<br>" + imd + "<br>"
        f"<b>{metric.label}: %{{customdata[4]}}</b><br>Children aged 0-5: %{{customdata[5]}}<br>"
        "Referrals: %{customdata[6]} · %{customdata[7]} per 1,000 (95% CI %{customdata[8]})<br>"
        "Need-adjusted access ratio: %{customdata[9]}"
    )


def hover_fields(table: pd.DataFrame, metric: explorer.Metric, level: str) -> pd.DataFrame:
    """Per-area strings for :func:`hover_template`; suppressed values show as '*'."""
    rows = []
    for row in table.to_dict("records"):
        where = f"{row.get('msoa_name', '')} · {row['place']}" if level == "lsoa" else row["place"]
        core = " · Core20" if row["core20_flag"] and level == "lsoa" else ""
        decile = f"{int(row['imd_decile'])}{core}" if level == "lsoa" else f"{row['imd_decile']:.1f}"
        below = " · significantly below expected" if row["significantly_below"] else ""
        rows.append(
            (
                row["name"],
                where,
                decile,
                value_text(metric, row[metric.column]),
                f"{int(row['denominator']):,}",
                fmt.count(row["referrals"]),
                fmt.rate(row["rate_per_1000"]),
                fmt.interval(row["lower_95"], row["upper_95"]),
                f"{fmt.rate(row['access_ratio'], 2)}{below}",
            )
        )
    return pd.DataFrame(rows)
