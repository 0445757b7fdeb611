"""Reach (straight-line distances, coverage, bands, farthest Core20) and the pathway statistics."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from equity import pathway, reach
from equity.sites import SITE_TYPES


def site_frame(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"site_key": f"U:{i}", "name": name, "site_type": kind, "postcode": f"PC{i}", "easting": e, "northing": n}
         for i, (name, kind, e, n) in enumerate(rows, start=1)]
    )


def area_frame(rows: list[tuple[str, str, bool, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"lsoa_code": code, "lsoa_name": f"{code} name", "msoa_name": "M", "lad_name": "D", "place": place,
          "imd_decile": 1 if core20 else 6, "core20": core20, "population_0_5": pop, "easting": e, "northing": n}
         for code, place, core20, pop, e, n in rows]
    )


# --------------------------------------------------------------------------------------------
# distances


def test_nearest_distances_match_hand_computed_values():
    points = np.array([[0, 0], [3000, 4000], [10, 10], [6000, 8000]])
    sites = np.array([[0, 1000], [6000, 8000]])
    distance, index = reach.nearest(points, sites)
    # (0,0)->(0,1000): 1,000 m; (3000,4000)->(0,1000): a 3-4-5 triangle of 3,000 and 3,000... check both sites:
    # to (0,1000): sqrt(3000^2 + 3000^2) = 4,242.64 m; to (6000,8000): sqrt(3000^2 + 4000^2) = 5,000 m.
    assert distance[0] == pytest.approx(1000.0)
    assert distance[1] == pytest.approx(math.sqrt(3000**2 + 3000**2)) and index[1] == 0
    assert distance[2] == pytest.approx(math.sqrt(10**2 + 990**2))
    assert distance[3] == pytest.approx(0.0) and index[3] == 1


def test_nearest_three_four_five():
    distance, index = reach.nearest(np.array([[100.0, 200.0]]), np.array([[400.0, 600.0], [5000.0, 5000.0]]))
    assert distance[0] == pytest.approx(500.0) and index[0] == 0  # dx 300, dy 400


def test_nearest_needs_sites_and_finite_coordinates():
    with pytest.raises(reach.ReachError, match="no sites"):
        reach.nearest(np.array([[0.0, 0.0]]), np.empty((0, 2)))
    with pytest.raises(reach.ReachError, match="easting and northing"):
        reach.nearest(np.array([[np.nan, 0.0]]), np.array([[0.0, 0.0]]))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(300_000, 400_000), st.floats(400_000, 520_000)), min_size=1, max_size=30),
    st.lists(st.tuples(st.floats(300_000, 400_000), st.floats(400_000, 520_000)), min_size=1, max_size=30),
)
def test_nearest_equals_brute_force(points, sites):
    p, s = np.array(points), np.array(sites)
    distance, _ = reach.nearest(p, s)
    brute = np.sqrt(((p[:, None, :] - s[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    np.testing.assert_allclose(distance, brute, rtol=1e-9, atol=1e-6)


def test_nearest_site_only_uses_the_chosen_types():
    areas = area_frame([("A", "Blackpool", True, 10, 0, 0)])
    sites = site_frame([("GP near", "gp_practice", 0, 100), ("Hub far", "family_hub", 0, 3000)])
    near = reach.nearest_site(areas, sites, ("family_hub",))
    assert near.loc[0, "site_name"] == "Hub far" and near.loc[0, "distance_km"] == pytest.approx(3.0)
    with pytest.raises(reach.ReachError, match="no sites of type PAIRS"):
        reach.nearest_site(areas, sites, ("specialist",))
    with pytest.raises(reach.ReachError, match="unknown site type"):
        reach.nearest_site(areas, sites, ("castle",))


@pytest.mark.parametrize(
    ("metres", "band"),
    [(0, "0-1 km"), (1000, "0-1 km"), (1000.01, "1-2 km"), (2000, "1-2 km"), (4999, "2-5 km"), (10_000, "5-10 km"),
     (10_000.5, "10 km or more"), (80_000, "10 km or more")],
)
def test_distance_bands_are_closed_on_the_right(metres, band):
    assert str(reach.distance_band(np.array([metres]))[0]) == band


# --------------------------------------------------------------------------------------------
# coverage


AREAS = area_frame(
    [
        ("A", "Blackpool", True, 100, 500, 0),  # 500 m from the site at the origin
        ("B", "Blackpool", False, 300, 1500, 0),  # 1.5 km
        ("C", "Lancashire", True, 600, 0, 12_000),  # 12 km
    ]
)
ORIGIN_SITE = site_frame([("Hub", "family_hub", 0, 0)])


def test_coverage_shares_by_threshold_and_core20():
    table = reach.coverage_for_type(AREAS, ORIGIN_SITE, "family_hub")
    total = table.iloc[0]
    assert total["area"] == "L&SC ICB" and total["sites"] == 1
    assert total["children_0_5"] == 1000 and total["core20_children_0_5"] == 700
    assert total["share_within_1km"] == pytest.approx(0.1)
    assert total["core20_share_within_1km"] == pytest.approx(100 / 700)
    assert total["share_within_2km"] == pytest.approx(0.4)
    assert total["core20_share_within_2km"] == pytest.approx(100 / 700)
    assert total["share_within_10km"] == pytest.approx(0.4)
    assert total["children_within_5km"] == 400
    # population-weighted median distance: half of 1,000 children is reached at C (12 km)
    assert total["median_distance_km"] == pytest.approx(12.0)
    places = table.set_index("area")
    assert list(places.index) == ["L&SC ICB", "Blackpool", "Lancashire"]
    assert places.loc["Blackpool", "share_within_1km"] == pytest.approx(0.25)
    assert places.loc["Blackpool", "core20_share_within_1km"] == pytest.approx(1.0)
    assert places.loc["Lancashire", "share_within_10km"] == 0


def test_coverage_all_types_lists_only_types_with_sites():
    sites = pd.concat([ORIGIN_SITE, site_frame([("GP", "gp_practice", 0, 12_000)])], ignore_index=True)
    table = reach.coverage_all_types(AREAS, sites)
    assert list(table["site_type"]) == ["gp_practice", "family_hub"]


def test_weighted_median():
    assert reach.weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1, 1, 1])) == 2.0
    assert reach.weighted_median(np.array([1.0, 10.0]), np.array([9, 1])) == 1.0
    assert math.isnan(reach.weighted_median(np.array([1.0]), np.array([0])))


def test_farthest_core20_lists_core20_only_farthest_first():
    areas = area_frame(
        [
            ("N1", "Lancashire", False, 50, 0, 30_000),  # farthest, but not Core20
            ("C1", "Lancashire", True, 50, 0, 20_000),
            ("C2", "Blackpool", True, 50, 0, 5_000),
            ("C3", "Blackpool", True, 50, 0, 9_000),
        ]
    )
    sites = site_frame(
        [("Base", "specialist", 0, 0), ("Hub", "family_hub", 0, 4_000), ("GP", "gp_practice", 0, 30_000)]
    )
    top = reach.farthest_core20(areas, sites, limit=2)
    assert list(top["lsoa_code"]) == ["C1", "C3"]
    assert top.loc[0, "distance_km"] == pytest.approx(16.0) and top.loc[0, "site_name"] == "Hub"
    assert list(top.columns) == list(reach.FARTHEST_COLUMNS)


def test_access_by_band_is_disclosure_controlled():
    frame = pd.DataFrame(
        {
            "lsoa_code": ["A", "B", "C", "D"],
            "people_accessing": [23, 3, 0, 12],
            "referrals": [30, 4, 0, 16],
            "denominator": [1000, 200, 50, 400],
            "core20": [True, False, True, False],
        }
    )
    near = pd.DataFrame({"lsoa_code": ["A", "B", "C", "D"], "distance_m": [200, 1500, 3000, 25_000]})
    exact = reach.access_by_band_exact(frame, near)
    assert list(exact["band"]) == list(reach.BANDS)
    assert list(exact["people_accessing"]) == [23, 3, 0, 0, 12]
    from equity.metrics import add_rates
    from publish.tables import publish_exact

    shown = publish_exact("reach_access_by_band", add_rates(exact, "people_accessing"))
    people = shown["people_accessing"]
    assert people.iloc[0] == 25  # 23 rounded to the nearest 5
    assert pd.isna(people.iloc[1])  # 3 is suppressed
    assert pd.isna(shown["rate_per_1000"].iloc[1])
    assert shown["rate_per_1000"].iloc[0] == pytest.approx(25.0)  # rate from the rounded count: 25 / 1,000
    assert people.iloc[2] == 0 and people.iloc[3] == 0
    assert pd.isna(people.iloc[4])  # 12: the smallest other non-zero cell, hidden by secondary suppression
    lower, upper = shown["lower_95"].iloc[0], shown["upper_95"].iloc[0]
    assert lower < 25 < upper


def test_site_types_have_labels():
    assert set(SITE_TYPES) >= {"gp_practice", "family_hub", "health_visiting", "specialist", "vcfse"}


# --------------------------------------------------------------------------------------------
# pathway statistics


def test_median_interval_order_statistics():
    median, lower, upper, n = pathway.median_interval(list(range(1, 101)))
    assert (median, lower, upper, n) == (50.5, 40.0, 61.0, 100)  # the textbook ranks 40 and 61 for n = 100
    median, lower, upper, n = pathway.median_interval([5, 1, 3])
    assert median == 3 and math.isnan(lower) and n == 3  # no 95% interval below 6 values
    median, lower, upper, _ = pathway.median_interval([1, 2, 3, 4, 5, 6])
    assert (median, lower, upper) == (3.5, 1.0, 6.0)
    assert all(math.isnan(v) for v in pathway.median_interval([])[:3])
    with pytest.raises(ValueError):
        pathway.median_interval([1, 2], [1, -1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 20)), min_size=1, max_size=40))
def test_median_interval_weighted_equals_expanded(pairs):
    values = np.array([v for v, _ in pairs], dtype=float)
    counts = np.array([c for _, c in pairs])
    expanded = np.repeat(values, counts)
    weighted = pathway.median_interval(values, counts)
    plain = pathway.median_interval(expanded)
    np.testing.assert_equal(weighted, plain)
    if len(expanded):
        assert weighted[0] == pytest.approx(float(np.median(expanded)))
        if not math.isnan(weighted[1]):
            assert weighted[1] <= weighted[0] <= weighted[2]


def test_lower_rank_matches_scipy_binomial_quantile():
    for n in (6, 7, 10, 11, 50, 100, 101, 999, 12_345):
        assert pathway._lower_rank(n, 0.025) == int(stats.binom.ppf(0.025, n, 0.5))


def test_median_interval_coverage_is_at_least_nominal():
    rng = np.random.default_rng(7)
    hits = 0
    trials = 400
    for _ in range(trials):
        sample = rng.gamma(2.0, 20.0, size=40)
        _, lower, upper, _ = pathway.median_interval(sample)
        hits += lower <= 2.0 * 20.0 * 0.8391 <= upper  # true median of Gamma(2, 20) = 33.56
    assert hits / trials >= 0.93


def test_conversion_and_wait_tables_hide_small_groups():
    counts = pd.DataFrame(
        {"lsoa_code": ["a", "b", "c", "d"],
         "place": ["South Cumbria", "Lancashire", "Blackpool", "Blackburn with Darwen"],
         "imd_quintile": [3, 2, 1, 4], "referrals": [3, 400, 200, 120], "referrals_accessed": [2, 301, 150, 90]}
    )
    from publish.tables import publish_conversion, publish_waits

    table = publish_conversion(pathway.conversion_exact(counts, "place"))
    assert list(table["label"]) == ["Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria"]
    assert table.loc[0, "referrals"] == 200 and table.loc[0, "share"] == pytest.approx(0.75)
    assert table.loc[2, "referrals_accessed"] == 300  # rounded; the share comes from the rounded counts
    assert table.loc[2, "share"] == pytest.approx(0.75)
    assert pd.isna(table.loc[3, "referrals"]) and pd.isna(table.loc[3, "share"])  # 3 referrals: suppressed
    assert pd.isna(table.loc[1, "referrals_accessed"]) and pd.isna(table.loc[1, "share"])  # secondary suppression
    low, high = table.loc[0, "lower_95"], table.loc[0, "upper_95"]
    assert low < 0.75 < high
    waits = pd.DataFrame(
        {"lsoa_code": ["a"] * 3 + ["c", "e"], "place": ["Blackpool"] * 3 + ["South Cumbria", "Lancashire"],
         "imd_quintile": [1, 1, 1, 3, 5], "wait_days": [10, 20, 30, 5, 40], "n": [10, 10, 10, 2, 11]}
    )
    shown = publish_waits(pathway.wait_exact(waits, "place"))
    assert list(shown["label"]) == ["Blackpool", "Lancashire", "South Cumbria"]
    assert shown.loc[0, "waits"] == 30 and shown.loc[0, "median_days"] == 20
    assert shown.loc[0, "lower_95"] == 10 and shown.loc[0, "upper_95"] == 30
    assert pd.isna(shown.loc[2, "waits"]) and pd.isna(shown.loc[2, "median_days"])  # 2 waits: suppressed
    assert pd.isna(shown.loc[1, "median_days"])  # 11 waits: hidden by secondary suppression
    by_quintile = publish_waits(pathway.wait_exact(waits, "imd_quintile"))
    assert list(by_quintile["label"]) == ["1 (most deprived)", "3", "5 (least deprived)"]
    with pytest.raises(ValueError):
        pathway.conversion_exact(counts, "ward")


def test_source_mix_shares_use_the_rounded_place_total():
    counts = pd.DataFrame(
        {"lsoa_code": ["a", "a", "b"], "place": ["Blackpool", "Blackpool", "Blackpool"],
         "grp": ["A2", "A1", "A2"], "referrals": [60, 38, 2], "referrals_accessed": [0, 0, 0]}
    )
    from publish.tables import publish_source_mix

    mix = publish_source_mix(pathway.source_mix_exact(counts))
    row = mix.set_index("referral_source").loc["A2"]
    assert row["referrals"] == 60 and row["place_referrals"] == 100
    assert row["share"] == pytest.approx(0.6)
    assert set(mix["referral_source"]) >= {"A1", "A2", pathway.NOT_RECORDED}
