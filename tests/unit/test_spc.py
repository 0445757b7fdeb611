"""SPC (Making Data Count XmR): limits and each special-cause rule on constructed series, worked by hand."""

import datetime as dt

import numpy as np
import pytest

from charts.spc import assurance_icon, icon_svg, spc_chart, variation_icon
from equity import spc
from equity.spc import RULES, SpcError, beyond_limits, shift, trend, two_of_three, xmr

# --------------------------------------------------------------------------------------------
# limits


def test_limits_by_hand():
    # mean 11; moving ranges 2, 1, 2, 4 -> mean 2.25; limits 11 -/+ 2.66 x 2.25 = 5.015 / 16.985
    result = xmr([10, 12, 11, 13, 9], screen_outliers=False)
    p = result.points
    assert p["mean"].iloc[0] == pytest.approx(11)
    assert p["upper"].iloc[0] == pytest.approx(16.985)
    assert p["lower"].iloc[0] == pytest.approx(5.015)
    # 2 sigma = (2/3) x 2.66 x 2.25 = 3.99
    assert p["upper_2s"].iloc[0] == pytest.approx(14.99)
    assert p["lower_2s"].iloc[0] == pytest.approx(7.01)
    assert np.isnan(p["moving_range"].iloc[0])
    assert list(p["moving_range"].iloc[1:]) == [2, 1, 2, 4]
    assert (p["point_type"] == "common_cause").all()
    assert result.variation == "common_cause"


def test_screening_drops_a_freak_moving_range():
    values = [10, 11] * 4 + [10, 50]
    # moving ranges: nine 1s... (8 of 1, then 40): mean 48/9 = 5.33; 40 >= 3.267 x 5.33 = 17.4 is left out
    mean, mr_bar, used = spc.segment_limits(np.array(values, dtype=float), screen_outliers=True)
    assert mean == pytest.approx(14.4)
    assert mr_bar == pytest.approx(1.0) and used == 8
    _, mr_all, used_all = spc.segment_limits(np.array(values, dtype=float), screen_outliers=False)
    assert mr_all == pytest.approx(48 / 9) and used_all == 9
    result = xmr(values)
    assert result.points["upper"].iloc[0] == pytest.approx(14.4 + 2.66)
    assert any("moving range" in w for w in result.warnings)


# --------------------------------------------------------------------------------------------
# rule 1: beyond the process limits


def test_beyond_limits_fires_outside_only():
    flags = beyond_limits(np.array([1, 5, 9, 2, 8]), np.full(5, 2.0), np.full(5, 8.0))
    assert list(flags) == [-1, 0, 1, 0, 0]  # on a limit is not beyond it


# --------------------------------------------------------------------------------------------
# rule 2: shift (run of 7 on one side of the mean)


def test_shift_of_seven_fires():
    assert list(shift(np.ones(7), 0.0)) == [1] * 7
    assert list(shift(-np.ones(8), 0.0)) == [-1] * 8


def test_shift_of_six_does_not_fire():
    assert list(shift(np.ones(6), 0.0)) == [0] * 6


def test_point_on_the_mean_breaks_a_run():
    values = np.array([1, 1, 1, 0, 1, 1, 1, 1], dtype=float)
    assert list(shift(values, 0.0)) == [0] * 8


def test_shift_flags_only_the_run():
    values = np.array([-1, 1, 1, 1, 1, 1, 1, 1, -1], dtype=float)
    assert list(shift(values, 0.0)) == [0, 1, 1, 1, 1, 1, 1, 1, 0]


def test_shift_length_is_a_parameter():
    assert list(shift(np.ones(6), 0.0, run=6)) == [1] * 6


# --------------------------------------------------------------------------------------------
# rule 3: trend (7 consecutive rising or falling)


def test_trend_of_seven_fires():
    assert list(trend(np.arange(1, 8, dtype=float))) == [1] * 7
    assert list(trend(np.arange(7, 0, -1, dtype=float))) == [-1] * 7


