"""Counting referrals in the store for a Selection: Ibis expressions over the canonical ``referrals``
table (``data.engine``), run by whichever engine holds it (DuckDB, PostgreSQL, Spark, Databricks).

Filters are Ibis predicates (values are bound as literals by Ibis, never pasted into SQL text); every
query aggregates in the engine and returns a small frame per LSOA or per group. Joins to the reference
geography (about a thousand LSOAs) stay in pandas: the engine filters with ``isin(lsoa_codes)``.
Counts are returned per LSOA of the selection's vintage; everything above LSOA is an aggregation of
these (see ``equity.metrics``). Medians over groups of LSOAs are computed in pandas from per-LSOA
frequency tables of waits, so they are exact and identical on every engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from data.location import StoreLocation
from data.schema import ETHNIC_CATEGORIES
from equity.selection import Selection

LSOA_COLUMN = {2025: "lsoa21_code", 2019: "lsoa11_code"}  # fixed identifiers, never user input


@contextmanager
def reading(store: StoreLocation | Path) -> Iterator[ir.Table]:
    """The canonical referral table of the store (``Settings.store_location``, or a DuckDB path)."""
    from data.engine import referrals

    with referrals(store) as table:
        yield table


def predicates(t: ir.Table, selection: Selection) -> list[ir.BooleanValue]:
    """The selection's record-level filters (period, age band, element, source, service, ethnic group)."""
    out: list[ir.BooleanValue] = []
    if selection.date_from:
        out.append(t.referral_date >= ibis.date(selection.date_from))
    if selection.date_to:
        out.append(t.referral_date <= ibis.date(selection.date_to))
    if selection.age_bands:
        antenatal = t.antenatal.fill_null(False)
        bands: list[ir.BooleanValue] = []
        if "Antenatal" in selection.age_bands:
            bands.append(antenatal)
        if "0-1" in selection.age_bands:
            bands.append(t.age_years.between(0, 1) & ~antenatal)
        if "2-5" in selection.age_bands:
            bands.append(t.age_years.between(2, 5))
        out.append(ibis.or_(*bands))
    if selection.support_elements:
        out.append(t.support_element.isin([int(e) for e in selection.support_elements]))
    if selection.referral_sources:
        out.append(t.referral_source.isin(list(selection.referral_sources)))
    if selection.services:
        out.append(t.service.isin(list(selection.services)))
    if selection.ethnic_groups:
        codes = [code for code, (group, _) in ETHNIC_CATEGORIES.items() if group in selection.ethnic_groups]
        chosen = t.ethnic_category.isin(codes) if codes else ibis.literal(False)
        if "Not known" in selection.ethnic_groups:
            chosen = chosen | t.ethnic_category.isnull()
        out.append(chosen)
    return out


def selected(t: ir.Table, selection: Selection, *extra: ir.BooleanValue) -> ir.Table:
    """``t`` filtered by the selection and any further predicates (unfiltered when there are none)."""
    conditions = [*predicates(t, selection), *extra]
    return t.filter(*conditions) if conditions else t


def person(t: ir.Table) -> ir.StringValue:
    """The person a referral belongs to (the referral itself when no person id is recorded)."""
    return t.person_id.fill_null(t.referral_id)


def people_accessing(t: ir.Table) -> ir.IntegerScalar:
    """Distinct people with a first attended contact."""
    return person(t).nunique(where=t.first_contact_date.notnull())


def wait_days(t: ir.Table) -> ir.IntegerValue:
    """Days from referral to first attended contact (NULL when not seen)."""
    return t.first_contact_date.delta(t.referral_date, unit="day")


def run(expr: ir.Table, order: Sequence[str]) -> pd.DataFrame:
    """Execute ``expr`` and return its rows sorted by ``order`` with a fresh index (engines return
    groups in no particular order). Through Arrow: the same column types from every engine (and
    no GeoPandas import, which Ibis's own pandas conversion makes)."""
    frame = expr.to_pyarrow().to_pandas()
    if order and len(frame):
        frame = frame.sort_values(list(order), kind="stable")
    return frame.reset_index(drop=True)


