"""XmR charts in the "Making Data Count" style, with variation and assurance icons drawn in code.

Pure builders: an ``equity.spc.SpcResult`` in, a ``go.Figure`` (or an SVG string) out. Colours as
MDC: special cause improvement blue, concern orange, neutral purple, common cause grey; mean line
black, process limits grey dashed, target red dashed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.common import finish
from equity.spc import ASSURANCE_LABELS, VARIATION_LABELS, SpcResult

IMPROVEMENT = "#289de0"
CONCERN = "#fab428"
NEUTRAL = "#490092"
COMMON = "#a6a6a6"
MEAN_LINE = "#000000"
LIMIT_LINE = "#7f7f7f"
TARGET_LINE = "#de1b1b"
POINT_COLOURS: dict[str, str] = {
    "common_cause": COMMON,
    "improvement": IMPROVEMENT,
    "concern": CONCERN,
    "neutral": NEUTRAL,
}
ICON_ANNOTATION = "spc_icon"  # the name of the annotations that draw the icons
NOTE_ANNOTATION = "spc_note"  # the name of the annotations that carry the result's notes
POINT_NAMES: dict[str, str] = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither better nor worse",
}


# --------------------------------------------------------------------------------------------
# icons: one geometry, drawn as Plotly shapes or as SVG


@dataclass(frozen=True)
class Icon:
    colour: str
    letter: str
    dots: tuple[tuple[float, float], ...]  # (x, y) in a 48 x 48 box, y upwards from the centre
    dot_colours: tuple[str, ...]
    target_line: bool
    label: str


_XS = (-12.0, -8.0, -4.0, 0.0, 4.0, 8.0, 12.0)
#: dot heights (pixels above the centre of a 48 px icon): the dots sit in the lower half, the letter above
_COMMON_YS = (-4.0, -1.0, -5.0, -2.0, -6.0, -2.0, -4.0)
_HIGH_YS = (-10.0, -9.0, -10.0, -9.0, -6.0, -4.0, -2.0)
_LOW_YS = (-2.0, -3.0, -2.0, -3.0, -6.0, -8.0, -10.0)


def variation_icon(kind: str) -> Icon:
    """The MDC variation icon for a variation key of :mod:`equity.spc` (e.g. 'concern_low')."""
    if kind not in VARIATION_LABELS:
        raise ValueError(f"unknown variation {kind!r}")
    if kind in ("common_cause", "not_enough_data"):
        letter = "" if kind == "common_cause" else "?"
        dots = tuple(zip(_XS, (y + 3 for y in _COMMON_YS), strict=True)) if not letter else _dots(_COMMON_YS)
        return Icon(COMMON, letter, dots, (COMMON,) * 7, False, VARIATION_LABELS[kind])
    nature, side = kind.rsplit("_", 1)
    colour = POINT_COLOURS[nature]
    colours = (COMMON,) * 4 + (colour,) * 3
    ys = _HIGH_YS if side == "high" else _LOW_YS
    return Icon(colour, "H" if side == "high" else "L", _dots(ys), colours, False, VARIATION_LABELS[kind])


def assurance_icon(kind: str) -> Icon:
    """The MDC assurance icon: P (consistently passes), F (consistently fails), ? (hit and miss)."""
    if kind not in ASSURANCE_LABELS:
        raise ValueError(f"unknown assurance {kind!r}")
    colour, letter = {
        "pass": (IMPROVEMENT, "P"),
        "fail": (CONCERN, "F"),
        "hit_and_miss": (COMMON, "?"),
        "no_target": ("#d9d9d9", "–"),
    }[kind]
    return Icon(colour, letter, (), (), kind != "no_target", ASSURANCE_LABELS[kind])


def _dots(ys: tuple[float, ...]) -> tuple[tuple[float, float], ...]:
    return tuple(zip(_XS, ys, strict=True))


def icon_svg(icon: Icon, size: int = 48) -> str:
    """A standalone SVG of an icon (for tables on screen)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 48 48">',
        f'<circle cx="24" cy="24" r="21" fill="white" stroke="{icon.colour}" stroke-width="3.5"/>',
    ]
    if icon.dots:
        points = " ".join(f"{24 + x:.1f},{24 - y:.1f}" for x, y in icon.dots)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{COMMON}" stroke-width="1.2"/>')
        for (x, y), colour in zip(icon.dots, icon.dot_colours, strict=True):
            parts.append(f'<circle cx="{24 + x:.1f}" cy="{24 - y:.1f}" r="2.2" fill="{colour}"/>')
    if icon.target_line:
        parts.append(
            f'<line x1="11" y1="36" x2="37" y2="36" stroke="{TARGET_LINE}" stroke-width="2" stroke-dasharray="3,2"/>'
        )
    if icon.letter:
        y = 17 if icon.dots else 23
        parts.append(
            f'<text x="24" y="{y}" text-anchor="middle" dominant-baseline="middle" font-family="Arial, sans-serif" '
            f'font-weight="bold" font-size="{16 if icon.dots else 22}" fill="{icon.colour}">{icon.letter}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def add_icon(fig: go.Figure, icon: Icon, *, right_px: float, size: float = 48) -> None:
    """Draw ``icon`` above the top-right corner of the plot area, ``right_px`` pixels from the right."""
    k = size / 48
    cx = -right_px - size / 2
    cy = size / 2 + 8
    common = dict(xref="paper", yref="paper", xsizemode="pixel", ysizemode="pixel", xanchor=1, yanchor=1)
    fig.add_shape(
        type="circle",
        x0=cx - 21 * k,
        x1=cx + 21 * k,
        y0=cy - 21 * k,
        y1=cy + 21 * k,
        line=dict(color=icon.colour, width=3.5 * k),
        fillcolor="white",
        layer="above",
        **common,
    )
    if icon.dots:
        path = " ".join(
            f"{'M' if i == 0 else 'L'} {cx + x * k:.1f} {cy + y * k:.1f}" for i, (x, y) in enumerate(icon.dots)
        )
        fig.add_shape(type="path", path=path, line=dict(color=COMMON, width=1.2), layer="above", **common)
        for (x, y), colour in zip(icon.dots, icon.dot_colours, strict=True):
            r = 2.2 * k
            fig.add_shape(
                type="circle",
                x0=cx + x * k - r,
                x1=cx + x * k + r,
                y0=cy + y * k - r,
                y1=cy + y * k + r,
                fillcolor=colour,
                line=dict(width=0, color=colour),
                layer="above",
                **common,
            )
    if icon.target_line:
        fig.add_shape(
            type="line",
            x0=cx - 11 * k,
            x1=cx + 11 * k,
            y0=cy - 12 * k,
            y1=cy - 12 * k,
            line=dict(color=TARGET_LINE, width=2 * k, dash="dot"),
            layer="above",
            **common,
        )
    if icon.letter:
        dy = 7 if icon.dots else 4
        fig.add_annotation(
            text=f"<b>{icon.letter}</b>",
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            xshift=cx,
            yshift=cy + dy * k,
            xanchor="center",
            yanchor="middle",
            showarrow=False,
            font=dict(size=(15 if icon.dots else 20) * k, color=icon.colour, family="Arial"),
            hovertext=icon.label,
            name=ICON_ANNOTATION,
        )
    # an invisible annotation over the whole icon carries its meaning on hover
    fig.add_annotation(
        text=" ",
        xref="paper",
        yref="paper",
        x=1,
        y=1,
        xshift=cx,
        yshift=cy,
        width=size,
        height=size,
        xanchor="center",
        yanchor="middle",
        showarrow=False,
        hovertext=icon.label,
        name=ICON_ANNOTATION,
    )


# --------------------------------------------------------------------------------------------
# the chart


def _segment_line(points: pd.DataFrame, column: str) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for _, rows in points.groupby("segment", sort=True):
        xs += [*rows["period"], None]
        ys += [*rows[column], None]
    return xs, ys


def _fmt(value: float, value_format: str) -> str:
    return "" if value is None or not np.isfinite(value) else format(value, value_format)


def _line_traces(points: pd.DataFrame, *, scale: float, legend: bool) -> list[go.Scatter]:
    """The value line, the mean and the process limits (per segment) of an XmR chart; ``legend``: the
    mean and limits are keyed in the legend."""
    traces = [
        go.Scatter(
            x=points["period"],
            y=points["value"],
            mode="lines",
            line=dict(color=COMMON, width=1.5 * scale),
            hoverinfo="skip",
            showlegend=False,
        )
    ]
    for name, column, dash, colour in (
        ("Mean", "mean", "solid", MEAN_LINE),
        ("Process limits", "upper", "dash", LIMIT_LINE),
        ("Lower process limit", "lower", "dash", LIMIT_LINE),
    ):
        xs, ys = _segment_line(points, column)
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=name,
                legendgroup=name,
                line=dict(color=colour, width=(1.3 if column != "mean" else 1.6) * scale, dash=dash),
                hoverinfo="skip",
                showlegend=legend and column != "lower",
                connectgaps=False,
            )
        )
    return traces


