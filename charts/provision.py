"""The provision matrix as a chart: status colours of the strategy's Table 2, with text in every cell.

* :func:`provision_matrix` — Plotly figure: support elements (rows) x Places (columns); each cell in
  its status colour with the status and, when given, the referral rate per 1,000 aged 0-5 for that
  Place and element, so provision and reach are read together.
* :func:`provision_and_access` — bars of referrals per 1,000 aged 0-5 (95% intervals) for each
  Place and element, each bar in its cell's provision colour.
* :func:`matrix_svg` — the same matrix as a standalone SVG document (for board papers; no
  JavaScript, no internet).

The status is always written in the cell, so colour is never the only cue.
"""

from __future__ import annotations

import html
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.common import FONT, finish, interval_whiskers
from equity.provision import STATUS_LABELS, STATUS_TEXT_COLOURS, STATUSES

GRID_COLOUR = "#8c8c8c"
SOURCE_WIDTH = 95


def wrap_source(source: str, width: int = SOURCE_WIDTH) -> tuple[str, int]:
    """The source line broken into lines of at most ``width`` characters (joined by <br>), and the count."""
    lines = textwrap.wrap(source, width) or [""]
    return "<br>".join(lines), len(lines)


def _element_label(row: pd.Series | tuple, width: int = 34, sep: str = "<br>") -> str:
    element, name, thrive = row[0], row[1], row[2]
    return sep.join(textwrap.wrap(f"{element}. {name}", width)) + f"{sep}<i>{thrive}</i>"


def _rate_text(access: pd.DataFrame | None, place: str, element: int) -> str:
    if access is None:
        return ""
    row = access[(access["place"] == place) & (access["support_element"] == element)]
    if row.empty:
        return ""
    rate = row["rate_per_1000"].iloc[0]
    return "referrals suppressed" if pd.isna(rate) else f"{float(rate):,.1f} referrals per 1,000"


def _legend_traces(fig: go.Figure, *, short: bool = False, **where: object) -> None:
    for label in STATUS_LABELS:
        short_label, colour_name, colour, _meaning = STATUSES[label]
        name = f"{short_label if short else label} ({colour_name.lower()})"
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                marker=dict(symbol="square", size=14, color=colour, line=dict(color="#444", width=1)),
                hoverinfo="skip",
                showlegend=True,
            ),
            **where,
        )


def provision_matrix(
    *,
    matrix: pd.DataFrame,
    title: str,
    subtitle: str,
    source: str,
    access: pd.DataFrame | None = None,
    places: tuple[str, ...] | None = None,
    height: int = 640,
) -> go.Figure:
    """Heatmap-like matrix of provision status; ``access`` (disclosure-controlled, from
    ``equity.provision.element_access``) adds the referral rate per 1,000 aged 0-5 to each cell."""
    data = matrix if places is None else matrix[matrix["place"].isin(places)]
    place_order = [p for p in dict.fromkeys(data["place"])]
    elements = (
        data[["support_element", "element_name", "thrive_category"]].drop_duplicates().sort_values("support_element")
    )
    y_labels = [_element_label(tuple(r)) for r in elements.itertuples(index=False)]
    code = {label: i for i, label in enumerate(STATUS_LABELS)}
    z = np.full((len(elements), len(place_order)), np.nan)
    hover = np.full(z.shape, "", dtype=object)
    fig = go.Figure()
    for row in data.itertuples(index=False):
        i = list(elements["support_element"]).index(row.support_element)
        j = place_order.index(row.place)
        z[i, j] = code[row.status]
        rate = _rate_text(access, row.place, row.support_element)
        note = "<br>".join(textwrap.wrap(str(row.note or ""), 60)) or "(no note)"
        hover[i, j] = (
            f"<b>{row.place}</b><br>{row.support_element}. {row.element_name} ({row.thrive_category})<br>"
            f"<b>{row.status}</b>: {STATUSES[row.status][3]}<br>{note}" + (f"<br>{rate}" if rate else "")
        )
        short = STATUSES[row.status][0]
        fig.add_annotation(
            x=row.place,
            y=y_labels[i],
            text=f"<b>{short}</b>" + (f"<br><sup>{rate}</sup>" if rate else ""),
            showarrow=False,
            font=dict(color=STATUS_TEXT_COLOURS[row.status], size=13),
        )
    n = len(STATUS_LABELS)
    colorscale = []
    for k, label in enumerate(STATUS_LABELS):
        colour = STATUSES[label][2]
        colorscale += [[k / n, colour], [(k + 1) / n, colour]]
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=place_order,
            y=y_labels,
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=colorscale,
            showscale=False,
            xgap=3,
            ygap=3,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    _legend_traces(fig)
    fig.update_xaxes(side="top", showgrid=False, zeroline=False, tickfont=dict(size=14))
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False, tickfont=dict(size=12))
    fig.update_layout(
        plot_bgcolor=GRID_COLOUR,
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0, title=dict(text="Provision (strategy Table 2): ")),
    )
    wrapped, lines = wrap_source(source)
    fig = finish(fig, title=title, subtitle=subtitle, source=wrapped, height=height, x_axis=True)
    fig.update_layout(margin=dict(l=10, r=10, t=110, b=100 + 14 * lines))
    return fig


