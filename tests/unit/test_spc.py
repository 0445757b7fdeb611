"""SPC (Making Data Count XmR): limits and each special-cause rule on constructed series, worked by hand."""

import datetime as dt

import numpy as np
import pytest

from charts.spc import assurance_icon, icon_svg, spc_chart, variation_icon
from equity import spc
from equity.spc import SpcError, beyond_limits, shift, trend, two_of_three, xmr

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
    assert list(two_of_three(np.array([3, 0, 3], dtype=float), 0.0, 2.0)) == [1, 0, 1]
    assert list(two_of_three(np.array([-3, -2.5, 0], dtype=float), 0.0, 2.0)) == [-1, -1, 0]


def test_two_of_three_does_not_fire():
    assert list(two_of_three(np.array([3, 0, 0, 3], dtype=float), 0.0, 2.0)) == [0] * 4  # 4 apart
    assert list(two_of_three(np.array([3, -3, 0], dtype=float), 0.0, 2.0)) == [0] * 3  # opposite sides
    assert list(two_of_three(np.array([2, 2, 0], dtype=float), 0.0, 2.0)) == [0] * 3  # on the line


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
