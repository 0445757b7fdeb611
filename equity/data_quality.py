"""Data-quality tables: completeness and validity of the referral store, by field and by Place.

Counts are exact here; the published tables (``publish.tables``: 'data_quality_fields',
'data_quality_places', 'data_quality_ethnicity', 'data_quality_geography') apply disclosure control
and compute every share from the controlled counts. The share of unknown ethnicity counts Z (not
stated), 99 (not known) and missing codes together, as NHS England asks it to be reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ibis.expr.types as ir
import pandas as pd

from data.location import StoreLocation
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

#: Count columns of :func:`quality_counts` and the Ibis reduction over the referral table computing each.
_COUNTS: dict[str, Callable[[ir.Table], ir.IntegerScalar]] = {
    "referrals": lambda t: t.count(),
    "ethnicity_stated": lambda t: t.count(where=t.ethnic_category.isin(list(STATED_CODES))),
    "ethnicity_z": lambda t: t.count(where=t.ethnic_category == "Z"),
    "ethnicity_99": lambda t: t.count(where=t.ethnic_category == "99"),
    "ethnicity_missing": lambda t: t.count(where=t.ethnic_category.isnull()),
    "first_contact_recorded": lambda t: t.first_contact_date.count(),
    "lsoa_resolved": lambda t: t.lsoa21_code.count(),
    "method_lsoa21": lambda t: t.count(where=t.geography_method == "lsoa21"),
    "method_lsoa11": lambda t: t.count(where=t.geography_method == "lsoa11"),
    "method_lsoa11_split": lambda t: t.count(where=t.geography_method == "lsoa11_split"),
    "method_postcode": lambda t: t.count(where=t.geography_method == "postcode"),
    "person_id_recorded": lambda t: t.person_id.count(),
    "sex_recorded": lambda t: t.sex.count(),
    "sex_known": lambda t: t.count(where=t.sex.isin(["M", "F"])),
    "referral_source_recorded": lambda t: t.referral_source.count(),
    "support_element_recorded": lambda t: t.support_element.count(),
    "service_recorded": lambda t: t.service.count(),
    "team_type_recorded": lambda t: t.team_type.count(),
    "discharge_recorded": lambda t: t.discharge_date.count(),
    "outcome_pair_recorded": lambda t: t.count(where=t.score_start.notnull() & t.score_end.notnull()),
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


def quality_counts(store: StoreLocation | Path) -> pd.DataFrame:
    """Exact counts per resolved LSOA 2021 (one row with lsoa21_code NULL for unresolved rows, last)."""
    from equity.queries import reading, run

    with reading(store) as t:
        expr = t.group_by("lsoa21_code").aggregate(**{name: count(t) for name, count in _COUNTS.items()})
        counts = run(expr, ["lsoa21_code"])
    return counts.astype({name: "int64" for name in _COUNTS})


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


def measure_counts(store: StoreLocation | Path) -> pd.DataFrame:
    """Exact referrals and outcome pairs by outcome measure name as stored (whole store)."""
    from equity.queries import reading, run

    with reading(store) as t:
        rows = t.filter(t.outcome_measure.notnull())
        expr = rows.group_by(measure=rows.outcome_measure).aggregate(
            referrals=rows.count(), pairs=rows.count(where=rows.score_start.notnull() & rows.score_end.notnull())
        )
        return run(expr, ["measure"]).astype({"referrals": "int64", "pairs": "int64"})


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
