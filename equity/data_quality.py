"""Data-quality tables: completeness and validity of the referral store, by field and by Place.

Counts are exact here; the published tables (``publish.tables``: 'data_quality_fields',
'data_quality_places', 'data_quality_ethnicity', 'data_quality_geography') apply disclosure control
and compute every share from the controlled counts. The share of unknown ethnicity counts Z (not
stated), 99 (not known) and missing codes together, as NHS England asks it to be reported.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.schema import ETHNIC_CATEGORIES

STATED_CODES: tuple[str, ...] = tuple(c for c in ETHNIC_CATEGORIES if c not in ("Z", "99"))
APPROXIMATE_METHODS: tuple[str, ...] = ("lsoa11_split", "postcode")
PLACE_UNKNOWN = "Place not known (no LSOA)"
METHOD_LABELS: dict[str, str] = {
    "lsoa21": "LSOA 2021 code given (exact)",
    "lsoa11": "LSOA 2011 code converted, unchanged or merged (exact)",
    "lsoa11_split": "LSOA 2011 code of a split area: largest successor (approximate)",
    "postcode": "Postcode placed by point in polygon (approximate)",
    "none": "Not resolved (no LSOA code or postcode)",
}

#: Count columns of :func:`quality_counts` and the SQL that computes each.
_COUNTS: dict[str, str] = {
    "referrals": "count(*)",
    "ethnicity_stated": "count(*) FILTER (WHERE list_contains($codes, ethnic_category))",
    "ethnicity_z": "count(*) FILTER (WHERE ethnic_category = 'Z')",
    "ethnicity_99": "count(*) FILTER (WHERE ethnic_category = '99')",
    "ethnicity_missing": "count(*) FILTER (WHERE ethnic_category IS NULL)",
    "first_contact_recorded": "count(first_contact_date)",
    "lsoa_resolved": "count(lsoa21_code)",
    "method_lsoa21": "count(*) FILTER (WHERE geography_method = 'lsoa21')",
    "method_lsoa11": "count(*) FILTER (WHERE geography_method = 'lsoa11')",
    "method_lsoa11_split": "count(*) FILTER (WHERE geography_method = 'lsoa11_split')",
    "method_postcode": "count(*) FILTER (WHERE geography_method = 'postcode')",
    "person_id_recorded": "count(person_id)",
    "sex_recorded": "count(sex)",
    "sex_known": "count(*) FILTER (WHERE sex IN ('M', 'F'))",
    "referral_source_recorded": "count(referral_source)",
    "support_element_recorded": "count(support_element)",
    "service_recorded": "count(service)",
    "team_type_recorded": "count(team_type)",
    "discharge_recorded": "count(discharge_date)",
    "outcome_pair_recorded": "count(*) FILTER (WHERE score_start IS NOT NULL AND score_end IS NOT NULL)",
}

#: Fields of the completeness table: (label, recorded column, valid-and-known column or None, meaning).
FIELDS: tuple[tuple[str, str, str | None, str], ...] = (
    ("Ethnic category", "ethnicity_recorded", "ethnicity_stated",
     "recorded: any code; valid and known: a stated code A-S (not Z not stated or 99 not known)"),
    ("LSOA of residence", "lsoa_resolved", "lsoa_exact",
     "recorded: resolved to an L&SC LSOA 2021; valid and known: resolved exactly (not by postcode or split)"),
    ("First attended contact date", "first_contact_recorded", None,
     "recorded: referrals with a first attended contact (referrals, not people: the Overview's people "
     "accessing counts each child once); missing also means not yet seen"),
    ("Sex", "sex_recorded", "sex_known", "valid and known: M or F"),
    ("Person id", "person_id_recorded", None, "needed to count people rather than referrals"),
    ("Source of referral", "referral_source_recorded", None, "MHSDS SourceOfReferralMH code"),
    ("Support element", "support_element_recorded", None, "strategy support element 1-6"),
    ("Service", "service_recorded", None, ""),
    ("Team type", "team_type_recorded", None, ""),
    ("Discharge date", "discharge_recorded", None, "missing also means still open"),
    ("Outcome measure pair", "outcome_pair_recorded", None, "start and end scores both recorded"),
)


def quality_counts(store_path: Path) -> pd.DataFrame:
    """Exact counts per resolved LSOA 2021 (one row with lsoa21_code NULL for unresolved rows)."""
    from data.store import connect

    selects = ", ".join(f"{sql} AS {name}" for name, sql in _COUNTS.items())
    con = connect(Path(store_path), read_only=True)
    try:
        return con.execute(
            f"SELECT lsoa21_code, {selects} FROM referrals GROUP BY lsoa21_code ORDER BY lsoa21_code",
            {"codes": list(STATED_CODES)},
        ).df()
    finally:
        con.close()


def _with_derived(counts: pd.DataFrame) -> pd.DataFrame:
    out = counts.copy()
    out["ethnicity_recorded"] = out["referrals"] - out["ethnicity_missing"]
    out["ethnicity_unknown"] = out["ethnicity_z"] + out["ethnicity_99"] + out["ethnicity_missing"]
    out["lsoa_exact"] = out["method_lsoa21"] + out["method_lsoa11"]
    out["geography_approximate"] = out["method_lsoa11_split"] + out["method_postcode"]
    return out


def _share(numerator: float, denominator: float) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


def field_completeness(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per field for the whole ICB (exact counts: ICB level)."""
    totals = _with_derived(counts).drop(columns="lsoa21_code").sum()
    total = int(totals["referrals"])
    rows = []
    for label, recorded, valid, meaning in FIELDS:
        rows.append({
            "field": label,
            "recorded": int(totals[recorded]),
            "recorded_share": _share(totals[recorded], total),
            "valid_known": int(totals[valid]) if valid else None,
            "valid_known_share": _share(totals[valid], total) if valid else None,
            "referrals": total,
            "meaning": meaning,
        })
    frame = pd.DataFrame(rows)
    return frame.astype({"valid_known": "Int64", "recorded_share": "Float64", "valid_known_share": "Float64"})


