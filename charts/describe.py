"""Text alternatives for charts: one short sentence generated from a figure's own data and title.

:func:`describe` reads what the figure draws (not the frames it came from), so every builder in
``charts/`` gets a text alternative without knowing about it: bars (highest and lowest of each series;
the largest part of each stacked bar), lines and SPC charts (period covered, latest, highest, lowest,
special-cause points), dot and funnel charts (points per group, range), choropleth maps (areas shaded,
highest, lowest, suppressed) and labelled grids (the provision matrix: cells per label). The sentence is
shown under the chart on screen (``ui.charts.chart``) and is the alt text of the board-pack pictures.

Traces that draw furniture (``hoverinfo="skip"``: limits, bands, outlines, legend keys, labels) are left
out; values whose label says "suppressed" (drawn as 0) count as suppressed, not as values.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

_TAG = re.compile(r"<[^>]+>")


def _seq(values: object) -> list:
    """A trace's data array (tuple, list, NumPy array or None) as a list."""
    return [] if values is None else list(values)  # type: ignore[call-overload]


def plain(text: object) -> str:
    """Plotly rich text as plain text: tags removed (``<br>`` as a space), entities decoded."""
    value = re.sub(r"<br\s*/?>", " ", str(text or ""), flags=re.I)
    return " ".join(html.unescape(_TAG.sub("", value)).split())


def title_of(fig: go.Figure) -> str:
    """The chart title without its subtitle (the text before the first ``<br>``)."""
    text = fig.layout.title.text or ""
    return plain(re.split(r"<br\s*/?>", text, maxsplit=1, flags=re.I)[0])


def number(value: float, suffix: str = "") -> str:
    """1 decimal place (2 below 10, for ratios), thousands separated; whole numbers without decimals."""
    if float(value).is_integer() and (abs(value) >= 10 or value == 0):
        return f"{value:,.0f}{suffix}"
    return f"{value:,.{2 if abs(value) < 10 else 1}f}{suffix}"


def _label(value: object) -> str:
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%b %Y}" if value.day == 1 else f"{value:%d %b %Y}"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-01(?:[T ]00:00(?::00)?)?", text):
        return f"{dt.date.fromisoformat(text[:10]):%b %Y}"
    return plain(text)


def _finite(value: object) -> float | None:
    try:
        number_ = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number_ if math.isfinite(number_) else None


def _values(trace, *, labels_axis: str) -> tuple[list[tuple[str, float]], int]:
    """(label, value) pairs of a trace and how many of its values are hidden (missing or 'suppressed')."""
    value_axis = "x" if labels_axis == "y" else "y"
    labels = _seq(getattr(trace, labels_axis))
    values = _seq(getattr(trace, value_axis))
    text = trace.text if isinstance(trace.text, list | tuple) else None
    if text is None and hasattr(trace.text, "tolist"):
        text = trace.text.tolist()
    pairs, hidden = [], 0
    for i, (label, raw) in enumerate(zip(labels, values, strict=False)):
        value = _finite(raw)
        if value is None or (text is not None and i < len(text) and "suppressed" in str(text[i]).lower()):
            hidden += 1
            continue
        pairs.append((_label(label), value))
    return pairs, hidden


def _is_data(trace) -> bool:
    return trace.hoverinfo != "skip" and trace.visible not in (False, "legendonly")


def _suffix(fig: go.Figure, axis: str) -> str:
    return getattr(fig.layout, f"{axis}axis").ticksuffix or ""


def _extremes(pairs: Sequence[tuple[str, float]], suffix: str) -> str:
    if not pairs:
        return "no values shown"
    high = max(pairs, key=lambda p: p[1])
    low = min(pairs, key=lambda p: p[1])
    if len(pairs) == 1 or high[1] == low[1]:
        return f"{high[0]} {number(high[1], suffix)}" if len(pairs) == 1 else f"all {number(high[1], suffix)}"
    return f"highest {high[0]} {number(high[1], suffix)}, lowest {low[0]} {number(low[1], suffix)}"


