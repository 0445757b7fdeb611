"""Outcome charts: reliable change shares by group (100% stacked bars). Mean change and the gap to parity use
``charts.bars.rate_bars`` (a value with its interval whiskers)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.common import CATEGORICAL, finish

PARTS = (
    ("reliably_improved_share", "Reliably improved", CATEGORICAL[0]),
    ("no_reliable_change_share", "No reliable change", "#767676"),
    ("reliably_deteriorated_share", "Reliably deteriorated", CATEGORICAL[5]),
)


def reliable_change_bars(
    *, frame: pd.DataFrame, title: str, subtitle: str, source: str, height: int = 420
) -> go.Figure:
    """Horizontal 100% bars of the shares reliably improved / no reliable change / reliably deteriorated per
    group (``group`` column); a hidden share is drawn as 0 and labelled 'suppressed'."""
    fig = go.Figure()
    labels = frame["group"].astype(str)
    for column, name, colour in PARTS:
        values = pd.to_numeric(frame[column], errors="coerce") * 100
        text = [f"{v:.0f}%" if pd.notna(v) else "suppressed" for v in values]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values.fillna(0),
                name=name,
                orientation="h",
                marker_color=colour,
                text=text,
                textposition="inside",
                insidetextanchor="middle",
                textfont=dict(color="white"),
                hovertemplate=f"%{{y}}: {name.lower()} %{{x:.1f}}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", plot_bgcolor="white", legend=dict(orientation="h", y=-0.25, x=0))
    fig.update_xaxes(title="Share of pairs (%)", range=[0, 100], gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    return finish(fig, title=title, subtitle=subtitle, source=source, height=height)