def counts_by_lsoa(t: ir.Table, selection: Selection) -> pd.DataFrame:
    """Referrals, referrals with a first attended contact, people accessing and median wait, per LSOA."""
    lsoa = LSOA_COLUMN[selection.vintage]
    rows = selected(t, selection, t[lsoa].notnull())
    expr = rows.group_by(lsoa_code=rows[lsoa]).aggregate(
        referrals=rows.count(),
        referrals_accessed=rows.first_contact_date.count(),
        people_accessing=people_accessing(rows),
        median_wait_days=wait_days(rows).median(),
    )
    frame = run(expr, ["lsoa_code"])
    frame["median_wait_days"] = frame["median_wait_days"].astype("float64")
    return frame


#: Record-level breakdowns: Ibis expressions built only from schema constants.
def _ethnic_group(t: ir.Table) -> ir.StringValue:
    return t.ethnic_category.cases(
        *((code, group) for code, (group, _) in ETHNIC_CATEGORIES.items()), else_="Not known"
    )


def _age_band(t: ir.Table) -> ir.StringValue:
    return ibis.cases((t.antenatal.fill_null(False), "Antenatal"), (t.age_years <= 1, "0-1"), else_="2-5")


RECORD_DIMENSIONS: dict[str, object] = {
    "ethnic_group": _ethnic_group,
    "age_band": _age_band,
    "support_element": lambda t: t.support_element,
    "referral_source": lambda t: t.referral_source,
}


def counts_by_record_dimension(
    t: ir.Table, selection: Selection, dimension: str, lsoa_codes: list[str]
) -> pd.DataFrame:
    """Referrals and people accessing by a record-level dimension, within the given LSOAs."""
    if dimension not in RECORD_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    lsoa = LSOA_COLUMN[selection.vintage]
    rows = selected(t, selection, t[lsoa].isin(list(lsoa_codes)))
    group = RECORD_DIMENSIONS[dimension](rows)  # type: ignore[operator]
    expr = rows.group_by(grp=group).aggregate(
        referrals=rows.count(),
        referrals_accessed=rows.first_contact_date.count(),
        people_accessing=people_accessing(rows),
    )
    return run(expr, ["grp"])


def wait_frequencies(t: ir.Table, selection: Selection, *extra: ir.BooleanValue) -> pd.DataFrame:
    """How many referrals waited each number of days to their first attended contact, per LSOA
    (``lsoa_code``, ``wait_days``, ``n``): the exact wait distribution of any group of LSOAs."""
    lsoa = LSOA_COLUMN[selection.vintage]
    rows = selected(t, selection, t[lsoa].notnull(), t.first_contact_date.notnull(), *extra)
    expr = rows.group_by(lsoa_code=rows[lsoa], wait_days=wait_days(rows)).aggregate(n=rows.count())
    frame = run(expr, ["lsoa_code", "wait_days"])
    return frame.astype({"wait_days": "int64", "n": "int64"})


