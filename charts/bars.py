"""Bar charts with interval whiskers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.common import CATEGORICAL, finish, interval_whiskers


def rate_bars(
    *,
    frame: pd.DataFrame,
    label_column: str,
    rate_column: str,
    lower_column: str,
    upper_column: str,
    title: str,
    subtitle: str,
    source: str,
    x_title: str,
    reference: float | None = None,
    reference_label: str = "",
    height: int = 420,
) -> go.Figure:
    """Horizontal bars of a rate with 95% interval whiskers; missing (suppressed) rates are labelled."""
    data = frame.copy()
    rate = pd.to_numeric(data[rate_column], errors="coerce")
    lower = pd.to_numeric(data[lower_column], errors="coerce")
    upper = pd.to_numeric(data[upper_column], errors="coerce")
    labels = data[label_column].astype(str)
    text = [f"{v:,.1f}" if pd.notna(v) else "suppressed" for v in rate]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=rate.fillna(0),
            orientation="h",
            marker_color=CATEGORICAL[0],
            text=text,
            textposition="inside",
            insidetextanchor="start",
            textfont=dict(color="white"),
            error_x=interval_whiskers(rate, lower, upper),
            customdata=list(zip(lower.fillna(float("nan")), upper.fillna(float("nan")), strict=True)),
            hovertemplate="%{y}: %{x:,.1f}<br>95% CI %{customdata[0]:,.1f} to %{customdata[1]:,.1f}<extra></extra>",
        )
    )
    if reference is not None:
        fig.add_vline(
            x=reference,
            line_dash="dash",
            line_color="#D55E00",
            annotation_text=reference_label,
            annotation_position="top",
        )
    fig.update_xaxes(title=x_title, rangemode="tozero", gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(plot_bgcolor="white", showlegend=False)
    return finish(fig, title=title, subtitle=subtitle, source=source, height=height)
