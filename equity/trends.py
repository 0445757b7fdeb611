"""Monthly series for SPC trend charts, per Place and for the ICB, from the referral store.

Measures (each with its polarity, used to colour special causes):

* ``referrals``: referrals received in the month (by referral date);
* ``access``: children with a first attended contact *in the month* (by month of first contact:
  counting by month of referral would understate recent months, whose referrals have not all been
  seen yet, and draw a false downward trend);
* ``core20_coverage``: the share of the month's referrals from Core20 neighbourhoods divided by
  the share of children aged 0-5 (ONS mid-2020) living in them. 1 = in proportion to population;
  below 1 = Core20 children under-referred.

Polarity (which way is better; a per-measure setting, :data:`MEASURES`, that the user may change):

* ``referrals`` is *demand*: more referrals may mean better case-finding or more need, so it is
  ``neutral`` by default (special causes purple, no assurance), never "improvement" for growth;
* ``access`` (children seen) defaults to "higher is better";
* ``core20_coverage`` is "closer to parity (1) is better" (``closer``, ideal 1): a special-cause
  month is an improvement when it lies nearer 1 than the mean does and a concern when further away,
  so a rise *past* parity by more than the mean falls short is not called an improvement.

All three cannot be negative: their lower process limits are floored at 0 with a note
(``equity.spc.xmr(lower_bound=0)``).

Only complete months are used: a month enters the series when the whole month lies inside the
selection's period and on or before the data date (the last referral date in the store). Access is
left out (missing) for the first ``ACCESS_LEAD_IN_MONTHS`` months of the store: first contacts in
those months mostly come from referrals made before the extract begins, which it does not hold, so
counting them would draw a false rise at the start.
Counts are exact in :func:`monthly_series`. What is published (chart points, hover, SPC mean and
limits, the summary, the download) is computed from :func:`controlled_series`: below ICB level counts
of 1-4 hidden and others rounded to 5, with secondary suppression within each month against the total;
at ICB level exact but 1-4 hidden; the coverage ratio recomputed from the controlled Core20 and total
referrals. Hidden months are *gaps*: they are left out of the chart, the mean and the moving ranges
(the limits of the months either side of a gap rest on their difference), and the chart says how many
there are. When more than :data:`MAX_HIDDEN_SHARE` of an area's months are hidden no SPC is drawn
(:class:`TrendError` says so): limits from the months that happen to be large enough would be biased
upwards, and a mean over a few shown months would say little.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from equity import metrics
from equity.disclosure import control_count
from equity.display import disclose
from equity.queries import LSOA_COLUMN, reading
from equity.selection import Selection
from equity.settings import PLACES, Settings
from equity.spc import SpcResult, xmr

ACCESS_LEAD_IN_MONTHS = 3
#: an area's SPC is refused when more than this share of its months are hidden by disclosure control
MAX_HIDDEN_SHARE = 0.25
CONTROL_NOTE = (
    "counts below ICB level rounded to the nearest 5 and counts of 1-4 hidden (left out of the mean and limits)"
)
ICB_AREA = "ICB"  # the area key of the total (the whole ICB, or the selected Places together)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    y_title: str
    polarity: str
    description: str
    is_count: bool = True
    default_target: float | None = None
    value_format: str = ",.0f"
    ideal: float | None = None  # the value a "closer" polarity measures against


MEASURES: dict[str, Measure] = {
    "referrals": Measure(
        key="referrals",
        label="Referrals received",
        y_title="Referrals received in the month",
        polarity="neutral",
        description="Referrals received in the month (by referral date).",
    ),
    "access": Measure(
        key="access",
        label="Children with a first attended contact",
        y_title="Children with a first attended contact in the month",
        polarity="higher",
        description="Children (people) whose first attended contact fell in the month, by month of first "
        "contact, so recent months are not understated by referrals still waiting to be seen. The store's first "
        "3 months are left out: their first contacts mostly follow referrals made before the extract begins.",
    ),
    "core20_coverage": Measure(
        key="core20_coverage",
        label="Core20 coverage ratio",
        y_title="Core20 coverage ratio (1 = in proportion)",
        polarity="closer",
        description="Share of the month's referrals from Core20 neighbourhoods (national IMD deciles 1-2) "
        "divided by the share of children aged 0-5 living there; 1 = parity.",
        is_count=False,
        default_target=1.0,
        value_format=".2f",
        ideal=1.0,
    ),
}

SERIES_COLUMNS = (
    "area",
    "month",
    "referrals",
    "core20_referrals",
    "people_accessing",
    "core20_population_share",
    "core20_coverage",
)
_VALUE_COLUMN = {"referrals": "referrals", "access": "people_accessing", "core20_coverage": "core20_coverage"}


class TrendError(ValueError):
    """A trend cannot be drawn for this measure, area or selection; the message says why."""


# --------------------------------------------------------------------------------------------
# months


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def complete_months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the calendar months lying wholly within ``start``..``end`` (inclusive)."""
    first = start if start.day == 1 else month_end(start) + dt.timedelta(days=1)
    months = []
    current = first
    while month_end(current) <= end:
        months.append(current)
        current = month_end(current) + dt.timedelta(days=1)
    return months


