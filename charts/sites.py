"""Service sites on a map, reach and pathway charts. Pure builders: frames in, figures out.

Maps are SVG on a plain Mercator map with no tiles (``charts.maps``), so they draw offline and
without WebGL. Each site type is told apart by **shape and colour** (and size), not colour alone,
each marker with a dark ring so it stands out on the shading; the legend explains them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.common import CATEGORICAL, NO_DATA_COLOUR, finish, interval_whiskers
from charts.maps import Bounds, lines_first, map_layout
from charts.provision import wrap_source

#: site type -> (colour, size in px, Plotly marker symbol). Okabe-Ito colours.
SITE_STYLES: dict[str, tuple[str, int, str]] = {
    "gp_practice": ("#0072B2", 7, "circle"),
    "family_hub": ("#E69F00", 14, "square"),
    "health_visiting": ("#009E73", 13, "diamond"),
    "specialist": ("#D55E00", 18, "star"),
    "vcfse": ("#CC79A7", 13, "triangle-up"),
    "other": ("#56B4E9", 12, "hexagon"),
}
RING = "#222222"
DISTANCE_SCALE = [[0.0, "#f7f7f7"], [1.0, "#5a5a5a"]]


def _site_hover(sites: pd.DataFrame) -> list[str]:
    out = []
    for row in sites.itertuples(index=False):
        elements = f"<br>Support elements: {row.support_elements}" if row.support_elements else ""
        pcn = f"<br>{row.pcn_name}" if isinstance(getattr(row, "pcn_name", None), str) and row.pcn_name else ""
        out.append(f"<b>{row.name}</b><br>{row.type_label} · {row.postcode}{elements}{pcn}")
    return out


def sites_map(
    *,
    sites: pd.DataFrame,
    type_labels: dict[str, str],
    title: str,
    subtitle: str,
    source: str,
    bounds: Bounds,
    outline: tuple[list, list] | None = None,
    geojson: dict | str | None = None,
    areas: pd.DataFrame | None = None,
    area_value: str = "distance_km",
    area_hover: Sequence[str] | None = None,
    colorbar_title: str = "Straight-line km<br>to nearest site",
    height: int = 660,
) -> go.Figure:
    """Sites (``lon``, ``lat``, ``site_type``, ``name``, ``type_label``, ``postcode``,
    ``support_elements``) as markers by type, over an optional choropleth of ``areas[area_value]``
    (e.g. the straight-line distance to the nearest site of a type) and an optional outline, showing
    ``bounds`` (lon/lat box)."""
    fig = go.Figure()
    if geojson is not None and areas is not None and len(areas):
        values = pd.to_numeric(areas[area_value], errors="coerce")
        fig.add_trace(
            go.Choropleth(
                geojson=geojson,
                locations=areas["lsoa_code"].astype(str),
                z=values.fillna(0),
                colorscale=DISTANCE_SCALE,
                zmin=0,
                zmax=max(float(values.max() or 0), 1.0),
                colorbar=dict(title=dict(text=colorbar_title, side="right"), thickness=12, len=0.6, x=1.0, y=0.35),
                text=list(area_hover) if area_hover is not None else None,
                hovertemplate="%{text}<extra></extra>" if area_hover is not None else "%{z:.1f} km<extra></extra>",
                marker_line_width=0.2,
                marker_line_color="white",
                name="Neighbourhoods",
                showlegend=False,
            )
        )
    if outline is not None:
        fig.add_trace(
            go.Scattergeo(
                lon=outline[0],
                lat=outline[1],
                mode="lines",
                line=dict(width=1.4, color="#222"),
                hoverinfo="skip",
                name="Place boundary",
                showlegend=False,
            )
        )
    for site_type, (colour, size, symbol) in SITE_STYLES.items():
        part = sites[sites["site_type"] == site_type]
        if part.empty:
            continue
        fig.add_trace(
            go.Scattergeo(
                lon=part["lon"],
                lat=part["lat"],
                mode="markers",
                marker=dict(size=size, color=colour, symbol=symbol, opacity=0.95, line=dict(width=1.2, color=RING)),
                text=_site_hover(part),
                hovertemplate="%{text}<extra></extra>",
                name=f"{type_labels.get(site_type, site_type)} ({len(part):,})",
                showlegend=True,
            )
        )
    fig.update_layout(
        geo=map_layout(bounds),
        legend=dict(
            title=dict(text="Sites"),
            yanchor="top",
            y=0.98,
            x=0.01,
            bgcolor="rgba(255,255,255,0.85)",
            bordercolor="#999",
            borderwidth=1,
        ),
        showlegend=True,
    )
    wrapped, lines = wrap_source(source)
    fig = finish(lines_first(fig), title=title, subtitle=subtitle, source=wrapped, height=height, x_axis=False)
    fig.update_layout(margin=dict(b=40 + 14 * lines))
    return fig


def coverage_bars(
    *,
    coverage_row: pd.Series,
    thresholds: Sequence[float],
    title: str,
    subtitle: str,
    source: str,
    height: int = 420,
) -> go.Figure:
    """Share of children aged 0-5, and of Core20 children, living within each distance (straight line)."""
    labels = [f"within {km:g} km" for km in thresholds]
    fig = go.Figure()
    for name, prefix, colour in (
        ("All children aged 0-5", "share_within_", CATEGORICAL[0]),
        ("Children aged 0-5 in Core20 neighbourhoods", "core20_share_within_", CATEGORICAL[1]),
    ):
        values = [100 * float(coverage_row[f"{prefix}{km:g}km"]) for km in thresholds]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=name,
                marker_color=colour,
                text=[f"{v:.0f}%" for v in values],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.1f}}%<extra></extra>",
            )
        )
    fig.update_yaxes(title="% of children aged 0-5", range=[0, 110], gridcolor="#eee", ticksuffix="%")
    fig.update_xaxes(title="Straight-line distance from the neighbourhood centroid to the nearest site")
    fig.update_layout(
        plot_bgcolor="white", barmode="group", legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0)
    )
    wrapped, lines = wrap_source(source)
    fig = finish(fig, title=title, subtitle=subtitle, source=wrapped, height=height)
    fig.update_layout(margin=dict(t=110, b=100 + 14 * lines))
    return fig


def interval_dots(
    *,
    frame: pd.DataFrame,
    label_column: str,
    value_column: str,
    lower_column: str,
    upper_column: str,
    title: str,
    subtitle: str,
    source: str,
    x_title: str,
    percent: bool = False,
    reference: float | None = None,
    reference_label: str = "",
    height: int = 380,
) -> go.Figure:
    """A dot per group with its 95% interval as a whisker; hidden (suppressed) values are labelled.
    ``percent`` shows proportions (0-1) as percentages."""
    scale = 100.0 if percent else 1.0
    value = pd.to_numeric(frame[value_column], errors="coerce").astype("float64") * scale
    lower = pd.to_numeric(frame[lower_column], errors="coerce").astype("float64") * scale
    upper = pd.to_numeric(frame[upper_column], errors="coerce").astype("float64") * scale
    labels = frame[label_column].astype(str)
    unit = "%" if percent else ""
    text = [f"{v:,.1f}{unit}" if pd.notna(v) else "suppressed" for v in value]
    fig = go.Figure(
        go.Scatter(
            x=value,
            y=labels,
            mode="markers",
            marker=dict(size=11, color=CATEGORICAL[0]),
            error_x=interval_whiskers(value, lower, upper),
            customdata=np.column_stack([lower, upper]),
            hovertemplate=f"%{{y}}: %{{x:,.1f}}{unit}<br>95% CI %{{customdata[0]:,.1f}} to "
            f"%{{customdata[1]:,.1f}}{unit}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=upper.where(upper.notna(), value).fillna(0),
            y=labels,
            mode="text",
            text=[f"  {t}" for t in text],
            textposition="middle right",
            hoverinfo="skip",
            cliponaxis=False,
            textfont=dict(size=12),
        )
    )
    if reference is not None and np.isfinite(reference):
        fig.add_vline(
            x=reference * scale,
            line_dash="dash",
            line_color="#D55E00",
            annotation_text=reference_label,
            annotation_position="top",
        )
    top = float(np.nanmax(upper.to_numpy())) if upper.notna().any() else float(np.nanmax([*value.to_numpy(), 1.0]))
    fig.update_xaxes(
        title=x_title, range=[0, (100.0 if percent else top * 1.25) or 1.0], gridcolor="#eee", ticksuffix=unit
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(plot_bgcolor="white", showlegend=False)
    wrapped, lines = wrap_source(source, 65)
    fig = finish(fig, title=title, subtitle=subtitle, source=wrapped, height=height)
    fig.update_layout(margin=dict(b=100 + 14 * lines))
    return fig


def source_mix_bars(
    *,
    mix: pd.DataFrame,
    title: str,
    subtitle: str,
    source: str,
    top: int = 7,
    height: int = 420,
) -> go.Figure:
    """100% stacked bars per Place of the share of referrals from each source (the ``top`` sources
    overall, the rest together as 'Other sources'). Hidden (suppressed) cells are left out."""
    data = mix.assign(
        share=pd.to_numeric(mix["share"], errors="coerce").astype("float64"),
        shown=pd.to_numeric(mix["referrals"], errors="coerce").astype("float64"),
    )
    ranking = data.groupby("source_label")["shown"].sum().sort_values(ascending=False)
    keep = [s for s in ranking.index[:top] if ranking[s] > 0]
    data["segment"] = data["source_label"].where(data["source_label"].isin(keep), "Other sources")
    places = list(dict.fromkeys(data["place"]))
    fig = go.Figure()
    palette = [c for c in CATEGORICAL if c != "#000000"]
    for k, segment in enumerate([*keep, "Other sources"]):
        part = data[data["segment"] == segment].groupby("place", sort=False)["share"].sum(min_count=1)
        values = [100 * float(part.get(p, np.nan)) if pd.notna(part.get(p, np.nan)) else 0.0 for p in places]
        fig.add_trace(
            go.Bar(
                y=places,
                x=values,
                name=segment,
                orientation="h",
                marker_color=NO_DATA_COLOUR if segment == "Other sources" else palette[k % len(palette)],
                hovertemplate=f"%{{y}}<br>{segment}: %{{x:.1f}}%<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        plot_bgcolor="white",
        legend=dict(orientation="v", yanchor="top", y=1.0, x=1.02, traceorder="normal"),
    )
    fig.update_xaxes(title="% of the Place's referrals", range=[0, 100], ticksuffix="%", gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    wrapped, lines = wrap_source(source)
    fig = finish(fig, title=title, subtitle=subtitle, source=wrapped, height=height)
    fig.update_layout(margin=dict(l=10, r=10, t=80, b=100 + 14 * lines))
    return fig
