"""Known-answer tests of the outcome statistics: a constructed set of PHQ-9 pairs whose mean-change interval
and reliable-change shares are worked out by hand below, run through the store, the query and the published
table (exact, and disclosure-controlled)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data.store import replace_all
from equity.selection import Selection
from equity.stats import mean_interval
from publish import tables

# Eight referrals in one Blackpool neighbourhood, all discharged; six have a PHQ-9 pair (lower is better,
# reliable change 6, clinical at 10 or above: NHS Talking Therapies Manual).
#   start  end  change  better-direction change (-change)  reliable?        clinical start -> end
#    20     10   -10      10                                 improved         yes -> yes (10 is clinical)
#    15      8    -7       7                                 improved         yes -> no  (recovered)
#    12      9    -3       3                                 no change        yes -> no  (recovered)
#    10     12    +2      -2                                 no change        yes -> yes
#     9     16    +7      -7                                 deteriorated     no
#    14      8    -6       6                                 improved (>= 6)  yes -> no  (recovered)
# n = 6; sum of changes = -17; mean = -17/6 = -2.833333
# sum of squares = 100 + 49 + 9 + 4 + 49 + 36 = 247
# variance = (247 - 6 x (17/6)^2) / 5 = (1482/6 - 289/6) / 5 = 1193/30 = 39.766667; sd = 6.306082
# t(0.975, 5) = 2.570582 (Student's t table); half-width = 2.570582 x 6.306082 / 2.449490 = 6.617827
# 95% CI = -2.833333 -/+ 6.617827 = -9.451160 to 3.784494
# reliably improved 3/6 = 0.5; no reliable change 2/6 = 0.333333; deteriorated 1/6 = 0.166667
# clinical at the start 5; of them ending below 10: 3 -> 3/5 = 0.6; completeness 6 pairs / 8 discharged = 0.75
PAIRS = [(20, 10), (15, 8), (12, 9), (10, 12), (9, 16), (14, 8)]


@pytest.fixture(scope="module")
def known_store(tmp_path_factory, demo_frame, areas_2025, settings):
    blackpool = areas_2025.loc[areas_2025["place"] == "Blackpool", "lsoa_code"].iloc[0]
    rows = demo_frame.head(8).copy()
    rows["lsoa21_code"] = rows["lsoa_code"] = blackpool
    rows["lsoa11_code"] = None
    rows["referral_date"] = dt.date(2024, 5, 1)
    rows["first_contact_date"] = dt.date(2024, 5, 20)
    rows["discharge_date"] = dt.date(2024, 9, 1)
    rows["outcome_measure"] = ["PHQ-9"] * 6 + [None, None]
    rows["score_start"] = [p[0] for p in PAIRS] + [np.nan, np.nan]
    rows["score_end"] = [p[1] for p in PAIRS] + [np.nan, np.nan]
    path = tmp_path_factory.mktemp("known") / "known.duckdb"
    replace_all(path, rows, kind="demo", description="known-answer outcomes")
    return dataclasses.replace(settings, store_path=path)


def test_student_t_interval_matches_the_hand_calculation():
    lower, upper = mean_interval(-17 / 6, 6.306082, 6)
    assert lower == pytest.approx(-9.451160, abs=1e-5) and upper == pytest.approx(3.784494, abs=1e-5)
    # phe_mean's published 99.8% multiplier for n = 6: t(0.999, 5) = 5.893430
    lower, upper = mean_interval(0.0, 1.0, 6, 0.998)
    assert upper == pytest.approx(5.893430 / np.sqrt(6), abs=1e-5)
    assert np.isnan(mean_interval(1.0, 0.0, 1)[0])  # one pair: no standard deviation, no interval


def test_known_pairs_exact(known_store):
    table = tables.get("outcomes_by_group", known_store, Selection(), {"measure": "PHQ-9", "by": "place"},
                       suppress=False)
    row = table.set_index("group").loc["All in the selection"]
    assert (row["pairs"], row["discharged"], row["discharged_pairs"]) == (6, 8, 6)
    assert row["completeness"] == pytest.approx(0.75)
    assert row["mean_change"] == pytest.approx(-2.833333, abs=1e-6)
    assert row["sd_change"] == pytest.approx(6.306082, abs=1e-6)
    assert row["lower_95"] == pytest.approx(-9.451160, abs=1e-5)
    assert row["upper_95"] == pytest.approx(3.784494, abs=1e-5)
    assert (row["improved"], row["no_change"], row["deteriorated"]) == (3, 2, 1)
    assert row["reliably_improved_share"] == pytest.approx(0.5)
    assert row["no_reliable_change_share"] == pytest.approx(2 / 6)
    assert row["reliably_deteriorated_share"] == pytest.approx(1 / 6)
    assert (row["clinical_start"], row["recovered"]) == (5, 3)
    assert row["clinical_to_non_clinical_share"] == pytest.approx(0.6)
    # a measure with no pairs in the store: zero pairs, no mean
    empty = tables.get("outcomes_by_group", known_store, Selection(), {"measure": "GAD-7", "by": "place"},
                       suppress=False)
    assert empty["pairs"].iloc[0] == 0 and pd.isna(empty["mean_change"].iloc[0])


def test_known_pairs_controlled_below_icb_level(known_store):
    """Blackpool's row is below ICB level: 6 pairs shown as 5, 8 discharged as 10, 1-4 hidden; shares from the
    shown counts, the mean from the data but its interval from the shown n = 5:
    t(0.975, 4) = 2.776445; half-width = 2.776445 x 6.306082 / 2.236068 = 7.830034."""
    table = tables.get("outcomes_by_group", known_store, Selection(), {"measure": "PHQ-9", "by": "place"})
    row = table.set_index("group").loc["Blackpool"]
    assert (row["pairs"], row["discharged"]) == (5, 10)
    assert row["completeness"] == pytest.approx(5 / 10)
    assert pd.isna(row["improved"]) and pd.isna(row["reliably_improved_share"])  # 3 improved: hidden
    assert row["mean_change"] == pytest.approx(-2.833333, abs=1e-6)
    assert row["lower_95"] == pytest.approx(-2.833333 - 7.830034, abs=1e-5)
    assert row["upper_95"] == pytest.approx(-2.833333 + 7.830034, abs=1e-5)
    others = table[table["group"].isin(["Blackburn with Darwen", "Lancashire", "South Cumbria"])]
    assert (others["pairs"].fillna(0) == 0).all() and others["mean_change"].isna().all()


def test_reliable_change_of_a_higher_is_better_measure_and_the_unknown_threshold():
    from equity.outcomes import measure_parameters

    params = measure_parameters()
    assert params["GBO"] == {"sign": 1.0, "rci": 2.45, "side": None, "cutoff": None}
    assert params["PHQ-9"] == {"sign": -1.0, "rci": 6.0, "side": 1.0, "cutoff": 10.0}
    assert params["PIR-GAS"] == {"sign": 1.0, "rci": None, "side": -1.0, "cutoff": 40.0}


def test_small_groups_hide_the_mean_with_the_pairs(tmp_path_factory, known_store):
    """Two pairs in a Place: the count (1-4) is hidden, and so are its mean and interval."""
    from equity.outcomes import add_means

    exact = pd.DataFrame({"pairs": [2, 6], "sum_change": [4.0, -17.0], "sum_change_sq": [10.0, 247.0]})
    out = add_means(exact, np.array([np.nan, 5.0]))
    assert out["mean_change"].isna().iloc[0] and out["lower_95"].isna().iloc[0]
    assert out["mean_change"].iloc[1] == pytest.approx(-17 / 6)
