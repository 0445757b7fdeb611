"""Core20PLUS5 tables checked against hand calculations on small constructed frames."""

import numpy as np
import pandas as pd
import pytest

from equity import core20
from equity.need import NeedModel


def _frame() -> pd.DataFrame:
    # Place A: a Core20 LSOA (decile 1) with 100 children and 30 referrals; a decile-10 LSOA with 300 and 30.
    # Place B: one Core20 LSOA (decile 2) with 200 children and 10 referrals; one decile-9 LSOA, 200 and 40.
    return pd.DataFrame(
        {
            "lsoa_code": ["a1", "a2", "b1", "b2"],
            "place": ["A", "A", "B", "B"],
            "core20": [True, False, True, False],
            "imd_decile": [1, 10, 2, 9],
            "idaci_decile": [1, 10, 2, 9],
            "imd_quintile": [1, 5, 1, 5],
            "urban_rural": ["Urban", "Rural", "Urban", "Urban"],
            "denominator": [100, 300, 200, 200],
            "referrals": [30, 30, 10, 40],
            "people_accessing": [20, 25, 5, 30],
            "eth_total": [1000, 1000, 1000, 1000],
            "eth_asian": [500, 0, 100, 0],
            "eth_black": [0, 0, 0, 0],
            "eth_mixed": [0, 0, 0, 0],
            "eth_white": [500, 1000, 900, 1000],
            "eth_other": [0, 0, 0, 0],
        }
    )


def test_coverage_by_hand():
    table = core20.coverage_table(_frame(), "referrals", NeedModel()).set_index("area")
    a = table.loc["A"]
    # share of referrals from Core20 = 30/60 = 0.5; share of children = 100/400 = 0.25 -> ratio 2.0
    assert a["share_of_measure"] == 0.5 and a["share_of_population"] == 0.25
    assert a["coverage_ratio"] == pytest.approx(2.0)
    # need: decile 1 prevalence 0.34 x 100 = 34; decile 10 0.15 x 300 = 45; need share 34/79
    assert a["need_adjusted_ratio"] == pytest.approx(0.5 / (34 / 79))
    icb = table.loc["L&SC ICB"]
    # ICB: Core20 referrals 40 of 110; Core20 children 300 of 800 -> (40/110)/(300/800)
    assert icb["coverage_ratio"] == pytest.approx((40 / 110) / (300 / 800))
    assert icb["lower_95"] < icb["coverage_ratio"] < icb["upper_95"]


def _published(table, whole_icb=True):
    from publish.tables import publish_exact

    first = "icb" if whole_icb else "sub_icb"
    levels = [first] + ["sub_icb"] * (len(table) - 1)
    return publish_exact("core20_coverage", table, levels=levels, partition=[0] + [1] * (len(table) - 1))


def test_published_coverage_rounds_place_rows_and_keeps_icb_exact():
    table = core20.coverage_table(_frame(), "access", NeedModel())
    shown = _published(table, whole_icb=True)
    assert shown.loc[0, "count"] == 80 and shown.loc[0, "core20_count"] == 25  # ICB exact
    b = shown[shown["area"] == "B"].iloc[0]
    assert b["core20_count"] == 5 and b["count"] == 35  # 5 stays 5; 35 stays 35
    assert b["share_of_measure"] == pytest.approx(5 / 35)
    shown = _published(core20.coverage_table(_frame(), "access", NeedModel()), whole_icb=False)
    assert shown.loc[0, "count"] == 80 and shown.loc[0, "core20_count"] == 25  # multiples of 5 already


def test_small_counts_hidden_in_coverage():
    frame = _frame().assign(people_accessing=[3, 25, 5, 30])
    shown = _published(core20.coverage_table(frame, "access", NeedModel()))
    a = shown[shown["area"] == "A"].iloc[0]
    assert pd.isna(a["core20_count"]) and pd.isna(a["coverage_ratio"])