def _hidden(n: int) -> str:
    return f" ({n:,} suppressed)" if n else ""


def _bars(fig: go.Figure, traces: list, named: bool = False) -> str:
    horizontal = traces[0].orientation == "h"
    labels_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    suffix = _suffix(fig, value_axis)
    if fig.layout.barmode == "stack" and len(traces) > 1:
        largest: dict[str, tuple[str, float]] = {}
        for trace in traces:
            for label, value in _values(trace, labels_axis=labels_axis)[0]:
                if value > largest.get(label, ("", -math.inf))[1]:
                    largest[label] = (plain(trace.name), value)
        parts = [f"{label}: {name} {number(value, suffix)}" for label, (name, value) in largest.items()]
        return "largest part of each bar, " + "; ".join(parts)
    parts = []
    for trace in traces:
        pairs, hidden = _values(trace, labels_axis=labels_axis)
        lead = f"{plain(trace.name)}: " if (named or len(traces) > 1) and trace.name else ""
        parts.append(lead + _extremes(pairs, suffix) + _hidden(hidden))
    return "; ".join(parts)


def _is_numeric_axis(values: Sequence) -> bool:
    """All values numbers (NaN, a hidden value, included), not labels."""
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in present)


def _is_time(values: Sequence) -> bool:
    dated = [v for v in values if v is not None]
    return bool(dated) and all(
        isinstance(v, dt.date | np.datetime64) or re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", str(v)) for v in dated
    )


def _lines(fig: go.Figure, traces: list) -> str:
    """Series over an ordered x (dates or ordered categories such as quarters): span, latest, extremes;
    several traces drawing one series (SPC points by type) are read together and counted by type."""
    points: list[tuple[object, str, float]] = []
    for trace in traces:
        for x, y in zip(_seq(trace.x), _seq(trace.y), strict=False):
            value = _finite(y)
            if value is not None:
                points.append((x, _label(x), value))
    if not points:
        return "no values shown"
    if _is_time([p[0] for p in points]):
        points.sort(key=lambda p: str(p[0]))
    suffix = _suffix(fig, "y")
    first, last = points[0], points[-1]
    pairs = [(label, value) for _, label, value in points]
    text = f"{first[1]} to {last[1]}: latest {number(last[2], suffix)}, " + _extremes(pairs, suffix)
    names = Counter({plain(t.name): len([y for y in _seq(t.y) if _finite(y) is not None]) for t in traces})
    if len(traces) > 1:
        text += "; points: " + ", ".join(f"{n:,} {name.lower()}" for name, n in names.items() if n)
    return text


def _dots(fig: go.Figure, traces: list, named: bool = False) -> str:
    """Points with a category on one axis (a dot per Place, with intervals): extremes per series."""
    parts = []
    for trace in traces:
        numeric_x = _is_numeric_axis(_seq(trace.x))
        labels_axis = "y" if numeric_x else "x"
        pairs, hidden = _values(trace, labels_axis=labels_axis)
        lead = f"{plain(trace.name)}: " if (named or len(traces) > 1) and trace.name else ""
        parts.append(lead + _extremes(pairs, _suffix(fig, "x" if numeric_x else "y")) + _hidden(hidden))
    return "; ".join(parts)


def _scatter(fig: go.Figure, traces: list) -> str:
    counts = [(plain(t.name), len([y for y in _seq(t.y) if _finite(y) is not None])) for t in traces]
    total = sum(n for _, n in counts)
    ys = [v for t in traces for v in (_finite(y) for y in _seq(t.y)) if v is not None]
    groups = ", ".join(f"{name} {n:,}" for name, n in counts if n) if len(traces) > 1 else ""
    y_title = plain(fig.layout.yaxis.title.text) or "value"
    span = f"; {y_title.lower()} from {number(min(ys))} to {number(max(ys))}" if ys else ""
    return f"{total:,} points" + (f" ({groups})" if groups else "") + span


