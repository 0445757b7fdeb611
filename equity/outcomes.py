"""Outcomes of infants and parents: pairs of start and end scores on the registry's measures.

Per measure and group: pairs recorded and completeness (pairs of discharged referrals / discharged
referrals), mean change (end - start) with a Student's t 95% interval (PHEindicatormethods ``phe_mean``),
the shares reliably improved / with no reliable change / reliably deteriorated (the measure's published
reliable-change threshold, ``data/measures.toml``) and the share of pairs starting in the clinical range
that end outside it. The store is read by one query (``equity.queries.outcome_sums``, plain aggregates per
measure, LSOA and group); everything here is pandas.

Disclosure control (``publish.tables`` 'outcomes_by_group'): pairs and every other count are controlled like
any count; shares are computed from the controlled counts; the mean and its interval are hidden wherever the
pair count is hidden, and the interval uses the controlled pair count (so it gives no exact count away).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.measures import Measure, registry
from equity.queries import OUTCOME_RECORD_DIMENSIONS, outcome_sums, reading
from equity.selection import Selection
from equity.settings import PLACES, Settings
from equity.stats import mean_interval

AREA_BY = ("place", "imd_quintile", "core20", "lad")
BY = ("place", "imd_quintile", "core20", "ethnic_group", "age_band", "service")
SUM_COLUMNS = (
    "discharged", "pairs", "discharged_pairs", "sum_change", "sum_change_sq", "improved", "deteriorated",
    "clinical_start", "recovered",
)
COUNT_COLUMNS = (
    "discharged", "discharged_pairs", "pairs", "improved", "no_change", "deteriorated", "clinical_start", "recovered",
)
TOTAL_GROUP = "All in the selection"
LSC_GROUP = "L&SC ICB"
CORE20_LABELS = {True: "Core20 (IMD deciles 1-2)", False: "Not Core20"}


def measure_parameters(measures: dict[str, Measure] | None = None) -> dict[str, dict[str, float | None]]:
    """What the query needs of each registry measure: direction, reliable change, clinical side and cut-off."""
    out: dict[str, dict[str, float | None]] = {}
    for name, m in (measures or registry()).items():
        side = None if m.clinical_side is None else (1.0 if m.clinical_side == "at_or_above" else -1.0)
        out[name] = {"sign": float(m.sign), "rci": m.reliable_change, "side": side, "cutoff": m.clinical_cutoff}
    return out


def read_sums(settings: Settings, selection: Selection, by: str | None) -> pd.DataFrame:
    """The query's sums per (measure, LSOA, group) for a breakdown (area breakdowns read one group, 'all')."""
    dimension = by if by in OUTCOME_RECORD_DIMENSIONS else None
    with reading(settings.store_location) as referrals:
        return outcome_sums(referrals, selection, dimension, measure_parameters())