def spc_chart(
    *,
    result: SpcResult,
    title: str,
    subtitle: str,
    source: str,
    y_title: str,
    value_format: str = ",.0f",
    height: int = 520,
    icons: bool = True,
    icon_size: float = 48,
) -> go.Figure:
    """XmR chart: points coloured by special cause, mean and process limits per segment, optional
    target line, rebase markers, the variation and assurance icons at the top right, and the result's
    notes (a lower limit drawn at zero) at the bottom left. The hover of each point names the rules that
    fired."""
    points = result.points
    fig = go.Figure()
    for trace in _line_traces(points, scale=1.0, legend=True):
        fig.add_trace(trace)
    for kind in ("common_cause", "improvement", "concern", "neutral"):
        rows = points[points["point_type"] == kind]
        if rows.empty:
            continue
        custom = np.column_stack(
            [
                [_fmt(v, value_format) for v in rows["value"]],
                [_fmt(v, value_format) for v in rows["mean"]],
                [_fmt(v, value_format) for v in rows["lower"]],
                [_fmt(v, value_format) for v in rows["upper"]],
                rows["rules"].to_numpy(),
            ]
        )
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["value"],
                mode="markers",
                name=POINT_NAMES[kind],
                marker=dict(color=POINT_COLOURS[kind], size=9, line=dict(color="white", width=0.5)),
                customdata=custom,
                hovertemplate="<b>%{x|%b %Y}</b>: %{customdata[0]}<br>mean %{customdata[1]}, "
                "limits %{customdata[2]} to %{customdata[3]}<br>%{customdata[4]}<extra></extra>",
            )
        )
    if result.target is not None:
        fig.add_hline(
            y=result.target,
            line=dict(color=TARGET_LINE, dash="dot", width=1.6),
            annotation_text=f"Target {_fmt(result.target, value_format)}",
            annotation_position="bottom left",
            annotation_font_color=TARGET_LINE,
        )
        fig.add_trace(
            go.Scatter(x=[None], y=[None], mode="lines", name="Target", line=dict(color=TARGET_LINE, dash="dot"))
        )
    starts = points.loc[points["segment"].diff().fillna(0) > 0, "period"]
    for start in starts:
        x = _as_datetime(start)
        fig.add_vline(x=x, line=dict(color="#555", dash="dot", width=1))
        fig.add_annotation(
            x=x, y=1, yref="paper", text="rebased", showarrow=False, xanchor="left", yanchor="top", font=dict(size=11)
        )
    fig.update_xaxes(gridcolor="#eee", title=None)
    fig.update_yaxes(title=y_title, gridcolor="#eee", rangemode="tozero" if (points["value"] >= 0).all() else None)
    fig.update_layout(
        plot_bgcolor="white",
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.07, xanchor="left", x=0, font=dict(size=12)),
    )
    for i, note in enumerate(result.notes):  # e.g. a lower limit below zero drawn at zero
        fig.add_annotation(
            text=f"Note: {note}.",
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="bottom",
            yshift=4 + 16 * i,
            showarrow=False,
            font=dict(size=11, color="#444"),
            name=NOTE_ANNOTATION,
        )
    fig = finish(fig, title=title, subtitle=subtitle, source=source, height=height)
    if icons:
        right = 0.0
        if result.assurance != "no_target":
            add_icon(fig, assurance_icon(result.assurance), right_px=right, size=icon_size)
            right += icon_size + 10
        add_icon(fig, variation_icon(result.variation), right_px=right, size=icon_size)
        fig.update_layout(margin=dict(t=max(90, int(icon_size) + 40)))
    return fig


