"""The colours of a comparison with a benchmark: OHID Fingertips' own (``equity.benchmark.COLOURS``:
better #92D050, similar #FFC000, worse #C00000; lower #5555E6 and higher #C2CCFF where a measure has no
polarity; not compared #C9C9C9), with text drawn on them in black or white, whichever has the higher
contrast (every pairing ≥ 4.5:1, tests/unit/test_benchmark.py).
"""

from __future__ import annotations

from charts.colour import contrast_ratio
from equity.benchmark import COLOURS, NOT_COMPARED

__all__ = ["COLOURS", "cell_style", "colour_of", "text_on"]
BLACK, WHITE = "#000000", "#FFFFFF"


def colour_of(word: str) -> str:
    """The fill of a comparison word (or of a table label that starts with one: 'worse (95%)')."""
    first = str(word).split(" (")[0]
    return COLOURS.get(first, COLOURS[NOT_COMPARED])


def text_on(fill: str) -> str:
    """Black or white text on ``fill``: the one with the higher WCAG contrast."""
    return BLACK if contrast_ratio(BLACK, fill) >= contrast_ratio(WHITE, fill) else WHITE


def cell_style(word: str) -> str:
    """CSS of a table cell holding a comparison word (pandas Styler)."""
    fill = colour_of(word)
    return f"background-color: {fill}; color: {text_on(fill)}"
