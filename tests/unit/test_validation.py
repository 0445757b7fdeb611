"""Row-level validation and geography resolution, on a small synthetic geography and on the real cache."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import validation as v
from data.schema import STORE_COLUMNS
from data.validation import build_geography, load_geography, validate

TODAY = dt.date(2026, 6, 30)
LINKS = pd.DataFrame(
    {
        "lsoa11_code": ["E01000010", "E01000002", "E01000002", "E01000003", "E01000004"],
        "lsoa21_code": ["E01000010", "E01000020", "E01000021", "E01000030", "E01000030"],
        "chgind": ["U", "S", "S", "M", "M"],
        "residents_2021": [1500, 1000, 1500, 2000, 2000],
        "population_2011_all_ages": [1400, 2300, 2300, 800, 1200],
    }
)
POINTS = {"PR12HE": (1.0, 1.0), "FY11AA": (2.0, 2.0), "M11AE": (9.0, 9.0), "AB11NG": (np.nan, np.nan)}


class StubDirectory:
    def locate(self, postcodes: pd.Series) -> pd.DataFrame:
        found = postcodes.isin(list(POINTS)).to_numpy()
        coords = [POINTS.get(p, (np.nan, np.nan)) for p in postcodes]
        return pd.DataFrame({"found": found, "easting": [c[0] for c in coords], "northing": [c[1] for c in coords]},
                            index=postcodes.index)


def stub_locate(easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
    table = {1.0: "E01000010", 2.0: "E01000030"}
    return np.array([table.get(float(e)) for e in easting], dtype=object)


GEOGRAPHY = v.GeographyReference(
    **{
        **build_geography(["E01000010", "E01000020", "E01000021", "E01000030"], LINKS).__dict__,
        "national_codes": frozenset({"E01999001", *LINKS["lsoa11_code"], *LINKS["lsoa21_code"]}),
        "locate_lsoa": stub_locate,
        "postcodes": StubDirectory(),
    }
)


def good(**changes: str) -> dict[str, str]:
    row = {"referral_id": "R1", "referral_date": "05/01/2024", "age_years": "3", "lsoa_code": "E01000010"}
    row.update(changes)
    return row


def run(*rows: dict[str, str]) -> v.ValidationResult:
    frame = pd.DataFrame(list(rows), dtype="str")
    return validate(frame, GEOGRAPHY, today=TODAY)


def only_problem(result: v.ValidationResult) -> tuple[str, str, str]:
    assert result.accepted_rows == 0 and result.rejected_rows == 1
    assert len(result.rejected) == 1, result.rejected
    row = result.rejected.iloc[0]
    return row["column"], row["value"], row["reason"]


def test_a_good_row_is_typed_as_the_store():
    result = run(good(sex="f", ethnic_category="a", antenatal="Yes", support_element="4", score_start="12.5",
                      first_contact_date="2024-01-10", referral_source="a2", person_id=" P1 "))
    assert result.rejected_rows == 0 and result.rows_read == 1
    row = result.accepted.iloc[0]
    assert list(result.accepted.columns) == [c.name for c in STORE_COLUMNS]
    assert row["referral_date"] == pd.Timestamp("2024-01-05")
    assert row["first_contact_date"] == pd.Timestamp("2024-01-10")
    assert (row["age_years"], row["sex"], row["ethnic_category"], row["antenatal"]) == (3, "F", "A", True)
    assert (row["support_element"], row["score_start"]) == (4, 12.5)
    assert (row["referral_source"], row["person_id"]) == ("A2", "P1")
    assert pd.isna(row["postcode"]) and pd.isna(row["discharge_date"]) and pd.isna(row["score_end"])


@pytest.mark.parametrize(
    "text",
    ["05/01/2024", "5/1/2024", "05-01-2024", "05.01.2024", "2024-01-05", "20240105", "2024/01/05", "05/01/24",
     "5 Jan 2024", "05 January 2024", "05-Jan-2024", "05-jan-24", "05/01/2024 00:00", "2024-01-05T13:45:10",
     "2024-01-05 00:00:00.000000", " 05/01/2024 "],
)
def test_date_formats_day_first(text):
    result = run(good(referral_date=text))
    assert result.rejected_rows == 0, result.rejected
    assert result.accepted["referral_date"].iloc[0] == pd.Timestamp("2024-01-05")


@pytest.mark.parametrize(
    ("text", "reason"),
    [("31/02/2024", v.NOT_A_DATE), ("13/13/2024", v.NOT_A_DATE), ("02/13/2024", v.NOT_A_DATE),
     ("yesterday", v.NOT_A_DATE), ("45300", v.NOT_A_DATE), ("01/01/1999", "date before 01/01/2000"),
     ("01/07/2026", v.DATE_IN_FUTURE)],
)
def test_bad_dates(text, reason):
    assert only_problem(run(good(referral_date=text))) == ("referral_date", text, reason)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("6", v.AGE_RANGE), ("-1", v.AGE_RANGE), ("3.5", v.NOT_WHOLE), ("three", v.NOT_WHOLE), ("inf", v.NOT_WHOLE)],
)
def test_bad_ages(text, reason):
    assert only_problem(run(good(age_years=text))) == ("age_years", text, reason)


def test_whole_number_written_as_decimal_is_accepted():
    assert run(good(age_years="3.0")).accepted["age_years"].tolist() == [3]


@pytest.mark.parametrize("column", ["referral_id", "referral_date", "age_years"])
@pytest.mark.parametrize("empty", ["", "  ", "NULL", "N/A"])
def test_missing_required_values(column, empty):
    assert only_problem(run(good(**{column: empty}))) == (column, "", v.MISSING)


@pytest.mark.parametrize(
    ("column", "text", "reason"),
    [
        ("ethnic_category", "Q", v.UNKNOWN_ETHNICITY),
        ("ethnic_category", "9", v.UNKNOWN_ETHNICITY),
        ("sex", "Z", v.UNKNOWN_SEX),
        ("antenatal", "maybe", v.NOT_BOOLEAN),
        ("support_element", "7", v.ELEMENT_RANGE),
        ("score_end", "abc", v.NOT_NUMBER),
        ("referral_source", "GP", v.MALFORMED_SOURCE),
        ("lsoa_code", "E0101257", v.MALFORMED_LSOA),
        ("lsoa_code", "E02000001", v.MALFORMED_LSOA),
        ("lsoa_code", "E01999999", v.UNKNOWN_LSOA),
        ("lsoa_code", "E01999001", v.OUTSIDE),
        ("lsoa_code", "W01000001", v.OUTSIDE),
        ("postcode", "not a postcode", v.MALFORMED_POSTCODE),
        ("service", "x" * 256, "longer than 255 characters"),
        ("person_id", "p" * 101, "longer than 100 characters"),
    ],
)
def test_bad_values(column, text, reason):
    got_column, value, got_reason = only_problem(run(good(**{column: text})))
    assert (got_column, got_reason) == (column, reason)
    assert value == (text if len(text) <= 100 else text[:100] + "...")


@pytest.mark.parametrize(
    ("postcode", "reason"), [("ZZ9 9ZZ", v.UNKNOWN_POSTCODE), ("AB1 1NG", v.NO_GRID_REFERENCE), ("M1 1AE", v.OUTSIDE)]
)
def test_postcodes_that_cannot_be_placed(postcode, reason):
    assert only_problem(run(good(lsoa_code="", postcode=postcode))) == ("postcode", postcode, reason)


def test_missing_ethnicity_and_geography_are_accepted():
    result = run(good(lsoa_code="", ethnic_category="", sex=""))
    assert result.rejected_rows == 0
    row = result.accepted.iloc[0]
    assert pd.isna(row["ethnic_category"]) and pd.isna(row["lsoa21_code"]) and pd.isna(row["geography_method"])


def test_contact_and_discharge_order():
    result = run(
        good(referral_id="A", first_contact_date="04/01/2024"),
        good(referral_id="B", discharge_date="01/01/2024"),
        good(referral_id="C", first_contact_date="10/01/2024", discharge_date="08/01/2024"),
        good(referral_id="D", first_contact_date="05/01/2024", discharge_date="05/01/2024"),
    )
    assert result.rejected[["row_number", "column", "reason"]].values.tolist() == [
        [2, "first_contact_date", v.CONTACT_BEFORE_REFERRAL],
        [3, "discharge_date", v.DISCHARGE_BEFORE_REFERRAL],
        [4, "discharge_date", v.DISCHARGE_BEFORE_CONTACT],
    ]
    assert result.accepted["referral_id"].tolist() == ["D"]


def test_duplicate_ids_reject_every_copy():
    result = run(good(), good(referral_id="R2"), good(), good(referral_id="r1"))
    assert result.rejected[["row_number", "reason"]].values.tolist() == [
        [2, "duplicate referral_id in the file (rows 2, 4)"],
        [4, "duplicate referral_id in the file (rows 2, 4)"],
    ]
    assert result.accepted["referral_id"].tolist() == ["R2", "r1"]  # ids are case-sensitive
    assert result.reasons().to_dict("records") == [
        {"column": "referral_id", "reason": "duplicate referral_id in the file", "rows": 2}
    ]


def test_every_problem_of_a_row_is_listed_in_column_order():
    result = run(good(age_years="9", ethnic_category="Q", referral_date="bad"))
    assert result.rejected["column"].tolist() == ["referral_date", "age_years", "ethnic_category"]
    assert result.rejected_rows == 1


def test_geography_vintages():
    result = run(
        good(referral_id="U", lsoa_code="e01000010"),
        good(referral_id="S", lsoa_code="E01000002"),
        good(referral_id="M", lsoa_code="E01000003"),
        good(referral_id="N", lsoa_code="E01000030"),
        good(referral_id="P", lsoa_code="", postcode="pr1 2he"),
        good(referral_id="Q", lsoa_code="E01000021", postcode="M1 1AE"),  # the LSOA wins; postcode not looked up
    )
    got = result.accepted.set_index("referral_id")[["lsoa_code", "lsoa21_code", "lsoa11_code", "geography_method"]]
    assert got.astype(object).where(got.notna(), None).to_dict("index") == {
        "U": {"lsoa_code": "E01000010", "lsoa21_code": "E01000010", "lsoa11_code": "E01000010",
              "geography_method": "lsoa21"},
        "S": {"lsoa_code": "E01000002", "lsoa21_code": "E01000021", "lsoa11_code": "E01000002",
              "geography_method": "lsoa11_split"},
        "M": {"lsoa_code": "E01000003", "lsoa21_code": "E01000030", "lsoa11_code": "E01000003",
              "geography_method": "lsoa11"},
        "N": {"lsoa_code": "E01000030", "lsoa21_code": "E01000030", "lsoa11_code": "E01000004",
              "geography_method": "lsoa21"},
        "P": {"lsoa_code": None, "lsoa21_code": "E01000010", "lsoa11_code": "E01000010",
              "geography_method": "postcode"},
        "Q": {"lsoa_code": "E01000021", "lsoa21_code": "E01000021", "lsoa11_code": "E01000002",
              "geography_method": "lsoa21"},
    }
    assert result.approximate_rows == 2
    assert result.accepted["postcode"].isna().all()  # postcodes are never stored


def test_without_national_codes_unknown_and_outside_are_one_reason():
    geography = build_geography(["E01000010"], LINKS)
    result = validate(pd.DataFrame([good(lsoa_code="E01999001")]), geography, today=TODAY)
    assert result.rejected["reason"].tolist() == ["unknown LSOA code or outside L&SC"]


def test_row_numbers_are_passed_through():
    frame = pd.DataFrame([good(age_years="9"), good(referral_id="R2")])
    result = validate(frame, GEOGRAPHY, row_numbers=np.array([7, 9]), today=TODAY)
    assert result.rejected["row_number"].tolist() == [7]


def test_empty_frame():
    result = validate(pd.DataFrame({"referral_id": pd.Series([], dtype="str")}), GEOGRAPHY, today=TODAY)
    assert (result.rows_read, result.accepted_rows, result.rejected_rows) == (0, 0, 0)


# -- every row ends accepted or rejected ---------------------------------------------------------

VALUES = {
    "referral_id": st.sampled_from(["R1", "R2", "R3", "R4", "", "x" * 120]),
    "referral_date": st.sampled_from(["05/01/2024", "2024-02-30", "", "01/01/2030", "5 Jan 2024", "junk"]),
    "age_years": st.sampled_from(["0", "5", "6", "-1", "2.5", "", "x"]),
    "ethnic_category": st.sampled_from(["A", "Z", "99", "", "Q", "a"]),
    "lsoa_code": st.sampled_from(["E01000010", "E01000002", "E01999001", "E01999999", "bad", ""]),
    "postcode": st.sampled_from(["", "PR1 2HE", "M1 1AE", "ZZ9 9ZZ", "nope"]),
    "first_contact_date": st.sampled_from(["", "06/01/2024", "01/01/2023", "nonsense"]),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries(VALUES), min_size=0, max_size=25))
def test_accepted_plus_rejected_is_rows_read(rows):
    frame = pd.DataFrame(rows, columns=list(VALUES), dtype="str")
    result = validate(frame, GEOGRAPHY, today=TODAY)
    assert result.accepted_rows + result.rejected_rows == result.rows_read == len(rows)
    assert set(result.rejected["row_number"]) <= set(range(2, len(rows) + 2))
    assert result.accepted["referral_id"].is_unique
    assert result.accepted["age_years"].between(0, 5).all()


# -- the real geography ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_geography(settings):
    return load_geography(settings.cache_dir, settings.reference_dir)


def test_real_split_lsoa11_goes_to_successor_with_most_residents(real_geography, change_links):
    split = change_links[change_links["chgind"] == "S"]
    code11 = split["lsoa11_code"].iloc[0]
    successors = split[split["lsoa11_code"] == code11]
    expected = successors.sort_values("residents_2021", ascending=False)["lsoa21_code"].iloc[0]
    result = validate(pd.DataFrame([good(lsoa_code=code11)]), real_geography, today=TODAY)
    assert result.accepted[["lsoa21_code", "geography_method"]].iloc[0].tolist() == [expected, "lsoa11_split"]


def test_real_postcodes(real_geography, areas_2025):
    result = validate(
        pd.DataFrame([good(referral_id="A", lsoa_code="", postcode="FY1 1AD"),
                      good(referral_id="B", lsoa_code="", postcode="M1 1AE"),
                      good(referral_id="C", lsoa_code="E01000001")]),
        real_geography, today=TODAY,
    )
    placed = result.accepted.iloc[0]
    assert placed["geography_method"] == "postcode"
    assert areas_2025.set_index("lsoa_code").loc[placed["lsoa21_code"], "lad_name"] == "Blackpool"
    assert result.rejected[["row_number", "column", "reason"]].values.tolist() == [
        [3, "postcode", v.OUTSIDE], [4, "lsoa_code", v.OUTSIDE]
    ]
