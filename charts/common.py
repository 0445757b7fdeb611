"""Shared chart conventions: source line, fonts, colours (colour-blind safe)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

SOURCE_REFERENCE = (
    "Contains public sector information licensed under the OGL v3.0; ONS boundaries, OS data © Crown copyright"
)
NO_DATA_COLOUR = "#d9d9d9"
#: Chart text (titles, ticks, axis titles, legends, labels): 15.9:1 on white. Set on every text element
#: by :func:`finish`, so Streamlit's chart theme (tick labels #808495, 3.7:1) does not replace it.
TEXT_COLOUR = "#222222"
#: The source line and notes: 9.7:1 on white.
SOURCE_COLOUR = "#444444"
BACKGROUND = "#FFFFFF"
FONT = dict(family="Arial, Helvetica, sans-serif", size=14, color=TEXT_COLOUR)
#: Okabe-Ito palette (colour-blind safe) for categorical series.
CATEGORICAL = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def finish(
    fig: go.Figure, *, title: str, subtitle: str, source: str, height: int = 520, x_axis: bool = True
) -> go.Figure:
    """Title with subtitle, a source/date line under the plot (below any x-axis title), fonts.
    A long source line is wrapped (maps sit in narrower columns) and the bottom margin grows to fit it."""
    if "<br>" not in source:
        source = "<br>".join(textwrap.wrap(source, 110 if x_axis else 75)) or source
    lines = source.count("<br>") + 1
    offset = 72 if x_axis else 12  # below the x-axis title, or just below a map
    bottom = offset + 16 * lines + 12
    fig.update_layout(
        title=dict(text=f"{title}<br><sup>{subtitle}</sup>", x=0.01, xanchor="left"),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=80, b=bottom),
        paper_bgcolor=BACKGROUND,
        title_font_color=TEXT_COLOUR,
        legend_font_color=TEXT_COLOUR,
        legend_title_font_color=TEXT_COLOUR,
    )
    fig.update_xaxes(tickfont_color=TEXT_COLOUR, title_font_color=TEXT_COLOUR)
    fig.update_yaxes(tickfont_color=TEXT_COLOUR, title_font_color=TEXT_COLOUR)
    fig.update_annotations(selector=lambda a: a.font.color is None, font_color=TEXT_COLOUR)
    fig.for_each_trace(
        lambda t: t.update(colorbar_tickfont_color=TEXT_COLOUR, colorbar_title_font_color=TEXT_COLOUR),
        selector=lambda t: t.type in ("choropleth", "heatmap") and t.showscale is not False,
    )
    fig.add_annotation(
        text=source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yanchor="top",
        xanchor="left",
        yshift=-offset,
        showarrow=False,
        font=dict(size=11, color=SOURCE_COLOUR),
        align="left",
    )
    return fig


def interval_whiskers(
    value: object, lower: object, upper: object, *, thickness: float = 1.5, width: float | None = None
) -> dict:
    """Asymmetric error bars from a value and its interval (missing limits draw no whisker);
    pass as ``error_x`` or ``error_y``."""
    v, lo, hi = (
        pd.to_numeric(pd.Series(np.asarray(x, dtype=object)), errors="coerce").to_numpy(dtype=float)
        for x in (value, lower, upper)
    )
    bars = dict(
        type="data",
        symmetric=False,
        array=np.nan_to_num(hi - v),
        arrayminus=np.nan_to_num(v - lo),
        color="#333",
        thickness=thickness,
    )
    if width is not None:
        bars["width"] = width
    return bars
