"""Board-pack items: each kind rebuilds one chart or table from (settings, selection, spec).

``spec`` is a small JSON-serialisable dict (kept in the app's session, saved in pack configs):

========================  ==================================================================
kind                      spec
========================  ==================================================================
``overview_rates``        ``{}`` (referrals) or ``{"measure": "access"}``: rate per 1,000 by Place
``overview_table``        ``{}``: headline figures for the ICB and each Place
``lsoa_map``              ``{}``: referrals per 1,000 children aged 0-5 by neighbourhood
``spc``                   ``{"measure": "referrals"|"access"|"core20_coverage", "area": "ICB"|Place,
                          "target": number|None, "rebase": ["YYYY-MM-DD", ...],
                          "polarity": "higher"|"lower"|"neutral" (default: the measure's)}``
``spc_summary``           ``{"targets": {measure: number|None}, "rebase": [...],
                          "polarities": {measure: polarity}}``
``inequality``            ``{"measure": "referrals"|"access"}``: SII/RII, Core20 coverage, need
``outcomes``              ``{"measure": a registry measure, "by": place|imd_quintile|...}``: outcome table
``gap_to_parity``         ``{"by": "place"|"lad"|"lsoa", "assumptions": {unit_costs, mix, cost_source,
                          return_per_pound, return_source}}``: the gap with the costs as entered
``core20_quarterly``      ``{"measure": "referrals"|"access", "target": number|None}``: trend of the gap
``spc_places``            ``{"measure": ...}``: SPC small multiples of the four Places
``snapshot``              ``{"figure": Plotly JSON}`` or ``{"table": {"columns", "rows"}, "title", ...}``:
                          any other chart or table as shown when added
========================  ==================================================================

Every item comes back as :class:`ItemContent`: a figure or a display table (strings, with
disclosure control already applied), a title, a subtitle and notes. Nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.spc import ICON_ANNOTATION
from equity import formatting as fmt
from equity.dashboard import StoreInfo
from equity.selection import Selection
from equity.settings import PLACES, Settings


class PackItemError(ValueError):
    """A pack item's kind or spec is not valid; the message names the item and the problem."""