def provision_and_access(
    *,
    matrix: pd.DataFrame,
    access: pd.DataFrame,
    title: str,
    subtitle: str,
    source: str,
    height: int = 600,
) -> go.Figure:
    """Small multiples, one per Place: referrals per 1,000 aged 0-5 by support element with 95%
    intervals, each bar coloured by that cell's provision status and labelled with its rate (or
    'suppressed') and status word."""
    places = [p for p in dict.fromkeys(matrix["place"]) if p in set(access["place"])]
    merged = access.merge(
        matrix[["place", "support_element", "status", "element_name"]], on=["place", "support_element"], how="inner"
    )
    fig = make_subplots(
        rows=1, cols=max(len(places), 1), shared_yaxes=True, subplot_titles=places, horizontal_spacing=0.02
    )
    y_order = [
        f"{e}. {textwrap.shorten(n, 34, placeholder='…')}"
        for e, n in matrix[["support_element", "element_name"]]
        .drop_duplicates()
        .sort_values("support_element")
        .itertuples(index=False)
    ]
    upper_all = pd.to_numeric(merged["upper_95"], errors="coerce")
    x_max = float(upper_all.max()) * 1.25 if upper_all.notna().any() and upper_all.max() > 0 else 1.0
    for col, place in enumerate(places, start=1):
        part = merged[merged["place"] == place].sort_values("support_element")
        rate = pd.to_numeric(part["rate_per_1000"], errors="coerce").astype("float64")
        lower = pd.to_numeric(part["lower_95"], errors="coerce").astype("float64")
        upper = pd.to_numeric(part["upper_95"], errors="coerce").astype("float64")
        labels = [
            f"{e}. {textwrap.shorten(n, 34, placeholder='…')}"
            for e, n in zip(part["support_element"], part["element_name"], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=rate,  # a suppressed rate draws no bar (and is labelled so)
                name=place,
                orientation="h",
                marker=dict(color=[STATUSES[s][2] for s in part["status"]], line=dict(color="#444", width=1)),
                error_x=interval_whiskers(rate, lower, upper, thickness=1.2),
                customdata=np.column_stack([part["status"], lower, upper]),
                hovertemplate=(
                    f"<b>{place}</b><br>%{{y}}<br>%{{customdata[0]}}<br>%{{x:,.1f}} per 1,000 "
                    "(95% CI %{customdata[1]:,.1f} to %{customdata[2]:,.1f})<extra></extra>"
                ),
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                y=labels,
                x=upper.fillna(0),
                mode="text",
                textposition="middle right",
                hoverinfo="skip",
                # the status word beside each bar, so colour is never the only cue
                text=[
                    f" {'suppressed' if pd.isna(v) else f'{v:,.1f}'} · {STATUSES[s][0]}"
                    for v, s in zip(rate, part["status"], strict=True)
                ],
                showlegend=False,
                textfont=dict(size=12, color="#222"),
                cliponaxis=False,
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="per 1,000", range=[0, x_max], gridcolor="#eee", row=1, col=col)
    fig.update_yaxes(categoryorder="array", categoryarray=y_order[::-1])
    _legend_traces(fig, short=True, row=1, col=1)
    fig.update_layout(
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.09, x=0, title=dict(text="Provision:", side="left")),
    )
    wrapped, lines = wrap_source(source)
    fig = finish(fig, title=title, subtitle=subtitle, source=wrapped, height=height)
    fig.update_layout(margin=dict(l=10, r=10, t=190, b=100 + 14 * lines))
    return fig


