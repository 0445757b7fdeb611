"""Screen tables: disclosure-controlled frames -> labelled, formatted frames."""

from __future__ import annotations

from typing import Any

import pandas as pd

from charts.benchmark import cell_style
from ui import format as fmt


def comparison_columns(frame: pd.DataFrame) -> list[str]:
    """The screen columns holding a comparison with the benchmark (their names start 'Compared with')."""
    return [c for c in frame.columns if str(c).startswith("Compared with") or " vs " in str(c)]


def styled(frame: pd.DataFrame) -> Any:
    """The frame with its comparison cells in the Fingertips colours (black or white text, ≥ 4.5:1)."""
    columns = comparison_columns(frame)
    return frame.style.map(cell_style, subset=columns) if columns else frame


def overview_table(table: pd.DataFrame) -> pd.DataFrame:
    """The Overview's table; given :func:`publish.benchmarks.overview_comparisons` rows it writes out each
    comparison with the benchmark (a column per measure)."""
    compared = "referrals_vs" in table.columns
    rows = []
    for row in table.itertuples(index=False):
        rows.append(
            {
                "Area": row.group_name,
                "Neighbourhoods (LSOAs)": f"{row.lsoa_count:,}",
                "Children aged 0-5": f"{row.denominator:,}",
                "Referrals": fmt.count(row.referrals),
                "Referrals per 1,000 aged 0-5": fmt.rate(row.rate_per_1000),
                "95% CI (referrals)": fmt.interval(row.lower_95, row.upper_95),
                "People accessing": fmt.count(row.people_accessing),
                "Access per 1,000 aged 0-5": fmt.rate(row.access_rate_per_1000),
                "95% CI (access)": fmt.interval(row.access_lower_95, row.access_upper_95),
                "Referrals from Core20 areas": fmt.share(row.core20_referral_share),
                "Children 0-5 living in Core20 areas": fmt.share(row.core20_population_share),
            }
        )
        if compared:
            rows[-1][f"Referrals vs {row.referrals_benchmark}"] = row.referrals_vs
            rows[-1][f"Access vs {row.access_benchmark}"] = row.access_vs
            rows[-1][f"Core20 children vs {row.core20_children_benchmark}"] = row.core20_children_vs
    out = pd.DataFrame(rows)
    if compared:  # each comparison beside its figure
        order = list(out.columns)
        for after, column in (
            ("95% CI (referrals)", f"Referrals vs {table['referrals_benchmark'].iloc[0]}"),
            ("95% CI (access)", f"Access vs {table['access_benchmark'].iloc[0]}"),
        ):
            order.remove(column)
            order.insert(order.index(after) + 1, column)
        out = out[order]
    return out


def inequality_table(table: pd.DataFrame) -> pd.DataFrame:
    from equity.report import inequality_display

    return inequality_display(table)


def shown_table(
    frame: Any, *, key: str, title: str, subtitle: str = "", notes: str = "", where: Any = None, **kwargs: Any
) -> None:
    """``st.dataframe(frame, **kwargs)`` in ``where`` (a column; default the page) with an "Add to board
    pack" button for the table as shown (``frame`` may be a pandas Styler)."""
    import streamlit as st

    from publish.pack_items import snapshot_of_table
    from ui.boardpack import snapshot_button

    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    data = frame.data if hasattr(frame, "data") else frame  # a pandas Styler shows its frame
    with where or st.container():
        st.dataframe(frame, **kwargs)
        snapshot_button(
            key=key,
            title=title,
            caption=f"{title} · {subtitle} · {len(data)} rows",
            make_spec=lambda: snapshot_of_table(data, title, subtitle, notes),
        )