def group_sums(sums: pd.DataFrame, frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Sums per (group, measure) within the LSOAs of ``frame`` (the selection's lsoa_frame). ``discharged``
    counts every discharged referral of the group, whatever its measure (the denominator of completeness)."""
    rows = sums[sums["lsoa_code"].isin(frame["lsoa_code"])].copy()
    if by is None:
        rows["group"] = TOTAL_GROUP
    elif by in AREA_BY:
        column = frame.set_index("lsoa_code")[by]
        rows["group"] = rows["lsoa_code"].map(column)
        if by == "core20":
            rows["group"] = rows["group"].map(CORE20_LABELS)
        if by == "lad":
            rows["group"] = rows["lsoa_code"].map(frame.set_index("lsoa_code")["lad_name"])
    else:
        rows["group"] = rows["grp"]
    for column in SUM_COLUMNS:
        rows[column] = pd.to_numeric(rows[column]).fillna(0).astype(float)
    discharged = rows.groupby("group", sort=False)["discharged"].sum()
    measured = rows[rows["outcome_measure"].notna()]
    table = measured.groupby(["group", "outcome_measure"], sort=False)[list(SUM_COLUMNS)].sum().reset_index()
    table["discharged"] = table["group"].map(discharged).fillna(0)
    return table.rename(columns={"outcome_measure": "measure"})


def _groups(by: str | None, frame: pd.DataFrame, present: list[str]) -> list[str]:
    """Every group of the breakdown, in order (groups with no pairs kept, with zero counts)."""
    if by == "place":
        order = [p for p in PLACES if p in set(frame["place"])]
    elif by == "imd_quintile":
        order = sorted(frame["imd_quintile"].dropna().unique().tolist())
    elif by == "core20":
        order = list(CORE20_LABELS.values())
    elif by == "age_band":
        order = ["Antenatal", "0-1", "2-5"]
    elif by == "ethnic_group":
        from data.schema import BROAD_ETHNIC_GROUPS

        order = list(BROAD_ETHNIC_GROUPS)
    else:
        order = sorted(present)
    return [*order, *[g for g in present if g not in order]]


def exact_counts(sums: pd.DataFrame, measure: str, groups: list[str]) -> pd.DataFrame:
    """Exact counts and sums of one measure per group (every group listed, zero where no pairs)."""
    rows = sums[sums["measure"] == measure].set_index("group")
    out = pd.DataFrame({"group": groups})
    for column in SUM_COLUMNS:
        out[column] = out["group"].map(rows[column]).fillna(0).to_numpy(dtype=float)
    discharged = sums.drop_duplicates("group").set_index("group")["discharged"]
    out["discharged"] = out["group"].map(discharged).fillna(0).to_numpy(dtype=float)
    out["no_change"] = out["pairs"] - out["improved"] - out["deteriorated"]
    for column in COUNT_COLUMNS:
        out[column] = out[column].round().astype("int64")
    return out


def mean_change(sum_change: np.ndarray, sum_sq: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample standard deviation (n - 1) of the change from its sum and sum of squares."""
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, sum_change / np.where(n > 0, n, 1), np.nan)
        variance = np.where(n > 1, (sum_sq - n * mean**2) / np.where(n > 1, n - 1, 1), np.nan)
    return mean, np.sqrt(np.maximum(variance, 0))


def add_means(table: pd.DataFrame, shown_pairs: np.ndarray) -> pd.DataFrame:
    """``mean_change`` and its 95% and 99.8% t limits: the mean and standard deviation from the exact sums of
    ``table``, the interval's n the shown (controlled) pair count; all hidden where that count is hidden (NaN)."""
    mean, sd = mean_change(table["sum_change"].to_numpy(dtype=float), table["sum_change_sq"].to_numpy(dtype=float),
                           table["pairs"].to_numpy(dtype=float))
    shown = np.asarray(shown_pairs, dtype=float)
    hidden = np.isnan(shown)
    out = table.copy()
    out["mean_change"] = np.where(hidden, np.nan, mean)
    out["sd_change"] = np.where(hidden, np.nan, sd)
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        lower, upper = mean_interval(np.nan_to_num(mean), np.nan_to_num(sd), np.nan_to_num(shown), level)
        out[f"lower_{suffix}"] = np.where(hidden | np.isnan(mean), np.nan, lower)
        out[f"upper_{suffix}"] = np.where(hidden | np.isnan(mean), np.nan, upper)
    return out


def compare(table: pd.DataFrame, benchmark: float, measure: Measure) -> pd.DataFrame:
    """PHE-style comparison of each group's mean change with the benchmark (L&SC): 'Better' / 'Worse' when the
    benchmark lies outside the group's 95% (or 99.8%) interval, in the measure's better direction."""
    out = table.copy()
    for suffix in ("95", "998"):
        lower = pd.to_numeric(out[f"lower_{suffix}"], errors="coerce").to_numpy(dtype=float)
        upper = pd.to_numeric(out[f"upper_{suffix}"], errors="coerce").to_numpy(dtype=float)
        above, below = lower > benchmark, upper < benchmark
        better, worse = (above, below) if measure.sign > 0 else (below, above)
        words = np.where(better, "Better", np.where(worse, "Worse", "Similar"))
        missing = np.isnan(lower) | np.isnan(upper) | (benchmark != benchmark)
        out[f"compared_{suffix}"] = np.where(missing, "Not compared", words)
    out["benchmark_mean_change"] = benchmark
    return out


def blank_undefined(table: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """Reliable-change and clinical columns left empty where the registry has no threshold for the measure."""
    out = table.copy()
    if measure.reliable_change is None:
        for column in ("improved", "no_change", "deteriorated"):
            out[column] = pd.array([pd.NA] * len(out), dtype="Int64")
        for column in RELIABLE_SHARES:
            out[column] = pd.array([pd.NA] * len(out), dtype="Float64")
    if measure.clinical_cutoff is None:
        for column in ("clinical_start", "recovered"):
            out[column] = pd.array([pd.NA] * len(out), dtype="Int64")
        for column in CLINICAL_SHARES:
            out[column] = pd.array([pd.NA] * len(out), dtype="Float64")
    return out


RELIABLE_SHARES = (
    "reliably_improved_share", "improved_lower_95", "improved_upper_95", "no_reliable_change_share",
    "reliably_deteriorated_share",
)
CLINICAL_SHARES = ("clinical_to_non_clinical_share", "recovered_lower_95", "recovered_upper_95")
SHARE_COLUMNS = ("completeness", "completeness_lower_95", "completeness_upper_95", *RELIABLE_SHARES, *CLINICAL_SHARES)
MEAN_COLUMNS = ("mean_change", "lower_95", "upper_95", "lower_998", "upper_998")


def exact_table(settings: Settings, selection: Selection, measure: str, by: str) -> tuple[pd.DataFrame, float]:
    """The exact table of one measure: the selection's total first, then each group; and the L&SC mean change
    (the whole ICB under the same non-geographic filters: the benchmark). Never shown directly."""
    from equity.dashboard import lsoa_frame

    if measure not in registry():
        raise ValueError(f"unknown measure {measure!r}; expected one of {', '.join(registry())}")
    if by not in BY:
        raise ValueError(f"--by must be one of {', '.join(BY)}, got {by!r}")
    frame = lsoa_frame(settings, selection)
    total_sums = read_sums(settings, selection, None)
    total = exact_counts(group_sums(total_sums, frame, None), measure, [TOTAL_GROUP])
    sums = group_sums(read_sums(settings, selection, by), frame, by)
    groups = exact_counts(sums, measure, _groups(by, frame, sums["group"].unique().tolist()))
    if selection.is_whole_icb:
        reference = total
    else:
        icb = selection.whole_icb()
        reference = exact_counts(group_sums(read_sums(settings, icb, None), lsoa_frame(settings, icb), None), measure,
                                 [TOTAL_GROUP])
    n = float(reference["pairs"].iloc[0])
    benchmark = float(reference["sum_change"].iloc[0] / n) if n >= 5 else float("nan")  # ICB level: 1-4 hidden
    table = pd.concat([total, groups], ignore_index=True)
    table.insert(1, "measure", measure)
    for column in SHARE_COLUMNS + MEAN_COLUMNS:
        table[column] = np.nan
    return table, benchmark


COLUMN_ORDER = (
    "group", "measure", "pairs", "discharged", "discharged_pairs", "completeness", "completeness_lower_95",
    "completeness_upper_95", "mean_change", "lower_95", "upper_95", "lower_998", "upper_998", "sd_change",
    "benchmark_mean_change", "compared_95", "compared_998", "improved", "no_change", "deteriorated",
    "reliably_improved_share", "improved_lower_95", "improved_upper_95", "no_reliable_change_share",
    "reliably_deteriorated_share", "clinical_start", "recovered", "clinical_to_non_clinical_share",
    "recovered_lower_95", "recovered_upper_95", "better", "describes", "suppressed", "level",
)


def ordered(table: pd.DataFrame) -> pd.DataFrame:
    return table[[c for c in COLUMN_ORDER if c in table.columns]]


def change_words(measure: Measure) -> str:
    """What a positive change means for the measure."""
    return "higher score is better: a positive change is improvement" if measure.sign > 0 else (
        "lower score is better: a negative change is improvement")


def display(table: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """The published table as labelled strings for screen and slides (counts as shown, * where hidden)."""
    from equity import formatting as fmt

    rows = []
    for row in table.itertuples(index=False):
        entry = {
            "Group": row.group,
            "Pairs": fmt.count(row.pairs),
            "Completeness": fmt.share(row.completeness),
            "Mean change": fmt.rate(row.mean_change, 1),
            "95% CI": fmt.interval(row.lower_95, row.upper_95, 1),
            "Compared with L&SC (95%)": row.compared_95,
        }
        if measure.reliable_change is not None:
            entry["Reliably improved"] = fmt.share(row.reliably_improved_share)
            entry["No reliable change"] = fmt.share(row.no_reliable_change_share)
            entry["Reliably deteriorated"] = fmt.share(row.reliably_deteriorated_share)
        if measure.clinical_cutoff is not None:
            entry["Clinical to non-clinical"] = fmt.share(row.clinical_to_non_clinical_share)
        rows.append(entry)
    return pd.DataFrame(rows)


def thresholds_text(measure: Measure) -> str:
    """The measure's registry entry in one paragraph: who it describes, range, direction and thresholds."""
    parts = [f"{measure.title} ({measure.describes}); range {measure.range_text()}; {change_words(measure)}."]
    if measure.reliable_change is not None:
        parts.append(f"Reliable change: {measure.reliable_change:g} points ({measure.reliable_change_source}).")
    else:
        parts.append(f"Reliable change: not given. {measure.reliable_change_note}.")
    if measure.clinical_cutoff is not None:
        side = "or above" if measure.clinical_side == "at_or_above" else "or below"
        parts.append(f"Clinical range: {measure.clinical_cutoff:g} {side} ({measure.clinical_source}).")
    else:
        parts.append(f"Clinical range: not given. {measure.clinical_note}.")
    return " ".join(parts)
