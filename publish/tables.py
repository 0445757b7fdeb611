"""The indicator layer: every chart and table the dashboard publishes, as a NAMED indicator table.

Each :class:`TableSpec` declares its count columns and how each estimate and interval is derived
(``equity.controlled.Estimate``: numerator column, denominator / expected column, method). :func:`get`
builds the table's exact values (``equity``) and applies disclosure control once, here
(``equity.controlled.control``): below ICB level counts of 1-4 hidden and others rounded to 5 with
secondary suppression against the shown total; at ICB level exact but 1-4 hidden; every estimate and
interval then recomputed from the controlled counts and hidden with its numerator. Every published
row carries ``level`` ('icb' or 'sub_icb'), so a test can recompute each estimate from the row's own
controlled counts (``tests/integration/test_indicator_tables.py``).

Pages, their CSV downloads, the board pack, Present and ``python -m equity table NAME`` all read from
here. ``python -m equity tables`` lists the names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from equity.controlled import Estimate, apply_estimates, control
from equity.need import NeedModel
from equity.selection import Selection
from equity.settings import Settings

if TYPE_CHECKING:
    from equity.core20 import FunnelData

RATE_COLUMNS = ("rate_per_1000", "lower_95", "upper_95", "lower_998", "upper_998")
ACCESS_RATE_COLUMNS = tuple(f"access_{c}" for c in RATE_COLUMNS)
MEASURES = ("referrals", "access")


class TableError(ValueError):
    """An unknown table name or option value; the message names it and the choices."""


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    build: Callable[[Settings, Selection, Mapping[str, str], bool], pd.DataFrame]
    counts: tuple[str, ...] = ()
    estimates: tuple[Estimate, ...] = ()
    #: option -> its choices (the first is the default); no choices (``FREE``): any text, parsed by ``build``
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: derived: built from other registered tables (checked against them, not recomputed)
    derived_from: tuple[str, ...] = ()

    def resolve(self, options: Mapping[str, object] | None) -> dict[str, str]:
        given = {k: v for k, v in dict(options or {}).items() if v is not None}
        unknown = sorted(set(given) - set(self.options))
        if unknown:
            raise TableError(f"table {self.name!r} has no option(s) {', '.join(unknown)}")
        out = {}
        for name, choices in self.options.items():
            if choices == FREE:
                out[name] = str(given.get(name, "")).strip()
                continue
            value = str(given.get(name, choices[0]))
            if value not in choices:
                raise TableError(f"{self.name}: --{name.replace('_', '-')} must be one of {', '.join(choices)}")
            out[name] = value
        return out


#: The choices of a free-text option (e.g. trend_summary's targets): any text, checked by the table's builder.
FREE: tuple[str, ...] = ()

TABLES: dict[str, TableSpec] = {}


def register(spec: TableSpec) -> TableSpec:
    TABLES[spec.name] = spec
    return spec


def spec(name: str) -> TableSpec:
    if name not in TABLES:
        raise TableError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}")
    return TABLES[name]


def get(
    name: str,
    settings: Settings,
    selection: Selection,
    options: Mapping[str, object] | None = None,
    *,
    suppress: bool = True,
) -> pd.DataFrame:
    """The published table ``name`` for the selection (disclosure-controlled unless ``suppress`` is False)."""
    table = spec(name)
    return table.build(settings, selection, table.resolve(options), suppress)


def listing() -> pd.DataFrame:
    """Every table with its description and options (``python -m equity tables``)."""
    return pd.DataFrame(
        [
            {
                "table": t.name,
                "description": t.description,
                "options": "; ".join(
                    f"--{k.replace('_', '-')} {'|'.join(v) if v != FREE else 'TEXT'}" for k, v in t.options.items()
                ),
            }
            for t in TABLES.values()
        ]
    )


def _publish(
    name: str,
    exact: pd.DataFrame,
    *,
    levels: Sequence[str] | None = None,
    partition: Sequence[object] | None = None,
    total_shown: bool = True,
    suppress: bool = True,
) -> pd.DataFrame:
    table = TABLES[name]
    return control(
        exact,
        counts=table.counts,
        estimates=table.estimates,
        levels=levels,
        partition=partition,
        total_shown=total_shown,
        suppress=suppress,
    )


def publish_exact(name: str, exact: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    """Disclosure control of table ``name`` applied to an exact frame (its counts and estimates; for tests of
    the pure table builders): ``levels``, ``partition``, ``total_shown``, ``suppress`` as in ``control``."""
    return _publish(name, exact, **kwargs)  # type: ignore[arg-type]


def _rates(numerator: str, columns: tuple[str, ...] = RATE_COLUMNS) -> Estimate:
    return Estimate(columns, "rate", numerator, "denominator")


def _icb_first(selection: Selection, rows: int) -> tuple[list[str], list[int]]:
    """Levels and partition of a table whose first row is the total (the ICB, or the selected areas)."""
    first = "icb" if selection.is_whole_icb else "sub_icb"
    return [first] + ["sub_icb"] * (rows - 1), [0] + [1] * (rows - 1)


# --------------------------------------------------------------------------------------------
# Overview


def _overview(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import metrics
    from equity.dashboard import lsoa_frame

    exact = metrics.headline(lsoa_frame(settings, selection), selection.is_whole_icb)
    levels, partition = _icb_first(selection, len(exact))
    return _publish("overview_headline", exact, levels=levels, partition=partition, suppress=suppress)


register(
    TableSpec(
        "overview_headline",
        "Headline figures: the total (L&SC ICB or the selected areas) and each Place: referrals, people "
        "accessing, rates per 1,000 with 95%/99.8% limits, share of referrals from Core20 areas",
        _overview,
        counts=("referrals", "referrals_accessed", "people_accessing", "core20_referrals"),
        estimates=(
            _rates("referrals"),
            _rates("people_accessing", ACCESS_RATE_COLUMNS),
            Estimate(("core20_referral_share",), "share", "core20_referrals", "referrals"),
        ),
    )
)


def _need_ratio(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity.disclosure import control_count
    from equity.report import need_adjusted_table, need_ratio_label

    exact = need_adjusted_table(settings, selection, options["measure"], by=options["by"])
    reference = int(exact["reference_count"].iloc[0]) if len(exact) else 0
    exact = exact.drop(columns="reference_count")
    if suppress and control_count(reference, "icb") is None:  # the ICB rate behind E would give 1-4 away
        exact["expected"] = np.nan
    out = _publish("need_adjusted_ratio", exact, suppress=suppress)
    return out.assign(statistic=need_ratio_label(options["measure"]))


register(
    TableSpec(
        "need_adjusted_ratio",
        "Need-adjusted referral (or access) ratio: observed / expected from need at the L&SC rate per child "
        "in need, by Place or by Core20 status, with Byar 95%/99.8% limits",
        _need_ratio,
        counts=("observed",),
        estimates=(
            Estimate(("ratio", "lower_95", "upper_95", "lower_998", "upper_998"), "ratio", "observed", "expected"),
        ),
        options={"measure": MEASURES, "by": ("place", "core20")},
    )
)


def _equity(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity.report import inequality

    return inequality(settings, selection, options["measure"], suppress=suppress)


register(
    TableSpec(
        "equity_summary",
        "Equity summary: SII/RII across IMD deciles, Core20 coverage ratio and need-adjusted ratios by Place "
        "(each computed from controlled counts)",
        _equity,
        options={"measure": MEASURES},
        derived_from=("need_adjusted_ratio", "core20_coverage"),
    )
)


def _indicator(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity.report import exact_table

    exact = exact_table(settings, selection, options["measure"], options["by"])
    level = "icb" if options["by"] == "icb" and selection.is_whole_icb else "sub_icb"
    return _publish("indicator", exact, levels=[level] * len(exact), suppress=suppress)


def _report_dimensions() -> tuple[str, ...]:
    from equity.report import DIMENSIONS

    return tuple(DIMENSIONS)


register(
    TableSpec(
        "indicator",
        "Rate per 1,000 with 95%/99.8% limits by any breakdown (as `report`)",
        _indicator,
        counts=("numerator",),
        estimates=(_rates("numerator"),),
        options={"measure": MEASURES, "by": ("place", *(d for d in _report_dimensions() if d != "place"))},
    )
)


# --------------------------------------------------------------------------------------------
# Map


def _map(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import explorer

    exact = explorer.area_metrics(settings, selection, options["level"])
    out = _publish("map_areas", exact, suppress=suppress)
    if suppress:
        # the flag, the outline and the shown interval: all from the controlled count
        upper = out["access_ratio_upper"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        out["significantly_below"] = np.nan_to_num(upper, nan=np.inf) < 1
        out["median_wait_days"] = out["median_wait_days"].where(exact["waits"] >= explorer.MIN_WAITS)
        out = out.drop(columns=["referrals_accessed", "waits", "core20_children", "minority"], errors="ignore")
    return out


register(
    TableSpec(
        "map_areas",
        "Neighbourhood explorer: every area of a level with referrals and access per 1,000, the need-adjusted "
        "access ratio (O/E, Byar 95% limits), 'significantly below' (upper limit < 1) and context",
        _map,
        counts=("referrals", "people_accessing"),
        estimates=(
            _rates("referrals"),
            _rates("people_accessing", ACCESS_RATE_COLUMNS),
            Estimate(
                ("access_ratio", "access_ratio_lower", "access_ratio_upper"), "ratio", "people_accessing", "expected"
            ),
        ),
        options={"level": ("lsoa", "msoa", "lad", "place")},
    )
)


def neighbourhood_profile(settings: Settings, selection: Selection, code: str) -> dict:
    """The Map's profile of one neighbourhood (``equity.explorer.profile``) from the published tables: its
    'map_areas' row and its Place's (the whole ICB under the same non-geographic filters, as the profile
    compares), and the Overview's ICB row."""
    from equity import explorer

    icb_selection = selection.whole_icb()
    return explorer.profile(
        settings,
        selection,
        code,
        lsoas=get("map_areas", settings, icb_selection, {"level": "lsoa"}),
        places=get("map_areas", settings, icb_selection, {"level": "place"}),
        icb=get("overview_headline", settings, icb_selection).iloc[0],
    )