def test_gradient_expected_by_hand():
    table = core20.gradient_table(_frame(), "imd_decile", "referrals", NeedModel()).set_index("group")
    # children in need: d1 34, d2 200 x (0.34 - 0.19/9) = 63.777.., d9 200 x (0.15 + 0.19/9) = 34.222.., d10 45
    need = {1: 34.0, 2: 200 * (0.34 - 0.19 / 9), 9: 200 * (0.15 + 0.19 / 9), 10: 45.0}
    rate = 110 / sum(need.values())
    for decile, n in need.items():
        assert table.loc[decile, "expected"] == pytest.approx(n * rate)
    assert table["expected"].sum() == pytest.approx(110)
    assert table.loc[1, "need_adjusted_ratio"] == pytest.approx(30 / (34 * rate))
    assert table.loc[1, "rate_per_1000"] == pytest.approx(300.0)


def test_gradient_of_a_place_is_measured_against_the_reference():
    """Place A alone, against the whole frame (the ICB) as reference: expected = A's need x the ICB rate."""
    frame = _frame()
    place_a = frame[frame["place"] == "A"]
    table = core20.gradient_table(place_a, "imd_decile", "referrals", NeedModel(), reference=frame).set_index("group")
    # ICB children in need: 34 + 200 x (0.34 - 0.19/9) + 200 x (0.15 + 0.19/9) + 45 = 34 + 63.78 + 34.22 + 45 = 177
    # ICB rate per child in need = 110 / 177 = 0.62147
    # decile 1 (A): expected 34 x 110/177 = 21.130; O/E = 30 / 21.130 = 1.4198
    # (measured against itself, A's rate is 60 / 79 and O/E would be 30 / (34 x 60/79) = 1.1618)
    assert table.loc[1, "expected"] == pytest.approx(34 * 110 / 177)
    assert table.loc[1, "need_adjusted_ratio"] == pytest.approx(30 / (34 * 110 / 177))
    assert table.loc[10, "expected"] == pytest.approx(45 * 110 / 177)
    # expected adds up to A's need at the ICB rate (79 x 110/177 = 49.09), not to A's exact total of 60,
    # so the expected column cannot be used to recover A's exact referrals
    assert table["expected"].sum() == pytest.approx(79 * 110 / 177)
    assert table["expected"].sum() != pytest.approx(60)


def test_gradient_sentence_uses_fitted_ends():
    frame = pd.DataFrame(
        {
            "imd_decile": list(range(1, 11)),
            "denominator": [1000] * 10,
            "referrals": [100 - 5 * d for d in range(10)],
            "people_accessing": [1] * 10,
        }
    )
    summary = core20.gradient_summary(frame, "referrals", NeedModel())
    # rates fall linearly 100 -> 55 per 1,000 across equal-sized deciles: the fitted ends are 102.5 and 52.5
    assert summary["raw"]["fitted_most_deprived"] == pytest.approx(102.5, rel=1e-6)
    # PHE RII = fitted(least deprived) / fitted(most deprived) = 52.5 / 102.5 = 0.5122
    assert summary["raw"]["rii"] == pytest.approx(52.5 / 102.5, rel=1e-6)
    text = core20.gradient_sentence(summary, "referrals")
    assert "0.51 times that in the most deprived" in text and "RII 0.51" in text
    # need rises with deprivation: per child in need (0.34 in decile 1, 0.15 in decile 10) the rates are
    # 100 / 0.34 = 294 down to 55 / 0.15 = 367 per 1,000; the need-adjusted RII is above 1
    assert summary["need_adjusted"]["rii"] > 1
    assert f"RII is {summary['need_adjusted']['rii']:.2f}" in text and "served" in text


def test_gradient_sentence_never_pairs_a_times_figure_with_a_different_rii():
    """Every "N times" in the sentence is the RII printed in it (review: "1.80 times" beside "RII 0.57")."""
    import re

    frame = pd.DataFrame(
        {
            "imd_decile": list(range(1, 11)),
            "denominator": [1000] * 10,
            "referrals": [180 - 9 * d for d in range(10)],
            "people_accessing": [1] * 10,
        }
    )
    summary = core20.gradient_summary(frame, "referrals", NeedModel())
    text = core20.gradient_sentence(summary, "referrals")
    riis = {f"{summary['raw']['rii']:.2f}", f"{summary['need_adjusted']['rii']:.2f}"}
    times = re.findall(r"(\d+\.\d+) times", text)
    assert times and set(times) <= riis


