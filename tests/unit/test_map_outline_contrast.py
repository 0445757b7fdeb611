"""The outreach outline (areas significantly below expected) stands out on every fill of every map metric:
WCAG 1.4.11 non-text contrast of 3:1 or more, computed against samples of each metric's Plotly colour scale."""

import re

import pandas as pd
import plotly.colors as pc
import pytest

from charts.common import NO_DATA_COLOUR
from charts.maps import choropleth_map
from equity.explorer import METRICS


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.strip()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)[:3]]
    return tuple(n / 255 for n in numbers)  # type: ignore[return-value]


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("rgb(0, 0, 0)", "#000") == pytest.approx(1.0)


def _outline_colours() -> list[tuple[str, float]]:
    """The highlight outline's strokes (colour, width) as the map draws them, from a two-area map."""
    square = lambda x: [[[x, 0], [x, 1], [x + 1, 1], [x + 1, 0], [x, 0]]]  # noqa: E731
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": {}, "geometry": {"type": "Polygon", "coordinates": square(x)}}
            for code, x in (("A", 0), ("B", 1))
        ],
    }
    fig = choropleth_map(
        geojson=geojson,
        frame=pd.DataFrame({"code": ["A", "B"], "value": [1.0, 2.0]}),
        id_column="code",
        value_column="value",
        title="t",
        subtitle="s",
        source="src",
        colorbar_title="c",
        bounds=(0, 0, 2, 1),
        highlight_ids=["A"],
        highlight_name="Significantly below expected access",
    )
    return [
        (t.line.color, t.line.width)
        for t in fig.data
        if t.type == "scattergeo" and (t.name or "").startswith("Significantly below expected access")
    ]


def _fills(metric_key: str, samples: int = 101) -> list[str]:
    named = METRICS[metric_key].colorscale
    if not isinstance(named, str):  # a stepped scale of its own (the benchmark categories): exactly its colours
        return [*(colour for _, colour in named), NO_DATA_COLOUR]
    scale = pc.get_colorscale(named)
    return [*pc.sample_colorscale(scale, [i / (samples - 1) for i in range(samples)]), NO_DATA_COLOUR]


def test_outline_is_heavy_and_light_dark_cased():
    strokes = _outline_colours()
    assert strokes, "the highlight is drawn"
    widest = max(w for _, w in strokes)
    assert widest >= 4  # a heavy line, not a hairline
    colours = {c for c, _ in strokes}
    # where there are two strokes, the inner one stands out against the outer one
    if len(colours) > 1:
        assert all(contrast(a, b) >= 3 for a in colours for b in colours if a != b)


@pytest.mark.parametrize("metric_key", list(METRICS))
def test_outline_contrasts_3_to_1_with_every_fill(metric_key):
    strokes = _outline_colours()
    colours = sorted({c for c, _ in strokes})
    poor = [fill for fill in _fills(metric_key) if max(contrast(c, fill) for c in colours) < 3]
    assert not poor, f"{metric_key}: outline {colours} under 3:1 on {len(poor)} fills, e.g. {poor[:3]}"