# --------------------------------------------------------------------------------------------
# Core20PLUS5


def _coverage(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import core20
    from equity.dashboard import lsoa_frame

    frame = lsoa_frame(settings, selection)
    exact = core20.coverage_table(frame, options["measure"], NeedModel(), whole_icb=selection.is_whole_icb)
    levels, partition = _icb_first(selection, len(exact))
    return _publish("core20_coverage", exact, levels=levels, partition=partition, suppress=suppress)


register(
    TableSpec(
        "core20_coverage",
        "Core20 coverage by Place: share of the measure from Core20 areas / share of children 0-5 (and of need "
        "under the need model), Wilson 95% limits on the share",
        _coverage,
        counts=("core20_count", "count"),
        estimates=(
            Estimate(("share_of_measure",), "share", "core20_count", "count"),
            Estimate(
                ("coverage_ratio", "lower_95", "upper_95"),
                "coverage",
                "core20_count",
                "count",
                part="core20_population",
                whole="population",
            ),
            Estimate(
                ("need_adjusted_ratio", "need_lower_95", "need_upper_95"),
                "coverage",
                "core20_count",
                "count",
                part="core20_need",
                whole="need",
            ),
        ),
        options={"measure": MEASURES},
    )
)


def _reference(settings: Settings, selection: Selection) -> pd.DataFrame:
    from equity.dashboard import lsoa_frame

    return lsoa_frame(settings, selection.whole_icb())


def _gradient(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import core20
    from equity.dashboard import lsoa_frame

    frame = lsoa_frame(settings, selection)
    exact = core20.gradient_table(
        frame, options["by"], options["measure"], NeedModel(), _reference(settings, selection)
    )
    return _publish("core20_gradient", exact, suppress=suppress)


register(
    TableSpec(
        "core20_gradient",
        "Deprivation gradient: rate per 1,000 by IMD/IDACI group with 95%/99.8% limits, expected from need at "
        "the L&SC rate per child in need, and the need-adjusted ratio (O/E, Byar 95% limits)",
        _gradient,
        counts=("numerator",),
        estimates=(
            _rates("numerator"),
            Estimate(("need_adjusted_ratio", "ratio_lower_95", "ratio_upper_95"), "ratio", "numerator", "expected"),
        ),
        options={"measure": MEASURES, "by": ("imd_decile", "imd_quintile", "idaci_decile")},
    )
)


def _rurality(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import core20
    from equity.dashboard import lsoa_frame

    frame = lsoa_frame(settings, selection)
    exact = core20.rurality_table(frame, options["measure"], NeedModel(), _reference(settings, selection))
    return _publish("core20_rurality", exact, suppress=suppress)


register(
    TableSpec(
        "core20_rurality",
        "Rural and urban neighbourhoods: rate per 1,000 (95% limits) and need-adjusted ratio (O/E, Byar)",
        _rurality,
        counts=("numerator",),
        estimates=(
            _rates("numerator", ("rate_per_1000", "lower_95", "upper_95")),
            Estimate(("need_adjusted_ratio", "ratio_lower_95", "ratio_upper_95"), "ratio", "numerator", "expected"),
        ),
        options={"measure": MEASURES},
    )
)


def _ethnicity(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from data.schema import BROAD_ETHNIC_GROUPS
    from equity import core20
    from equity.dashboard import lsoa_frame
    from equity.queries import counts_by_record_dimension, reading

    frame = lsoa_frame(settings, selection)
    with reading(settings.store_location) as referrals:
        counts = counts_by_record_dimension(referrals, selection, "ethnic_group", frame["lsoa_code"].tolist())
    counts = counts.set_index("grp").reindex(list(BROAD_ETHNIC_GROUPS), fill_value=0).reset_index(names="group")
    exact = core20.ethnicity_table(counts[["group", "referrals"]], frame)
    out = control(exact, counts=("referrals",), suppress=suppress)
    # the denominators of the shares: sums of the counts as shown (exact only without disclosure control)
    known = out["group"].isin(list(core20.ETHNIC_COLUMNS)).to_numpy()
    shown = out["referrals"].astype("Float64").fillna(0)
    out["all_referrals"] = pd.array([int(shown.sum())] * len(out), dtype="Int64")
    out["known_referrals"] = pd.array([int(shown[known].sum()) if k else pd.NA for k in known], dtype="Int64")
    if suppress:
        out = apply_estimates(out, TABLES["core20_ethnicity"].estimates)
    return out


register(
    TableSpec(
        "core20_ethnicity",
        "Referrals by broad ethnic group: share of all referrals, share of those with a known group (Wilson "
        "95% limits) against the Census 2021 mix of the same neighbourhoods, and the representation ratio",
        _ethnicity,
        counts=("referrals", "all_referrals", "known_referrals"),
        estimates=(
            Estimate(("share_of_all_referrals",), "share", "referrals", "all_referrals"),
            Estimate(
                ("share_of_known", "known_lower_95", "known_upper_95"), "proportion", "referrals", "known_referrals"
            ),
            Estimate(
                ("representation_ratio", "ratio_lower_95", "ratio_upper_95"),
                "coverage",
                "referrals",
                "known_referrals",
                part="population_share",
            ),
        ),
    )
)


def _plus_flags(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity.dashboard import lsoa_frame
    from equity.queries import plus_flag_counts, reading

    frame = lsoa_frame(settings, selection)
    with reading(settings.store_location) as referrals:
        flags = plus_flag_counts(referrals, selection, frame["lsoa_code"].tolist())
    total = pd.DataFrame(
        [
            {
                "flag": "All referrals in the selection",
                "referrals": int(frame["referrals"].sum()),
                "referrals_accessed": int(frame["referrals_accessed"].sum()),
            }
        ]
    )
    exact = pd.concat([flags[["flag", "referrals", "referrals_accessed"]], total], ignore_index=True)
    exact = exact.assign(conversion=np.nan, lower_95=np.nan, upper_95=np.nan)
    # the last row is the selection's total, published at the total's level (exact for the whole ICB, as on
    # the Overview); flags overlap (a referral may carry several): not a partition of it, so no secondary rule
    levels = ["sub_icb"] * (len(exact) - 1) + ["icb" if selection.is_whole_icb else "sub_icb"]
    return _publish(
        "core20_plus_flags", exact, levels=levels, partition=range(len(exact)), total_shown=False, suppress=suppress
    )


register(
    TableSpec(
        "core20_plus_flags",
        "Recorded PLUS flags: referrals and conversion to a first attended contact (Wilson 95% limits)",
        _plus_flags,
        counts=("referrals", "referrals_accessed"),
        estimates=(Estimate(("conversion", "lower_95", "upper_95"), "proportion", "referrals_accessed", "referrals"),),
    )
)


def _funnel(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    return funnel_data(settings, selection, options["kind"], suppress=suppress).points


def funnel_data(settings: Settings, selection: Selection, kind: str, *, suppress: bool = True) -> FunnelData:
    """The funnel plot (points, limits, areas not plotted, centre) from the published ``map_areas`` rows."""
    from equity import core20

    areas = get("map_areas", settings, selection, {"level": "lsoa"}, suppress=suppress)
    centre = None
    if kind == "access_rate":
        centre = core20.reference_rate(_reference(settings, selection))
    data = core20.funnel_points(areas, kind, centre)
    return data._replace(points=data.points.reset_index(drop=True))


register(
    TableSpec(
        "core20_funnel",
        "Funnel plot of neighbourhoods: access per 1,000 against children (centred on the L&SC rate) or the "
        "need-adjusted access ratio against expected (centred on 1); each point with its centre line and limits",
        _funnel,
        counts=("people_accessing",),
        estimates=(
            _rates("people_accessing", ACCESS_RATE_COLUMNS),
            Estimate(
                ("access_ratio", "access_ratio_lower", "access_ratio_upper"), "ratio", "people_accessing", "expected"
            ),
        ),
        options={"kind": ("access_rate", "access_ratio")},
    )
)


def _quarterly(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import core20
    from equity.dashboard import lsoa_frame
    from equity.queries import quarterly_core20_counts, reading

    frame = lsoa_frame(settings, selection)
    share = frame.loc[frame["core20"], "denominator"].sum() / frame["denominator"].sum()
    with reading(settings.store_location) as referrals:
        counts = quarterly_core20_counts(referrals, selection, frame[["lsoa_code", "core20"]], options["measure"])
    if counts.empty or not 0 < share < 1:
        columns = ["quarter", "core20_count", "count", "share_of_measure", "coverage_ratio", "lower_95", "upper_95"]
        return pd.DataFrame(columns=[*columns, "core20_population_share", "suppressed", "level", "quarter_label"])
    exact = core20.quarterly_coverage(counts, share).assign(core20_population_share=share)
    level = "icb" if selection.is_whole_icb else "sub_icb"
    out = _publish(
        "core20_quarterly",
        exact,
        levels=[level] * len(exact),
        partition=range(len(exact)),
        total_shown=False,
        suppress=suppress,
    )
    # NHS financial quarters (April to March years): the calendar quarters of the query, named 'Q1 2025/26'
    from equity.formatting import financial_quarter

    out["quarter_label"] = [financial_quarter(q) for q in pd.to_datetime(out["quarter"])]
    return out


register(
    TableSpec(
        "core20_quarterly",
        "Trend of the gap: Core20 coverage ratio by quarter (Wilson 95% limits on the share)",
        _quarterly,
        counts=("core20_count", "count"),
        estimates=(
            Estimate(("share_of_measure",), "share", "core20_count", "count"),
            Estimate(
                ("coverage_ratio", "lower_95", "upper_95"),
                "coverage",
                "core20_count",
                "count",
                part="core20_population_share",
            ),
        ),
        options={"measure": MEASURES},
    )
)


def _vintages(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    rows = []
    for vintage in (2019, 2025):
        table = get("core20_coverage", settings, selection.with_(vintage=vintage, lads=()), options, suppress=suppress)
        first = table.iloc[[0]].assign(definition=f"IMD {vintage}")
        rows.append(first)
    columns = [
        "definition",
        "core20_count",
        "count",
        "core20_population",
        "population",
        "share_of_measure",
        "share_of_population",
        "coverage_ratio",
        "lower_95",
        "upper_95",
        "suppressed",
        "level",
    ]
    return pd.concat(rows, ignore_index=True)[columns]


register(
    TableSpec(
        "core20_vintages",
        "Core20 coverage ratio of the total under IMD 2019 and IMD 2025",
        _vintages,
        counts=("core20_count", "count"),
        estimates=(
            Estimate(
                ("coverage_ratio", "lower_95", "upper_95"),
                "coverage",
                "core20_count",
                "count",
                part="core20_population",
                whole="population",
            ),
        ),
        options={"measure": MEASURES},
    )
)


# --------------------------------------------------------------------------------------------
# Trends


def _trend_area(selection: Selection) -> tuple[str, ...]:
    from equity.settings import PLACES
    from equity.trends import ICB_AREA

    return (ICB_AREA, *PLACES)


def controlled_series(settings: Settings, selection: Selection, *, suppress: bool = True) -> pd.DataFrame:
    """The monthly series as published (``equity.trends.controlled_series``), with each row's level."""
    from equity import trends

    out = trends.controlled_series(trends.monthly_series(settings, selection), selection, suppress=suppress)
    whole = selection.is_whole_icb
    return out.assign(level=np.where((out["area"] == trends.ICB_AREA) & whole, "icb", "sub_icb"))


def _trend_monthly(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity import trends

    series = controlled_series(settings, selection, suppress=suppress)
    return trends.series_download(series, selection, suppress=suppress)


register(
    TableSpec(
        "trend_monthly",
        "Monthly series of every area (the total and each Place): referrals, Core20 referrals, people with a first "
        "contact and the Core20 coverage ratio (the Trends download)",
        _trend_monthly,
        counts=("referrals", "core20_referrals", "people_accessing"),
        estimates=(
            Estimate(("core20_coverage",), "coverage", "core20_referrals", "referrals", part="core20_population_share"),
        ),
    )
)


def _trend_spc(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import trends

    series = controlled_series(settings, selection, suppress=suppress)
    measure, area = options["measure"], options["area"]
    if area not in set(series["area"]):
        raise TableError(f"trend_spc: area {area!r} is not in the selection")
    result = trends.spc_for(series, measure, area)
    points = result.points.rename(columns={"period": "month"})
    rows = series[series["area"] == area].set_index("month")
    for column in ("referrals", "core20_referrals", "people_accessing", "core20_population_share", "level"):
        points[column] = rows[column].reindex(points["month"]).to_numpy()
    points.insert(0, "area", trends.area_label(area, selection))
    points.insert(1, "measure", measure)
    return points


register(
    TableSpec(
        "trend_spc",
        "XmR (SPC) chart of one measure and area: each month's controlled value, the mean, process limits, "
        "2-sigma lines and the special-cause rules that fired (hidden months left out)",
        _trend_spc,
        counts=("referrals", "core20_referrals", "people_accessing"),
        options={"measure": ("referrals", "access", "core20_coverage"), "area": _trend_area(Selection())},
    )
)


def _measure_pairs(text: str, option: str) -> dict[str, str]:
    """``measure=value,measure=value`` -> {measure: value}; a TableError names the bad part."""
    from equity import trends

    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        measure, sep, value = part.partition("=")
        measure, value = measure.strip(), value.strip()
        if not sep or measure not in trends.MEASURES:
            raise TableError(
                f"trend_summary: --{option} {part!r} must be MEASURE=VALUE with MEASURE one of "
                f"{', '.join(trends.MEASURES)}"
            )
        pairs[measure] = value
    return pairs


@dataclass(frozen=True)
class SummaryOptions:
    """The SPC settings of trend_summary (as the Trends page's controls): targets, rebase, polarities."""

    targets: dict[str, float | None]
    rebase: tuple[dt.date, ...]
    polarities: dict[str, str]

    def as_options(self) -> dict[str, str]:
        """The table's text options that give these settings back (``summary_options``)."""
        return {
            "targets": ",".join(f"{k}={'' if v is None else repr(float(v))}" for k, v in self.targets.items()),
            "rebase": ",".join(m.isoformat() for m in self.rebase),
            "polarities": ",".join(f"{k}={v}" for k, v in self.polarities.items()),
        }


def summary_options(options: Mapping[str, str]) -> SummaryOptions:
    """The SPC settings of trend_summary's text options: targets, rebase months and polarities."""
    from equity.spc import POLARITIES

    targets: dict[str, float | None] = {}
    for measure, value in _measure_pairs(options.get("targets", ""), "targets").items():
        try:
            targets[measure] = float(value) if value else None
        except ValueError:
            raise TableError(f"trend_summary: --targets {measure}={value!r}: the target must be a number") from None
    polarities = _measure_pairs(options.get("polarities", ""), "polarities")
    for measure, value in polarities.items():
        if value not in POLARITIES:
            raise TableError(
                f"trend_summary: --polarities {measure}={value!r}: polarity must be one of {', '.join(POLARITIES)}"
            )
    rebase: list[dt.date] = []
    for part in filter(None, (p.strip() for p in options.get("rebase", "").split(","))):
        try:
            rebase.append(dt.date.fromisoformat(part))
        except ValueError:
            raise TableError(f"trend_summary: --rebase {part!r} must be a date, YYYY-MM-DD") from None
    return SummaryOptions(targets, tuple(rebase), polarities)


def _trend_summary(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity import trends

    series = controlled_series(settings, selection, suppress=suppress)
    chosen = summary_options(options)
    summary = trends.summary(
        series,
        selection,
        targets=chosen.targets,
        rebase=chosen.rebase,
        polarities=chosen.polarities,
        suppress=suppress,
    )
    return trends.summary_display(summary, selection, suppress=suppress)


register(
    TableSpec(
        "trend_summary",
        "SPC summary of every measure and area: latest month and value, mean and limits of the latest segment, "
        "variation and assurance (targets, rebase months and polarities as on the Trends page)",
        _trend_summary,
        derived_from=("trend_spc",),
        options={"targets": FREE, "rebase": FREE, "polarities": FREE},
    )
)


# --------------------------------------------------------------------------------------------
# Provision


def _provision_access(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity.provision import element_access

    exact = element_access(settings, selection)
    # Place by Place: each Place's total is published on the Overview (the 'not recorded' row included)
    return _publish("provision_access", exact, partition=exact["place"].tolist(), suppress=suppress)


register(
    TableSpec(
        "provision_access",
        "Access beside provision: referrals and people accessing per 1,000 aged 0-5 by Place and support element "
        "(and 'not recorded'), Byar 95%/99.8% limits; the support-element filter is ignored",
        _provision_access,
        counts=("referrals", "people_accessing"),
        estimates=(_rates("referrals"), _rates("people_accessing", ACCESS_RATE_COLUMNS)),
    )
)


# --------------------------------------------------------------------------------------------
# Reach and pathway


def publish_source_mix(exact: pd.DataFrame, *, suppress: bool = True) -> pd.DataFrame:
    """The referral source mix as published: controlled Place by Place (its total is published)."""
    return _publish("pathway_source_mix", exact, partition=exact["place"].tolist(), suppress=suppress)


def publish_conversion(exact: pd.DataFrame, *, suppress: bool = True) -> pd.DataFrame:
    return _publish("pathway_conversion", exact, suppress=suppress)


def publish_waits(exact: pd.DataFrame, *, suppress: bool = True) -> pd.DataFrame:
    """The median waits as published: the number of waits controlled, the median hidden with it."""
    from equity.pathway import hide_stats_where_hidden

    return hide_stats_where_hidden(_publish("pathway_waits", exact, suppress=suppress))


def _source_mix(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import pathway

    return publish_source_mix(pathway.source_mix(settings, selection), suppress=suppress)


def _conversion(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import pathway

    return publish_conversion(pathway.conversion(settings, selection, options["by"]), suppress=suppress)


def _waits(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import pathway

    return publish_waits(pathway.median_wait(settings, selection, options["by"]), suppress=suppress)


register(
    TableSpec(
        "pathway_source_mix",
        "Who refers: referrals by Place and MHSDS source of referral, share of the Place's referrals (Wilson 95%)",
        _source_mix,
        counts=("referrals", "place_referrals"),
        estimates=(Estimate(("share", "lower_95", "upper_95"), "proportion", "referrals", "place_referrals"),),
    )
)
register(
    TableSpec(
        "pathway_conversion",
        "Referrals with a first attended contact, by Place or IMD quintile (Wilson 95%), leaving out referrals of "
        "the last 90 days before the latest referral (not yet followed up)",
        _conversion,
        counts=("referrals", "referrals_accessed"),
        estimates=(Estimate(("share", "lower_95", "upper_95"), "proportion", "referrals_accessed", "referrals"),),
        options={"by": ("place", "imd_quintile")},
    )
)
register(
    TableSpec(
        "pathway_waits",
        "Median days from referral to first attended contact by Place or IMD quintile, with a distribution-free "
        "95% interval (order statistics); hidden with its number of waits",
        _waits,
        counts=("waits",),
        options={"by": ("place", "imd_quintile")},
    )
)


_GP_SITES: dict[tuple[str, float], pd.DataFrame] = {}


def service_sites(settings: Settings) -> pd.DataFrame:
    """GP practices (placed by postcode once per reference bundle) and the store's active user sites."""
    from pathlib import Path

    from equity import sites

    folder = Path(settings.reference_dir)
    key = (str(folder), folder.stat().st_mtime if folder.exists() else 0.0)
    if key not in _GP_SITES:
        _GP_SITES.clear()
        _GP_SITES[key] = sites.gp_sites(settings.reference_dir)
    return sites.with_lonlat(sites.combine_sites(_GP_SITES[key], sites.user_sites(settings.state_location)))


def _site_types() -> tuple[str, ...]:
    from equity.sites import SITE_TYPES

    return tuple(SITE_TYPES)


class _LazyOptions(Mapping[str, tuple[str, ...]]):
    """Options whose choices are read on first use (the site types live in ``equity.sites``, whose import
    brings the postcode geometry libraries: not wanted when the app draws its opening page)."""

    def __init__(self, **choices: Callable[[], tuple[str, ...]]) -> None:
        self._choices = choices
        self._values: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, key: str) -> tuple[str, ...]:
        if key not in self._values:
            self._values[key] = self._choices[key]()
        return self._values[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)


def reach_areas(settings: Settings, selection: Selection) -> pd.DataFrame:
    from equity.metrics import filter_areas
    from geo.cache import load_areas

    return filter_areas(load_areas(settings.cache_dir, selection.vintage, selection.definition), selection)


def _total_label(selection: Selection) -> str:
    return "L&SC ICB" if selection.is_whole_icb else "Total of selected areas"


def _with_levels(table: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Public-data tables (children and distances, no referral counts): the level of each row, total first."""
    levels, _ = _icb_first(selection, len(table))
    return table.assign(suppressed=False, level=levels)


def _reach_coverage(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity import reach

    table = reach.coverage_for_type(
        reach_areas(settings, selection), service_sites(settings), options["site_type"],
        total_label=_total_label(selection),
    )
    return _with_levels(table, selection)


def _reach_all_types(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity import reach

    table = reach.coverage_all_types(
        reach_areas(settings, selection), service_sites(settings), total_label=_total_label(selection)
    )
    level = "icb" if selection.is_whole_icb else "sub_icb"
    return table.assign(suppressed=False, level=level)


def _reach_farthest(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity import reach
    from equity.scope import restrict

    table = reach.farthest_core20(reach_areas(settings, selection), service_sites(settings))
    return restrict(table, selection, "lsoa").assign(suppressed=False, level="sub_icb")


#: reach_nearest: each neighbourhood, the nearest site of the chosen type and the straight-line distance to it
NEAREST_COLUMNS: tuple[str, ...] = (
    "lsoa_code", "lsoa_name", "place", "imd_decile", "core20", "population_0_5",
    "site_type", "site_name", "site_postcode", "distance_km",
)


def _reach_nearest(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity import reach
    from equity.scope import restrict

    areas = reach_areas(settings, selection)
    near = reach.nearest_site(areas, service_sites(settings), (options["site_type"],))
    table = areas[list(NEAREST_COLUMNS[:6])].merge(near, on="lsoa_code", how="inner")[list(NEAREST_COLUMNS)]
    table = table.sort_values("distance_km", ascending=False, kind="stable").reset_index(drop=True)
    return restrict(table, selection, "lsoa").assign(suppressed=False, level="sub_icb")


def _reach_bands(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity import reach
    from equity.dashboard import lsoa_frame

    near = reach.nearest_site(reach_areas(settings, selection), service_sites(settings), (options["site_type"],))
    exact = reach.access_by_band_exact(lsoa_frame(settings, selection), near).assign(
        **{c: np.nan for c in RATE_COLUMNS}
    )
    return _publish("reach_access_by_band", exact, suppress=suppress)


register(
    TableSpec(
        "reach_coverage",
        "Children aged 0-5 living within each straight-line distance of a site of one type: the total and each "
        "Place, with Core20 children and the population-weighted median distance (public data only)",
        _reach_coverage,
        options=_LazyOptions(site_type=_site_types),
    )
)
register(
    TableSpec(
        "reach_all_types",
        "Children living near each type of site: the total row of reach_coverage for every type with sites",
        _reach_all_types,
        derived_from=("reach_coverage",),
    )
)
register(
    TableSpec(
        "reach_nearest",
        "Every selected neighbourhood with the nearest site of one type and the straight-line distance to it "
        "(the Reach page's sites map; public data only), farthest first",
        _reach_nearest,
        options=_LazyOptions(site_type=_site_types),
    )
)
register(
    TableSpec(
        "reach_farthest",
        "The 20 Core20 neighbourhoods farthest (straight line) from a specialist base or Family Hub (public data)",
        _reach_farthest,
    )
)
register(
    TableSpec(
        "reach_access_by_band",
        "People accessing per 1,000 children aged 0-5 by straight-line distance to a site of one type "
        "(Byar 95%/99.8% limits)",
        _reach_bands,
        counts=("people_accessing", "referrals"),
        estimates=(_rates("people_accessing"),),
        options=_LazyOptions(site_type=_site_types),
    )
)


# --------------------------------------------------------------------------------------------
# Data quality (the whole store; the selection does not apply)


def _quality_places(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity.data_quality import place_quality, quality_counts
    from geo.cache import load_areas

    exact = place_quality(quality_counts(settings.store_location), load_areas(settings.cache_dir, 2025))
    for column in _QUALITY_COUNTS[1:]:
        exact[f"{column}_share"] = np.nan
    return _publish("data_quality_places", exact, suppress=suppress)


_QUALITY_COUNTS = (
    "referrals",
    "ethnicity_stated",
    "ethnicity_unknown",
    "first_contact_recorded",
    "lsoa_exact",
    "geography_approximate",
)

register(
    TableSpec(
        "data_quality_places",
        "Completeness by Place (whole store): referrals with ethnicity stated / unknown, a first contact, an exact "
        "LSOA or approximate geography, and their shares of the Place's referrals",
        _quality_places,
        counts=_QUALITY_COUNTS,
        estimates=tuple(Estimate((f"{c}_share",), "share", c, "referrals") for c in _QUALITY_COUNTS[1:]),
    )
)


def _quality_fields(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity.data_quality import field_completeness, quality_counts

    exact = field_completeness(quality_counts(settings.store_location))
    return _publish("data_quality_fields", exact, levels=["icb"] * len(exact), total_shown=False, suppress=suppress)


def _icb_categories(
    name: str, exact: pd.DataFrame, total: int, partition: Sequence[object], suppress: bool
) -> pd.DataFrame:
    """A table of categories of the whole store's referrals: each category below ICB level (rounded, as the
    Core20PLUS5 ethnicity table and ``indicator --by ethnic_group``), its share of all referrals (the ICB
    total, exact with 1-4 hidden, as on the fields table) from the controlled count."""
    from equity.disclosure import control_count

    shown_total = control_count(total, "icb") if suppress else total
    exact = exact.assign(all_referrals=pd.array([shown_total] * len(exact), dtype="Int64"))
    return _publish(name, exact, partition=partition, suppress=suppress)


def _quality_ethnicity(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity.data_quality import quality_counts, unknown_ethnicity

    counts = quality_counts(settings.store_location)
    exact = unknown_ethnicity(counts)
    total = int(counts["referrals"].sum()) if len(counts) else 0
    # Z, 99 and missing partition the 'unknown' row, which is shown
    partition = [0 if code != "unknown" else 1 for code in exact["code"]]
    return _icb_categories("data_quality_ethnicity", exact, total, partition, suppress)


def _quality_geography(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity.data_quality import geography_methods, quality_counts

    counts = quality_counts(settings.store_location)
    exact = geography_methods(counts)
    total = int(counts["referrals"].sum()) if len(counts) else 0
    return _icb_categories("data_quality_geography", exact, total, [0] * len(exact), suppress)


register(
    TableSpec(
        "data_quality_geography",
        "How each referral's neighbourhood was found (whole store): referrals by method (LSOA 2021 or 2011 code, "
        "split LSOA 2011, postcode, not resolved) and their shares of all referrals, the approximate ones flagged",
        _quality_geography,
        counts=("referrals",),
        estimates=(Estimate(("share",), "share", "referrals", "all_referrals"),),
    )
)


register(
    TableSpec(
        "data_quality_ethnicity",
        "Unknown ethnicity (whole store): referrals with ethnicity not stated (Z), not known (99) or missing, and "
        "their total, as shares of all referrals in the store (NHS England definition)",
        _quality_ethnicity,
        counts=("referrals",),
        estimates=(Estimate(("share",), "share", "referrals", "all_referrals"),),
    )
)


register(
    TableSpec(
        "data_quality_fields",
        "Completeness and validity by field, L&SC ICB (whole store)",
        _quality_fields,
        counts=("recorded", "valid_known", "referrals"),
        estimates=(
            Estimate(("recorded_share",), "share", "recorded", "referrals"),
            Estimate(("valid_known_share",), "share", "valid_known", "referrals"),
        ),
    )
)


# --------------------------------------------------------------------------------------------
# Outcomes and the gap to parity


def _outcome_measures() -> tuple[str, ...]:
    from data.measures import names

    return names()


def _outcomes(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from data.measures import registry
    from equity import outcomes

    measure = registry()[options["measure"]]
    exact, benchmark = outcomes.exact_table(settings, selection, options["measure"], options["by"])
    levels, partition = _icb_first(selection, len(exact))
    out = _publish("outcomes_by_group", exact, levels=levels, partition=partition, suppress=suppress)
    if not suppress:  # exact counts: the shares from them (control() recomputes them only from controlled ones)
        out = apply_estimates(out, TABLES["outcomes_by_group"].estimates)
    shown = out["pairs"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    means = outcomes.add_means(exact, shown)
    for column in (*outcomes.MEAN_COLUMNS, "sd_change"):
        out[column] = pd.array(means[column].to_numpy(dtype=float), dtype="Float64")
    out = outcomes.compare(out, benchmark, measure)
    out = outcomes.blank_undefined(out, measure).drop(columns=["sum_change", "sum_change_sq"])
    return outcomes.ordered(out.assign(better=measure.better, describes=measure.describes))


register(
    TableSpec(
        "outcomes_by_group",
        "Outcome pairs of one measure (data/measures.toml) by Place, IMD quintile, Core20, ethnic group, age band or "
        "service: pairs, completeness (Wilson 95%), mean change with Student's t 95%/99.8% limits, reliable change "
        "and clinical-to-non-clinical shares, and the comparison of the mean change with L&SC",
        _outcomes,
        counts=("discharged", "discharged_pairs", "pairs", "improved", "no_change", "deteriorated", "clinical_start",
                "recovered"),
        estimates=(
            Estimate(("completeness", "completeness_lower_95", "completeness_upper_95"), "proportion",
                     "discharged_pairs", "discharged"),
            Estimate(("reliably_improved_share", "improved_lower_95", "improved_upper_95"), "proportion", "improved",
                     "pairs"),
            Estimate(("no_reliable_change_share",), "share", "no_change", "pairs"),
            Estimate(("reliably_deteriorated_share",), "share", "deteriorated", "pairs"),
            Estimate(("clinical_to_non_clinical_share", "recovered_lower_95", "recovered_upper_95"), "proportion",
                     "recovered", "clinical_start"),
        ),
        options=_LazyOptions(measure=_outcome_measures, by=lambda: _outcome_by()),
    )
)


def _outcome_by() -> tuple[str, ...]:
    from equity.outcomes import BY

    return BY


_GAP_BY = {"place": "place", "lad": "lad_name", "lsoa": "lsoa_code"}


def gap_months(settings: Settings, selection: Selection) -> float:
    """Months of data in the selected period (the 'a year' of the gap to parity)."""
    import datetime as dt

    from equity.dashboard import store_info
    from equity.parity import months_covered

    info = store_info(settings.store_location)
    if not info.first_referral_date or not info.data_date:
        raise TableError("gap_to_parity: the store holds no referrals")
    return months_covered(
        selection.date_from, selection.date_to, dt.date.fromisoformat(info.first_referral_date),
        dt.date.fromisoformat(info.data_date),
    )


def _gap(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from equity.dashboard import lsoa_frame
    from equity.disclosure import control_count
    from equity.need import need_adjusted
    from equity.parity import gap
    from equity.scope import restrict

    by = options["by"]
    frame = lsoa_frame(settings, selection)
    reference = frame if selection.is_whole_icb else lsoa_frame(settings, selection.whole_icb())
    if by in ("lad", "lsoa"):
        frame = restrict(frame, selection, by)
    exact = need_adjusted(frame, _GAP_BY[by], "people_accessing", NeedModel(), reference)
    names = frame.drop_duplicates(_GAP_BY[by]).set_index(_GAP_BY[by], drop=False)
    if by != "place":
        exact.insert(1, "place", exact["group"].map(names["place"]))
    if by == "lsoa":
        exact.insert(1, "name", exact["group"].map(names["lsoa_name"]))
    if suppress and control_count(int(reference["people_accessing"].sum()), "icb") is None:
        exact["expected"] = np.nan  # the ICB rate behind E would give a count of 1-4 away
    out = _publish("gap_to_parity", exact, suppress=suppress)
    months = gap_months(settings, selection)
    observed = out["observed"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    expected = pd.to_numeric(out["expected"], errors="coerce").to_numpy(dtype=float)
    added = gap(observed, expected, months)
    for column in added.columns:
        out[column] = pd.array(added[column].to_numpy(dtype=float), dtype="Float64")
    return out.assign(months=round(months, 2))


register(
    TableSpec(
        "gap_to_parity",
        "Gap to parity by Place, district or neighbourhood: children accessing against those expected from need "
        "at the L&SC rate per child in need, the need-adjusted access ratio (Byar 95%/99.8%) and the additional "
        "children a year for the ratio to reach 1 (95% interval; zero where at or above)",
        _gap,
        counts=("observed",),
        estimates=(
            Estimate(("ratio", "lower_95", "upper_95", "lower_998", "upper_998"), "ratio", "observed", "expected"),
        ),
        options={"by": tuple(_GAP_BY)},
    )
)


def _quality_measures(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from equity.data_quality import measure_check, measure_counts, quality_counts

    exact = measure_check(measure_counts(settings.store_location))
    counts = quality_counts(settings.store_location)
    total = int(counts["referrals"].sum()) if len(counts) else 0
    return _icb_categories("data_quality_measures", exact, total, [0] * len(exact), suppress)


register(
    TableSpec(
        "data_quality_measures",
        "Outcome measures recorded (whole store): referrals and pairs by measure name, whether the measure registry "
        "knows it (unknown names are kept but not analysed), and the share of all referrals",
        _quality_measures,
        counts=("referrals", "pairs"),
        estimates=(Estimate(("share",), "share", "referrals", "all_referrals"),),
    )
)


# --------------------------------------------------------------------------------------------
# Comparisons with the selection's benchmark (the sidebar's "Compare with"; ``--benchmark``)


def _overview_compared(
    settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool
) -> pd.DataFrame:
    from publish.benchmarks import overview_comparisons

    table = get("overview_headline", settings, selection, suppress=suppress)
    icb = get("overview_headline", settings, selection.whole_icb(), suppress=suppress)
    return overview_comparisons(selection, table, icb)


def _map_compared(settings: Settings, selection: Selection, options: Mapping[str, str], suppress: bool) -> pd.DataFrame:
    from publish.benchmarks import with_access_comparison

    table = get("map_areas", settings, selection, {"level": options["level"]}, suppress=suppress)
    places = get("map_areas", settings, selection.whole_icb(), {"level": "place"}, suppress=suppress)
    return with_access_comparison(selection, table, places)


register(
    TableSpec(
        "overview_compared",
        "The Overview's rows compared with the benchmark (Fingertips-style: higher / similar / lower, or better / "
        "similar / worse, at 95% and 99.8%), with the benchmark's and L&SC's values",
        _overview_compared,
        derived_from=("overview_headline",),
    )
)
register(
    TableSpec(
        "map_areas_compared",
        "The Map's rows with each area's need-adjusted access ratio compared with the benchmark at 95% "
        "(better / similar / worse)",
        _map_compared,
        derived_from=("map_areas",),
        options={"level": ("lsoa", "msoa", "lad", "place")},
    )
)