@dataclass(frozen=True)
class ItemContent:
    """One slide's content. Exactly one of ``figure`` and ``table`` is set. ``table`` holds display
    strings; ``cell_colours`` maps (row position, column name) to a fill colour."""

    title: str
    subtitle: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    notes: str = ""
    cell_colours: dict[tuple[int, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    label: str
    build: Callable[[Settings, Selection, Mapping], ItemContent]
    is_table: bool = False


def source_text(info: StoreInfo) -> str:
    """The source line of every chart and slide (as on the dashboard's pages)."""
    kind = "synthetic demo referrals" if info.kind == "demo" else "referral extract"
    return f"Source: {kind} to {info.data_date}; population 0-5: ONS mid-2020 estimates; IMD: MHCLG (OGL v3.0)"


# --------------------------------------------------------------------------------------------
# cached inputs (one query per selection and store version, shared by the items of a pack)

_SERIES_CACHE: dict[tuple, pd.DataFrame] = {}
_SERIES_LOCK = threading.Lock()


def _store_version(settings: Settings) -> tuple:
    from equity.dashboard import store_state

    return settings.store_location.describe(), store_state(settings.store_location)


def monthly_series(settings: Settings, selection: Selection) -> pd.DataFrame:
    """The monthly series as published (``publish.tables.controlled_series``, the series behind 'trend_monthly'
    and 'trend_spc'), kept for a few selections while the store is unchanged."""
    from publish.tables import controlled_series as compute

    key = (*_store_version(settings), str(settings.cache_dir), selection)
    with _SERIES_LOCK:
        if key in _SERIES_CACHE:
            return _SERIES_CACHE[key]
    series = compute(settings, selection)
    with _SERIES_LOCK:
        while len(_SERIES_CACHE) >= 8:
            _SERIES_CACHE.pop(next(iter(_SERIES_CACHE)))
        _SERIES_CACHE[key] = series
    return series


def _info(settings: Settings) -> StoreInfo:
    from equity.dashboard import store_info

    return store_info(settings.store_location)


# --------------------------------------------------------------------------------------------
# formatting


# --------------------------------------------------------------------------------------------
# overview


def _measure_arg(spec: Mapping) -> str:
    measure = spec.get("measure", "referrals")
    if measure not in ("referrals", "access"):
        raise PackItemError(f"measure must be 'referrals' or 'access', got {measure!r}")
    return measure


def overview_rates(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    from publish import tables
    from publish.benchmarks import overview_bars

    measure = _measure_arg(spec)
    table = tables.get("overview_compared", settings, selection)
    fig = overview_bars(table, selection, measure=measure, source=source_text(_info(settings)))
    title = fig.layout.title.text.split("<br>")[0]
    subtitle = fig.layout.title.text.split("<sup>")[1].split("</sup>")[0]
    name = table[f"{measure}_benchmark"].iloc[0]
    return ItemContent(
        title=title,
        subtitle=subtitle,
        figure=fig,
        notes=f"Dashed line: L&SC; bars coloured by comparison with {name} at 95% (OHID Fingertips colours).",
    )


def overview_table(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    from publish import tables
    table = tables.get("overview_compared", settings, selection)
    ref = table["referrals_benchmark"].iloc[0]
    acc = table["access_benchmark"].iloc[0]
    rows = [
        {
            "Area": row.group_name,
            "Children aged 0-5": f"{row.denominator:,}",
            "Referrals": fmt.count(row.referrals),
            "Per 1,000 (95% CI)": f"{fmt.rate(row.rate_per_1000)} ({fmt.interval(row.lower_95, row.upper_95)})",
            "People accessing": fmt.count(row.people_accessing),
            "Access per 1,000": fmt.rate(row.access_rate_per_1000),
            "Referrals from Core20": fmt.share(row.core20_referral_share),
            "Children in Core20": fmt.share(row.core20_population_share),
            f"Referrals vs {ref}": row.referrals_vs,
            f"Access vs {acc}": row.access_vs,
        }
        for row in table.itertuples(index=False)
    ]
    return ItemContent(
        title="Headline figures by Place",
        subtitle=selection.describe(),
        table=pd.DataFrame(rows),
        notes="Rates per 1,000 children aged 0-5 (ONS mid-2020). Core20: national IMD deciles 1-2.",
    )


# --------------------------------------------------------------------------------------------
# map


def lsoa_map(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    """The explorer map: spec {"metric": key, "level": lsoa|msoa|lad|place, "highlight": bool}."""
    from equity import explorer
    from publish.mapview import explorer_map

    metric_key = str(spec.get("metric", "referral_rate"))
    level = str(spec.get("level", "lsoa"))
    if metric_key not in explorer.METRICS or level not in explorer.LEVELS:
        raise PackItemError(f"unknown map metric {metric_key!r} or level {level!r}")
    highlight = bool(spec.get("highlight", False))
    fig = explorer_map(
        settings,
        selection,
        metric_key=metric_key,
        level=level,
        highlight=highlight,
        source=source_text(_info(settings)),
        height=640,
    )
    title = fig.layout.title.text.split("<br>")[0]
    subtitle = f"{selection.describe()} · grey = suppressed (1-4) or no data"
    notes = "Black lines: Place boundaries; grey lines: district boundaries."
    if highlight:
        notes += " Orange outlines: areas whose need-adjusted access ratio has an upper 95% limit below 1."
    return ItemContent(title=title, subtitle=subtitle, figure=fig, notes=notes)


# --------------------------------------------------------------------------------------------
# SPC


def _dates(values: object, what: str) -> tuple[dt.date, ...]:
    if values in (None, ""):
        return ()
    if isinstance(values, (str, dt.date)):
        values = [values]
    out = []
    for value in values:  # type: ignore[attr-defined]
        if isinstance(value, dt.date):
            out.append(value)
            continue
        try:
            out.append(dt.date.fromisoformat(str(value)))
        except ValueError:
            raise PackItemError(f"{what}: dates must be YYYY-MM-DD, got {value!r}") from None
    return tuple(d.replace(day=1) for d in out)


def _target(value: object, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PackItemError(f"{what}: target must be a number, got {value!r}") from None
    if not np.isfinite(number):
        raise PackItemError(f"{what}: target must be a finite number, got {value!r}")
    return number


def spc_title(measure_key: str, area: str, selection: Selection) -> str:
    from equity.trends import MEASURES, area_label

    return f"{MEASURES[measure_key].label} per month: {area_label(area, selection)}"


def spc_figure(
    series: pd.DataFrame,
    selection: Selection,
    info: StoreInfo,
    *,
    measure: str,
    area: str,
    target: float | None = None,
    rebase: tuple[dt.date, ...] = (),
    polarity: str | None = None,
    height: int = 520,
) -> tuple[go.Figure, object]:
    """The SPC chart of one measure and area from a monthly series; returns (figure, SpcResult).

    The chart (points, hover, mean and limits) is drawn from the disclosure-controlled series
    (``equity.trends.controlled_series``, applied here to an exact series), and its subtitle says so."""
    from charts.spc import spc_chart
    from equity.trends import CONTROL_NOTE, MEASURES, controlled_series, hidden_months, is_controlled, spc_for

    if not is_controlled(series):
        series = controlled_series(series, selection)
    spec = MEASURES[measure]
    result = spc_for(series, measure, area, target=target, rebase=rebase, polarity=polarity)
    months = result.points["period"]
    hidden = hidden_months(series, measure, area)
    subtitle = (
        f"{selection.describe()} · XmR chart of complete months {months.iloc[0]:%b %Y} to {months.iloc[-1]:%b %Y}"
        f" · {CONTROL_NOTE}" + (f" ({hidden} hidden)" if hidden else "")
    )
    fig = spc_chart(
        result=result,
        title=spc_title(measure, area, selection),
        subtitle=subtitle,
        source=source_text(info),
        y_title=spec.y_title,
        value_format=spec.value_format,
        height=height,
    )
    return fig, result


def _polarity(value: object, what: str) -> str | None:
    from equity.spc import POLARITIES

    if value in (None, ""):
        return None
    if value not in POLARITIES:
        raise PackItemError(f"{what}: polarity must be one of {', '.join(POLARITIES)}, got {value!r}")
    return str(value)


def _spc_args(spec: Mapping) -> tuple[str, str, float | None, tuple[dt.date, ...]]:
    from equity.trends import ICB_AREA, MEASURES

    measure = spec.get("measure", "referrals")
    if measure not in MEASURES:
        raise PackItemError(f"spc: measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    area = spec.get("area", ICB_AREA)
    if area not in (ICB_AREA, *PLACES):
        raise PackItemError(f"spc: area must be one of {ICB_AREA}, {', '.join(PLACES)}, got {area!r}")
    target = _target(spec.get("target", MEASURES[measure].default_target), "spc")
    return measure, area, target, _dates(spec.get("rebase"), "spc rebase")


def spc_item(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    from equity.trends import MEASURES, TrendError

    measure, area, target, rebase = _spc_args(spec)
    polarity = _polarity(spec.get("polarity"), "spc")
    if selection.places and area != "ICB" and area not in selection.places:
        raise PackItemError(f"spc: {area} is not in the selection ({', '.join(selection.places)})")
    try:
        fig, result = spc_figure(
            monthly_series(settings, selection),
            selection,
            _info(settings),
            measure=measure,
            area=area,
            target=target,
            rebase=rebase,
            polarity=polarity,
        )
    except TrendError as exc:
        raise PackItemError(str(exc)) from None
    notes = (
        f"{MEASURES[measure].description} Variation: {result.variation_label}. "  # type: ignore[attr-defined]
        f"Assurance: {result.assurance_label}."  # type: ignore[attr-defined]
    )
    title = spc_title(measure, area, selection)
    return ItemContent(title=title, subtitle=selection.describe(), figure=fig, notes=notes)


def spc_places(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    """SPC small multiples: one measure's XmR chart for each of the four Places (the selection's other
    filters), spec {"measure": ...}."""
    from charts.spc import spc_small_multiples
    from equity.trends import CONTROL_NOTE, MEASURES, TrendError, controlled_series, is_controlled, spc_for

    measure = spec.get("measure", "referrals")
    if measure not in MEASURES:
        raise PackItemError(f"spc_places: measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    whole = selection.whole_icb()
    series = monthly_series(settings, whole)
    if not is_controlled(series):
        series = controlled_series(series, whole)
    try:
        results = {place: spc_for(series, measure, place) for place in PLACES}
    except TrendError as exc:
        raise PackItemError(str(exc)) from None
    months = next(iter(results.values())).points["period"]
    title = f"{MEASURES[measure].label} per month, by Place"
    subtitle = (
        f"{whole.describe()} · XmR charts of complete months {months.iloc[0]:%b %Y} to {months.iloc[-1]:%b %Y} · "
        f"{CONTROL_NOTE}"
    )
    fig = spc_small_multiples(
        results=results,
        title=title,
        subtitle=subtitle,
        source=source_text(_info(settings)),
        y_title=MEASURES[measure].y_title,
        value_format=MEASURES[measure].value_format,
    )
    notes = "; ".join(f"{place}: {result.variation_label}" for place, result in results.items()) + "."
    return ItemContent(title=title, subtitle=whole.describe(), figure=fig, notes=notes)


#: Table cell fills for special causes: tints of the MDC colours (blue, orange, purple), dark text stays legible.
VARIATION_COLOURS: dict[str, str] = {
    "improvement": "#c9e6f8",
    "concern": "#fee6b8",
    "neutral": "#dcc8ec",
}


def summary_table(summary: pd.DataFrame) -> tuple[pd.DataFrame, dict[tuple[int, str], str]]:
    """Display strings of a disclosure-controlled SPC summary, with cell colours for the icons."""
    from equity.trends import MEASURES

    rows = []
    colours: dict[tuple[int, str], str] = {}
    for i, row in enumerate(summary.itertuples(index=False)):
        spec = MEASURES[row.measure]
        decimals = 1 if spec.is_count else 2
        has = getattr(row, "points", 0) and pd.notna(getattr(row, "mean", np.nan))
        if spec.is_count:
            latest = fmt.count(row.latest_shown) if has else ""
        else:
            latest = fmt.rate(row.latest_shown, 2) if has else ""
        rows.append(
            {
                "Measure": spec.label,
                "Area": row.area_label,
                "Latest month": f"{row.latest_month:%b %Y}" if has else "",
                "Latest": latest,
                "Mean": fmt.rate(row.mean, decimals) if has else "",
                "Process limits": fmt.interval(row.lower, row.upper, decimals) if has else "",
                "Target": "" if row.target is None or pd.isna(row.target) else fmt.rate(row.target, decimals),
                "Variation": row.variation_label,
                "Assurance": row.assurance_label,
            }
        )
        nature = row.variation.rsplit("_", 1)[0]
        if nature in VARIATION_COLOURS:
            colours[(i, "Variation")] = VARIATION_COLOURS[nature]
        if row.assurance in ("pass", "fail"):
            colours[(i, "Assurance")] = VARIATION_COLOURS["improvement" if row.assurance == "pass" else "concern"]
    return pd.DataFrame(rows), colours


def _summary_args(spec: Mapping) -> tuple[dict[str, float | None], tuple[dt.date, ...]]:
    from equity.trends import MEASURES

    targets_in = spec.get("targets") or {}
    if not isinstance(targets_in, Mapping):
        raise PackItemError("spc_summary: targets must map a measure to a number")
    unknown = [k for k in targets_in if k not in MEASURES]
    if unknown:
        raise PackItemError(f"spc_summary: unknown measure(s) {unknown} in targets")
    targets = {k: _target(v, "spc_summary") for k, v in targets_in.items()}
    return targets, _dates(spec.get("rebase"), "spc_summary rebase")


def _summary_polarities(spec: Mapping) -> dict[str, str]:
    from equity.trends import MEASURES

    given = spec.get("polarities") or {}
    if not isinstance(given, Mapping) or any(k not in MEASURES for k in given):
        raise PackItemError(f"spc_summary: polarities must map a measure ({', '.join(MEASURES)}) to a polarity")
    return {k: p for k, v in given.items() if (p := _polarity(v, "spc_summary"))}


def spc_summary(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    from publish import tables

    targets, rebase = _summary_args(spec)
    polarities = _summary_polarities(spec)
    chosen = tables.SummaryOptions(dict(targets), tuple(rebase), polarities)
    shown = tables.get("trend_summary", settings, selection, chosen.as_options())
    table, colours = summary_table(shown)
    return ItemContent(
        title="Trends at a glance: SPC variation and assurance",
        subtitle=f"{selection.describe()} · latest complete month",
        table=table,
        cell_colours=colours,
        notes="Making Data Count XmR charts: blue = special cause improvement, orange = special cause concern. "
        "Assurance compares the target with the process limits. Latest values below ICB level are disclosure-"
        "controlled; means and limits are averages over the months charted.",
    )


# --------------------------------------------------------------------------------------------
# inequality


def inequality_item(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    from equity.report import inequality_display
    from publish import tables

    measure = _measure_arg(spec)
    table = inequality_display(tables.get("equity_summary", settings, selection, {"measure": measure}))
    word = "referral" if measure == "referrals" else "access"
    return ItemContent(
        title=f"Equity of {word}: deprivation gradient, Core20 coverage and need",
        subtitle=selection.describe(),
        table=table,
        notes="SII/RII across national IMD deciles; coverage ratio = share from Core20 areas / share of children "
        "0-5; need-adjusted ratio = observed / expected under the need model (1 = in proportion to need).",
    )


# --------------------------------------------------------------------------------------------
# outcomes and the gap to parity


def _outcome_args(spec: Mapping) -> tuple[str, str]:
    from data.measures import names
    from equity.outcomes import BY

    measure, by = spec.get("measure", "PIR-GAS"), spec.get("by", "place")
    if measure not in names():
        raise PackItemError(f"outcomes: measure must be one of {', '.join(names())}, got {measure!r}")
    if by not in BY:
        raise PackItemError(f"outcomes: by must be one of {', '.join(BY)}, got {by!r}")
    return measure, by


def outcomes_item(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    from data.measures import registry
    from equity import outcomes
    from publish import tables

    measure_name, by = _outcome_args(spec)
    measure = registry()[measure_name]
    table = tables.get("outcomes_by_group", settings, selection, {"measure": measure_name, "by": by})
    return ItemContent(
        title=f"Outcomes: {measure_name} by {by.replace('_', ' ')}",
        subtitle=selection.describe(),
        table=outcomes.display(table, measure),
        notes=f"{outcomes.thresholds_text(measure)} Mean change = end - start, Student's t 95% interval; compared "
        "with the L&SC mean change (PHE convention). Completeness = pairs / discharged referrals. "
        + source_text(_info(settings)),
    )


def _gap_args(spec: Mapping) -> tuple[str, object]:
    from equity.parity import AssumptionError, Assumptions

    by = spec.get("by", "place")
    if by not in ("place", "lad", "lsoa"):
        raise PackItemError(f"gap_to_parity: by must be place, lad or lsoa, got {by!r}")
    try:
        assumptions = Assumptions.from_dict(spec.get("assumptions") or {})
    except AssumptionError as exc:
        raise PackItemError(f"gap_to_parity: {exc}") from None
    return by, assumptions


def gap_item(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    from equity import parity
    from publish import tables

    by, assumptions = _gap_args(spec)
    assert isinstance(assumptions, parity.Assumptions)
    table = parity.costed(tables.get("gap_to_parity", settings, selection, {"by": by}), assumptions)
    if by == "lsoa":  # a slide lists the 20 neighbourhoods with the largest gap
        table = table.sort_values("additional_per_year", ascending=False, na_position="last").head(20)
    label = {"place": "Place", "lad": "District", "lsoa": "Neighbourhood"}[by]
    months = float(table["months"].iloc[0]) if len(table) else 0.0
    return ItemContent(
        title=f"Gap to parity in need-adjusted access by {label.lower()}",
        subtitle=f"{selection.describe()} · a year = x 12 / {months:.1f} months of data",
        table=parity.display(table, assumptions, label),
        notes="Assumptions: " + " ".join(assumptions.describe()) + " Additional children a year for need-adjusted "
        "access to reach 1: max(0, expected - observed) x 12 / months; 95% interval from the Byar limits of the "
        "observed count. " + source_text(_info(settings)),
    )


# --------------------------------------------------------------------------------------------
# the registry


def core20_quarterly(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    """The Core20PLUS5 page's trend of the gap: spec {"measure": referrals|access, "target": number or none}."""
    from charts.core20 import quarterly_chart
    from equity.core20 import MEASURE_LABELS
    from publish import tables

    measure = _measure_arg(spec)
    target = _target(spec.get("target"), "core20_quarterly")
    frame = tables.get("core20_quarterly", settings, selection, {"measure": measure})
    title = f"Core20 coverage ratio of {MEASURE_LABELS[measure].lower()}, by quarter"
    subtitle = f"{selection.describe()} · shaded: 95% CI · NHS financial quarters · the last may be incomplete"
    fig = quarterly_chart(
        frame=frame, title=title, subtitle=subtitle, source=source_text(_info(settings)), target=target
    )
    return ItemContent(
        title=title,
        subtitle=subtitle,
        figure=fig,
        notes="Coverage ratio: share of the measure from Core20 areas / share of children aged 0-5 living there "
        "(1 = in proportion). Quarters are NHS financial quarters (Q1 = April to June).",
    )


# --------------------------------------------------------------------------------------------
# any other chart or table, as shown


#: the largest snapshot a pack keeps (JSON characters): a funnel of 1,060 neighbourhoods is about 0.3 MB
SNAPSHOT_MAX_CHARS = 3_000_000


def _plain(value: object) -> object:
    """A figure's or table's values as JSON-ready Python (NumPy arrays and scalars, dates as ISO text)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp | dt.date | dt.datetime):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def snapshot_of_figure(fig: go.Figure) -> dict:
    """The spec of a 'snapshot' item holding a chart as shown (its data and layout, no template)."""
    data = fig.to_plotly_json()
    data.get("layout", {}).pop("template", None)
    return {"figure": _plain(data)}


def snapshot_of_table(frame: pd.DataFrame, title: str, subtitle: str = "", notes: str = "") -> dict:
    """The spec of a 'snapshot' item holding a screen table as shown (every value as its shown text)."""
    shown = frame.astype(object).where(frame.notna(), "")
    return {
        "table": {"columns": [str(c) for c in shown.columns], "rows": [[str(v) for v in r] for r in shown.values]},
        "title": title,
        "subtitle": subtitle,
        "notes": notes,
    }


def _snapshot_args(spec: Mapping) -> None:
    import json

    if ("figure" in spec) == ("table" in spec):
        raise PackItemError("snapshot: spec needs exactly one of 'figure' or 'table'")
    if len(json.dumps(dict(spec), default=str)) > SNAPSHOT_MAX_CHARS:
        raise PackItemError(f"snapshot: larger than {SNAPSHOT_MAX_CHARS:,} characters")
    if "figure" in spec:
        figure = spec["figure"]
        if not isinstance(figure, Mapping) or not isinstance(figure.get("data"), list):
            raise PackItemError("snapshot: 'figure' must be a Plotly figure (a mapping with a 'data' list)")
        return
    table = spec["table"]
    if not isinstance(table, Mapping) or not isinstance(table.get("columns"), list):
        raise PackItemError("snapshot: 'table' must have 'columns' and 'rows'")
    width = len(table["columns"])
    for number, row in enumerate(table.get("rows") or [], start=1):
        if not isinstance(row, list) or len(row) != width:
            raise PackItemError(f"snapshot: table row {number} has {len(row)} values, expected {width}")


def snapshot(settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    """A chart or table as it was shown on its page when added (its own subtitle names its selection)."""
    _snapshot_args(spec)
    if "figure" in spec:
        fig = go.Figure(spec["figure"])
        text = fig.layout.title.text or ""
        title = text.split("<br>")[0]
        subtitle = text.split("<sup>")[1].split("</sup>")[0] if "<sup>" in text else ""
        return ItemContent(title=title, subtitle=subtitle, figure=fig, notes="As shown on the dashboard when added.")
    table = spec["table"]
    frame = pd.DataFrame(table.get("rows") or [], columns=table["columns"])
    return ItemContent(
        title=str(spec.get("title") or "Table"),
        subtitle=str(spec.get("subtitle") or ""),
        table=frame,
        notes=str(spec.get("notes") or "As shown on the dashboard when added."),
    )


KINDS: dict[str, Kind] = {
    "overview_rates": Kind("Rate per 1,000 by Place (bar chart)", overview_rates),
    "overview_table": Kind("Headline figures by Place (table)", overview_table, is_table=True),
    "lsoa_map": Kind("Neighbourhood map of referrals per 1,000", lsoa_map),
    "spc": Kind("SPC chart", spc_item),
    "spc_summary": Kind("SPC summary table", spc_summary, is_table=True),
    "inequality": Kind("Inequality table", inequality_item, is_table=True),
    "outcomes": Kind("Outcomes table", outcomes_item, is_table=True),
    "gap_to_parity": Kind("Gap to parity table", gap_item, is_table=True),
    "core20_quarterly": Kind("Core20 trend of the gap, by quarter", core20_quarterly),
    "spc_places": Kind("SPC charts of the four Places (small multiples)", spc_places),
    "snapshot": Kind("A chart or table as shown", snapshot),
}


def validate(kind: str, spec: Mapping) -> None:
    """Raise :class:`PackItemError` when ``kind`` is unknown or ``spec`` cannot be used (no data read)."""
    if kind not in KINDS:
        raise PackItemError(f"unknown item kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not isinstance(spec, Mapping):
        raise PackItemError(f"{kind}: spec must be a mapping, got {type(spec).__name__}")
    if kind in ("overview_rates", "inequality"):
        _measure_arg(spec)
    elif kind == "snapshot":
        _snapshot_args(spec)
    elif kind == "spc_places":
        from equity.trends import MEASURES

        if spec.get("measure", "referrals") not in MEASURES:
            raise PackItemError(f"spc_places: measure must be one of {', '.join(MEASURES)}")
    elif kind == "core20_quarterly":
        _measure_arg(spec)
        _target(spec.get("target"), "core20_quarterly")
    elif kind == "spc":
        _spc_args(spec)
        _polarity(spec.get("polarity"), "spc")
    elif kind == "spc_summary":
        _summary_args(spec)
        _summary_polarities(spec)
    elif kind == "outcomes":
        _outcome_args(spec)
    elif kind == "gap_to_parity":
        _gap_args(spec)


def build(kind: str, settings: Settings, selection: Selection, spec: Mapping) -> ItemContent:
    """Build one item's content (figure or display table) for the selection."""
    validate(kind, spec)
    return KINDS[kind].build(settings, selection, spec)


def default_title(kind: str, spec: Mapping, selection: Selection) -> str:
    """A title for a new item before the user edits it."""
    validate(kind, spec)
    if kind == "spc":
        measure, area, _, _ = _spc_args(spec)
        return spc_title(measure, area, selection)
    if kind == "snapshot":
        return str(snapshot(None, selection, spec).title)  # type: ignore[arg-type]
    return KINDS[kind].label


def for_presentation(fig: go.Figure, *, height: int = 540, scale: float = 1.4) -> go.Figure:
    """A copy of ``fig`` for a projector: every font (axes, legend, title, annotations) enlarged by
    ``scale`` (14 px body text becomes about 20 px) and the top and bottom margins and the offsets of
    annotations below the plot grown to match. Sizes are explicit, so a display theme keeps them."""
    out = go.Figure(fig)
    base = out.layout.font.size or 14
    size = round(base * scale)
    margin = out.layout.margin
    out.update_layout(
        font=dict(size=size),
        height=height,
        title_font_size=round(size * 1.25),
        legend=dict(font=dict(size=round(12 * scale))),
        margin=dict(t=round((margin.t or 80) * scale), b=round((margin.b or 40) * scale)),
    )
    out.update_xaxes(tickfont_size=size, title_font_size=size, automargin=True)
    out.update_yaxes(tickfont_size=size, title_font_size=size, automargin=True)
    if out.layout.legend.y is not None and out.layout.legend.y < 0:
        out.update_layout(legend_y=min(out.layout.legend.y, -0.15))  # clear of the larger tick labels
    for annotation in out.layout.annotations:
        if annotation.name == ICON_ANNOTATION:
            continue  # icons are drawn in pixels and keep their size
        annotation.font.size = round((annotation.font.size or base) * scale)
        if annotation.yshift and annotation.yshift < 0:  # lines below the plot (the source) move down with it
            annotation.yshift = annotation.yshift * scale
    return out
