"""Known-answer test: the dashboard's statistics recover the demo model's planted effects
(data/DEMO.md). Uses a large demo sample so that intervals are narrow."""

import numpy as np
import pandas as pd
import pytest

from data.demo import DemoParameters, expected_weights, generate
from data.store import replace_all
from equity import metrics
from equity.queries import counts_by_lsoa, reading
from equity.selection import Selection
from equity.stats import rate_ratio, standardised_ratio


@pytest.fixture(scope="module")
def big(areas_2025, change_links, tmp_path_factory):
    frame = generate(areas_2025, change_links, referrals=300_000, seed=99)
    store = tmp_path_factory.mktemp("big") / "big.duckdb"
    replace_all(store, frame, kind="demo", description="test")
    with reading(store) as referrals:
        counts = counts_by_lsoa(referrals, Selection())
    return metrics.area_frame(areas_2025, counts, Selection())


def _oe(frame: pd.DataFrame, mask: pd.Series, expected: pd.Series) -> float:
    observed = frame.loc[mask, "referrals"].sum()
    return float(observed / expected[mask].sum())


def test_rural_and_core20_referral_factors_recovered(big):
    params = DemoParameters()
    # expected under the model *without* the factor under test; O/E ratio then isolates it
    no_rural = DemoParameters(rural_referral_factor=1.0)
    w = expected_weights(big, no_rural)
    expected = w / w.sum() * big["referrals"].sum()
    rural = big["urban_rural"].eq("Rural")
    ratio = _oe(big, rural, expected) / _oe(big, ~rural, expected)
    assert abs(ratio - params.rural_referral_factor) < 0.03

    no_core20 = DemoParameters(core20_referral_factor=1.0)
    w = expected_weights(big, no_core20)
    expected = w / w.sum() * big["referrals"].sum()
    core = big["core20"]
    o, e = big.loc[core, "referrals"].sum(), expected[core].sum()
    o2, e2 = big.loc[~core, "referrals"].sum(), expected[~core].sum()
    ratio, lower, upper = rate_ratio(o, e, o2, e2)
    assert abs(ratio - params.core20_referral_factor) < 0.03
    assert lower < ratio < upper and upper - lower < 0.03


def test_deprivation_gradient_in_raw_rates(big):
    by = metrics.summarise(big, "imd_decile").set_index("group_code")
    rate = by["referrals"] / by["denominator"]
    assert rate.loc[[1, 2]].sum() > rate.loc[[9, 10]].sum()


def test_blackpool_provision_effect(big):
    from equity.stats import need_prevalence

    need = need_prevalence(big["imd_decile"].to_numpy())
    expected_share = big["population_0_5"] * need
    bp = big["place"].eq("Blackpool")
    lancs = big["place"].eq("Lancashire")
    ratio_bp, _, _ = standardised_ratio(big.loc[bp, "referrals"].sum(), expected_share[bp].sum())
    ratio_la, _, _ = standardised_ratio(big.loc[lancs, "referrals"].sum(), expected_share[lancs].sum())
    # Blackpool's planted factor is 1.6 vs Lancashire 1.0, but its neighbourhoods also carry the Core20 and
    # ethnicity factors, so the need-only O/E ratio is compared with the model's own expectation
    w = expected_weights(big, DemoParameters())
    model = (w[bp].sum() / expected_share[bp].sum()) / (w[lancs].sum() / expected_share[lancs].sum())
    assert np.isclose(ratio_bp / ratio_la, model, rtol=0.05)
    assert ratio_bp / ratio_la > 1.3
