"""Review 14, finding 7: one definition, one method, one value per measure, wherever it is shown."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from equity.explorer import METRICS
from equity.selection import Selection
from equity.settings import PLACES
from publish import tables

SELECTIONS = [
    Selection(),
    Selection(places=("Blackpool", "Lancashire"), date_from=dt.date(2025, 4, 1), date_to=dt.date(2026, 3, 31)),
]


def _row(frame: pd.DataFrame, statistic: str, group: str) -> pd.Series:
    return frame[(frame["statistic"] == statistic) & (frame["group"] == group)].iloc[0]


@pytest.mark.parametrize("selection", SELECTIONS, ids=["icb", "two-places-one-year"])
def test_core20_figures_agree_between_overview_and_core20_page(demo_store, settings, selection):
    summary = tables.get("equity_summary", settings, selection, {"measure": "referrals"})
    coverage = tables.get("core20_coverage", settings, selection, {"measure": "referrals"}).iloc[0]
    plain = _row(summary, "Core20 coverage ratio", "Core20")
    need = _row(summary, "Need-adjusted Core20 coverage ratio", "Core20")
    for row, prefix in (
        (plain, ("coverage_ratio", "lower_95", "upper_95")),
        (need, ("need_adjusted_ratio", "need_lower_95", "need_upper_95")),
    ):
        for value, column in zip(("value", "lower_95", "upper_95"), prefix, strict=True):
            assert row[value] == pytest.approx(float(coverage[column]), abs=1e-4), column
    assert not summary["statistic"].eq("Need-adjusted ratio (O/E)").any()  # the ambiguous name is gone


@pytest.mark.parametrize("selection", SELECTIONS, ids=["icb", "two-places-one-year"])
def test_need_adjusted_referral_ratio_is_the_same_table_everywhere(demo_store, settings, selection):
    summary = tables.get("equity_summary", settings, selection, {"measure": "referrals"})
    ratios = tables.get("need_adjusted_ratio", settings, selection, {"measure": "referrals"}).set_index("group")
    for place in selection.places or PLACES:
        row = _row(summary, "Need-adjusted referral ratio (O/E)", place)
        assert row["value"] == pytest.approx(float(ratios.loc[place, "ratio"]), abs=1e-4)
        assert row["lower_95"] == pytest.approx(float(ratios.loc[place, "lower_95"]), abs=1e-4)
    assert METRICS["access_ratio"].label.startswith("Need-adjusted access ratio")  # the Map's: access, not referrals


@pytest.mark.parametrize("selection", SELECTIONS, ids=["icb", "two-places-one-year"])
def test_place_counts_and_rates_agree_between_overview_report_and_map(demo_store, settings, selection):
    headline = tables.get("overview_headline", settings, selection).set_index("group_name")
    report = tables.get("indicator", settings, selection, {"measure": "referrals", "by": "place"}).set_index("group")
    places = tables.get("map_areas", settings, selection, {"level": "place"}).set_index("code")
    for place in selection.places or PLACES:
        assert headline.loc[place, "referrals"] == report.loc[place, "numerator"] == places.loc[place, "referrals"]
        assert headline.loc[place, "rate_per_1000"] == pytest.approx(float(report.loc[place, "rate_per_1000"]))
        assert headline.loc[place, "access_rate_per_1000"] == pytest.approx(
            float(places.loc[place, "access_rate_per_1000"])
        )


# --- issue 14 leftovers: one definition per ICB count ---------------------------------------------------
# "Referrals with ethnicity not stated (Z)" is a category of the ICB's referrals, so below ICB level
# (rounded to 5) wherever it is shown; "referrals with a first attended contact" of the whole ICB is an
# ICB total (exact, 1-4 hidden) wherever it is shown. Both count referrals, not people ("people accessing"
# is a separate measure: distinct children).


def test_ethnicity_not_stated_is_one_count_on_every_page(demo_store, settings):
    selection = Selection()
    core20_page = tables.get("core20_ethnicity", settings, selection).set_index("group")
    report = tables.get("indicator", settings, selection, {"measure": "referrals", "by": "ethnic_group"})
    quality_page = tables.get("data_quality_ethnicity", settings, selection).set_index("code")
    values = {
        "Core20PLUS5 ethnicity table": core20_page.loc["Not stated", "referrals"],
        "report by ethnic group": report.set_index("group").loc["Not stated", "numerator"],
        "Data quality unknown ethnicity": quality_page.loc["Z", "referrals"],
    }
    assert len({int(v) for v in values.values()}) == 1, values
    assert int(values["Data quality unknown ethnicity"]) % 5 == 0  # a category of the ICB: rounded


def test_first_contacts_are_one_count_on_every_page(demo_store, settings):
    selection = Selection()
    overview = tables.get("overview_headline", settings, selection).iloc[0]
    flags = tables.get("core20_plus_flags", settings, selection).set_index("flag")
    fields = tables.get("data_quality_fields", settings, selection).set_index("field")
    values = {
        "Overview (ICB)": overview["referrals_accessed"],
        "Core20PLUS5 PLUS flags, all referrals": flags.loc["All referrals in the selection", "referrals_accessed"],
        "Data quality, first attended contact recorded": fields.loc["First attended contact date", "recorded"],
    }
    assert len({int(v) for v in values.values()}) == 1, values
    exact = tables.get("overview_headline", settings, selection, suppress=False).iloc[0]["referrals_accessed"]
    assert int(values["Overview (ICB)"]) == int(exact)  # the whole ICB: exact
    assert overview["people_accessing"] < overview["referrals_accessed"]  # people, not referrals: its own name


def test_place_referrals_agree_between_overview_and_data_quality(demo_store, settings):
    headline = tables.get("overview_headline", settings, Selection()).set_index("group_name")
    quality = tables.get("data_quality_places", settings, Selection()).set_index("place")
    for place in PLACES:
        assert headline.loc[place, "referrals"] == quality.loc[place, "referrals"], place


def test_neighbourhood_profile_figures_are_the_map_table(demo_store, settings, demo_frame):
    """Issue 14 leftovers, 3: the Map's profile shows the map_areas rows (LSOA and Place) and the Overview's ICB
    row, so a one-day ICB count of 1-4 is hidden in the profile as everywhere else."""
    from equity.explorer import profile

    days = demo_frame[demo_frame["antenatal"].fillna(False).astype(bool)].groupby("referral_date").size()
    day = pd.Timestamp(days[days.between(1, 4)].index[0]).date()
    for selection in (Selection(), Selection(date_from=day, date_to=day, age_bands=("Antenatal",))):
        lsoas = tables.get("map_areas", settings, selection, {"level": "lsoa"}).set_index("code")
        places = tables.get("map_areas", settings, selection, {"level": "place"}).set_index("code")
        icb = tables.get("overview_headline", settings, selection).iloc[0]
        code = "E01012662"
        p = tables.neighbourhood_profile(settings, selection, code)
        comparison = p["comparison"].set_index("Area")
        rows = [lsoas.loc[code], places.loc[lsoas.loc[code, "place"]], icb]
        for shown, row in zip(comparison.itertuples(index=False), rows, strict=True):
            for column in ("referrals", "rate_per_1000", "people_accessing", "access_rate_per_1000"):
                value, expected = getattr(shown, column), row[column]
                assert (pd.isna(value) and pd.isna(expected)) or value == pytest.approx(float(expected)), column
        assert profile is not None