PLACE_COUNTS: tuple[str, ...] = (
    "referrals", "ethnicity_stated", "ethnicity_unknown", "first_contact_recorded", "lsoa_exact",
    "geography_approximate",
)


def place_quality(counts: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Exact counts by Place (areas: lsoa_code, place), plus a row for referrals with no LSOA."""
    frame = _with_derived(counts)
    place = frame["lsoa21_code"].map(areas.set_index("lsoa_code")["place"])
    frame["place"] = place.fillna(PLACE_UNKNOWN)
    table = frame.groupby("place", sort=False)[list(PLACE_COUNTS)].sum()
    order = [*sorted(areas["place"].unique()), PLACE_UNKNOWN]
    table = table.reindex(order, fill_value=0).reset_index()
    return table.astype({c: "int64" for c in PLACE_COUNTS})


def unknown_ethnicity(counts: pd.DataFrame) -> pd.DataFrame:
    """ICB table of unknown ethnicity: Z, 99, missing and their total (NHS England definition)."""
    totals = _with_derived(counts).drop(columns="lsoa21_code").sum()
    total = int(totals["referrals"])
    rows = [
        ("Z", "Not stated (Z)", totals["ethnicity_z"]),
        ("99", "Not known (99)", totals["ethnicity_99"]),
        ("missing", "Missing (no code)", totals["ethnicity_missing"]),
        ("unknown", "Unknown ethnicity: Z + 99 + missing", totals["ethnicity_unknown"]),
    ]
    return pd.DataFrame(
        [{"code": code, "category": label, "referrals": int(n), "share": _share(n, total)} for code, label, n in rows]
    ).astype({"share": "Float64"})


def geography_methods(counts: pd.DataFrame) -> pd.DataFrame:
    """ICB table of how each referral's LSOA was found, with the approximate ones flagged."""
    totals = counts.drop(columns="lsoa21_code").sum()
    total = int(totals["referrals"])
    values = {m: int(totals[f"method_{m}"]) for m in ("lsoa21", "lsoa11", "lsoa11_split", "postcode")}
    values["none"] = total - int(totals["lsoa_resolved"])
    return pd.DataFrame(
        [{"method": m, "description": METHOD_LABELS[m], "referrals": n, "share": _share(n, total),
          "approximate": m in APPROXIMATE_METHODS} for m, n in values.items()]
    ).astype({"share": "Float64"})


def import_logs(store_path: Path) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The import history, the rejected rows by import, column and reason, and the rows outside L&SC
    rejected by imports still applied (exact: logs of the imports, not counts of referrals)."""
    from data.imports import import_history, rejection_history

    history = import_history(store_path)
    applied = history[history["status"].eq("applied")] if len(history) else history
    outside = int(applied["outside_lsc"].sum()) if len(applied) else 0
    return history, rejection_history(store_path), outside


def measure_counts(store_path: Path) -> pd.DataFrame:
    """Exact referrals and outcome pairs by outcome measure name as stored (whole store)."""
    from data.store import connect

    con = connect(Path(store_path), read_only=True)
    try:
        return con.execute(
            "SELECT outcome_measure AS measure, count(*) AS referrals, "
            "SUM(CASE WHEN score_start IS NOT NULL AND score_end IS NOT NULL THEN 1 ELSE 0 END) AS pairs "
            "FROM referrals WHERE outcome_measure IS NOT NULL GROUP BY outcome_measure ORDER BY outcome_measure"
        ).df()
    finally:
        con.close()


def measure_check(counts: pd.DataFrame) -> pd.DataFrame:
    """Each recorded measure name, whether the registry (data/measures.toml) knows it, and its counts: unknown
    measures are kept in the store but not analysed on the Outcomes page (their range and thresholds are unknown)."""
    from data.measures import canonical

    known = [canonical(m) is not None for m in counts["measure"]]
    out = pd.DataFrame(
        {
            "measure": counts["measure"].astype(str),
            "in_registry": known,
            "status": ["In the registry: analysed" if k else "Not in the registry: kept, not analysed" for k in known],
            "referrals": counts["referrals"].astype("int64"),
            "pairs": pd.to_numeric(counts["pairs"]).fillna(0).astype("int64"),
        }
    )
    return out.sort_values(["in_registry", "measure"], kind="stable").reset_index(drop=True)
