import datetime as dt

import pytest

from data.schema import COLUMN_NAMES, ETHNIC_CATEGORIES, age_band, broad_ethnic_group
from equity.selection import Selection, SelectionError


def test_canonical_columns_follow_design_contract():
    for name in (
        "referral_id",
        "referral_date",
        "age_years",
        "ethnic_category",
        "lsoa_code",
        "postcode",
        "referral_source",
        "support_element",
        "first_contact_date",
        "discharge_date",
    ):
        assert name in COLUMN_NAMES


def test_ethnic_codes_and_groups():
    assert len(ETHNIC_CATEGORIES) == 18  # A-S without I, O, Q = 16 codes, plus Z and 99
    assert broad_ethnic_group("J") == "Asian"
    assert broad_ethnic_group("Z") == "Not stated"
    assert broad_ethnic_group(None) == "Not known"


def test_age_bands():
    assert age_band(0) == "0-1"
    assert age_band(1) == "0-1"
    assert age_band(2) == "2-5"
    assert age_band(0, antenatal=True) == "Antenatal"
    with pytest.raises(ValueError, match="0-5"):
        age_band(6)


def test_selection_is_validated_and_normalised():
    s = Selection(places=("Lancashire", "Blackpool", "Blackpool"))
    assert s.places == ("Blackpool", "Lancashire")
    assert hash(s) == hash(Selection(places=("Blackpool", "Lancashire")))
    with pytest.raises(SelectionError, match="places: 'Cumbria'"):
        Selection(places=("Cumbria",))
    with pytest.raises(SelectionError, match="vintage"):
        Selection(vintage=2015)
    with pytest.raises(SelectionError, match="after"):
        Selection(date_from=dt.date(2025, 1, 2), date_to=dt.date(2025, 1, 1))


def test_selection_description_names_filters():
    text = Selection(places=("Blackpool",), date_from=dt.date(2024, 4, 1)).describe()
    assert "Blackpool" in text and "01 Apr 2024" in text and "IMD 2025" in text
