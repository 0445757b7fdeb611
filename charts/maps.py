"""Choropleth maps drawn with MapLibre (``go.Choroplethmap``) on a white background: no tiles,
no internet. Pure builders: frames and GeoJSON in, figure out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.common import NO_DATA_COLOUR, finish


def choropleth_map(
    *,
    geojson: dict,
    frame: pd.DataFrame,
    id_column: str,
    value_column: str,
    hover_text: Sequence[str],
    title: str,
    subtitle: str,
    source: str,
    colorbar_title: str,
    centre: dict,
    zoom: float,
    colorscale: str | list = "Viridis",
    reverse_scale: bool = False,
    zmid: float | None = None,
    outline: tuple[list, list] | None = None,
    outline_name: str = "Place boundary",
    height: int = 600,
) -> go.Figure:
    """Areas coloured by ``value_column``; areas whose value is missing (suppressed or no data)
    are drawn in grey and say so in their hover. ``hover_text`` is one HTML string per row."""
    values = pd.to_numeric(frame[value_column], errors="coerce")
    ids = frame[id_column].astype(str).to_numpy()
    text = np.asarray(hover_text, dtype=object)
    has_value = values.notna().to_numpy()
    fig = go.Figure()
    if (~has_value).any():
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                locations=ids[~has_value],
                z=np.zeros((~has_value).sum()),
                colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
                showscale=False,
                text=text[~has_value],
                hovertemplate="%{text}<extra></extra>",
                marker_line_width=0.3,
                marker_line_color="white",
                name="Suppressed or no data",
            )
        )
    fig.add_trace(
        go.Choroplethmap(
            geojson=geojson,
            locations=ids[has_value],
            z=values[has_value].to_numpy(),
            colorscale=colorscale,
            reversescale=reverse_scale,
            zmid=zmid,
            colorbar=dict(title=dict(text=colorbar_title, side="right"), thickness=14, len=0.8),
            text=text[has_value],
            hovertemplate="%{text}<extra></extra>",
            marker_line_width=0.3,
            marker_line_color="white",
            name=colorbar_title,
        )
    )
    if outline is not None:
        fig.add_trace(
            go.Scattermap(
                lon=outline[0],
                lat=outline[1],
                mode="lines",
                line=dict(width=1.6, color="#222"),
                hoverinfo="skip",
                name=outline_name,
                showlegend=False,
            )
        )
    fig.update_layout(map=dict(style="white-bg", center=centre, zoom=zoom), showlegend=False)
    return finish(fig, title=title, subtitle=subtitle, source=source, height=height, x_axis=False)