def _area_name(trace, i: int) -> str:
    custom = trace.customdata
    if custom is not None and len(custom) > i:
        row = custom[i]
        if not isinstance(row, str) and hasattr(row, "__len__") and len(row) > 1:
            return plain(row[1])
    text = trace.text
    if text is not None and not isinstance(text, str) and len(text) > i:
        return plain(re.split(r"<br\s*/?>", str(text[i]), maxsplit=1, flags=re.I)[0]).split(" (")[0]
    return str(trace.locations[i])


def _areas(n: int) -> str:
    return f"{n:,} area" + "s" * (n != 1)


def _map(fig: go.Figure, choropleths: list, sites: list) -> str:
    parts = []
    value_traces = [t for t in choropleths if t.showscale is not False]
    hidden = sum(len(_seq(t.locations)) for t in choropleths if t not in value_traces)
    for trace in value_traces:
        pairs = []
        for i, z in enumerate(_seq(trace.z)):
            value = _finite(z)
            if value is not None:
                pairs.append((_area_name(trace, i), value))
        what = plain(trace.colorbar.title.text) if trace.colorbar and trace.colorbar.title else plain(trace.name)
        key = f", key \u201c{what}\u201d" if what else ""
        parts.append(f"{_areas(len(pairs))} shaded{key}: " + _extremes(pairs, ""))
    if hidden:
        parts.append(f"{_areas(hidden)} suppressed or with no data")
    if sites:
        parts.append("markers: " + ", ".join(plain(t.name) for t in sites))
    return "; ".join(parts) or "no areas shown"


def _grid(fig: go.Figure, trace) -> str:
    rows = len(_seq(trace.y))
    columns = len(_seq(trace.x))
    labels = Counter(
        plain(re.split(r"<br\s*/?>", str(a.text), maxsplit=1, flags=re.I)[0])
        for a in fig.layout.annotations
        if a.xref in (None, "x") and a.yref in (None, "y") and a.text
    )
    counted = ", ".join(f"{label} {n:,}" for label, n in labels.most_common())
    places = ", ".join(_label(x) for x in _seq(trace.x))
    text = f"{rows} row{'s' * (rows != 1)} by {columns} column{'s' * (columns != 1)} ({places})"
    return text + (f"; cells: {counted}" if counted else "")


def describe(fig: go.Figure) -> str:
    """One sentence describing the chart: its kind and title, then what its data show."""
    title = title_of(fig)
    data = [t for t in fig.data if _is_data(t)]
    choropleths = [t for t in fig.data if t.type == "choropleth" and len(_seq(t.locations))]
    heatmaps = [t for t in data if t.type == "heatmap"]
    bars = [t for t in data if t.type == "bar"]
    scatters = [t for t in data if t.type == "scatter" and t.mode != "text"]
    if choropleths:
        sites = [t for t in data if t.type == "scattergeo" and "markers" in (t.mode or "")]
        kind, detail = "Map", _map(fig, choropleths, sites)
    elif heatmaps:
        kind, detail = "Grid", _grid(fig, heatmaps[0])
    elif bars:
        others = [t for t in scatters if t.name]
        kind, detail = "Bar chart", _bars(fig, bars, named=bool(others))
        if others:
            detail += "; " + _dots(fig, others, named=True)
    elif scatters:
        xs = [x for t in scatters for x in _seq(t.x)]
        ys = [y for t in scatters for y in _seq(t.y)]
        if _is_time(xs) or (fig.layout.xaxis.type == "category" and _is_numeric_axis(ys)
                            and any("lines" in (t.mode or "") for t in scatters)):
            kind, detail = "Line chart", _lines(fig, scatters)
        elif _is_numeric_axis(xs) and _is_numeric_axis(ys):
            kind, detail = "Scatter plot", _scatter(fig, scatters)
        else:
            kind, detail = "Dot chart", _dots(fig, scatters)
    else:
        kind, detail = "Chart", "no data shown"
    sentence = f"{kind}: {title}" if title else kind
    return f"{sentence.rstrip('.')}. {detail[0].upper() + detail[1:]}." if detail else f"{sentence}."