def period_window(selection: Selection, first_date: dt.date, data_date: dt.date) -> tuple[dt.date, dt.date]:
    """The period the series covers: the selection's dates, within the store's first date and data date."""
    start = max(selection.date_from or first_date, first_date)
    end = min(selection.date_to or data_date, data_date)
    return start, end


# --------------------------------------------------------------------------------------------
# areas


def area_keys(selection: Selection) -> list[str]:
    """The total first, then the Places in the selection (all four when none is chosen)."""
    return [ICB_AREA, *(selection.places or PLACES)]


def chart_areas(selection: Selection) -> list[str]:
    """The areas to offer for one chart: :func:`area_keys` without a Place that is the whole selection (one
    Place and no district chosen: its total and the Place are the same series, named the same)."""
    keys = area_keys(selection)
    if len(selection.places) == 1 and not selection.lads:
        return [ICB_AREA]
    return keys


def area_label(area: str, selection: Selection) -> str:
    """The name of an area key: the total is 'L&SC ICB' for the whole ICB, else the selected Place(s) by
    name ('Blackpool', 'Blackpool and Lancashire'), or their chosen districts."""
    if area == ICB_AREA:
        if selection.is_whole_icb:
            return "L&SC ICB"
        places = list(selection.places)
        named = ", ".join(places[:-1]) + f" and {places[-1]}" if len(places) > 1 else "".join(places)
        if selection.lads:
            count = len(selection.lads)
            return f"{count} district{'s' if count > 1 else ''}" + (f" of {named}" if named else " of L&SC")
        return named
    return area


def _lookup(settings: Settings, selection: Selection) -> pd.DataFrame:
    """LSOAs of the selection with their Place, Core20 flag and children (of the chosen ages)."""
    from geo.cache import load_areas

    areas = metrics.filter_areas(load_areas(settings.cache_dir, selection.vintage, selection.definition), selection)
    return pd.DataFrame(
        {
            "lsoa_code": areas["lsoa_code"].astype(str),
            "place": areas["place"].astype(str),
            "core20": areas["core20"].astype(bool),
            "population": metrics.denominator(areas, selection).astype("int64"),
        }
    )


# --------------------------------------------------------------------------------------------
# the query


def monthly_counts(
    t: ir.Table,
    selection: Selection,
    lookup: pd.DataFrame,
    start: dt.date,
    end: dt.date,
) -> pd.DataFrame:
    """Counts by month and Place plus the total over the LSOAs in ``lookup``: referrals and Core20
    referrals by month of referral, people with a first attended contact by month of first contact.
    Rows: area ('ICB' for the total), month, referrals, core20_referrals, people_accessing."""
    from equity.queries import in_groups, person, run, selected

    lsoa = LSOA_COLUMN[selection.vintage]
    codes = lookup["lsoa_code"].astype(str)
    by_place = {place: codes[lookup["place"] == place].tolist() for place in dict.fromkeys(lookup["place"])}
    core = codes[lookup["core20"].astype(bool)].tolist()
    everyone = selection.with_(date_from=None, date_to=None)
    rows = selected(t, everyone)
    rows = rows.mutate(area=in_groups(rows[lsoa], by_place), core20=rows[lsoa].isin(core))
    rows = rows.filter(rows.area.notnull())  # LSOAs of the lookup only
    made = rows.filter(rows.referral_date.between(ibis.date(start), ibis.date(end)))
    referrals = made.group_by(month=made.referral_date.truncate("M").cast("date"), area=made.area).aggregate(
        referrals=made.count(), core20_referrals=made.count(where=made.core20)
    )
    seen = rows.filter(rows.first_contact_date.between(ibis.date(start), ibis.date(end)))
    seen = seen.mutate(month=seen.first_contact_date.truncate("M").cast("date"), key=person(seen))
    per_place = seen.group_by("month", "area").aggregate(people_accessing=seen.key.nunique())
    total = seen.group_by("month").aggregate(area=ibis.literal(ICB_AREA), people_accessing=seen.key.nunique())
    made_counts = run(referrals, ["area", "month"])
    made_total = made_counts.groupby("month", as_index=False)[["referrals", "core20_referrals"]].sum()
    made_counts = pd.concat([made_counts, made_total.assign(area=ICB_AREA)], ignore_index=True)
    access = run(per_place.union(total.select("month", "area", "people_accessing")), ["area", "month"])
    out = made_counts.merge(access, on=["area", "month"], how="outer")
    out["month"] = pd.to_datetime(out["month"]).dt.date
    return out