def test_ethnicity_population_shares_by_hand():
    counts = pd.DataFrame(
        {
            "group": ["Asian", "Black", "Mixed", "White", "Other", "Not stated", "Not known"],
            "referrals": [10, 0, 0, 70, 0, 15, 5],
        }
    )
    table = core20.ethnicity_table(counts, _frame()).set_index("group")
    # Asian children: 100 x 0.5 + 200 x 0.1 = 70 of 800 children
    assert table.loc["Asian", "population_share"] == pytest.approx(70 / 800)
    assert table.loc["Asian", "share_of_known"] == pytest.approx(10 / 80)
    assert table.loc["Asian", "representation_ratio"] == pytest.approx((10 / 80) / (70 / 800))
    assert np.isnan(table.loc["Not stated", "population_share"])
    assert core20.unknown_ethnicity_share(table.reset_index()) == pytest.approx(20 / 100)


def test_quarterly_coverage_by_hand():
    counts = pd.DataFrame(
        {"quarter": ["2024Q1", "2024Q1", "2024Q2"], "core20": [True, False, False], "n": [40, 60, 50]}
    )
    table = core20.quarterly_coverage(counts, 0.25)
    assert table["coverage_ratio"].tolist()[0] == pytest.approx(0.4 / 0.25)
    assert table["coverage_ratio"].tolist()[1] == 0.0


def test_vintage_status_from_the_larger_source():
    areas25 = pd.DataFrame({"lsoa_code": ["N1", "N2", "N3"], "core20": [True, False, True]})
    areas19 = pd.DataFrame({"lsoa_code": ["o1", "o2", "o3", "o4"], "core20": [True, False, True, False]})
    links = pd.DataFrame(
        {
            "lsoa11_code": ["o1", "o2", "o3", "o4"],
            "lsoa21_code": ["N1", "N1", "N2", "N3"],
            "population_2011_all_ages": [600, 400, 1000, 1500],
        }
    )
    status = core20.core20_status_2019_for_2021(areas25, areas19, links)
    # N1 merges a Core20 (600) and a non-Core20 (400) area: Core20; N2 was Core20; N3 was not
    assert status.tolist() == [True, True, False]


def _funnel_areas() -> pd.DataFrame:
    # three displayed neighbourhoods (rounded counts) plus one with children whose count is hidden (NaN) and
    # one with no children; the displayed rates average 1000 x (10 + 30 + 100) / (100 + 400 + 1000) = 93.3
    return pd.DataFrame(
        {
            "code": ["a", "b", "c", "hidden", "empty"],
            "name": ["A", "B", "C", "H", "E"],
            "place": ["P"] * 5,
            "imd_decile": [1, 5, 9, 2, 3],
            "denominator": [100, 400, 1000, 60, 0],
            "people_accessing": [10, 30, 100, np.nan, np.nan],
            "access_rate_per_1000": [100.0, 75.0, 100.0, np.nan, np.nan],
            "access_ratio": [1.0, 1.0, 1.2, np.nan, np.nan],
            "expected": [9.0, 31.0, 80.0, 3.0, 0.0],
        }
    )


def test_funnel_is_centred_on_the_reference_not_on_the_points_shown():
    data = core20.funnel_points(_funnel_areas(), "access_rate", centre=75.3)
    # the centre is the L&SC value handed in (75.3), not the mean of the rounded points (93.3)
    assert data.centre == 75.3
    assert (data.limits["target"] == 75.3).all()
    assert (data.points["funnel_centre"] == 75.3).all()
    assert data.points["y"].tolist() == [100.0, 75.0, 100.0]
    # at n = 1000 the expected count is 75.3; normal approximation of the 99.8% Poisson limits:
    # 75.3 -/+ 3.09 x sqrt(75.3) = 75.3 -/+ 26.8 -> about 48.5 and 102.1 per 1,000 (exact Poisson is skewed
    # upwards by about 1 event), so C (100 per 1,000) lies inside the 99.8% funnel
    c = data.points.set_index("code").loc["c"]
    assert c["funnel_lower_998"] == pytest.approx(75.3 - 3.09 * 75.3**0.5, abs=2)
    assert c["funnel_upper_998"] == pytest.approx(75.3 + 3.09 * 75.3**0.5, abs=2)
    assert c["funnel_lower_998"] < c["funnel_lower_95"] < 75.3 < c["funnel_upper_95"] < c["funnel_upper_998"]
    assert c["funnel_lower_998"] < c["y"] < c["funnel_upper_998"]