def _as_datetime(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def spc_small_multiples(
    *,
    results: Mapping[str, SpcResult],
    title: str,
    subtitle: str,
    source: str,
    y_title: str,
    value_format: str = ",.0f",
    height: int = 620,
) -> go.Figure:
    """XmR charts of several areas (the four Places) in a grid, two across: each panel with its points
    coloured by special cause, its mean and process limits, and its variation written in its title. One
    legend for all panels."""
    from plotly.subplots import make_subplots

    names = list(results)
    rows = (len(names) + 1) // 2
    fig = make_subplots(
        rows=rows,
        cols=2,
        shared_xaxes=True,
        subplot_titles=[f"<b>{n}</b> · {results[n].variation_label}" for n in names],
        vertical_spacing=0.16,
        horizontal_spacing=0.09,
    )
    shown: set[str] = set()
    for i, name in enumerate(names):
        points = results[name].points
        row, col = i // 2 + 1, i % 2 + 1
        for trace in _line_traces(points, scale=0.8, legend=i == 0):
            fig.add_trace(trace, row=row, col=col)
        for kind in ("common_cause", "improvement", "concern", "neutral"):
            part = points[points["point_type"] == kind]
            if part.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=part["period"],
                    y=part["value"],
                    mode="markers",
                    name=POINT_NAMES[kind],
                    legendgroup=kind,
                    marker=dict(color=POINT_COLOURS[kind], size=7, line=dict(color="white", width=0.5)),
                    customdata=[_fmt(v, value_format) for v in part["value"]],
                    hovertemplate=f"<b>{name}</b> %{{x|%b %Y}}: %{{customdata}}<extra></extra>",
                    showlegend=POINT_NAMES[kind] not in shown,
                ),
                row=row,
                col=col,
            )
            shown.add(POINT_NAMES[kind])
    fig.update_xaxes(gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee", rangemode="tozero")
    for row in range(1, rows + 1):
        fig.update_yaxes(title_text=y_title, title_font_size=12, row=row, col=1)
    fig.update_layout(
        plot_bgcolor="white",
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.08, xanchor="left", x=0, font=dict(size=12)),
    )
    return finish(fig, title=title, subtitle=subtitle, source=source, height=height)
