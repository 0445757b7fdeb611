"""The comparison with a benchmark (equity.benchmark) and its colours (charts.benchmark)."""

import pytest

from charts.benchmark import COLOURS, cell_style, colour_of, text_on
from charts.colour import contrast_ratio
from equity import benchmark as bm


@pytest.mark.parametrize(
    ("lower", "upper", "ref", "polarity", "word"),
    [
        (180.9, 208.7, 107.5, bm.NO_POLARITY, bm.HIGHER),  # whole interval above
        (73.9, 92.1, 107.5, bm.NO_POLARITY, bm.LOWER),  # whole interval below
        (96.4, 107.5, 107.5, bm.NO_POLARITY, bm.SIMILAR),  # touching the benchmark: similar (Fingertips)
        (96.4, 110.0, 107.5, bm.NO_POLARITY, bm.SIMILAR),
        (139.5, 154.8, 75.3, bm.HIGH_GOOD, bm.BETTER),
        (51.7, 61.2, 75.3, bm.HIGH_GOOD, bm.WORSE),
        (51.7, 61.2, 75.3, bm.LOW_GOOD, bm.BETTER),
        (139.5, 154.8, 75.3, bm.LOW_GOOD, bm.WORSE),
        (None, 154.8, 75.3, bm.HIGH_GOOD, bm.NOT_COMPARED),  # suppressed interval
        (139.5, 154.8, None, bm.HIGH_GOOD, bm.NOT_COMPARED),  # no benchmark value (England, most measures)
        (float("nan"), float("nan"), 1.0, bm.HIGH_GOOD, bm.NOT_COMPARED),
    ],
)
def test_compare(lower, upper, ref, polarity, word):
    assert bm.compare(lower, upper, ref, polarity) == word


def test_bad_polarity_is_named():
    with pytest.raises(bm.BenchmarkError, match="polarity must be one of"):
        bm.compare(1, 2, 1.5, "up")


def test_words_written_out():
    assert bm.sentence(bm.HIGHER, "L&SC") == "significantly higher than L&SC"
    assert bm.sentence(bm.SIMILAR, "Blackpool") == "similar to Blackpool"
    assert bm.label(bm.WORSE, bm.WORSE) == "worse (95% and 99.8%)"
    assert bm.label(bm.WORSE, bm.SIMILAR) == "worse (95%)"
    assert bm.label(bm.SIMILAR, bm.SIMILAR) == "similar"


def test_fingertips_colours():
    # PHE Fingertips (fingertips-profiles Colour class): better, same, worse; blue-orange-blue lower/higher
    assert COLOURS == {
        "better": "#92D050",
        "similar": "#FFC000",
        "worse": "#C00000",
        "lower": "#5555E6",
        "higher": "#C2CCFF",
        "not compared": "#C9C9C9",
    }
    assert colour_of("worse (95% and 99.8%)") == "#C00000"


@pytest.mark.parametrize("word", list(COLOURS))
def test_text_on_every_comparison_colour_passes_aa(word):
    fill = COLOURS[word]
    assert contrast_ratio(text_on(fill), fill) >= 4.5
    assert cell_style(word) == f"background-color: {fill}; color: {text_on(fill)}"


def test_text_colours_chosen():
    # by hand (WCAG 2.x): #C00000 R=192 -> ((192/255 + 0.055) / 1.055) ** 2.4 = 0.5271, L = 0.2126 * 0.5271
    # = 0.1121 -> white (1.05 / 0.1621) 6.48:1, black (0.1621 / 0.05) 3.24:1
    assert text_on("#C00000") == "#FFFFFF"
    assert round(contrast_ratio("#FFFFFF", "#C00000"), 2) == 6.48
    assert text_on("#FFC000") == "#000000"
    assert text_on("#5555E6") == "#FFFFFF"