def build_series(
    counts: pd.DataFrame,
    lookup: pd.DataFrame,
    areas: Sequence[str],
    months: Sequence[dt.date],
    access_from: dt.date | None = None,
) -> pd.DataFrame:
    """The full area x month grid (zeros where nothing happened) with the Core20 coverage ratio;
    ``people_accessing`` is missing for months before ``access_from``."""
    grid = pd.MultiIndex.from_product([list(areas), list(months)], names=["area", "month"]).to_frame(index=False)
    frame = grid.merge(counts, on=["area", "month"], how="left")
    for column in ("referrals", "core20_referrals", "people_accessing"):
        frame[column] = frame[column].fillna(0).astype("int64")
    shares = {}
    for area in areas:
        rows = lookup if area == ICB_AREA else lookup[lookup["place"] == area]
        total = rows["population"].sum()
        core = rows.loc[rows["core20"], "population"].sum()
        shares[area] = core / total if total > 0 and core > 0 else np.nan
    if access_from is not None:
        frame["people_accessing"] = frame["people_accessing"].astype("Int64").mask(frame["month"] < access_from)
    frame["core20_population_share"] = frame["area"].map(shares).astype(float)
    frame["core20_coverage"] = coverage(frame["core20_referrals"], frame["referrals"], frame["core20_population_share"])
    return frame[list(SERIES_COLUMNS)]


def coverage(core20_referrals: pd.Series, referrals: pd.Series, population_share: pd.Series) -> pd.Series:
    """(core20 referrals / referrals) / Core20 population share; NaN with no referrals or no Core20 children."""
    referral_share = core20_referrals.astype(float) / referrals.astype(float).where(referrals > 0)
    return referral_share / population_share.astype(float)


def monthly_series(settings: Settings, selection: Selection) -> pd.DataFrame:
    """One row per area (the total, then each Place) and complete month, with exact counts."""
    from equity.dashboard import store_info

    info = store_info(settings.store_location)
    if not info.data_date:
        raise TrendError("the referral store is empty: there is nothing to chart")
    first = dt.date.fromisoformat(info.first_referral_date)
    start, end = period_window(selection, first, dt.date.fromisoformat(info.data_date))
    months = complete_months(start, end)
    lookup = _lookup(settings, selection)
    if not months:
        counts = pd.DataFrame(columns=["area", "month", "referrals", "core20_referrals", "people_accessing"])
    else:
        with reading(settings.store_location) as referrals:
            counts = monthly_counts(referrals, selection, lookup, months[0], month_end(months[-1]))
    return build_series(counts, lookup, area_keys(selection), months, access_start(first))


def access_start(first_referral: dt.date) -> dt.date:
    """The first month in which access is counted: ``ACCESS_LEAD_IN_MONTHS`` after the store's first month."""
    month = month_start(first_referral)
    for _ in range(ACCESS_LEAD_IN_MONTHS):
        month = month_end(month) + dt.timedelta(days=1)
    return month


# --------------------------------------------------------------------------------------------
# SPC per measure and area


def measure(key: str) -> Measure:
    if key not in MEASURES:
        raise TrendError(f"measure must be one of {', '.join(MEASURES)}, got {key!r}")
    return MEASURES[key]


def area_series(series: pd.DataFrame, measure_key: str, area: str) -> pd.DataFrame:
    """month and value of one measure for one area; months without a value (no referrals) dropped."""
    column = _VALUE_COLUMN[measure(measure_key).key]
    if area not in set(series["area"]):
        raise TrendError(f"area must be one of {', '.join(dict.fromkeys(series['area']))}, got {area!r}")
    rows = series[series["area"] == area]
    out = pd.DataFrame({"month": rows["month"].to_numpy(), "value": rows[column].astype(float).to_numpy()})
    return out.dropna(subset=["value"]).reset_index(drop=True)


