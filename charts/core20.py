"""Charts for the Core20PLUS5 page. Pure builders: frames in, figures out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.common import CATEGORICAL, finish, interval_whiskers

QUINTILE_COLOURS = {1: "#0072B2", 2: "#56B4E9", 3: "#009E73", 4: "#E69F00", 5: "#D55E00"}


def coverage_dots(*, frame: pd.DataFrame, title: str, subtitle: str, source: str, target: float | None) -> go.Figure:
    """Coverage ratio and need-adjusted coverage by area with 95% intervals, parity at 1."""
    fig = go.Figure()
    for column, lower, upper, name, colour, symbol in (
        ("coverage_ratio", "lower_95", "upper_95", "Against population share", CATEGORICAL[0], "circle"),
        ("need_adjusted_ratio", "need_lower_95", "need_upper_95", "Against need share", CATEGORICAL[5], "diamond"),
    ):
        fig.add_trace(
            go.Scatter(
                x=frame[column],
                y=frame["area"],
                mode="markers",
                name=name,
                marker=dict(color=colour, size=11, symbol=symbol),
                error_x=interval_whiskers(frame[column], frame[lower], frame[upper], width=6),
                hovertemplate="%{y}: %{x:.2f}<extra>" + name + "</extra>",
            )
        )
    fig.add_vline(x=1, line_color="#444", line_dash="dash", annotation_text="Parity (1.0)", annotation_position="top")
    if target is not None:
        fig.add_vline(
            x=target,
            line_color="#009E73",
            line_dash="dot",
            annotation_text=f"Local target {target:.2f}",
            annotation_position="bottom",
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title="Coverage ratio (share of the measure from Core20 ÷ Core20 share of children or of need)",
        gridcolor="#eee",
        rangemode="tozero",
    )
    fig.update_layout(
        plot_bgcolor="white",
        legend=dict(orientation="v", y=1, x=1.01, yanchor="top", xanchor="left"),
        scattermode="group",
    )
    return finish(fig, title=title, subtitle=subtitle, source=source, height=420)


def gradient_chart(
    *, frame: pd.DataFrame, group_label: str, title: str, subtitle: str, source: str, ages: str = "aged 0-5"
) -> go.Figure:
    """Observed rate per 1,000 by deprivation group (bars, 95% CI) beside the need-expected rate; ``ages``
    names the denominator (``equity.metrics.denominator_label``: it follows the age-band filter)."""
    labels = frame["group"].astype(str)
    labels = labels.where(~labels.isin(["1"]), "1 (most deprived)")
    last = str(frame["group"].max())
    labels = labels.where(labels != last, f"{last} (least deprived)")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=frame["rate_per_1000"],
            name="Observed (95% CI)",
            marker_color=CATEGORICAL[0],
            error_y=interval_whiskers(frame["rate_per_1000"], frame["lower_95"], frame["upper_95"], width=6),
            hovertemplate="%{x}: %{y:.1f} per 1,000<extra>Observed</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=frame["expected_rate_per_1000"],
            name="Expected from need",
            mode="markers+lines",
            marker=dict(color=CATEGORICAL[1], size=10, symbol="diamond"),
            line=dict(color=CATEGORICAL[1], dash="dot"),
            hovertemplate="%{x}: %{y:.1f} per 1,000<extra>Expected from need</extra>",
        )
    )
    fig.update_xaxes(title=f"National {group_label} (1 = most deprived)", type="category")
    fig.update_yaxes(title=f"Per 1,000 children {ages} in the period", gridcolor="#eee", rangemode="tozero")
    fig.update_layout(plot_bgcolor="white", legend=dict(orientation="v", y=1, x=1.01, yanchor="top", xanchor="left"))
    return finish(fig, title=title, subtitle=subtitle, source=source, height=440)


def representation_chart(*, frame: pd.DataFrame, title: str, subtitle: str, source: str) -> go.Figure:
    """Share of referrals with a known ethnic group against the population share (Census 2021)."""
    known = frame.dropna(subset=["population_share"])
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=known["group"],
            x=100 * known["share_of_known"],
            orientation="h",
            name="Referrals (known ethnicity, 95% CI)",
            marker_color=CATEGORICAL[0],
            error_x=interval_whiskers(
                100 * known["share_of_known"], 100 * known["known_lower_95"], 100 * known["known_upper_95"], width=6
            ),
            hovertemplate="%{y}: %{x:.1f}% of referrals with a known group<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=known["group"],
            x=100 * known["population_share"],
            orientation="h",
            name="Children 0-5 (Census 2021 mix)",
            marker_color=CATEGORICAL[1],
            hovertemplate="%{y}: %{x:.1f}% of children (estimated)<extra></extra>",
        )
    )
    fig.update_xaxes(title="% (log scale)", type="log", gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        barmode="group", plot_bgcolor="white", legend=dict(orientation="v", y=1, x=1.01, yanchor="top", xanchor="left")
    )
    return finish(fig, title=title, subtitle=subtitle, source=source, height=400)


def funnel_chart(
    *,
    points: pd.DataFrame,
    limits: pd.DataFrame,
    kind: str,
    title: str,
    subtitle: str,
    source: str,
    ages: str = "aged 0-5",
) -> go.Figure:
    """Funnel plot with 95% and 99.8% limits; points coloured by IMD quintile; customdata[0] = area code.
    ``ages`` names the denominator (it follows the age-band filter)."""
    fig = go.Figure()
    for level, dash, name in (("95", "dash", "95% limits"), ("998", "dot", "99.8% limits")):
        for side in ("lower", "upper"):
            fig.add_trace(
                go.Scatter(
                    x=limits["x"],
                    y=limits[f"{side}_{level}"],
                    mode="lines",
                    line=dict(color="#555", dash=dash, width=1.2),
                    name=name,
                    showlegend=side == "lower",
                    hoverinfo="skip",
                    legendgroup=level,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=limits["x"],
            y=limits["target"],
            mode="lines",
            line=dict(color="#222", width=1.5),
            name="L&SC average" if kind == "access_rate" else "As need implies (1.0)",
            hoverinfo="skip",
        )
    )
    quintile = np.ceil(points["imd_decile"].astype(float) / 2).astype(int)
    for q in range(1, 6):
        part = points[quintile == q]
        if part.empty:
            continue
        label = {1: "IMD quintile 1 (most deprived)", 5: "IMD quintile 5 (least deprived)"}.get(q, f"IMD quintile {q}")
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=label,
                marker=dict(color=QUINTILE_COLOURS[q], size=7, line=dict(color="white", width=0.5)),
                customdata=np.column_stack([part["code"], part["name"], part["place"]]),
                hovertemplate="<b>%{customdata[1]}</b> (%{customdata[0]})<br>%{customdata[2]}<br>"
                + (
                    f"Children {ages}: %{{x:,}}<br>Access per 1,000: %{{y:.1f}}"
                    if kind == "access_rate"
                    else "Expected: %{x:.1f}<br>Need-adjusted ratio: %{y:.2f}"
                )
                + "<extra></extra>",
            )
        )
    if kind == "access_rate":
        fig.update_xaxes(title=f"Children {ages} in the neighbourhood (ONS mid-2020)")
        fig.update_yaxes(title=f"Children accessing per 1,000 {ages}")
    else:
        fig.update_xaxes(title="Children expected to access, given need (log scale)", type="log")
        fig.update_yaxes(title="Need-adjusted access ratio (observed / expected)")
    fig.update_layout(
        plot_bgcolor="white",
        clickmode="event+select",
        legend=dict(orientation="v", y=1, x=1.01, yanchor="top", xanchor="left"),
    )
    fig.update_xaxes(gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee", rangemode="tozero")
    return finish(fig, title=title, subtitle=subtitle, source=source, height=520)


def quarterly_chart(*, frame: pd.DataFrame, title: str, subtitle: str, source: str, target: float | None) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(frame["quarter_label"]) + list(frame["quarter_label"])[::-1],
            y=list(frame["upper_95"]) + list(frame["lower_95"])[::-1],
            fill="toself",
            fillcolor="rgba(0,114,178,0.15)",
            line=dict(width=0),
            name="95% CI",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=frame["quarter_label"],
            y=frame["coverage_ratio"],
            mode="lines+markers",
            name="Core20 coverage ratio",
            line=dict(color=CATEGORICAL[0], width=2),
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        )
    )
    fig.add_hline(y=1, line_dash="dash", line_color="#444", annotation_text="Parity (1.0)")
    if target is not None:
        fig.add_hline(y=target, line_dash="dot", line_color="#009E73", annotation_text=f"Local target {target:.2f}")
    fig.update_xaxes(title="Quarter of referral", type="category")
    fig.update_yaxes(title="Coverage ratio", gridcolor="#eee", rangemode="tozero")
    fig.update_layout(plot_bgcolor="white", legend=dict(orientation="v", y=1, x=1.01, yanchor="top", xanchor="left"))
    return finish(fig, title=title, subtitle=subtitle, source=source, height=400)
