"""Statistical process control: XmR charts in the NHS England "Making Data Count" (MDC) style.

Pure functions on numbers; no I/O. Conventions (as NHS England's MDC guidance and the NHS-R
``NHSRplotthedots`` package):

* **Limits.** Centre line = mean of the segment; moving range ``MR_i = |x_i - x_(i-1)|``;
  process limits ``mean ± 2.66 × mean(MR)`` (2.66 = 3 / d2, d2 = 1.128, so the limits are the
  3σ limits with σ = mean(MR) / 1.128); the 2σ lines are ``mean ± (2/3) × 2.66 × mean(MR)``.
  With ``screen_outliers`` (the default, as NHSRplotthedots) moving ranges at or above
  ``3.267 × mean(MR)`` (the upper range limit) are left out and ``mean(MR)`` is recomputed once,
  so one freak month does not widen the limits.
* **Special-cause rules**, each evaluated within a segment:

  1. *beyond limits*: a point above the upper or below the lower process limit (3σ);
  2. *shift*: a run of ``SHIFT_RUN`` = 7 or more consecutive points on the same side of the mean.
     A point exactly on the mean breaks a run;
  3. *trend*: ``TREND_RUN`` = 7 or more consecutive points each strictly higher (or lower) than the
     one before; an equal value breaks a trend;
  4. *two of three*: as NHSRplotthedots (``ptd_two_in_three``): in any three consecutive points
     lying *all on the same side of the mean* (a point exactly on the mean breaks the window), at
     least two are beyond the 2σ line but not beyond the process limits ("close to the limits");
     those points are flagged. (Western Electric's rule, which lets the third point lie anywhere,
     is *not* used; points beyond the limits are flagged by rule 1, and NHSRplotthedots does not
     count them towards this rule.)

  Seven, not six, for shift and trend: the current MDC guidance ("Making Data Count:
  Strengthening your decisions", NHS England / NHS Improvement) and NHSRplotthedots both use 7
  for both rules; some older material used 6 for a trend. Seven points on one side arise by
  chance with probability 2 × 0.5^7 ≈ 1.6% per run, which keeps false alarms rare on the
  36-48 monthly points a board sees. Both are parameters.
* **Direction of a special-cause point**: from the first rule that flags it in the precedence of
  NHSRplotthedots (``ptd_special_cause_type``): beyond limits, then trend, then two of three, then
  shift; above the mean / an upward trend is "high". With the measure's polarity it is an
  *improvement* (blue) or a *concern* (orange); with no preferred direction (``neutral``) it is
  *neutral* (purple); points with no special cause are *common cause* (grey).
* **"Closer" polarity** (a ratio whose ideal is a value, e.g. a coverage ratio with parity at 1):
  a special-cause point is an *improvement* when it lies nearer the ideal than the segment's mean
  does, a *concern* when it lies further away (e.g. beyond parity by more than the mean falls
  short of it), and *neutral* when exactly as far; the icon's H/L still says which side of the mean.
  Its assurance: *hit and miss* when the target lies within the process limits, otherwise
  *consistently fails* (the process reliably misses the target on one side); a point target can
  never be consistently passed.
* **Lower bound.** A measure that cannot be negative (a count, a ratio) is charted with
  ``lower_bound=0``: a lower process limit or 2σ line below zero is drawn at zero and the result's
  ``notes`` say so (the rules are unchanged: no value can fall below zero).
* **Variation icon**: the type of the latest point (common cause, or special cause improvement /
  concern / neutral, high or low). **Assurance icon** (only with a target and a preferred
  direction): the target against the latest segment's process limits: the process *consistently
  passes* when the whole band lies on the good side of the target, *consistently fails* when it
  lies on the bad side, and is *hit and miss* when the target lies within the limits.
* **Rebasing**: each rebase period starts a new segment with its own mean, limits and rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

Polarity = Literal["higher", "lower", "neutral", "closer"]
POLARITIES: tuple[str, ...] = ("higher", "lower", "neutral", "closer")

LIMIT_FACTOR = 2.66  # 3 / 1.128
NEAR_FACTOR = 2 * LIMIT_FACTOR / 3  # the 2 sigma lines
MR_SCREEN_FACTOR = 3.267  # upper range limit of the moving range chart (D4 for n = 2)
SHIFT_RUN = 7
TREND_RUN = 7
MIN_POINTS = 15  # MDC: limits from fewer than 15 points are provisional

#: the rules in their precedence (NHSRplotthedots): a point's direction comes from the first that fires
RULES: dict[str, str] = {
    "beyond_limits": "one point beyond a process limit (3σ)",
    "trend": f"{TREND_RUN} or more consecutive points rising or falling",
    "two_of_three": "two of three consecutive points beyond the same 2σ line (within the limits), "
    "all three on the same side of the mean",
    "shift": f"a run of {SHIFT_RUN} or more points on one side of the mean",
}

VARIATION_LABELS: dict[str, str] = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause improvement (high)",
    "improvement_low": "Special cause improvement (low)",
    "concern_high": "Special cause concern (high)",
    "concern_low": "Special cause concern (low)",
    "neutral_high": "Special cause variation (high)",
    "neutral_low": "Special cause variation (low)",
    "not_enough_data": "Not enough data",
}
ASSURANCE_LABELS: dict[str, str] = {
    "pass": "Consistently passes the target",
    "fail": "Consistently fails the target",
    "hit_and_miss": "Hit and miss: target within the process limits",
    "no_target": "No target set",
}


class SpcError(ValueError):
    """The series or the options cannot make an SPC chart; the message says why."""


# --------------------------------------------------------------------------------------------
# the four rules: arrays in, +1 (flagged high), -1 (flagged low) or 0 (not flagged) per point


def beyond_limits(values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """+1 above ``upper``, -1 below ``lower``; 0 otherwise (and where a limit is missing)."""
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        high = v > np.asarray(upper, dtype=float)
        low = v < np.asarray(lower, dtype=float)
    return high.astype(int) - low.astype(int)


def _runs(signs: np.ndarray) -> list[tuple[int, int, int]]:
    """Maximal runs of equal values as (start, stop_exclusive, value)."""
    out = []
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            out.append((start, i, int(signs[start])))
            start = i
    return out


def shift(values: np.ndarray, mean: np.ndarray | float, run: int = SHIFT_RUN) -> np.ndarray:
    """Points in a run of ``run`` or more on the same side of ``mean`` (+1 above, -1 below)."""
    v = np.asarray(values, dtype=float)
    side = np.sign(v - np.asarray(mean, dtype=float)).astype(int)
    out = np.zeros(len(v), dtype=int)
    for start, stop, value in _runs(side):
        if value != 0 and stop - start >= run:
            out[start:stop] = value
    return out


def trend(values: np.ndarray, run: int = TREND_RUN) -> np.ndarray:
    """Points in a run of ``run`` or more each strictly above (+1) or below (-1) the one before."""
    v = np.asarray(values, dtype=float)
    out = np.zeros(len(v), dtype=int)
    if len(v) < 2:
        return out
    steps = np.sign(np.diff(v)).astype(int)
    for start, stop, value in _runs(steps):
        # steps start..stop-1 join points start..stop: (stop - start) steps, (stop - start + 1) points
        if value != 0 and stop - start + 1 >= run:
            out[start : stop + 1] = value
    return out


def two_of_three(
    values: np.ndarray, mean: np.ndarray | float, near: np.ndarray | float, far: np.ndarray | float = np.inf
) -> np.ndarray:
    """NHSRplotthedots' two-in-three rule (+1 above, -1 below the mean).

    A point is *close to the limits* when it lies beyond the 2σ line (``mean ± near``) but not beyond
    the process limit (``mean ± far``). In any window of three consecutive points that all lie on the
    same side of the mean (none on it), if at least two are close to the limits, those are flagged."""
    v = np.asarray(values, dtype=float)
    m = np.broadcast_to(np.asarray(mean, dtype=float), v.shape)
    d = np.broadcast_to(np.asarray(near, dtype=float), v.shape)
    f = np.broadcast_to(np.asarray(far, dtype=float), v.shape)
    with np.errstate(invalid="ignore"):
        outside = np.abs(v - m) > f
        close = ~outside & ((v > m + d) | (v < m - d))
    side = np.nan_to_num(np.sign(v - m)).astype(int)
    out = np.zeros(len(v), dtype=int)
    for i in range(max(len(v) - 2, 0)):
        window = slice(i, i + 3)
        if close[window].sum() >= 2 and abs(side[window].sum()) == 3:
            out[window] = np.where(close[window], side[window], out[window])
    return out


# --------------------------------------------------------------------------------------------
# limits


def segment_limits(values: np.ndarray, screen_outliers: bool = True) -> tuple[float, float, int]:
    """Mean, mean moving range and the number of moving ranges used, for one segment."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return np.nan, np.nan, 0
    mean = float(v.mean())
    ranges = np.abs(np.diff(v))
    if len(ranges) == 0:
        return mean, np.nan, 0
    average = float(ranges.mean())
    if screen_outliers:
        kept = ranges[ranges < MR_SCREEN_FACTOR * average]
        if len(kept):
            ranges = kept
            average = float(ranges.mean())
    return mean, average, len(ranges)