def test_trend_of_six_does_not_fire():
    assert list(trend(np.arange(1, 7, dtype=float))) == [0] * 6


def test_equal_value_breaks_a_trend():
    values = np.array([1, 2, 3, 3, 4, 5, 6, 7], dtype=float)
    assert list(trend(values)) == [0] * 8


def test_trend_flags_only_its_points():
    values = np.array([5, 1, 2, 3, 4, 5, 6, 7, 2], dtype=float)
    assert list(trend(values)) == [0, 1, 1, 1, 1, 1, 1, 1, 0]


# --------------------------------------------------------------------------------------------
# rule 4: two of three beyond 2 sigma on the same side


def test_two_of_three_fires_on_the_same_side():
    # mean 0, 2 sigma line at 2: all three points above the mean, two of them beyond the line
    assert list(two_of_three(np.array([3, 0.5, 3], dtype=float), 0.0, 2.0)) == [1, 0, 1]
    assert list(two_of_three(np.array([-3, -2.5, -0.1], dtype=float), 0.0, 2.0)) == [-1, -1, 0]
    # NHSRplotthedots' own test (ptd_two_in_three(c(0, 0, 1, 0, 1, 0, 0), all above the mean) flags the
    # window 3..5): here points 3 and 5 are beyond the line, all seven above the mean
    values = np.array([1, 1, 3, 1, 3, 1, 1], dtype=float)
    assert list(two_of_three(values, 0.0, 2.0)) == [0, 0, 1, 0, 1, 0, 0]


def test_two_of_three_needs_all_three_on_the_same_side_of_the_mean():
    # Western Electric would flag these (two of three beyond the same 2 sigma line); NHSRplotthedots
    # requires the third point on the same side of the mean too, and a point on the mean breaks it
    assert list(two_of_three(np.array([3, -0.5, 3], dtype=float), 0.0, 2.0)) == [0] * 3
    assert list(two_of_three(np.array([3, 0, 3], dtype=float), 0.0, 2.0)) == [0] * 3
    assert list(two_of_three(np.array([-3, -2.5, 0], dtype=float), 0.0, 2.0)) == [0] * 3


def test_two_of_three_counts_only_points_within_the_limits():
    # NHSRplotthedots' close_to_limits excludes points beyond the process limits (here 4): 5 is flagged by
    # rule 1 instead and only one point (3) is close to the limits, so the rule does not fire
    assert list(two_of_three(np.array([5, 3, 1], dtype=float), 0.0, 2.0, 4.0)) == [0] * 3
    assert list(two_of_three(np.array([3.5, 3, 1], dtype=float), 0.0, 2.0, 4.0)) == [1, 1, 0]


def test_two_of_three_does_not_fire():
    assert list(two_of_three(np.array([3, 0, 0, 3], dtype=float), 0.0, 2.0)) == [0] * 4  # 4 apart
    assert list(two_of_three(np.array([3, -3, 0], dtype=float), 0.0, 2.0)) == [0] * 3  # opposite sides
    assert list(two_of_three(np.array([2, 2, 0], dtype=float), 0.0, 2.0)) == [0] * 3  # on the line