# --------------------------------------------------------------------------------------------
# SVG


def _svg_lines(
    x: float,
    y: float,
    lines: list[str],
    *,
    size: int,
    colour: str = "#000",
    weight: str = "normal",
    anchor: str = "start",
    step: float | None = None,
) -> str:
    step = step or size * 1.25
    spans = "".join(
        f'<tspan x="{x:.0f}" dy="{0 if i == 0 else step:.1f}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.0f}" y="{y:.1f}" font-size="{size}" fill="{colour}" font-weight="{weight}" '
        f'text-anchor="{anchor}">{spans}</text>'
    )


def matrix_svg(
    *, matrix: pd.DataFrame, title: str, subtitle: str, source: str, access: pd.DataFrame | None = None
) -> str:
    """The provision matrix as an SVG document (UTF-8 text): title, subtitle, cells with status
    (and referral rate, if ``access`` is given), a legend with the strategy's meanings, the source."""
    places = list(dict.fromkeys(matrix["place"]))
    elements = (
        matrix[["support_element", "element_name", "thrive_category"]].drop_duplicates().sort_values("support_element")
    )
    label_w, cell_w, cell_h, top, left = 330, 180, 66, 110, 20
    width = left + label_w + cell_w * len(places) + 20
    grid_bottom = top + cell_h * len(elements)
    legend_h = 24 * len(STATUS_LABELS) + 20
    source_lines = textwrap.wrap(source, 150)
    height = grid_bottom + legend_h + 40 + 14 * len(source_lines)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT["family"]}">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        _svg_lines(left, 30, [title], size=18, weight="bold"),
        _svg_lines(left, 52, textwrap.wrap(subtitle, 120), size=12, colour="#444"),
    ]
    for j, place in enumerate(places):
        x = left + label_w + j * cell_w + cell_w / 2
        out.append(_svg_lines(x, top - 10, [place], size=13, weight="bold", anchor="middle"))
    for i, (element, name, thrive) in enumerate(elements.itertuples(index=False)):
        y = top + i * cell_h
        lines = [*textwrap.wrap(f"{element}. {name}", 44)[:2], thrive]
        out.append(_svg_lines(left, y + 20, lines, size=12, step=15))
        for j, place in enumerate(places):
            cell = matrix[(matrix["place"] == place) & (matrix["support_element"] == element)]
            if cell.empty:
                continue
            status = cell["status"].iloc[0]
            x = left + label_w + j * cell_w
            out.append(
                f'<rect x="{x + 2}" y="{y + 2}" width="{cell_w - 4}" height="{cell_h - 4}" '
                f'fill="{STATUSES[status][2]}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
            )
            text = [STATUSES[status][0]]
            rate = _rate_text(access, place, int(element))
            if rate:
                text.append(rate)
            out.append(
                _svg_lines(
                    x + cell_w / 2,
                    y + cell_h / 2 - (6 if rate else -5),
                    text,
                    size=13,
                    colour=STATUS_TEXT_COLOURS[status],
                    weight="bold",
                    anchor="middle",
                    step=17,
                )
            )
    y = grid_bottom + 28
    for label in STATUS_LABELS:
        _short, colour_name, colour, meaning = STATUSES[label]
        out.append(f'<rect x="{left}" y="{y - 12}" width="16" height="16" fill="{colour}" stroke="#444"/>')
        out.append(_svg_lines(left + 24, y, [f"{label} ({colour_name}): {meaning}"], size=12))
        y += 24
    out.append(_svg_lines(left, y + 14, source_lines, size=11, colour="#444", step=14))
    out.append("</svg>")
    return "\n".join(out)