# --------------------------------------------------------------------------------------------
# the chart


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart's numbers. ``points`` has one row per period with columns: period, value,
    segment, mean, lower, upper (process limits), lower_2s, upper_2s, moving_range, one column per
    rule (+1/-1/0), direction (+1/-1/0), point_type (common_cause, improvement, concern, neutral)
    and rules (text naming the rules that fired)."""

    points: pd.DataFrame
    polarity: str
    target: float | None
    variation: str
    assurance: str
    warnings: tuple[str, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. a lower limit drawn at zero; for the chart

    @property
    def variation_label(self) -> str:
        return VARIATION_LABELS[self.variation]

    @property
    def assurance_label(self) -> str:
        return ASSURANCE_LABELS[self.assurance]

    @property
    def latest(self) -> pd.Series:
        return self.points.iloc[-1]


def _direction(row: dict[str, int]) -> int:
    for rule in RULES:  # in precedence order
        if row[rule]:
            return row[rule]
    return 0


def point_type(
    direction: int, polarity: str, value: float = np.nan, mean: float = np.nan, ideal: float | None = None
) -> str:
    """common_cause, improvement, concern or neutral for a point's direction and the polarity. With the
    "closer" polarity the point's ``value`` and its segment's ``mean`` are compared with ``ideal``."""
    if direction == 0:
        return "common_cause"
    if polarity == "neutral":
        return "neutral"
    if polarity == "closer":
        if ideal is None:
            raise SpcError("the 'closer' polarity needs the ideal value (e.g. parity, 1)")
        gap, usual = abs(value - ideal), abs(mean - ideal)
        return "improvement" if gap < usual else "concern" if gap > usual else "neutral"
    good = 1 if polarity == "higher" else -1
    return "improvement" if direction == good else "concern"


def assurance(target: float | None, lower: float, upper: float, polarity: str) -> str:
    """pass, fail, hit_and_miss, or no_target (no target, neutral polarity or no limits)."""
    if target is None or polarity == "neutral" or not np.isfinite(lower) or not np.isfinite(upper):
        return "no_target"
    if polarity == "closer":  # a point target: hit and miss when within the limits, otherwise always missed
        return "hit_and_miss" if lower <= target <= upper else "fail"
    if target > upper:
        return "fail" if polarity == "higher" else "pass"
    if target < lower:
        return "pass" if polarity == "higher" else "fail"
    return "hit_and_miss"


def _describe(rule: str, flag: int, count: int) -> str:
    side = "above" if flag > 0 else "below"
    if rule == "beyond_limits":
        return f"beyond the {'upper' if flag > 0 else 'lower'} process limit"
    if rule == "two_of_three":
        return f"2 of 3 points beyond the {'upper' if flag > 0 else 'lower'} 2σ line"
    if rule == "shift":
        return f"run of {count} points {side} the mean"
    return f"trend of {count} {'rising' if flag > 0 else 'falling'} points"


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    lengths = np.zeros(len(flags), dtype=int)
    for start, stop, value in _runs(flags):
        if value:
            lengths[start:stop] = stop - start
    return lengths


def xmr(
    values: Sequence[float] | np.ndarray | pd.Series,
    periods: Sequence[object] | None = None,
    *,
    polarity: str = "higher",
    target: float | None = None,
    rebase_at: Sequence[object] = (),
    shift_run: int = SHIFT_RUN,
    trend_run: int = TREND_RUN,
    screen_outliers: bool = True,
    lower_bound: float | None = None,
    ideal: float | None = None,
) -> SpcResult:
    """XmR chart of ``values`` in period order (see the module docstring for the method).

    ``periods`` label the points (default 0, 1, ...); ``rebase_at`` lists periods at which a new
    segment starts (each must be one of ``periods`` other than the first). Missing values are
    not allowed: drop them first (an XmR chart assumes consecutive periods). ``lower_bound`` (0 for a
    count or a ratio) floors the lower process limit and 2σ line, with a note; ``ideal`` is the value a
    "closer" polarity measures against (parity, 1, for a coverage ratio)."""
    if polarity not in POLARITIES:
        raise SpcError(f"polarity must be one of {', '.join(POLARITIES)}, got {polarity!r}")
    if polarity == "closer" and ideal is None:
        raise SpcError("the 'closer' polarity needs the ideal value (e.g. parity, 1)")
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or len(v) == 0:
        raise SpcError("an SPC chart needs at least one value")
    if np.isnan(v).any():
        raise SpcError("values must not be missing: drop incomplete periods before charting")
    labels: list[object] = list(range(len(v))) if periods is None else list(periods)
    if len(labels) != len(v):
        raise SpcError(f"{len(labels)} periods for {len(v)} values")
    if shift_run < 2 or trend_run < 3:
        raise SpcError("shift_run must be at least 2 and trend_run at least 3")
    segment = np.zeros(len(v), dtype=int)
    for when in sorted(set(rebase_at), key=str):
        if when not in labels or labels.index(when) == 0:
            raise SpcError(f"rebase period {when!r} is not a period of the series after the first")
        segment[labels.index(when) :] += 1

    n = len(v)
    columns: dict[str, np.ndarray] = {
        name: np.full(n, np.nan) for name in ("mean", "lower", "upper", "lower_2s", "upper_2s", "moving_range")
    }
    flags = {rule: np.zeros(n, dtype=int) for rule in RULES}
    lengths = {rule: np.zeros(n, dtype=int) for rule in ("shift", "trend")}
    warnings: list[str] = []
    for seg in np.unique(segment):
        idx = np.flatnonzero(segment == seg)
        sv = v[idx]
        mean, mr_bar, used = segment_limits(sv, screen_outliers)
        columns["mean"][idx] = mean
        columns["lower"][idx] = mean - LIMIT_FACTOR * mr_bar
        columns["upper"][idx] = mean + LIMIT_FACTOR * mr_bar
        columns["lower_2s"][idx] = mean - NEAR_FACTOR * mr_bar
        columns["upper_2s"][idx] = mean + NEAR_FACTOR * mr_bar
        if len(idx) > 1:
            columns["moving_range"][idx[1:]] = np.abs(np.diff(sv))
        flags["beyond_limits"][idx] = beyond_limits(sv, columns["lower"][idx], columns["upper"][idx])
        flags["two_of_three"][idx] = two_of_three(sv, mean, NEAR_FACTOR * mr_bar, LIMIT_FACTOR * mr_bar)
        flags["shift"][idx] = shift(sv, mean, shift_run)
        flags["trend"][idx] = trend(sv, trend_run)
        lengths["shift"][idx] = _run_lengths(flags["shift"][idx])
        lengths["trend"][idx] = _run_lengths(flags["trend"][idx])
        if len(idx) < MIN_POINTS:
            start = labels[idx[0]]
            warnings.append(
                f"the limits from {_label(start)} rest on {len(idx)} points; Making Data Count advises at "
                f"least {MIN_POINTS} (ideally 20): treat them as provisional"
            )
        if used and used < len(idx) - 1:
            warnings.append(
                f"{len(idx) - 1 - used} unusually large moving range(s) left out of the limits from "
                f"{_label(labels[idx[0]])}"
            )

    notes = _floor_limits(columns, segment, labels, lower_bound)
    points = pd.DataFrame({"period": labels, "value": v, "segment": segment, **columns})
    for rule in RULES:
        points[rule] = flags[rule]
    records = points[list(RULES)].to_dict("records")
    points["direction"] = [_direction(r) for r in records]
    points["point_type"] = [
        point_type(d, polarity, x, m, ideal)
        for d, x, m in zip(points["direction"], points["value"], points["mean"], strict=True)
    ]
    texts = []
    for i, record in enumerate(records):
        fired = [
            _describe(rule, record[rule], lengths.get(rule, np.zeros(n, dtype=int))[i])
            for rule in RULES
            if record[rule]
        ]
        texts.append("; ".join(fired) if fired else "common cause")
    points["rules"] = texts

    last = points.iloc[-1]
    if not np.isfinite(last["upper"]):
        variation = "not_enough_data"
    elif last["point_type"] == "common_cause":
        variation = "common_cause"
    else:
        variation = f"{last['point_type']}_{'high' if last['direction'] > 0 else 'low'}"
    return SpcResult(
        points=points,
        polarity=polarity,
        target=target,
        variation=variation,
        assurance=assurance(target, float(last["lower"]), float(last["upper"]), polarity),
        warnings=tuple(warnings),
        notes=tuple(notes),
    )


def _floor_limits(
    columns: dict[str, np.ndarray], segment: np.ndarray, labels: list, lower_bound: float | None
) -> list[str]:
    """Raise the lower process limit and 2σ line to ``lower_bound`` where they fall below it (in place);
    one note per segment whose lower process limit was raised."""
    if lower_bound is None:
        return []
    notes = []
    for seg in np.unique(segment):
        idx = np.flatnonzero(segment == seg)
        lower = columns["lower"][idx[0]]
        if np.isfinite(lower) and lower < lower_bound:
            notes.append(
                f"the lower process limit from {_label(labels[idx[0]])} ({lower:.2f}) is below {lower_bound:g}, "
                f"which the measure cannot reach: it is drawn at {lower_bound:g}"
            )
    for column in ("lower", "lower_2s"):
        with np.errstate(invalid="ignore"):
            columns[column] = np.where(columns[column] < lower_bound, lower_bound, columns[column])
    return notes


def _label(value: object) -> str:
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%b %Y")
    return str(value)
