"""Counting referrals in the store for a Selection. All SQL is parameterised.

Counts are returned per LSOA of the selection's vintage; everything above LSOA is an
aggregation of these (see ``equity.metrics``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from data.schema import ETHNIC_CATEGORIES
from equity.selection import Selection

LSOA_COLUMN = {2025: "lsoa21_code", 2019: "lsoa11_code"}  # fixed identifiers, never user input


def where_clause(selection: Selection) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if selection.date_from:
        clauses.append("referral_date >= ?")
        params.append(selection.date_from)
    if selection.date_to:
        clauses.append("referral_date <= ?")
        params.append(selection.date_to)
    if selection.age_bands:
        band_clauses = []
        if "Antenatal" in selection.age_bands:
            band_clauses.append("coalesce(antenatal, false)")
        if "0-1" in selection.age_bands:
            band_clauses.append("(age_years BETWEEN 0 AND 1 AND NOT coalesce(antenatal, false))")
        if "2-5" in selection.age_bands:
            band_clauses.append("(age_years BETWEEN 2 AND 5)")
        clauses.append("(" + " OR ".join(band_clauses) + ")")
    if selection.support_elements:
        clauses.append("list_contains(?, support_element)")
        params.append(list(selection.support_elements))
    if selection.referral_sources:
        clauses.append("list_contains(?, referral_source)")
        params.append(list(selection.referral_sources))
    if selection.services:
        clauses.append("list_contains(?, service)")
        params.append(list(selection.services))
    if selection.ethnic_groups:
        codes = [code for code, (group, _) in ETHNIC_CATEGORIES.items() if group in selection.ethnic_groups]
        clause = "list_contains(?, ethnic_category)"
        if "Not known" in selection.ethnic_groups:
            clause = f"({clause} OR ethnic_category IS NULL)"
        clauses.append(clause)
        params.append(codes)
    return (" AND ".join(clauses) or "TRUE"), params


def counts_by_lsoa(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Referrals, referrals with a first attended contact, people accessing and median wait, per LSOA."""
    lsoa = LSOA_COLUMN[selection.vintage]
    where, params = where_clause(selection)
    sql = f"""
        SELECT {lsoa} AS lsoa_code,
               count(*) AS referrals,
               count(first_contact_date) AS referrals_accessed,
               count(DISTINCT coalesce(person_id, referral_id)) FILTER (WHERE first_contact_date IS NOT NULL)
                   AS people_accessing,
               median(date_diff('day', referral_date, first_contact_date)) AS median_wait_days
        FROM referrals
        WHERE {where} AND {lsoa} IS NOT NULL
        GROUP BY {lsoa}
    """
    return con.execute(sql, params).df()


def open_store(path: Path) -> duckdb.DuckDBPyConnection:
    from data.store import connect

    return connect(Path(path), read_only=True)


#: Record-level breakdowns: SQL expressions built only from schema constants.
def _ethnic_group_sql() -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{group}'" for code, (group, _) in ETHNIC_CATEGORIES.items())
    return f"CASE ethnic_category {cases} ELSE 'Not known' END"


RECORD_DIMENSIONS: dict[str, str] = {
    "ethnic_group": _ethnic_group_sql(),
    "age_band": "CASE WHEN coalesce(antenatal, false) THEN 'Antenatal' WHEN age_years <= 1 THEN '0-1' ELSE '2-5' END",
    "support_element": "support_element",
    "referral_source": "referral_source",
}


def counts_by_record_dimension(
    con: duckdb.DuckDBPyConnection, selection: Selection, dimension: str, lsoa_codes: list[str]
) -> pd.DataFrame:
    """Referrals and people accessing by a record-level dimension, within the given LSOAs."""
    if dimension not in RECORD_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    lsoa = LSOA_COLUMN[selection.vintage]
    where, params = where_clause(selection)
    sql = f"""
        SELECT {RECORD_DIMENSIONS[dimension]} AS grp,
               count(*) AS referrals,
               count(first_contact_date) AS referrals_accessed,
               count(DISTINCT coalesce(person_id, referral_id)) FILTER (WHERE first_contact_date IS NOT NULL)
                   AS people_accessing
        FROM referrals
        WHERE {where} AND {lsoa} IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY grp ORDER BY grp
    """
    return con.execute(sql, [*params, lsoa_codes]).df()


def median_wait_by_group(
    con: duckdb.DuckDBPyConnection, selection: Selection, mapping: pd.DataFrame
) -> pd.DataFrame:
    """Median days from referral to first attended contact per group; ``mapping`` has lsoa_code, grp."""
    lsoa = LSOA_COLUMN[selection.vintage]
    where, params = where_clause(selection)
    con.register("lsoa_groups", mapping[["lsoa_code", "grp"]])
    try:
        sql = f"""
            SELECT g.grp AS grp,
                   median(date_diff('day', r.referral_date, r.first_contact_date)) AS median_wait_days,
                   count(r.first_contact_date) AS waits
            FROM referrals r JOIN lsoa_groups g ON r.{lsoa} = g.lsoa_code
            WHERE {where} AND r.first_contact_date IS NOT NULL
            GROUP BY g.grp
        """
        return con.execute(sql, params).df()
    finally:
        con.unregister("lsoa_groups")


def plus_flag_counts(con: duckdb.DuckDBPyConnection, selection: Selection, lsoa_codes: list[str]) -> pd.DataFrame:
    """Referrals and people accessing by PLUS flag (a referral may carry several, ';'-separated)."""
    lsoa = LSOA_COLUMN[selection.vintage]
    where, params = where_clause(selection)
    sql = f"""
        WITH flagged AS (
            SELECT trim(unnest(string_split(plus_flags, ';'))) AS flag, referral_id, person_id, first_contact_date
            FROM referrals
            WHERE {where} AND plus_flags IS NOT NULL AND {lsoa} IN (SELECT unnest(?::VARCHAR[]))
        )
        SELECT flag, count(*) AS referrals,
               count(DISTINCT coalesce(person_id, referral_id)) FILTER (WHERE first_contact_date IS NOT NULL)
                   AS people_accessing,
               count(first_contact_date) AS referrals_accessed
        FROM flagged WHERE flag <> '' GROUP BY flag ORDER BY flag
    """
    return con.execute(sql, [*params, lsoa_codes]).df()


def quarterly_core20_counts(
    con: duckdb.DuckDBPyConnection, selection: Selection, core20: pd.DataFrame, measure: str
) -> pd.DataFrame:
    """Counts by quarter of referral and Core20 status; ``core20`` has lsoa_code, core20 (selected LSOAs)."""
    lsoa = LSOA_COLUMN[selection.vintage]
    where, params = where_clause(selection)
    value = {
        "referrals": "count(*)",
        "access": "count(DISTINCT coalesce(r.person_id, r.referral_id))"
        " FILTER (WHERE r.first_contact_date IS NOT NULL)",
    }[measure]
    con.register("lsoa_core20", core20[["lsoa_code", "core20"]])
    try:
        sql = f"""
            SELECT date_trunc('quarter', r.referral_date) AS quarter, c.core20 AS core20, {value} AS n
            FROM referrals r JOIN lsoa_core20 c ON r.{lsoa} = c.lsoa_code
            WHERE {where}
            GROUP BY ALL ORDER BY quarter
        """
        return con.execute(sql, params).df()
    finally:
        con.unregister("lsoa_core20")