def test_two_of_three_in_a_chart_ignores_a_window_straddling_the_mean():
    # 10, 14 alternating (20 points), then 22, 11, 22, then 14, 10 alternating (10 points): 33 points.
    # mean = (20 x 12 + 55 + 10 x 12) / 33 = 415 / 33 = 12.576
    # moving ranges: 19 x 4, then 8, 11, 11, 8, then 9 x 4 -> 150 / 32 = 4.6875 (none >= 3.267 x 4.6875 = 15.3)
    # 2 sigma line 12.576 + (2/3) x 2.66 x 4.6875 = 20.888; upper limit 12.576 + 2.66 x 4.6875 = 25.045
    # so both 22s are close to the limits, but 11 is below the mean: the window straddles the mean and
    # NHSRplotthedots does not flag it (Western Electric would)
    values = [10, 14] * 10 + [22, 11, 22] + [14, 10] * 5
    p = xmr(values).points
    assert p["mean"].iloc[0] == pytest.approx(415 / 33)
    assert p["upper_2s"].iloc[0] == pytest.approx(415 / 33 + 2 / 3 * 2.66 * 4.6875)
    assert (p["two_of_three"] == 0).all() and (p["point_type"] == "common_cause").all()
    # with 13.5 (above the mean, 12.652 = 417.5 / 33) in the middle instead, all three are above the mean: it fires
    values[21] = 13.5
    p = xmr(values).points
    assert list(p["two_of_three"].iloc[20:23]) == [1, 0, 1]


def test_rule_precedence_trend_before_two_of_three_and_shift():
    """A point flagged by several rules takes its direction from the first in NHSRplotthedots' order:
    beyond limits, trend, two of three, shift."""
    from equity.spc import _direction

    # a falling trend point that is also above the mean in a shift and two-of-three: the trend (-1) wins
    assert _direction({"beyond_limits": 0, "trend": -1, "two_of_three": 1, "shift": 1}) == -1
    assert _direction({"beyond_limits": 1, "trend": -1, "two_of_three": 0, "shift": 0}) == 1
    assert _direction({"beyond_limits": 0, "trend": 0, "two_of_three": -1, "shift": 1}) == -1
    assert list(RULES) == ["beyond_limits", "trend", "two_of_three", "shift"]


# --------------------------------------------------------------------------------------------
# the chart: classification, icons, target, rebasing

STABLE = [10, 14] * 8  # mean 12, alternating about it: no run, no trend


def test_stable_series_is_common_cause():
    result = xmr(STABLE)
    assert result.points["mean"].iloc[0] == pytest.approx(12)
    # moving ranges all 4: limits 12 -/+ 10.64
    assert result.points["upper"].iloc[0] == pytest.approx(22.64)
    assert (result.points["direction"] == 0).all()
    assert result.variation == "common_cause"


@pytest.mark.parametrize(
    ("polarity", "variation", "kind"),
    [
        ("higher", "improvement_high", "improvement"),
        ("lower", "concern_high", "concern"),
        ("neutral", "neutral_high", "neutral"),
    ],
)
def test_spike_coloured_by_polarity(polarity, variation, kind):
    # mean (80 + 112 + 30) / 17 = 13.06; moving ranges fifteen 4s and one 16 -> the 16 is screened out
    # (16 >= 3.267 x 4.75), so the upper limit is 13.06 + 2.66 x 4 = 23.70 and only the 30 lies beyond it
    result = xmr([*STABLE, 30], polarity=polarity)
    p = result.points
    assert p["upper"].iloc[0] == pytest.approx(222 / 17 + 10.64)
    assert list(p["beyond_limits"]) == [0] * 16 + [1]
    assert (p["point_type"].iloc[:16] == "common_cause").all()
    assert p["point_type"].iloc[16] == kind
    assert result.variation == variation
    assert "beyond the upper process limit" in p["rules"].iloc[16]


def test_low_spike_is_concern_when_higher_is_better():
    result = xmr([*STABLE, -8], polarity="higher")
    assert result.variation == "concern_low"


def test_shift_in_a_chart_and_its_hover_text():
    # mean (120 + 94.7) / 17 = 12.63: the last 14 and the seven values near 13.5 make a run of 8 above it
    values = [10, 14] * 5 + [13.5, 13.6, 13.4, 13.7, 13.5, 13.6, 13.4]
    result = xmr(values)
    p = result.points
    assert p["mean"].iloc[0] == pytest.approx(214.7 / 17)
    assert list(p["shift"]) == [0] * 9 + [1] * 8
    assert p[["beyond_limits", "two_of_three", "trend"]].eq(0).all().all()
    assert p["rules"].iloc[-1] == "run of 8 points above the mean"
    assert result.variation == "improvement_high"


