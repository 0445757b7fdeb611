import datetime as dt

import numpy as np
import pandas as pd

from data.demo import PERIOD_END, PERIOD_START, DemoParameters, generate, need_prevalence
from data.schema import COLUMN_NAMES, ETHNIC_CATEGORIES, REFERRAL_SOURCES


def test_need_gradient_endpoints_from_strategy():
    assert need_prevalence(np.array([1, 10]), 0.15, 0.34).tolist() == [0.34, 0.15]
    assert abs(need_prevalence(np.array([5]), 0.15, 0.34)[0] - (0.34 - 4 * 0.19 / 9)) < 1e-12


def test_deterministic_for_a_seed(areas_2025, change_links):
    a = generate(areas_2025, change_links, referrals=2_000, seed=7)
    b = generate(areas_2025, change_links, referrals=2_000, seed=7)
    c = generate(areas_2025, change_links, referrals=2_000, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["lsoa21_code"].equals(c["lsoa21_code"])


def test_values_respect_the_schema(demo_frame, areas_2025):
    f = demo_frame
    assert len(f) == 12_000 and f["referral_id"].is_unique
    assert set(COLUMN_NAMES) <= set(f.columns)
    assert f["age_years"].between(0, 5).all()
    assert f["referral_date"].min() >= PERIOD_START and f["referral_date"].max() <= PERIOD_END
    assert set(f["ethnic_category"]) <= set(ETHNIC_CATEGORIES)
    assert set(f["referral_source"]) <= set(REFERRAL_SOURCES)
    assert set(f["support_element"]) <= {1, 2, 3, 4, 5, 6}
    seen = f.dropna(subset=["first_contact_date"])
    assert (seen["first_contact_date"] > seen["referral_date"]).all()
    assert seen["first_contact_date"].max() <= PERIOD_END
    assert set(f["lsoa21_code"]) <= set(areas_2025["lsoa_code"])
    assert f["lsoa11_code"].notna().all()
    assert not f.loc[f["antenatal"], "age_years"].any()


def test_provision_differs_by_place_as_the_strategy_says(demo_frame, areas_2025):
    place = demo_frame["lsoa21_code"].map(areas_2025.set_index("lsoa_code")["place"])
    pairs = demo_frame["service"].str.contains("PAIRS")
    hubs = demo_frame["service"].str.contains("Family Hub")
    assert set(place[pairs]) == {"Blackpool"}
    assert set(place[hubs]) == {"Blackpool", "Blackburn with Darwen"}


def test_realistic_volume_and_under_recording(demo_frame):
    years = (PERIOD_END - PERIOD_START).days / 365.25
    assert 2_500 < len(demo_frame) / years < 4_500
    unknown = demo_frame["ethnic_category"].isin(["Z", "99"]).mean()
    p = DemoParameters()
    assert abs(unknown - (p.ethnicity_not_stated + p.ethnicity_not_known)) < 0.01
    accessed = demo_frame["first_contact_date"].notna().mean()
    assert 0.6 < accessed < 0.9  # most but not all have a first contact
    assert demo_frame["person_id"].nunique() < len(demo_frame)  # some re-referrals
    outcomes = demo_frame.dropna(subset=["score_start"])
    assert len(outcomes) > 0 and outcomes["discharge_date"].notna().all()


def test_growth_over_time(areas_2025, change_links):
    f = generate(areas_2025, change_links, referrals=50_000, seed=3)
    first = (f["referral_date"] < dt.date(2024, 4, 1)).sum()
    last = ((f["referral_date"] >= dt.date(2025, 4, 1)) & (f["referral_date"] < dt.date(2026, 4, 1))).sum()
    assert 1.12 < last / first < 1.30  # about 10% a year compounded over two years