def weighted_median(values: np.ndarray, counts: np.ndarray) -> float:
    """The median of a frequency table, interpolated like SQL ``median`` / ``percentile_cont(0.5)``:
    the middle value, or the mean of the two middle values when the number of values is even."""
    order = np.argsort(values, kind="stable")
    v, c = np.asarray(values, dtype="float64")[order], np.asarray(counts, dtype="int64")[order]
    n = int(c.sum())
    if n == 0:
        return float("nan")
    cumulative = np.cumsum(c)
    low = v[np.searchsorted(cumulative, (n - 1) // 2, side="right")]
    high = v[np.searchsorted(cumulative, n // 2, side="right")]
    return float((low + high) / 2)


def median_wait_by_group(t: ir.Table, selection: Selection, mapping: pd.DataFrame) -> pd.DataFrame:
    """Median days from referral to first attended contact per group; ``mapping`` has lsoa_code, grp."""
    lsoa = LSOA_COLUMN[selection.vintage]
    codes = mapping["lsoa_code"].astype(str).tolist()
    waits = wait_frequencies(t, selection, t[lsoa].isin(codes)).merge(mapping[["lsoa_code", "grp"]], on="lsoa_code")
    rows = [
        {"grp": grp, "median_wait_days": weighted_median(part["wait_days"].to_numpy(), part["n"].to_numpy()),
         "waits": int(part["n"].sum())}
        for grp, part in waits.groupby("grp", sort=True)
    ]
    out = pd.DataFrame(rows, columns=["grp", "median_wait_days", "waits"])
    return out.astype({"median_wait_days": "float64", "waits": "int64"})


def _flags(t: ir.Table, selection: Selection, *extra: ir.BooleanValue) -> ir.Table:
    """One row per (referral, recorded PLUS flag), flags trimmed, empty ones left out."""
    rows = selected(t, selection, t.plus_flags.notnull(), *extra)
    split = rows.select(
        raw=rows.plus_flags.split(";").unnest(), key=person(rows), first_contact_date=rows.first_contact_date
    )
    flagged = split.mutate(flag=split.raw.strip())
    return flagged.filter(flagged.flag != "")


def plus_flag_counts(t: ir.Table, selection: Selection, lsoa_codes: list[str]) -> pd.DataFrame:
    """Referrals and people accessing by PLUS flag (a referral may carry several, ';'-separated)."""
    lsoa = LSOA_COLUMN[selection.vintage]
    flagged = _flags(t, selection, t[lsoa].isin(list(lsoa_codes)))
    expr = flagged.group_by("flag").aggregate(
        referrals=flagged.count(),
        people_accessing=flagged.key.nunique(where=flagged.first_contact_date.notnull()),
        referrals_accessed=flagged.first_contact_date.count(),
    )
    return run(expr, ["flag"])


def recorded_flags(t: ir.Table) -> list[str]:
    """Every PLUS flag recorded on a referral, sorted."""
    flagged = _flags(t, Selection())
    return sorted(str(f) for f in run(flagged.select("flag").distinct(), [])["flag"])


def distinct_values(t: ir.Table, column: str) -> list[object]:
    """The distinct non-missing values of a column of the referral table, sorted."""
    rows = t.filter(t[column].notnull()).select(column).distinct()
    return sorted(run(rows, [])[column].tolist())


def in_groups(column: ir.Value, groups: Mapping[object, Sequence[str]]) -> ir.Value:
    """A label per row from lists of LSOA codes per label (a handful of labels: Places, Core20 or not)."""
    branches = [(column.isin(list(codes)), ibis.literal(label)) for label, codes in groups.items() if len(codes)]
    if not branches:
        return ibis.null()
    return ibis.cases(*branches)  # type: ignore[arg-type]


def quarterly_core20_counts(t: ir.Table, selection: Selection, core20: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Counts by quarter of referral and Core20 status; ``core20`` has lsoa_code, core20 (selected LSOAs)."""
    if measure not in ("referrals", "access"):
        raise ValueError(f"unknown measure {measure!r}")
    lsoa = LSOA_COLUMN[selection.vintage]
    core = core20.loc[core20["core20"].astype(bool), "lsoa_code"].astype(str).tolist()
    rows = selected(t, selection, t[lsoa].isin(core20["lsoa_code"].astype(str).tolist()))
    value = rows.count() if measure == "referrals" else people_accessing(rows)
    expr = rows.group_by(quarter=rows.referral_date.truncate("Q"), core20=rows[lsoa].isin(core)).aggregate(n=value)
    frame = run(expr, ["quarter", "core20"])
    frame["quarter"] = pd.to_datetime(frame["quarter"]).astype("datetime64[us]")
    return frame.astype({"core20": "bool", "n": "int64"})[["quarter", "core20", "n"]]


def element_counts(t: ir.Table, selection: Selection, not_recorded: int) -> pd.DataFrame:
    """Referrals and people accessing per LSOA and support element (``not_recorded`` where missing);
    the selection's support-element filter is ignored."""
    lsoa = LSOA_COLUMN[selection.vintage]
    rows = selected(t, selection.with_(support_elements=()), t[lsoa].notnull())
    expr = rows.group_by(
        lsoa_code=rows[lsoa], support_element=rows.support_element.fill_null(not_recorded)
    ).aggregate(referrals=rows.count(), people_accessing=people_accessing(rows))
    return run(expr, ["lsoa_code", "support_element"]).astype({"support_element": "int64"})


#: Record-level breakdowns of the outcome tables (area breakdowns are mapped from the LSOA in pandas, so
#: the query needs no geography).
OUTCOME_RECORD_DIMENSIONS: dict[str, object] = {
    "ethnic_group": _ethnic_group,
    "age_band": _age_band,
    "service": lambda t: t.service.fill_null("Service not recorded"),
}


def _measure_value(t: ir.Table, values: dict[str, float | None]) -> ir.FloatingValue:
    """The registry value of each row's outcome measure (NULL for a measure without one, or no measure)."""
    branches = [(name, ibis.literal(float(v), type="float64")) for name, v in values.items() if v is not None]
    if not branches:
        return ibis.null("float64")  # type: ignore[return-value]
    return t.outcome_measure.cases(*branches, else_=ibis.null("float64"))  # type: ignore[return-value]


def _count_if(condition: ir.BooleanValue) -> ir.IntegerScalar:
    """Rows where ``condition`` is true (NULL counts as false, as SUM(CASE WHEN ... THEN 1 ELSE 0 END))."""
    return ibis.cases((condition, 1), else_=0).sum()  # type: ignore[return-value]


def outcome_sums(
    t: ir.Table,
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
    only (sums of conditions), so the query runs on every engine."""
    if dimension is not None and dimension not in OUTCOME_RECORD_DIMENSIONS:
        raise ValueError(f"unknown outcome dimension {dimension!r}")
    lsoa = LSOA_COLUMN[selection.vintage]
    rows = selected(t, selection, t[lsoa].notnull())
    group = OUTCOME_RECORD_DIMENSIONS[dimension](rows) if dimension else ibis.literal("all")  # type: ignore[operator]
    keys = ("sign", "rci", "side", "cutoff")
    v = {key: _measure_value(rows, {m: p[key] for m, p in measures.items()}) for key in keys}
    scored = rows.select(
        lsoa_code=rows[lsoa], grp=group, outcome_measure=rows.outcome_measure, discharge_date=rows.discharge_date,
        score_start=rows.score_start, score_end=rows.score_end,
        is_pair=rows.score_start.notnull() & rows.score_end.notnull(),
        change=rows.score_end - rows.score_start, sign=v["sign"], rci=v["rci"], side=v["side"], cutoff=v["cutoff"],
    )
    s = scored
    pair = s.is_pair
    clinical_start = pair & (s.score_start * s.side >= s.cutoff * s.side)
    expr = s.group_by("outcome_measure", "lsoa_code", "grp").aggregate(
        discharged=_count_if(s.discharge_date.notnull()),
        pairs=_count_if(s.outcome_measure.notnull() & pair),
        discharged_pairs=_count_if(s.outcome_measure.notnull() & s.discharge_date.notnull() & pair),
        sum_change=ibis.cases((pair, s.change), else_=0.0).sum(),
        sum_change_sq=ibis.cases((pair, s.change * s.change), else_=0.0).sum(),
        improved=_count_if(pair & (s.change * s.sign >= s.rci)),
        deteriorated=_count_if(pair & (s.change * s.sign <= -s.rci)),
        clinical_start=_count_if(clinical_start),
        recovered=_count_if(clinical_start & ~(s.score_end * s.side >= s.cutoff * s.side)),
    )
    frame = run(expr, ["outcome_measure", "lsoa_code", "grp"])
    counts = ["discharged", "pairs", "discharged_pairs", "improved", "deteriorated", "clinical_start", "recovered"]
    return frame.astype({**{c: "int64" for c in counts}, "sum_change": "float64", "sum_change_sq": "float64"})