def test_trend_in_a_chart():
    values = [20, 24] * 5 + [16, 17, 18, 19, 20, 21, 22]
    result = xmr(values)
    assert list(result.points["trend"].iloc[-7:]) == [1] * 7
    assert "trend of 7 rising points" in result.points["rules"].iloc[-1]


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [
        (5, "higher", "hit_and_miss"),  # within 1.36 .. 22.64
        (0, "higher", "pass"),  # below the lower limit: every month beats it
        (30, "higher", "fail"),
        (30, "lower", "pass"),
        (0, "lower", "fail"),
        (30, "neutral", "no_target"),
        (None, "higher", "no_target"),
    ],
)
def test_assurance(target, polarity, expected):
    # STABLE: limits 12 -/+ 10.64 = 1.36 .. 22.64
    assert xmr(STABLE, polarity=polarity, target=target).assurance == expected


def test_rebasing_gives_separate_limits():
    months = [dt.date(2024, m, 1) for m in range(1, 13)] + [dt.date(2025, m, 1) for m in range(1, 9)]
    values = [10, 14] * 6 + [20, 24] * 4
    whole = xmr(values, months)
    assert whole.points["shift"].ne(0).any()  # one mean across a step change: long runs either side
    rebased = xmr(values, months, rebase_at=[dt.date(2025, 1, 1)])
    p = rebased.points
    assert list(p["segment"]) == [0] * 12 + [1] * 8
    assert p["mean"].iloc[0] == pytest.approx(12) and p["mean"].iloc[-1] == pytest.approx(22)
    assert p["upper"].iloc[0] == pytest.approx(22.64) and p["upper"].iloc[-1] == pytest.approx(32.64)
    assert (p["direction"] == 0).all()
    assert any("8 points" in w for w in rebased.warnings)  # MDC: fewer than 15 points are provisional


def test_rebase_must_be_inside_the_series():
    with pytest.raises(SpcError, match="rebase"):
        xmr([1, 2, 3], ["a", "b", "c"], rebase_at=["a"])
    with pytest.raises(SpcError, match="rebase"):
        xmr([1, 2, 3], ["a", "b", "c"], rebase_at=["z"])


def test_invalid_input():
    with pytest.raises(SpcError, match="missing"):
        xmr([1.0, np.nan, 2.0])
    with pytest.raises(SpcError, match="polarity"):
        xmr([1, 2], polarity="up")
    with pytest.raises(SpcError, match="at least one"):
        xmr([])


def test_single_point_has_no_limits():
    result = xmr([5])
    assert result.variation == "not_enough_data"
    assert np.isnan(result.points["upper"].iloc[0])


# --------------------------------------------------------------------------------------------
# the chart figure


def test_chart_colours_hover_target_and_icons():
    months = [dt.date(2024, 1, 1) + dt.timedelta(days=31 * i) for i in range(17)]
    months = [m.replace(day=1) for m in months]
    result = xmr([*STABLE, 30], months, target=5)
    fig = spc_chart(result=result, title="T", subtitle="S", source="Source: test", y_title="referrals")
    names = {t.name: t for t in fig.data if t.name}
    assert names["Special cause: improvement"].marker.color == "#289de0"
    assert names["Common cause"].marker.color == "#a6a6a6"
    assert "beyond the upper process limit" in names["Special cause: improvement"].customdata[0][4]
    assert any(s.type == "line" and s.y0 == 5 for s in fig.layout.shapes)  # target line
    hovers = [a.hovertext for a in fig.layout.annotations if a.hovertext]
    assert "Special cause improvement (high)" in hovers
    assert "Hit and miss: target within the process limits" in hovers
    assert any("Source: test" in (a.text or "") for a in fig.layout.annotations)


