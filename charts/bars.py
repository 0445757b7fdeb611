"""Bar charts with interval whiskers."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from charts.benchmark import colour_of, text_on
from charts.common import CATEGORICAL, finish, interval_whiskers

#: reference lines: the first (L&SC) dashed, a second (the chosen benchmark) dotted
REFERENCE_DASHES = ("dash", "dot")
REFERENCE_COLOUR = "#222222"


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
    references: Sequence[tuple[str, float | None]] = (),
    comparisons: Sequence[str] | None = None,
    comparison_title: str = "",
    height: int = 420,
) -> go.Figure:
    """Horizontal bars of a rate with 95% interval whiskers; missing (suppressed) rates are labelled.

    ``references``: (label, value) lines drawn across the bars, each labelled with its own value
    ('L&SC 107.5'); ``reference``/``reference_label`` add one more. ``comparisons``: each bar's
    comparison word with the benchmark (``equity.benchmark``), which colours it in the Fingertips colours,
    is written after its value and keyed in a legend titled ``comparison_title``."""
    data = frame.copy()
    rate = pd.to_numeric(data[rate_column], errors="coerce")
    lower = pd.to_numeric(data[lower_column], errors="coerce")
    upper = pd.to_numeric(data[upper_column], errors="coerce")
    labels = data[label_column].astype(str)
    text = [f"{v:,.1f}" if pd.notna(v) else "suppressed" for v in rate]
    words = list(comparisons) if comparisons is not None else None
    fills: list[str] | str = [colour_of(w) for w in words] if words is not None else CATEGORICAL[0]
    if words is not None:
        text = [f"{t} · {w}" if t != "suppressed" else t for t, w in zip(text, words, strict=True)]
    inks = [text_on(f) for f in fills] if isinstance(fills, list) else "white"
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=rate.fillna(0),
            orientation="h",
            marker_color=fills,
            marker_line=dict(color="#222222", width=1),
            text=text,
            textposition="inside",
            insidetextanchor="start",
            textfont=dict(color=inks),
            showlegend=False,
            error_x=interval_whiskers(rate, lower, upper),
            customdata=list(zip(lower.fillna(float("nan")), upper.fillna(float("nan")), strict=True)),
            hovertemplate="%{y}: %{x:,.1f}<br>95% CI %{customdata[0]:,.1f} to %{customdata[1]:,.1f}<extra></extra>",
        )
    )
    lines = [(name, value) for name, value in references if value is not None and pd.notna(value)]
    if reference is not None:
        lines.append((reference_label, reference))
    for i, (name, value) in enumerate(lines[: len(REFERENCE_DASHES)]):
        fig.add_vline(
            x=float(value),
            line_dash=REFERENCE_DASHES[i],
            line_color=REFERENCE_COLOUR,
            line_width=2,
            annotation_text=f"{name} {float(value):,.1f}",
            annotation_position="top" if i == 0 else "bottom",
        )
    if words is not None:
        for word in dict.fromkeys(words):  # one legend key per word shown, in order of first appearance
            fig.add_trace(
                go.Bar(
                    x=[None],
                    y=[None],
                    orientation="h",
                    name=word,
                    marker_color=colour_of(word),
                    marker_line=dict(color="#222222", width=1),
                    hoverinfo="skip",
                    showlegend=True,
                )
            )
    fig.update_xaxes(title=x_title, rangemode="tozero", gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        plot_bgcolor="white",
        showlegend=words is not None,
        legend=dict(title=dict(text=comparison_title), x=1.01, y=1, yanchor="top", traceorder="normal"),
    )
    return finish(fig, title=title, subtitle=subtitle, source=source, height=height)
