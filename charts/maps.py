"""Choropleth maps drawn as SVG on a plain Mercator map (``go.Choropleth`` in a ``geo`` subplot with
its base map hidden): no tiles, no world outlines, no internet and no WebGL, so they draw on any
browser (a remote desktop or an old projector laptop without graphics acceleration too) and in the
board pack's static export. Pure builders: frames and GeoJSON in, figure out.

The area GeoJSON must wind each polygon's outer ring clockwise (``geo.mapshapes`` writes it so): the
map is drawn on the sphere, where an anticlockwise ring encloses the rest of the world.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.common import NO_DATA_COLOUR, finish

Bounds = tuple[float, float, float, float]

#: the highlight outline: a black core over a white casing, so that one of the two stands out (WCAG 1.4.11,
#: 3:1 or more) against every fill of every colour scale, the darkest and the lightest ends included
#: (tests/unit/test_map_outline_contrast.py); a single coloured line vanishes on fills of its own hue
HIGHLIGHT_CORE = "#000000"
HIGHLIGHT_CASING = "#ffffff"
HIGHLIGHT_CORE_WIDTH = 2.6
HIGHLIGHT_CASING_WIDTH = 5.2


def map_layout(bounds: Bounds, pad: float = 0.02) -> dict:
    """A ``geo`` layout showing ``bounds`` (min lon, min lat, max lon, max lat, widened by ``pad`` of
    each side's span) in a Mercator projection, with every base-map layer (land, coasts, countries,
    frame) hidden: only the traces are drawn. The map can still be zoomed (scroll) and panned (drag)."""
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return dict(
        visible=False,
        projection_type="mercator",
        lonaxis_range=[minx - dx, maxx + dx],
        lataxis_range=[miny - dy, maxy + dy],
        bgcolor="rgba(0,0,0,0)",
    )


def lines_first(fig: go.Figure) -> go.Figure:
    """Put the plain lon/lat traces (outlines, markers, legend entries) before the area traces.

    plotly.js fetches a world outline file from ``cdn.plot.ly`` for a map whose first trace names
    locations (as a choropleth does), even with the base map hidden, and draws nothing offline; it
    needs none when the first trace is plain lon/lat. Drawing order does not change: in a ``geo``
    map the areas are always drawn under the lines and markers. The browser test of offline use
    (tests/e2e/test_offline.py) fails if a map page asks for the file.
    """
    if all(getattr(t, "locations", None) is not None for t in fig.data):
        fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="lines", hoverinfo="skip", showlegend=False))
    lines = [t for t in fig.data if getattr(t, "locations", None) is None]
    fig.data = tuple(lines) + tuple(t for t in fig.data if getattr(t, "locations", None) is not None)
    return fig


def ring_lines(geojson: dict, ids: Sequence[str]) -> tuple[list, list]:
    """The rings of the features ``ids`` of a FeatureCollection as one lon/lat line list (None between
    rings), for drawing their outlines as lines."""
    wanted = set(ids)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in geojson["features"]:
        if feature["id"] not in wanted:
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                lons += [float(p[0]) for p in ring] + [None]
                lats += [float(p[1]) for p in ring] + [None]
    return lons, lats


@dataclass(frozen=True)
class Outline:
    """A boundary layer drawn over the areas (lon/lat lists with None between rings)."""

    lons: list
    lats: list
    name: str
    color: str = "#222"
    width: float = 1.6


@dataclass(frozen=True)
class Label:
    """A name written on the map: a Place (bold, no marker) or a town (a dot and its name)."""

    text: str
    lon: float
    lat: float
    kind: str = "town"


#: labels are dark text with a white halo, readable on every fill
LABEL_COLOUR = "#111111"
LABEL_HALO = "0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff"


def _label_traces(labels: Sequence[Label]) -> list[go.Scattergeo]:
    traces = []
    places = [lab for lab in labels if lab.kind == "place"]
    towns = [lab for lab in labels if lab.kind != "place"]
    if towns:
        traces.append(
            go.Scattergeo(
                lon=[t.lon for t in towns],
                lat=[t.lat for t in towns],
                text=[t.text for t in towns],
                mode="markers+text",
                textposition="top center",
                marker=dict(size=5, color=LABEL_COLOUR, line=dict(width=1, color="white")),
                textfont=dict(size=11, color=LABEL_COLOUR, shadow=LABEL_HALO),
                hoverinfo="skip",
                name="Towns",
                showlegend=False,
            )
        )
    if places:
        traces.append(
            go.Scattergeo(
                lon=[p.lon for p in places],
                lat=[p.lat for p in places],
                text=[f"<b>{p.text}</b>" for p in places],
                mode="text",
                textfont=dict(size=13, color=LABEL_COLOUR, shadow=LABEL_HALO),
                hoverinfo="skip",
                name="Places",
                showlegend=False,
            )
        )
    return traces


def choropleth_map(
    *,
    geojson: dict | str,
    frame: pd.DataFrame,
    id_column: str,
    value_column: str,
    hover_text: Sequence[str] | None = None,
    hover_fields: pd.DataFrame | None = None,
    hover_template: str | None = None,
    title: str,
    subtitle: str,
    source: str,
    colorbar_title: str,
    bounds: Bounds,
    colorscale: str | list = "Viridis",
    reverse_scale: bool = False,
    zmid: float | None = None,
    zmin: float | None = None,
    zmax: float | None = None,
    tickvals: Sequence[float] | None = None,
    ticktext: Sequence[str] | None = None,
    outline: tuple[list, list] | None = None,
    outline_name: str = "Place boundary",
    outlines: Sequence[Outline] = (),
    highlight_ids: Sequence[str] = (),
    highlight_name: str = "Highlighted",
    highlight_geojson: dict | None = None,
    labels: Sequence[Label] = (),
    height: int = 600,
) -> go.Figure:
    """Areas coloured by ``value_column``; areas whose value is missing (suppressed or no data)
    are drawn in grey and say so in their hover. Hover is either ``hover_text`` (one HTML string per
    row) or, more compactly, ``hover_fields`` (string columns, one row per area) shown through
    ``hover_template`` where ``%{customdata[1]}`` is the first field. Each area's id is
    ``customdata[0]`` so a click can identify it. ``geojson`` is a FeatureCollection whose feature ids
    are the area ids (outer rings clockwise), or the URL of one for the browser to fetch. ``bounds``:
    the lon/lat box to show. ``highlight_ids`` are outlined black over white, drawn as lines from the
    rings of ``highlight_geojson`` (default: ``geojson`` when it is a FeatureCollection). ``labels``:
    Place and town names written over everything (text traces, drawn offline like the lines)."""
    values = pd.to_numeric(frame[value_column], errors="coerce")
    ids = frame[id_column].astype(str).to_numpy()
    has_value = values.notna().to_numpy()
    if hover_fields is not None:
        custom = np.column_stack([ids, hover_fields.astype(str).to_numpy()]).astype(object)
        template = (hover_template or "%{customdata[0]}") + "<extra></extra>"
        text = None
    else:
        custom = ids.reshape(-1, 1).astype(object)
        template = "%{text}<extra></extra>"
        text = np.asarray(hover_text if hover_text is not None else ids, dtype=object)
    marked = np.isin(ids, np.asarray(list(highlight_ids), dtype=object))
    if marked.any() and highlight_geojson is None:
        if isinstance(geojson, str):
            raise ValueError("highlight_ids need highlight_geojson when the geometry is a URL")
        highlight_geojson = geojson
    line_colour = np.full(len(ids), "white", dtype=object)
    line_width = np.full(len(ids), 0.3)
    fig = go.Figure()
    if isinstance(geojson, str):  # a URL: the browser fetches the shapes once for both traces
        grey_geojson = value_geojson = geojson
    else:  # each trace carries only its own features, so the geometry is sent once
        missing_ids = set(ids[~has_value])
        grey_geojson = {**geojson, "features": [f for f in geojson["features"] if f["id"] in missing_ids]}
        value_geojson = {**geojson, "features": [f for f in geojson["features"] if f["id"] not in missing_ids]}
    if (~has_value).any():
        fig.add_trace(
            go.Choropleth(
                geojson=grey_geojson,
                locations=ids[~has_value],
                z=np.zeros((~has_value).sum()),
                colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
                showscale=False,
                customdata=custom[~has_value],
                text=None if text is None else text[~has_value],
                hovertemplate=template,
                marker_line_width=line_width[~has_value],
                marker_line_color=line_colour[~has_value],
                name="Suppressed or no data",
            )
        )
    colorbar = dict(title=dict(text=colorbar_title, side="right"), thickness=14, len=0.8)
    if tickvals is not None:
        colorbar.update(tickvals=list(tickvals), ticktext=list(ticktext or tickvals))
    fig.add_trace(
        go.Choropleth(
            geojson=value_geojson,
            locations=ids[has_value],
            z=values[has_value].to_numpy(),
            colorscale=colorscale,
            reversescale=reverse_scale,
            zmid=zmid,
            zmin=zmin,
            zmax=zmax,
            colorbar=colorbar,
            customdata=custom[has_value],
            text=None if text is None else text[has_value],
            hovertemplate=template,
            marker_line_width=line_width[has_value],
            marker_line_color=line_colour[has_value],
            name=colorbar_title,
        )
    )
    layers = list(outlines)
    if outline is not None:
        layers.append(Outline(outline[0], outline[1], outline_name))
    for layer in layers:
        fig.add_trace(
            go.Scattergeo(
                lon=layer.lons,
                lat=layer.lats,
                mode="lines",
                line=dict(width=layer.width, color=layer.color),
                hoverinfo="skip",
                name=layer.name,
                showlegend=True,
            )
        )
    if marked.any():  # over the boundaries: a white casing, then the black line (the legend entry)
        assert highlight_geojson is not None
        lons, lats = ring_lines(highlight_geojson, ids[marked].tolist())
        for colour, width, legend in (
            (HIGHLIGHT_CASING, HIGHLIGHT_CASING_WIDTH, False),
            (HIGHLIGHT_CORE, HIGHLIGHT_CORE_WIDTH, True),
        ):
            fig.add_trace(
                go.Scattergeo(
                    lon=lons,
                    lat=lats,
                    mode="lines",
                    line=dict(width=width, color=colour),
                    hoverinfo="skip",
                    name=highlight_name if legend else f"{highlight_name} (casing)",
                    showlegend=legend,
                )
            )
    for trace in _label_traces(labels):
        fig.add_trace(trace)
    legend_shown = bool(layers) or bool(marked.any())
    geo = map_layout(bounds)
    if legend_shown:  # the legend (up to three rows) gets the bottom of the plot, not the map's bottom edge
        geo["domain"] = dict(x=[0.0, 1.0], y=[0.12, 1.0])
    fig.update_layout(
        geo=geo,
        showlegend=legend_shown,
        legend=dict(orientation="h", yanchor="bottom", y=0.0, xanchor="left", x=0.0, bgcolor="rgba(255,255,255,0.8)"),
        clickmode="event+select",
    )
    return finish(lines_first(fig), title=title, subtitle=subtitle, source=source, height=height, x_axis=False)
