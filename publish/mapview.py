"""The explorer map as one pure function: (settings, selection, metric, level, highlight) -> figure.

Used by the Map page, the board pack and the benchmark, so all three draw the same map.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.maps import Label, Outline, choropleth_map
from equity.benchmark import CODES
from equity.explorer import LEVELS, METRICS
from equity.selection import Selection
from equity.settings import Settings
from geo.mapassets import map_geojson, outlines
from geo.maplabels import map_labels

IMD_TICKS = (
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ["1 most deprived", "2", "3", "4", "5", "6", "7", "8", "9", "10 least deprived"],
)


def area_word(level: str, vintage: int) -> str:
    if level == "lsoa":
        return "LSOA 2021" if vintage == 2025 else "LSOA 2011"
    return LEVELS[level]


def map_figure(
    settings: Settings,
    selection: Selection,
    table: pd.DataFrame,
    *,
    metric_key: str,
    level: str,
    highlight: bool,
    hover_fields: pd.DataFrame | None = None,
    hover_template: str | None = None,
    source: str,
    height: int = 620,
    geometry_url: str | None = None,
) -> go.Figure:
    """The explorer map of ``table`` (the published ``map_areas`` table of ``publish.tables``). The area
    shapes are sent inside the figure, or, given ``geometry_url`` (where a browser can fetch the same
    GeoJSON), left for the browser to fetch once and cache."""
    metric = METRICS[metric_key]
    lines = outlines(settings.cache_dir, selection.vintage)
    in_view = sorted(set(table["place"]) & set(lines.places))
    layers = []
    if level in ("lsoa", "msoa"):
        layers.append(Outline(*lines.district_lines(in_view), name="District boundary", color="#8c8c8c", width=0.9))
    layers.append(
        Outline(*lines.place_lines(in_view or sorted(lines.places)), name="Place boundary", color="#222", width=1.8)
    )
    below = tuple(sorted(table.loc[table["significantly_below"], "code"]))
    is_decile = metric_key in ("imd_decile", "idaci_decile")
    ticks: tuple[list, list] | None = IMD_TICKS if is_decile else None
    title = f"{metric.label}, by {area_word(level, selection.vintage)}"
    if metric.key == "access_vs_benchmark":
        ticks = ([0, 1, 2], list(CODES))
        name = str(table["access_benchmark"].iloc[0]) if len(table) else selection.benchmark
        title = f"{metric.label} ({name}), by {area_word(level, selection.vintage)}"
    geojson: dict | str = geometry_url or map_geojson(settings.cache_dir, selection.vintage, level)
    # the highlight is drawn as lines from the shapes' rings, so it needs them even when the browser fetches them
    shapes = None
    if highlight:
        shapes = geojson if isinstance(geojson, dict) else map_geojson(settings.cache_dir, selection.vintage, level)
    shown_places = set(in_view or lines.places)
    names = [lab for lab in map_labels(settings.cache_dir) if lab.place in shown_places]
    labels = [Label(lab.text, lab.lon, lab.lat, lab.kind) for lab in names]
    return choropleth_map(
        geojson=geojson,
        frame=table,
        id_column="code",
        value_column=metric.column,
        hover_fields=hover_fields if hover_fields is not None else table[["name"]],
        hover_template=hover_template or "<b>%{customdata[1]}</b> (%{customdata[0]})",
        title=title,
        subtitle=f"{selection.describe()} · grey = suppressed (1-4) or no data",
        source=source,
        colorbar_title=metric.unit,
        bounds=lines.extent(in_view),
        colorscale=metric.colorscale,
        reverse_scale=metric.reverse,
        zmid=None if metric.zmin is not None else metric.zmid,
        zmin=metric.zmin,
        zmax=metric.zmax,
        tickvals=ticks[0] if ticks else None,
        ticktext=ticks[1] if ticks else None,
        outlines=layers,
        highlight_ids=below if highlight else (),
        highlight_name="Significantly below expected access",
        highlight_geojson=shapes,
        labels=labels,
        height=height,
    )


def explorer_map(
    settings: Settings,
    selection: Selection,
    *,
    metric_key: str,
    level: str,
    highlight: bool,
    source: str,
    height: int = 620,
    table: pd.DataFrame | None = None,
    geometry_url: str | None = None,
) -> go.Figure:
    """The explorer map for a selection and page controls, from the store to the figure. ``table``:
    the disclosure-controlled area table when the caller already has it; ``geometry_url``: as for
    ``map_figure``."""
    from publish import tables
    from publish.explorer_hover import hover_fields, hover_template

    if table is None:
        table = tables.get("map_areas_compared", settings, selection, {"level": level})
    metric = METRICS[metric_key]
    return map_figure(
        settings,
        selection,
        table,
        metric_key=metric_key,
        level=level,
        highlight=highlight,
        hover_fields=hover_fields(table, metric, level),
        hover_template=hover_template(metric, level, selection.vintage),
        source=source,
        height=height,
        geometry_url=geometry_url,
    )
