"""Comparison with a benchmark, as OHID Fingertips does it: the one comparison every page and table uses.

A value is compared with the benchmark's value through the value's own confidence interval (Fingertips'
"compared with benchmark"): when the whole interval lies below the benchmark the value is *lower*, when
it lies above it is *higher*, otherwise *similar*. Where the measure has a polarity (more access is
better) lower and higher become *worse* and *better*. Both the 95% and the 99.8% intervals are judged;
Fingertips colours one level per indicator, so the 95% word sets the colour and the 99.8% word is written
beside it.

The benchmark is chosen in the sidebar: L&SC (the whole ICB under the same non-geographic filters, the
default), one Place, or England. England is offered only for measures with national data: the shares
of neighbourhoods in the most deprived national IMD quintile (Core20), which are 20% for England by
construction (national quintile 1 holds a fifth of England's LSOAs).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from equity.settings import PLACES

LSC = "L&SC"
ENGLAND = "England"
BENCHMARKS: tuple[str, ...] = (LSC, *PLACES, ENGLAND)
#: England's share of neighbourhoods (LSOAs) in national IMD quintile 1: a fifth, by construction
ENGLAND_CORE20_SHARE = 0.2

HIGH_GOOD, LOW_GOOD, NO_POLARITY = "high_good", "low_good", "none"
POLARITIES = (HIGH_GOOD, LOW_GOOD, NO_POLARITY)

BETTER, SIMILAR, WORSE = "better", "similar", "worse"
LOWER, HIGHER = "lower", "higher"
NOT_COMPARED = "not compared"
WORDS: tuple[str, ...] = (BETTER, SIMILAR, WORSE, LOWER, HIGHER, NOT_COMPARED)
#: OHID Fingertips' colours of the words (PHE fingertips-profiles, ``Colour``): better, same, worse;
#: "blue-orange-blue" lower and higher for measures without a polarity; no comparison grey
COLOURS: dict[str, str] = {
    BETTER: "#92D050",
    SIMILAR: "#FFC000",
    WORSE: "#C00000",
    LOWER: "#5555E6",
    HIGHER: "#C2CCFF",
    NOT_COMPARED: "#C9C9C9",
}
#: the map codes of a comparison with polarity (0 worse, 1 similar, 2 better) and their stepped scale
CODES: dict[str, int] = {WORSE: 0, SIMILAR: 1, BETTER: 2}
def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


CODE_SCALE: list = [
    point
    for i, word in enumerate(CODES)
    for point in ([i / 3, _rgb(COLOURS[word])], [(i + 1) / 3, _rgb(COLOURS[word])])
]


class BenchmarkError(ValueError):
    """An unknown benchmark or polarity; the message names it and the choices."""


def check_benchmark(name: str) -> str:
    if name not in BENCHMARKS:
        raise BenchmarkError(f"benchmark must be one of {', '.join(BENCHMARKS)}, got {name!r}")
    return name


def _number(value: object) -> float | None:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def compare(lower: object, upper: object, benchmark: object, polarity: str = NO_POLARITY) -> str:
    """The comparison word of a value whose interval is (``lower``, ``upper``) with the benchmark's value.

    ``not compared`` when the interval or the benchmark is missing (suppressed, or no benchmark value for
    this measure). An interval touching the benchmark is similar (Fingertips: significant only when the
    interval excludes the benchmark)."""
    if polarity not in POLARITIES:
        raise BenchmarkError(f"polarity must be one of {', '.join(POLARITIES)}, got {polarity!r}")
    lo, up, ref = _number(lower), _number(upper), _number(benchmark)
    if lo is None or up is None or ref is None:
        return NOT_COMPARED
    if up < ref:
        side = LOWER
    elif lo > ref:
        side = HIGHER
    else:
        return SIMILAR
    if polarity == HIGH_GOOD:
        return BETTER if side == HIGHER else WORSE
    if polarity == LOW_GOOD:
        return BETTER if side == LOWER else WORSE
    return side


def compare_all(
    lowers: Iterable[object], uppers: Iterable[object], benchmark: object, polarity: str = NO_POLARITY
) -> list[str]:
    """:func:`compare` for each (lower, upper) pair against one benchmark value."""
    return [compare(lo, up, benchmark, polarity) for lo, up in zip(lowers, uppers, strict=True)]


def sentence(word: str, benchmark_name: str) -> str:
    """The comparison written out: 'significantly higher than L&SC', 'similar to Blackpool'."""
    if word == NOT_COMPARED:
        return f"not compared with {benchmark_name}"
    if word == SIMILAR:
        return f"similar to {benchmark_name}"
    return f"significantly {word} than {benchmark_name}"


def label(word_95: str, word_998: str) -> str:
    """The table cell: the 95% word, with the 99.8% result when it is also significant ('worse (also at
    99.8%)'), or '*' wording when not compared."""
    if word_95 in (SIMILAR, NOT_COMPARED):
        return word_95
    if word_998 == word_95:
        return f"{word_95} (95% and 99.8%)"
    return f"{word_95} (95%)"