def spc_for(
    series: pd.DataFrame,
    measure_key: str,
    area: str,
    *,
    target: float | None = None,
    rebase: Sequence[dt.date] = (),
    polarity: str | None = None,
) -> SpcResult:
    """The XmR chart of one measure in one area, with the measure's polarity unless ``polarity`` is
    given. Rebase months outside the series are ignored (a rebase before the first month charted
    leaves one segment, as it should for a scheduled pack whose window has moved on)."""
    data = area_series(series, measure_key, area)
    spec = MEASURES[measure_key]
    hidden = hidden_months(series, measure_key, area)
    if hidden:
        total = len(data) + hidden
        if hidden > MAX_HIDDEN_SHARE * total:
            raise TrendError(
                f"{spec.label} for {area}: {hidden} of {total} months are hidden by disclosure control (counts of "
                f"1-4, or hidden so that they cannot be worked out from the total); with more than "
                f"{MAX_HIDDEN_SHARE:.0%} hidden no SPC chart is drawn. Choose a larger area, fewer filters or the ICB."
            )
    if data.empty and not spec.is_count:
        raise TrendError(f"{spec.label} for {area}: no Core20 neighbourhoods or no referrals in the period")
    if len(data) < 2:
        raise TrendError(f"{spec.label} for {area}: fewer than two complete months to chart; widen the period")
    months = list(data["month"])
    rebase = [r for r in rebase if r in months[1:]]
    chosen = polarity or spec.polarity
    ideal = spec.ideal if spec.ideal is not None else target
    if chosen == "closer" and ideal is None:
        raise TrendError(f"{spec.label}: 'closer' needs a value to be close to; set a target")
    result = xmr(
        data["value"], months, polarity=chosen, target=target, rebase_at=rebase, lower_bound=0.0, ideal=ideal
    )
    if hidden:
        noun = "month is" if hidden == 1 else "months are"
        note = f"{hidden} {noun} hidden by disclosure control and left out (gaps in the line; not in mean or limits)"
        result = replace(result, warnings=(*result.warnings, note))
    return result


_HIDDEN_COLUMN = {"referrals": ("referrals",), "access": ("people_accessing",),
                  "core20_coverage": ("core20_referrals", "referrals")}


def hidden_months(series: pd.DataFrame, measure_key: str, area: str) -> int:
    """Months of ``area`` whose value of the measure is hidden by disclosure control (0 for an exact series)."""
    columns = [f"{c}_hidden" for c in _HIDDEN_COLUMN[measure(measure_key).key]]
    if not all(c in series.columns for c in columns):
        return 0
    rows = series[series["area"] == area]
    return int(rows[columns].any(axis=1).sum())


def is_controlled(series: pd.DataFrame) -> bool:
    """True for a series from :func:`controlled_series`."""
    return "referrals_hidden" in series.columns


def series_months(series: pd.DataFrame) -> list[dt.date]:
    """The complete months of a series, in order."""
    return sorted(set(series["month"]))


def summary(
    series: pd.DataFrame,
    selection: Selection,
    *,
    targets: Mapping[str, float | None] | None = None,
    rebase: Sequence[dt.date] = (),
    polarities: Mapping[str, str] | None = None,
    suppress: bool = True,
) -> pd.DataFrame:
    """One row per measure x area: latest month and value, mean and limits of the latest segment,
    target and the variation and assurance icons (keys and labels). ``targets`` and ``polarities``
    override the measures' defaults. Computed from :func:`controlled_series` (applied here to an exact
    series) unless ``suppress`` is False, so the mean times the months gives back no exact total."""
    if suppress and not is_controlled(series):
        series = controlled_series(series, selection)
    targets = {k: m.default_target for k, m in MEASURES.items()} | dict(targets or {})
    polarities = dict(polarities or {})
    rows = []
    for key, spec in MEASURES.items():
        for area in chart_areas(selection):  # one Place alone: its total is that Place, listed once
            row: dict[str, object] = {"measure": key, "measure_label": spec.label, "area": area,
                                      "area_label": area_label(area, selection), "target": targets.get(key)}
            try:
                result = spc_for(
                    series, key, area, target=targets.get(key), rebase=rebase, polarity=polarities.get(key)
                )
            except TrendError:
                rows.append(row | {"variation": "not_enough_data", "assurance": "no_target", "points": 0})
                continue
            last = result.latest
            latest_month = last["period"]
            month_rows = series[(series["area"] == area) & (series["month"] == latest_month)]
            row |= {
                "points": len(result.points),
                "latest_month": latest_month,
                "latest_value": float(last["value"]),
                "latest_numerator": month_rows[_numerator(key)].iloc[0],
                "mean": float(last["mean"]),
                "lower": float(last["lower"]),
                "upper": float(last["upper"]),
                "variation": result.variation,
                "assurance": result.assurance,
            }
            rows.append(row)
    out = pd.DataFrame(rows)
    out["controlled"] = is_controlled(series)
    from equity.spc import ASSURANCE_LABELS, VARIATION_LABELS

    out["variation_label"] = out["variation"].map(VARIATION_LABELS)
    out["assurance_label"] = out["assurance"].map(ASSURANCE_LABELS)
    return out


