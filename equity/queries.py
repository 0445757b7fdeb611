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


#: Record-level breakdowns of the outcome tables (SQL from schema constants; area breakdowns are mapped from
#: the LSOA in pandas, so the query needs no geography).
OUTCOME_RECORD_DIMENSIONS: dict[str, str] = {
    "ethnic_group": RECORD_DIMENSIONS["ethnic_group"],
    "age_band": RECORD_DIMENSIONS["age_band"],
    "service": "coalesce(service, 'Service not recorded')",
}


def _measure_case(values: dict[str, float | None]) -> tuple[str, list[object]]:
    """``CASE outcome_measure WHEN ? THEN ? ... ELSE NULL END`` with its parameters (registry values)."""
    if not values:
        return "NULL", []
    sql = " ".join("WHEN ? THEN ?" for _ in values)
    params: list[object] = []
    for name, value in values.items():
        params += [name, value]
    return f"CASE outcome_measure {sql} ELSE NULL END", params


def outcome_sums(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    dimension: str | None,
    measures: dict[str, dict[str, float | None]],
) -> pd.DataFrame:
    """Outcome sums per (measure, LSOA, group) for the selection: discharged referrals, outcome pairs (start and
    end scores both recorded), pairs of discharged referrals, the sum and sum of squares of the change (end -
    start), pairs reliably improved / deteriorated, pairs starting in the clinical range and those of them
    ending outside it. Referrals with no measure have ``outcome_measure`` NULL (counted in ``discharged``).

    ``measures`` maps each registry measure to ``sign`` (+1 higher better, -1 lower better), ``rci`` (reliable
    change, or None), ``side`` (+1 clinical at or above the cut-off, -1 at or below, None) and ``cutoff``.
    ``dimension`` is a key of :data:`OUTCOME_RECORD_DIMENSIONS` or None (one group, 'all'). Plain aggregates
    only (SUM of CASE), so the query ports to any SQL engine."""
    if dimension is not None and dimension not in OUTCOME_RECORD_DIMENSIONS:
        raise ValueError(f"unknown outcome dimension {dimension!r}")
    lsoa = LSOA_COLUMN[selection.vintage]
    group = OUTCOME_RECORD_DIMENSIONS[dimension] if dimension else "'all'"
    cases = {key: _measure_case({m: v[key] for m, v in measures.items()}) for key in ("sign", "rci", "side", "cutoff")}
    where, where_params = where_clause(selection)
    sql = f"""
        WITH scored AS (
            SELECT {lsoa} AS lsoa_code, {group} AS grp, outcome_measure, discharge_date, score_start, score_end,
                   CASE WHEN score_start IS NOT NULL AND score_end IS NOT NULL THEN 1 ELSE 0 END AS is_pair,
                   score_end - score_start AS change,
                   {cases["sign"][0]} AS sign, {cases["rci"][0]} AS rci,
                   {cases["side"][0]} AS side, {cases["cutoff"][0]} AS cutoff
            FROM referrals
            WHERE {where} AND {lsoa} IS NOT NULL
        )
        SELECT outcome_measure, lsoa_code, grp,
               SUM(CASE WHEN discharge_date IS NOT NULL THEN 1 ELSE 0 END) AS discharged,
               SUM(CASE WHEN outcome_measure IS NOT NULL THEN is_pair ELSE 0 END) AS pairs,
               SUM(CASE WHEN outcome_measure IS NOT NULL AND discharge_date IS NOT NULL THEN is_pair ELSE 0 END)
                   AS discharged_pairs,
               SUM(CASE WHEN is_pair = 1 THEN change ELSE 0 END) AS sum_change,
               SUM(CASE WHEN is_pair = 1 THEN change * change ELSE 0 END) AS sum_change_sq,
               SUM(CASE WHEN is_pair = 1 AND change * sign >= rci THEN 1 ELSE 0 END) AS improved,
               SUM(CASE WHEN is_pair = 1 AND change * sign <= -rci THEN 1 ELSE 0 END) AS deteriorated,
               SUM(CASE WHEN is_pair = 1 AND score_start * side >= cutoff * side THEN 1 ELSE 0 END) AS clinical_start,
               SUM(CASE WHEN is_pair = 1 AND score_start * side >= cutoff * side
                         AND NOT (score_end * side >= cutoff * side) THEN 1 ELSE 0 END) AS recovered
        FROM scored
        GROUP BY outcome_measure, lsoa_code, grp
    """
    params = [p for key in ("sign", "rci", "side", "cutoff") for p in cases[key][1]] + where_params
    return con.execute(sql, params).df()
