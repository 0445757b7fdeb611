"""Monthly series for SPC: complete months, the grid, Core20 coverage and disclosure control."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from equity import trends
from equity.selection import Selection
from equity.trends import ICB_AREA, TrendError, build_series, complete_months

D = dt.date


# --------------------------------------------------------------------------------------------
# months


def test_complete_months_whole_period():
    months = complete_months(D(2023, 4, 1), D(2026, 10, 31))
    assert len(months) == 43 and months[0] == D(2023, 4, 1) and months[-1] == D(2026, 10, 1)


def test_partial_months_are_left_out():
    assert complete_months(D(2023, 4, 2), D(2023, 6, 29)) == [D(2023, 5, 1)]
    assert complete_months(D(2024, 2, 1), D(2024, 2, 29)) == [D(2024, 2, 1)]  # leap year
    assert complete_months(D(2023, 2, 1), D(2023, 2, 27)) == []


def test_period_window_stays_inside_the_data():
    selection = Selection(date_from=D(2022, 1, 1), date_to=D(2030, 1, 1))
    assert trends.period_window(selection, D(2023, 4, 1), D(2026, 10, 15)) == (D(2023, 4, 1), D(2026, 10, 15))
    # 15 October is not the end of October: October is incomplete
    assert complete_months(D(2026, 9, 1), D(2026, 10, 15)) == [D(2026, 9, 1)]


def test_access_lead_in():
    assert trends.access_start(D(2023, 4, 1)) == D(2023, 7, 1)
    assert trends.access_start(D(2023, 11, 20)) == D(2024, 2, 1)


# --------------------------------------------------------------------------------------------
# the grid and the coverage ratio, by hand

LOOKUP = pd.DataFrame(
    {
        "lsoa_code": ["A", "B", "C", "D"],
        "place": ["Blackpool", "Blackpool", "Lancashire", "Lancashire"],
        "core20": [True, False, True, False],
        "population": [100, 300, 50, 450],
    }
)


def test_build_series_fills_the_grid_and_computes_coverage():
    months = [D(2024, 1, 1), D(2024, 2, 1)]
    counts = pd.DataFrame(
        {
            "area": [ICB_AREA, "Blackpool", "Lancashire", ICB_AREA, "Blackpool"],
            "month": [months[0], months[0], months[0], months[1], months[1]],
            "referrals": [20, 12, 8, 6, 6],
            "core20_referrals": [6, 3, 3, 2, 2],
            "people_accessing": [10, 6, 4, 3, 3],
        }
    )
    series = build_series(counts, LOOKUP, [ICB_AREA, "Blackpool", "Lancashire"], months, access_from=months[1])
    assert len(series) == 6
    lanc_feb = series[(series["area"] == "Lancashire") & (series["month"] == months[1])].iloc[0]
    assert lanc_feb["referrals"] == 0 and np.isnan(lanc_feb["core20_coverage"])  # no referrals: no ratio
    # ICB: Core20 children 150 of 900 = 1/6; January 6 of 20 referrals from Core20 -> 0.3 / (1/6) = 1.8
    icb_jan = series[(series["area"] == ICB_AREA) & (series["month"] == months[0])].iloc[0]
    assert icb_jan["core20_population_share"] == pytest.approx(1 / 6)
    assert icb_jan["core20_coverage"] == pytest.approx(1.8)
    # Blackpool: 100 of 400 = 0.25; January 3 / 12 = 0.25 -> parity
    bpl_jan = series[(series["area"] == "Blackpool") & (series["month"] == months[0])].iloc[0]
    assert bpl_jan["core20_coverage"] == pytest.approx(1.0)
    # access is missing before access_from, counted after
    assert pd.isna(icb_jan["people_accessing"])
    assert series[(series["area"] == ICB_AREA) & (series["month"] == months[1])]["people_accessing"].iloc[0] == 3


def test_area_series_and_errors():
    months = [D(2024, 1, 1)]
    counts = pd.DataFrame(
        {"area": [ICB_AREA], "month": months, "referrals": [5], "core20_referrals": [1], "people_accessing": [2]}
    )
    series = build_series(counts, LOOKUP, [ICB_AREA], months)
    with pytest.raises(TrendError, match="fewer than two"):
        trends.spc_for(series, "referrals", ICB_AREA)
    with pytest.raises(TrendError, match="area"):
        trends.spc_for(series, "referrals", "Blackpool")
    with pytest.raises(TrendError, match="measure"):
        trends.spc_for(series, "waits", ICB_AREA)


def test_area_keys_and_labels():
    assert trends.area_keys(Selection()) == [ICB_AREA, "Blackpool", "Blackburn with Darwen", "Lancashire",
                                             "South Cumbria"]
    chosen = Selection(places=("Blackpool",))
    assert trends.area_keys(chosen) == [ICB_AREA, "Blackpool"]
    assert trends.area_label(ICB_AREA, Selection()) == "L&SC ICB"
    assert trends.area_label(ICB_AREA, chosen) == "Blackpool"
    assert trends.chart_areas(chosen) == [ICB_AREA]
    two = Selection(places=("Blackpool", "Lancashire"))
    assert trends.area_label(ICB_AREA, two) == "Blackpool and Lancashire"
    assert trends.chart_areas(two) == [ICB_AREA, "Blackpool", "Lancashire"]
    assert trends.area_label(ICB_AREA, Selection(lads=("E06000009",))) == "1 district of L&SC"


def test_measure_polarities():
    # referrals are demand: neutral; access: higher is better; the coverage ratio: closer to parity (1)
    assert trends.MEASURES["referrals"].polarity == "neutral"
    assert trends.MEASURES["access"].polarity == "higher"
    assert trends.MEASURES["core20_coverage"].polarity == "closer"
    assert trends.MEASURES["core20_coverage"].ideal == 1.0
    assert trends.MEASURES["core20_coverage"].default_target == 1.0


def _icb_series(referrals: list[int], core20: list[int]):
    months = [D(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, len(referrals) + 1)]
    counts = pd.DataFrame(
        {
            "area": [ICB_AREA] * len(months),
            "month": months,
            "referrals": referrals,
            "core20_referrals": core20,
            "people_accessing": [1] * len(months),
        }
    )
    return build_series(counts, LOOKUP, [ICB_AREA], months)


def test_growth_in_referrals_is_not_called_an_improvement():
    # 12 months 10, 14 alternating then a jump to 40: mean 184 / 13 = 14.15; moving ranges 11 x 4 and 26 (mean
    # 5.83; 26 >= 3.267 x 5.83 is screened out) -> 4, upper limit 14.15 + 2.66 x 4 = 24.8 < 40.
    # Demand is neutral by default: purple, not blue
    series = _icb_series([10, 14] * 6 + [40], [1] * 13)
    result = trends.spc_for(series, "referrals", ICB_AREA)
    assert result.points.iloc[-1]["beyond_limits"] == 1
    assert result.points.iloc[-1]["point_type"] == "neutral"
    assert result.variation == "neutral_high"
    assert result.assurance == "no_target"


def test_coverage_rising_past_parity_is_a_concern():
    # ICB Core20 share of children = 150 / 900 = 1/6 (LOOKUP). 100 referrals a month; Core20 referrals 10, 11
    # alternating -> coverage 0.6, 0.66; then 30 -> 1.8. mean of the 13 months = (6 x 1.26 + 1.8) / 13 = 0.72;
    # |1.8 - 1| = 0.8 > |0.72 - 1| = 0.28: further from parity than usual, a concern (was an "improvement")
    series = _icb_series([100] * 13, [10, 11] * 6 + [30])
    result = trends.spc_for(series, "core20_coverage", ICB_AREA, target=1.0)
    last = result.points.iloc[-1]
    assert last["value"] == pytest.approx(1.8)
    assert last["mean"] == pytest.approx((6 * 1.26 + 1.8) / 13)
    assert last["beyond_limits"] == 1 and last["point_type"] == "concern"
    # a last month of 16 Core20 referrals instead: 0.96; mean (6 x 1.26 + 0.96) / 13 = 0.655, upper limit
    # 0.655 + 2.66 x 0.06 = 0.815 < 0.96; |0.96 - 1| = 0.04 < |0.655 - 1| = 0.345: towards parity, an improvement
    towards = trends.spc_for(_icb_series([100] * 13, [10, 11] * 6 + [16]), "core20_coverage", ICB_AREA)
    assert towards.points.iloc[-1]["value"] == pytest.approx(0.96)
    assert towards.points.iloc[-1]["point_type"] == "improvement"


def test_small_counts_have_their_lower_limit_at_zero_with_a_note():
    # referrals 0, 5 alternating: mean 2.5, moving ranges 5 -> lower limit 2.5 - 13.3 = -10.8: drawn at 0
    series = _icb_series([0, 5] * 8, [0] * 16)
    result = trends.spc_for(series, "referrals", ICB_AREA)
    assert (result.points["lower"] == 0).all()
    assert result.notes and "drawn at 0" in result.notes[0]


# --------------------------------------------------------------------------------------------
# disclosure control of the downloads


def test_series_download_rounds_places_and_keeps_the_icb_exact():
    months = [D(2024, 1, 1)]
    counts = pd.DataFrame(
        {
            "area": [ICB_AREA, "Blackpool", "Lancashire"],
            "month": months * 3,
            "referrals": [23, 3, 20],
            "core20_referrals": [9, 2, 7],
            "people_accessing": [13, 6, 7],
        }
    )
    series = build_series(counts, LOOKUP, [ICB_AREA, "Blackpool", "Lancashire"], months)
    shown = trends.series_download(series, Selection()).set_index("area")
    assert shown.loc["L&SC ICB", "referrals"] == 23  # ICB level: exact
    assert pd.isna(shown.loc["Blackpool", "referrals"])  # 3: suppressed
    assert pd.isna(shown.loc["Lancashire", "referrals"])  # secondary: 23 - 20 would give Blackpool's 3
    assert shown.loc["Blackpool", "people_accessing"] == 5 and shown.loc["Lancashire", "people_accessing"] == 5
    assert pd.isna(shown.loc["Blackpool", "core20_coverage"])  # its Core20 count (2) is hidden


def test_summary_display_hides_small_latest_counts():
    table = pd.DataFrame(
        {
            "measure": ["referrals", "referrals", "core20_coverage", "core20_coverage"],
            "area": [ICB_AREA, "Blackpool", "Blackpool", "Lancashire"],
            "latest_value": [3.0, 3.0, 1.2, 1.1],
            "latest_numerator": [3, 3, 2, 12],
            "mean": [4.04, 3.96, 1.234, 1.0],
            "lower": [0.0, 0.0, 0.5, 0.4],
            "upper": [9.0, 8.0, 2.0, 1.8],
        }
    )
    shown = trends.summary_display(table, Selection())
    assert shown["latest_shown"].iloc[0] is None  # the whole ICB: exact, but 1-4 still hidden
    assert shown["latest_shown"].iloc[1] is None  # a Place's 3: hidden
    assert shown["latest_shown"].iloc[2] is None  # ratio from 2 Core20 referrals: hidden
    # an exact summary has no controlled denominator to recompute a Place's ratio from: hidden
    assert shown["latest_shown"].iloc[3] is None
    assert shown["mean"].iloc[0] == 4.0 and shown["mean"].iloc[2] == 1.23
    big = table.assign(latest_value=[23.0, 23.0, 1.2, 1.1], latest_numerator=[23, 23, 2, 12])
    assert trends.summary_display(big, Selection())["latest_shown"].tolist()[:2] == [23, 25]


def test_summary_of_the_controlled_series_shows_its_values_as_they_are():
    months = [D(2024, m, 1) for m in range(1, 13)]
    counts = pd.DataFrame(
        {
            "area": [ICB_AREA] * 12 + ["Blackpool"] * 12 + ["Lancashire"] * 12,
            "month": months * 3,
            "referrals": [40 + m for m in range(12)] + [12 + m for m in range(12)] + [28] * 12,
            "core20_referrals": [10] * 12 + [6] * 12 + [4] * 12,
            "people_accessing": [20] * 36,
        }
    )
    series = build_series(counts, LOOKUP, [ICB_AREA, "Blackpool", "Lancashire"], months)
    summary = trends.summary(series, Selection())
    row = summary[(summary["measure"] == "referrals") & (summary["area"] == "Blackpool")].iloc[0]
    controlled = trends.controlled_series(series, Selection())
    shown = controlled.loc[controlled["area"] == "Blackpool", "referrals"].astype(float)
    assert row["mean"] == pytest.approx(shown.mean())  # not the exact mean (17.5), which x 12 gives the total
    assert row["latest_value"] == 25


# --------------------------------------------------------------------------------------------
# from the store (demo data)


def test_monthly_series_matches_the_referrals(settings, demo_store, demo_frame):
    series = trends.monthly_series(settings, Selection())
    frame = demo_frame.assign(month=pd.to_datetime(demo_frame["referral_date"]).dt.to_period("M"))
    expected = frame.groupby("month").size()
    icb = series[series["area"] == ICB_AREA].set_index("month")
    assert len(icb) == 43
    for month, count in expected.items():
        assert icb.loc[month.to_timestamp().date(), "referrals"] == count
    places = series[series["area"] != ICB_AREA].groupby("month")["referrals"].sum()
    assert (places.to_numpy() == icb["referrals"].to_numpy()).all()
    # access: distinct people by month of first contact (from the fourth month)
    seen = demo_frame.dropna(subset=["first_contact_date"])
    seen = seen.assign(month=pd.to_datetime(seen["first_contact_date"]).dt.to_period("M"))
    people = seen.groupby("month")["person_id"].nunique()
    october = pd.Period("2026-10", "M")
    assert icb.loc[D(2026, 10, 1), "people_accessing"] == people[october]
    assert pd.isna(icb.loc[D(2023, 6, 1), "people_accessing"])


def test_monthly_series_respects_the_selection(settings, demo_store, demo_frame):
    selection = Selection(places=("Blackpool",), date_from=D(2024, 4, 15), date_to=D(2025, 3, 31))
    series = trends.monthly_series(settings, selection)
    assert set(series["area"]) == {ICB_AREA, "Blackpool"}
    months = sorted(set(series["month"]))
    assert months[0] == D(2024, 5, 1) and months[-1] == D(2025, 3, 1)  # April 2024 is incomplete
    icb = series[series["area"] == ICB_AREA]["referrals"].to_numpy()
    blackpool = series[series["area"] == "Blackpool"]["referrals"].to_numpy()
    assert (icb == blackpool).all()  # the total of the selection is Blackpool alone


def test_polarity_override_flips_improvement_and_concern():
    months = [D(2024, m, 1) for m in range(1, 13)]
    counts = pd.DataFrame(
        {
            "area": [ICB_AREA] * 12,
            "month": months,
            "referrals": [10, 14] * 5 + [40, 14],
            "core20_referrals": [1] * 12,
            "people_accessing": [1] * 12,
        }
    )
    series = build_series(counts, LOOKUP, [ICB_AREA], months)
    higher = trends.spc_for(series, "referrals", ICB_AREA, polarity="higher")
    lower = trends.spc_for(series, "referrals", ICB_AREA, polarity="lower")
    spike = higher.points["value"].idxmax()
    assert higher.points.loc[spike, "point_type"] == "improvement"
    assert lower.points.loc[spike, "point_type"] == "concern"


def test_summary_lists_a_place_selected_alone_once(demo_store, settings):
    """A Blackpool Place team sees one Blackpool row per measure, not the selection total and the Place."""
    from equity.selection import Selection
    from publish import tables

    summary = tables.get("trend_summary", settings, Selection(places=("Blackpool",)))
    for measure, rows in summary.groupby("measure"):
        assert list(rows["area_label"]) == ["Blackpool"], measure
    two = tables.get("trend_summary", settings, Selection(places=("Blackpool", "Lancashire")))
    labels = list(two.loc[two["measure"] == "referrals", "area_label"])
    assert labels == ["Blackpool and Lancashire", "Blackpool", "Lancashire"]
