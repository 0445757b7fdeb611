import numpy as np
import pandas as pd
import pytest

from equity import explorer
from equity.selection import Selection
from publish import tables


@pytest.fixture(scope="module")
def lsoa(settings, demo_store):
    return explorer.area_metrics(settings, Selection(), "lsoa")


def test_levels_aggregate_the_same_referrals(settings, demo_store, demo_frame, lsoa):
    assert lsoa["referrals"].sum() == len(demo_frame)
    for level in ("msoa", "lad", "place"):
        table = explorer.area_metrics(settings, Selection(), level)
        assert table["referrals"].sum() == len(demo_frame)
        assert table["denominator"].sum() == 111_615
    assert len(explorer.area_metrics(settings, Selection(), "place")) == 4


def test_expected_uses_the_icb_reference(settings, demo_store, lsoa):
    blackpool = explorer.area_metrics(settings, Selection(places=("Blackpool",)), "lsoa")
    merged = blackpool.merge(lsoa, on="code", suffixes=("", "_icb"))
    assert len(blackpool) == 94
    np.testing.assert_allclose(merged["access_ratio"], merged["access_ratio_icb"])
    assert blackpool["access_ratio"].mean() > 1.2  # Blackpool's planted provision effect is not normalised away


def test_significance_flag_is_upper_limit_below_one(lsoa):
    assert (lsoa["significantly_below"] == (lsoa["access_ratio_upper"] < 1)).all()
    assert lsoa["significantly_below"].any()


def test_display_applies_disclosure(settings, lsoa):
    shown = tables.get("map_areas", settings, Selection(), {"level": "lsoa"})
    for column in ("referrals", "people_accessing"):
        values = shown[column].dropna().astype(int)
        assert not values.between(1, 4).any() and (values % 5 == 0).all()
    hidden = shown["people_accessing"].isna()
    assert hidden.any()
    assert shown.loc[hidden, ["access_ratio", "access_rate_per_1000"]].isna().all().all()
    few_waits = lsoa["waits"] < explorer.MIN_WAITS
    assert shown.loc[few_waits.to_numpy(), "median_wait_days"].isna().all()
    # ratios are recomputed from the rounded count: observed = ratio x expected is a multiple of 5
    visible = shown["access_ratio"].notna()
    observed = shown.loc[visible, "access_ratio"] * lsoa.loc[visible, "expected"]
    assert np.allclose(observed / 5, np.round(observed / 5))


def test_rank_by_hand():
    table = pd.DataFrame({"code": ["a", "b", "c", "d"], "v": [0.5, 1.5, np.nan, 0.5]})
    assert explorer.rank_of(table, "b", "v") == (1, 3)
    assert explorer.rank_of(table, "a", "v", ascending=True) == (1, 3)
    assert explorer.rank_of(table, "c", "v") == (0, 3)


def test_profile(settings, demo_store):
    p = tables.neighbourhood_profile(settings, Selection(), "E01012662")
    assert list(p["comparison"]["Area"]) == ["Blackpool 002A (this neighbourhood)", "Blackpool (Place)", "L&SC ICB"]
    assert len(p["domains"]) == 9 and p["domains"]["Decile"].between(1, 10).all()
    rank, of = p["rank_access_ratio"]
    assert of >= 500 and (rank == 0 or 1 <= rank <= of)
    with pytest.raises(KeyError, match="E01999999"):
        tables.neighbourhood_profile(settings, Selection(), "E01999999")


def test_every_metric_column_exists(settings, demo_store):
    # the map draws the published rows with their comparison with the benchmark (the one metric not in map_areas)
    shown = tables.get("map_areas_compared", settings, Selection(), {"level": "lsoa"})
    for metric in explorer.METRICS.values():
        assert metric.column in shown.columns, metric.key