def test_icon_svgs_are_self_contained():
    for kind in spc.VARIATION_LABELS:
        svg = icon_svg(variation_icon(kind))
        assert svg.startswith("<svg") and "http://www.w3.org/2000/svg" in svg and "href" not in svg
    assert ">P<" in icon_svg(assurance_icon("pass")) and ">F<" in icon_svg(assurance_icon("fail"))
    assert ">H<" in icon_svg(variation_icon("concern_high"))
    assert "#fab428" in icon_svg(variation_icon("concern_low"))


# --------------------------------------------------------------------------------------------
# lower bound (counts cannot be negative) and the "closer to the ideal" polarity


def test_lower_limits_floored_at_zero_with_a_note():
    # 0, 5 alternating: mean 2.5, every moving range 5 -> lower limit 2.5 - 2.66 x 5 = -10.8 and
    # lower 2 sigma line 2.5 - (2/3) x 2.66 x 5 = -6.367: a count cannot go there, so both are drawn at 0
    values = [0, 5] * 8
    raw = xmr(values)
    assert raw.points["lower"].iloc[0] == pytest.approx(-10.8)
    assert raw.notes == ()
    floored = xmr(values, lower_bound=0)
    assert (floored.points["lower"] == 0).all() and (floored.points["lower_2s"] == 0).all()
    assert floored.points["upper"].iloc[0] == pytest.approx(2.5 + 13.3)
    assert len(floored.notes) == 1 and "-10.80" in floored.notes[0] and "drawn at 0" in floored.notes[0]
    # limits already above zero are left alone, with no note
    assert xmr(STABLE, lower_bound=0).notes == ()
    assert xmr(STABLE, lower_bound=0).points["lower"].iloc[0] == pytest.approx(12 - 10.64)


@pytest.mark.parametrize(
    ("spike", "kind"),
    [
        # 16 points 0.60, 0.64 alternating then the spike. With 0.9: mean (8 x 1.24 + 0.9) / 17 = 0.6365; the
        # spike's moving range 0.26 is screened out (>= 3.267 x 0.05375), so mean MR 0.04 and the upper limit is
        # 0.6365 + 0.1064 = 0.743 < 0.9. |0.9 - 1| = 0.10 < |0.6365 - 1| = 0.36: nearer parity -> improvement
        (0.9, "improvement"),
        # with 1.9: mean (9.92 + 1.9) / 17 = 0.6953, upper 0.8017 < 1.9; |1.9 - 1| = 0.90 > 0.30: further from
        # parity than the mean, a concern ("higher is better" would have called it an improvement)
        (1.9, "concern"),
    ],
)
def test_closer_polarity_colours_by_distance_from_the_ideal(spike, kind):
    result = xmr([0.6, 0.64] * 8 + [spike], polarity="closer", ideal=1.0)
    last = result.points.iloc[-1]
    assert last["beyond_limits"] == 1
    assert last["point_type"] == kind
    assert result.variation == f"{kind}_high"


def test_closer_polarity_needs_an_ideal_and_its_assurance():
    with pytest.raises(SpcError, match="ideal"):
        xmr(STABLE, polarity="closer")
    # limits 12 -/+ 10.64 = 1.36 to 22.64: a target of 12 lies within them (hit and miss); 30 lies outside:
    # the process consistently misses it; a point target cannot be consistently passed
    assert xmr(STABLE, polarity="closer", ideal=12, target=12).assurance == "hit_and_miss"
    assert xmr(STABLE, polarity="closer", ideal=30, target=30).assurance == "fail"


def test_chart_shows_the_lower_limit_note():
    from charts.spc import NOTE_ANNOTATION, spc_chart

    result = xmr([0, 5] * 8, lower_bound=0)
    fig = spc_chart(result=result, title="t", subtitle="s", source="src", y_title="y")
    notes = [a.text for a in fig.layout.annotations if a.name == NOTE_ANNOTATION]
    assert notes == [f"Note: {result.notes[0]}."] and "drawn at 0" in notes[0]
