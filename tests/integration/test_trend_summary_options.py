"""trend_summary takes the Trends page's SPC settings (targets, rebase months, polarities) as text
options, so the command line prints the summary the page shows for the same settings."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from equity.selection import Selection
from publish import tables
from publish.tables import SummaryOptions, TableError, summary_options


def test_text_options_round_trip_to_the_page_settings():
    settings = SummaryOptions({"access": 900.0, "referrals": None}, (dt.date(2025, 4, 1),), {"referrals": "higher"})
    assert summary_options(settings.as_options()) == settings


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"targets": "visits=3"}, "MEASURE=VALUE with MEASURE one of"),
        ({"targets": "access=lots"}, "the target must be a number"),
        ({"rebase": "April 2025"}, "must be a date, YYYY-MM-DD"),
        ({"polarities": "access=up"}, "polarity must be one of higher, lower, neutral, closer"),
    ],
)
def test_bad_settings_are_refused_naming_the_part(options, words):
    with pytest.raises(TableError, match=words):
        summary_options(options)


def test_a_target_and_a_polarity_change_the_summary_as_on_the_page(demo_store, settings, monkeypatch, capsys):
    from cli.main import main

    plain = tables.get("trend_summary", settings, Selection())
    assert set(plain.loc[plain["measure"] == "access", "assurance"]) == {"no_target"}
    monkeypatch.setenv("EQUITY_STORE", str(demo_store))
    args = ["table", "trend_summary", "--targets", "access=900", "--polarities", "referrals=higher", "--format", "json"]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    access = [r for r in rows if r["measure"] == "access"]
    assert access and all(r["target"] == 900.0 for r in access)
    assert {r["assurance"] for r in access} - {"no_target"}
    # referrals are demand (neutral) by default: the demo's ICB referrals rise (special cause "neither",
    # purple); told "higher is better", the same point is special cause improvement
    icb = plain[(plain["measure"] == "referrals") & (plain["area"] == "ICB")]
    assert list(icb["variation"]) == ["neutral_high"]
    assert [r["variation"] for r in rows if r["measure"] == "referrals" and r["area"] == "ICB"] == ["improvement_high"]
    assert main(["table", "trend_summary", "--targets", "access=lots"]) == 2
    assert "the target must be a number" in capsys.readouterr().err