def test_funnel_counts_the_neighbourhoods_it_cannot_plot():
    data = core20.funnel_points(_funnel_areas(), "access_rate", centre=75.3)
    # "hidden" has children but a suppressed count; "empty" has no children and is not a suppressed area
    assert data.suppressed == 1
    assert core20.suppressed_note(data.suppressed) == "1 neighbourhood with counts too small to show is not plotted."
    assert core20.suppressed_note(5) == "5 neighbourhoods with counts too small to show are not plotted."
    ratio = core20.funnel_points(_funnel_areas(), "access_ratio")
    assert ratio.centre == 1.0 and ratio.suppressed == 1 and (ratio.limits["target"] == 1.0).all()


def test_rate_funnel_needs_a_reference_centre():
    with pytest.raises(ValueError, match="centre"):
        core20.funnel_points(_funnel_areas(), "access_rate")


def test_reference_rate_from_exact_counts():
    # whole frame: 80 children accessing of 800 children -> 100 per 1,000
    assert core20.reference_rate(_frame()) == pytest.approx(1000 * 80 / 800)


# --- labels (review 14, finding 10) -------------------------------------------------------------------


def test_denominator_label_follows_the_age_band_filter():
    from equity.metrics import denominator_label

    # as equity.metrics.denominator: 0-1 -> ages 0 and 1; 2-5 -> 2 to 5; antenatal -> age 0 (births proxy)
    assert denominator_label(()) == "aged 0-5"
    assert denominator_label(("0-1",)) == "aged 0-1"
    assert denominator_label(("2-5",)) == "aged 2-5"
    assert denominator_label(("0-1", "2-5")) == "aged 0-5"
    assert denominator_label(("Antenatal",)) == "aged 0 (a proxy for births)"
    assert denominator_label(("0-1", "Antenatal")) == "aged 0-1"


def test_core20_charts_name_the_filtered_ages():
    from charts.core20 import funnel_chart, gradient_chart

    grad = core20.gradient_table(_frame(), "imd_decile", "referrals", NeedModel())
    fig = gradient_chart(frame=grad, group_label="IMD decile", title="t", subtitle="s", source="x", ages="aged 0-1")
    assert fig.layout.yaxis.title.text == "Per 1,000 children aged 0-1 in the period"
    data = core20.funnel_points(_funnel_areas().assign(code=list("abcde")), "access_rate", centre=75.3)
    fig = funnel_chart(
        points=data.points, limits=data.limits, kind="access_rate", title="t", subtitle="s", source="x", ages="aged 2-5"
    )
    assert fig.layout.yaxis.title.text == "Children accessing per 1,000 aged 2-5"
    assert fig.layout.xaxis.title.text == "Children aged 2-5 in the neighbourhood (ONS mid-2020)"
    assert "0-5" not in " ".join(t.hovertemplate or "" for t in fig.data)


def test_ethnicity_caveat_names_the_unknown_share_and_the_all_age_census_mix():
    counts = pd.DataFrame(
        {
            "group": ["Asian", "Black", "Mixed", "White", "Other", "Not stated", "Not known"],
            "referrals": [10, 0, 0, 70, 0, 15, 5],
        }
    )
    table = core20.ethnicity_table(counts, _frame())
    # 15 + 5 of 100 referrals have no known group: 20.0%
    text = core20.ethnicity_caveat(core20.unknown_ethnicity_share(table))
    assert "20.0%" in text and "not stated or not known" in text
    assert "all-age Census 2021" in text and "children aged 0-5" in text


def test_fringe_districts_are_labelled_as_the_icb_part():
    from equity.geography import district_label, label_districts, partial_districts

    assert district_label("Copeland", 6, True) == "Copeland (ICB part: 6 LSOAs)"
    assert district_label("Craven", 1, True) == "Craven (ICB part: 1 LSOA)"
    assert district_label("Preston", 90, False) == "Preston"
    areas = pd.DataFrame(
        {"lad_code": ["E07000029", "E07000029", "E07000123"], "in_lsc_16_lads": [False, False, True]}
    )
    assert partial_districts(areas) == {"E07000029"}
    names = label_districts(
        pd.Series(["Copeland", "Preston"]), pd.Series(["E07000029", "E07000123"]), pd.Series([2, 90]), {"E07000029"}
    )
    assert names.tolist() == ["Copeland (ICB part: 2 LSOAs)", "Preston"]
