"""A Place on the Core20 page is measured against L&SC (the ICB under the same non-geographic filters)."""

from __future__ import annotations

import numpy as np
import pytest

from equity.dashboard import lsoa_frame
from equity.selection import Selection
from publish import tables


def _need(frame):
    # the default need model by hand: prevalence 0.34 in IMD decile 1 falling linearly to 0.15 in decile 10
    return frame["denominator"] * (0.34 + (frame["imd_decile"] - 1) / 9 * (0.15 - 0.34))


def test_rate_funnel_of_a_place_is_centred_on_the_icb_rate(settings, demo_store):
    place = Selection(places=("Blackpool",), age_bands=("0-1",))
    icb = lsoa_frame(settings, Selection(age_bands=("0-1",)))
    expected_centre = 1000 * icb["people_accessing"].sum() / icb["denominator"].sum()
    data = tables.funnel_data(settings, place, "access_rate")
    assert data.centre == pytest.approx(expected_centre)
    assert data.limits["target"].to_numpy() == pytest.approx(np.full(len(data.limits), expected_centre))
    # every Blackpool LSOA with children is either plotted or counted as not plotted
    blackpool = lsoa_frame(settings, place)
    assert len(data.points) + data.suppressed == int((blackpool["denominator"] > 0).sum())


def test_gradient_of_a_place_uses_the_icb_rate_per_child_in_need(settings, demo_store):
    place = Selection(places=("Blackpool",))
    icb = lsoa_frame(settings, Selection())
    rate = icb["referrals"].sum() / _need(icb).sum()
    table = tables.get("core20_gradient", settings, place, {"measure": "referrals", "by": "imd_decile"})
    blackpool = lsoa_frame(settings, place)
    decile1 = blackpool[blackpool["imd_decile"] == 1]
    row = table.set_index("group").loc[1]
    assert row["expected"] == pytest.approx(_need(decile1).sum() * rate)
    # the expected column is not a rescaling of Blackpool's own exact total
    assert table["expected"].sum() == pytest.approx(_need(blackpool).sum() * rate)


def test_copeland_and_craven_rows_say_they_are_the_icb_part(settings, demo_store):
    from equity import explorer
    from equity.geography import districts

    # the reference bundle puts 6 LSOAs of Copeland and 3 of Craven in the ICB (LSOA 2021)
    names = districts(settings.cache_dir, 2025)
    assert names["E07000029"] == "Copeland (ICB part: 6 LSOAs)"
    assert names["E07000163"] == "Craven (ICB part: 3 LSOAs)"
    lads = explorer.area_metrics(settings, Selection(), "lad").set_index("code")
    assert lads.loc["E07000029", "name"] == "Copeland (ICB part: 6 LSOAs)"
    assert lads.loc["E07000163", "name"] == "Craven (ICB part: 3 LSOAs)"
    assert "ICB part" not in lads.loc["E07000117", "name"]  # Burnley: wholly in the ICB