def _numerator(measure_key: str) -> str:
    return {"referrals": "referrals", "access": "people_accessing", "core20_coverage": "core20_referrals"}[measure_key]


# --------------------------------------------------------------------------------------------
# disclosure-controlled copies for download and export


def summary_display(table: pd.DataFrame, selection: Selection, *, suppress: bool = True) -> pd.DataFrame:
    """The summary as published. From a summary of the controlled series (:func:`summary`, the usual
    case) the latest value is already controlled and is shown as it is. A summary of an exact series
    has its latest counts controlled (1-4 hidden; rounded to 5 below ICB level) and its latest coverage
    ratios hidden below ICB level (their denominators are not at hand to recompute them). Means and
    limits are shown to one decimal place (two for ratios)."""
    out = table.copy()
    out["latest_shown"] = out.get("latest_value", pd.Series(np.nan, index=out.index)).astype(object)
    if "latest_value" not in out.columns:
        return out
    controlled = bool(out["controlled"].all()) if "controlled" in out.columns else False
    for i, row in out.iterrows():
        if pd.isna(row["latest_value"]) or not suppress or controlled:
            continue
        level: Literal["icb", "sub_icb"] = "icb" if row["area"] == ICB_AREA and selection.is_whole_icb else "sub_icb"
        if MEASURES[row["measure"]].is_count:
            out.at[i, "latest_shown"] = control_count(row["latest_value"], level)
        elif level != "icb" or control_count(row["latest_numerator"], level) is None:
            out.at[i, "latest_shown"] = None
    for column in ("mean", "lower", "upper"):
        decimals = out["measure"].map(lambda k: 1 if MEASURES[k].is_count else 2)
        out[column] = [round(v, d) if pd.notna(v) else v for v, d in zip(out[column], decimals, strict=True)]
    return out


COUNT_COLUMNS = ("referrals", "core20_referrals", "people_accessing")


def controlled_series(series: pd.DataFrame, selection: Selection, *, suppress: bool = True) -> pd.DataFrame:
    """The monthly series as published (area keys kept). Rows below ICB level (Places, and a total of
    selected Places) have counts 1-4 hidden and others rounded to 5, with secondary suppression within
    each month against the total; the whole-ICB total is exact with 1-4 hidden. The coverage ratio is
    recomputed from the controlled counts. ``<count>_hidden`` columns mark the cells disclosure control
    hid (not those missing by design, such as access in the lead-in months)."""
    counts = list(COUNT_COLUMNS)
    parts = []
    for _, month_rows in series.groupby("month", sort=True):
        total = month_rows[month_rows["area"] == ICB_AREA]
        places = month_rows[month_rows["area"] != ICB_AREA]
        total_level = "icb" if selection.is_whole_icb else "sub_icb"
        total_shown = disclose(total, counts=counts, level=total_level, total_shown=False, enabled=suppress)
        places_shown = disclose(places, counts=counts, total_shown=True, enabled=suppress)
        parts += [total_shown, places_shown]
    if not parts:
        out = series.assign(suppressed=pd.Series(dtype=bool))
        for column in counts:
            out[f"{column}_hidden"] = pd.Series(dtype=bool)
        return out
    out = pd.concat(parts, ignore_index=True)
    exact = pd.concat(
        [pd.concat([g[g["area"] == ICB_AREA], g[g["area"] != ICB_AREA]]) for _, g in series.groupby("month")],
        ignore_index=True,
    )
    for column in counts:
        out[f"{column}_hidden"] = (out[column].isna() & exact[column].notna()).to_numpy()
    referrals = out["referrals"].astype("Float64")
    core = out["core20_referrals"].astype("Float64")
    share = core / referrals.where(referrals > 0)
    out["core20_coverage"] = share / out["core20_population_share"].astype("Float64")
    return out


def series_download(series: pd.DataFrame, selection: Selection, *, suppress: bool = True) -> pd.DataFrame:
    """The monthly series for download: :func:`controlled_series` with area labels and without the
    ``*_hidden`` marker columns."""
    out = series if is_controlled(series) else controlled_series(series, selection, suppress=suppress)
    out = out.drop(columns=[f"{c}_hidden" for c in COUNT_COLUMNS], errors="ignore")
    out["area"] = out["area"].map(lambda a: area_label(a, selection))
    return out
