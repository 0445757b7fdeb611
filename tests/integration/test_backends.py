"""The same referrals on DuckDB, PostgreSQL and Spark give identical query frames and identical published
tables (disclosure control included): one query layer (``data.engine``, ``equity.queries``).

Each backend holds a copy of the session's demo frame (``tests/conftest.py``: ``other_settings``); every
frame is compared with ``pandas.testing.assert_frame_equal`` against DuckDB's, after sorting. The DuckDB
results themselves are checked against pandas counts of the demo frame (independent of any engine)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from equity import data_quality, pathway, queries, trends
from equity.dashboard import lsoa_frame, store_info
from equity.selection import Selection
from publish import tables

SELECTIONS = {
    "whole ICB": Selection(),
    "narrow": Selection(
        places=("Blackpool", "Lancashire"),
        date_from=dt.date(2023, 4, 1),
        date_to=dt.date(2025, 3, 31),
        age_bands=("0-1", "Antenatal"),
        ethnic_groups=("Asian", "Not known", "Not stated"),
    ),
    "2019 elements and sources": Selection(
        vintage=2019, support_elements=(3, 4, 5), referral_sources=("A1", "A2", "B1"), age_bands=("2-5",)
    ),
}
# Tables that read the app's own state (provision matrix, user sites) besides referrals are compared
# too: every backend's state store here is empty, so only the referrals can differ.


QUARTER_KEYS = ["quarter", "core20"]


def _same(left: pd.DataFrame, right: pd.DataFrame, keys: list[str] | None = None) -> None:
    keys = keys if keys is not None else [c for c in left.columns if left[c].dtype.kind in "OUSbiM" or
                                          str(left[c].dtype) in ("str", "string")]
    if keys and len(left):
        left = left.sort_values(keys, kind="stable").reset_index(drop=True)
        right = right.sort_values(keys, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True))


def _on(settings, fetch):
    with queries.reading(settings.store_location) as referrals:
        return fetch(referrals)


@pytest.fixture(scope="module", params=["postgresql", pytest.param("spark", marks=pytest.mark.spark)])
def other_settings(request):
    """PostgreSQL and Spark in turn, each compared with DuckDB."""
    return request.getfixturevalue(f"{request.param}_settings")


@pytest.fixture(params=list(SELECTIONS), ids=list(SELECTIONS))
def selection(request) -> Selection:
    return SELECTIONS[request.param]


def test_duckdb_counts_match_pandas_counts_of_the_demo_frame(duckdb_settings, demo_frame):
    """The reference side of every comparison, checked against the frame itself (no engine)."""
    chosen = SELECTIONS["narrow"]
    counts = _on(duckdb_settings, lambda t: queries.counts_by_lsoa(t, chosen))
    f = demo_frame[demo_frame["lsoa21_code"].notna()].copy()
    day = pd.to_datetime(f["referral_date"])
    antenatal = f["antenatal"].fillna(False).astype(bool)
    band = antenatal | (f["age_years"].between(0, 1) & ~antenatal)
    ethnic = f["ethnic_category"].isin(["H", "J", "K", "L", "Z", "99"]) | f["ethnic_category"].isna()
    f = f[(day >= "2023-04-01") & (day <= "2025-03-31") & band & ethnic]
    f = f.assign(key=f["person_id"].fillna(f["referral_id"]))
    seen = f[f["first_contact_date"].notna()]
    wait = (pd.to_datetime(seen["first_contact_date"]) - pd.to_datetime(seen["referral_date"])).dt.days
    expected = pd.DataFrame({
        "referrals": f.groupby("lsoa21_code").size(),
        "referrals_accessed": seen.groupby("lsoa21_code").size(),
        "people_accessing": seen.groupby("lsoa21_code")["key"].nunique(),
        "median_wait_days": wait.groupby(seen["lsoa21_code"]).median(),
    }).fillna({"referrals_accessed": 0, "people_accessing": 0})
    got = counts.set_index("lsoa_code")
    assert set(got.index) == set(expected.index)  # the selection is not restricted to Places in the query
    for column in ("referrals", "referrals_accessed", "people_accessing"):
        assert (got[column] == expected.loc[got.index, column].astype("int64")).all(), column
    np.testing.assert_allclose(got["median_wait_days"], expected.loc[got.index, "median_wait_days"], equal_nan=True)


def test_counts_by_lsoa_are_identical(other_settings, duckdb_settings, selection):
    fetch = lambda t: queries.counts_by_lsoa(t, selection)  # noqa: E731
    _same(_on(duckdb_settings, fetch), _on(other_settings, fetch), ["lsoa_code"])


@pytest.mark.parametrize("dimension", list(queries.RECORD_DIMENSIONS))
def test_record_dimensions_are_identical(other_settings, duckdb_settings, dimension):
    chosen = SELECTIONS["narrow"]
    codes = lsoa_frame(duckdb_settings, chosen)["lsoa_code"].tolist()
    fetch = lambda t: queries.counts_by_record_dimension(t, chosen, dimension, codes)  # noqa: E731
    _same(_on(duckdb_settings, fetch), _on(other_settings, fetch), ["grp"])


def test_flags_waits_quarters_elements_and_services_are_identical(other_settings, duckdb_settings, selection):
    frame = lsoa_frame(duckdb_settings, selection)
    codes = frame["lsoa_code"].tolist()
    mapping = pd.DataFrame({"lsoa_code": frame["lsoa_code"], "grp": frame["lad_code"]})
    checks = {
        "flags": (lambda t: queries.plus_flag_counts(t, selection, codes), ["flag"]),
        "waits": (lambda t: queries.median_wait_by_group(t, selection, mapping), ["grp"]),
        "frequencies": (lambda t: queries.wait_frequencies(t, selection), ["lsoa_code", "wait_days"]),
        "quarters": (lambda t: queries.quarterly_core20_counts(t, selection, frame, "referrals"), QUARTER_KEYS),
        "quarters access": (lambda t: queries.quarterly_core20_counts(t, selection, frame, "access"), QUARTER_KEYS),
        "elements": (lambda t: queries.element_counts(t, selection, 0), ["lsoa_code", "support_element"]),
    }
    for name, (fetch, keys) in checks.items():
        left, right = _on(duckdb_settings, fetch), _on(other_settings, fetch)
        assert len(left), name
        _same(left, right, keys)
    for fetch in (queries.recorded_flags, lambda t: queries.distinct_values(t, "service")):
        assert _on(duckdb_settings, fetch) == _on(other_settings, fetch)


def test_pathway_trends_quality_and_store_info_are_identical(other_settings, duckdb_settings, selection):
    for by in pathway.BY_CHOICES:
        _same(pathway.conversion(duckdb_settings, selection, by), pathway.conversion(other_settings, selection, by))
        _same(pathway.median_wait(duckdb_settings, selection, by), pathway.median_wait(other_settings, selection, by))
    _same(pathway.source_mix(duckdb_settings, selection), pathway.source_mix(other_settings, selection))
    _same(trends.monthly_series(duckdb_settings, selection), trends.monthly_series(other_settings, selection),
          ["area", "month"])
    _same(data_quality.quality_counts(duckdb_settings.store_location),
          data_quality.quality_counts(other_settings.store_location), ["lsoa21_code"])
    left, right = store_info(duckdb_settings.store_location), store_info(other_settings.store_location)
    assert (left.referrals, left.first_referral_date, left.data_date) == (
        right.referrals, right.first_referral_date, right.data_date)
    assert left.referrals == 12_000 and left.data_date


def _published(name, settings, selection, options, suppress):
    """The table, or the refusal (a table may refuse a selection: an SPC chart with too many hidden months)."""
    try:
        return tables.get(name, settings, selection, options, suppress=suppress)
    except ValueError as exc:
        return f"{type(exc).__name__}: {exc}"


def _cases(name: str) -> list[tuple[str, dict[str, str], bool]]:
    """Default options on both selections, with and without disclosure control; then every value of each
    option (the others at their default) on the sub-ICB selection, controlled (the published case)."""
    spec = tables.TABLES[name]
    default = {option: choices[0] for option, choices in spec.options.items() if choices}  # free text: unset
    combos = [default] + [
        {**default, option: value} for option, choices in spec.options.items() for value in choices[1:]
    ]
    cases = [(key, combos[0], suppress) for key in ("whole ICB", "narrow") for suppress in (True, False)]
    return cases + [("narrow", options, True) for options in combos[1:]]


@pytest.mark.parametrize("name", list(tables.TABLES))
def test_every_published_table_is_identical(other_settings, duckdb_settings, name):
    """Every named table and option as published (disclosure control applied) and exact."""
    for key, options, suppress in _cases(name):
        left = _published(name, duckdb_settings, SELECTIONS[key], options, suppress)
        right = _published(name, other_settings, SELECTIONS[key], options, suppress)
        if isinstance(left, str) or isinstance(right, str):
            assert left == right, f"{name} {key} {options}"
            continue
        try:
            pd.testing.assert_frame_equal(left, right)
        except AssertionError as exc:
            raise AssertionError(f"{name} {key} {options} suppress={suppress}: {exc}") from None
