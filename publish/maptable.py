"""The Map's ranked table: which areas are furthest below the access their need implies.

A pure function of the published (disclosure-controlled) ``map_areas`` rows: every figure in it is
one the map table already publishes, formatted for the screen (suppressed values as ``*``), and the
ranks and the comparison word are computed from the shown ratio and its shown 95% interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.benchmark import LSC
from equity.formatting import SUPPRESSED, count, interval, rate
from equity.settings import PLACES

BELOW, SIMILAR, ABOVE = "significantly below", "similar", "significantly above"
#: screen column -> width in pixels: together they fit the main column at 1280 px without scrolling
WIDTHS: dict[str, int] = {
    "Area": 165,
    "Rank in Place": 85,
    "Rank in L&SC": 85,
    "Children accessing": 110,
    "Ratio (95% CI)": 140,
    "Compared with expected": 150,
    #: "Compared with <Place>", shown when the benchmark is a Place
    "Compared with benchmark": 75,
}
BENCHMARK_COLUMN = "Compared with benchmark"


def width_of(column: str) -> int | None:
    """The screen width of a ranked-table column ('Compared with Blackpool' takes the benchmark's)."""
    if column in WIDTHS:
        return WIDTHS[column]
    return WIDTHS[BENCHMARK_COLUMN] if column.startswith("Compared with ") else None


#: above this share of grey (hidden or no data) areas, the map suggests the next level up
MOSTLY_HIDDEN = 0.5
COARSER = {"lsoa": "msoa", "msoa": "lad", "lad": "place"}


def hidden_share(table: pd.DataFrame, column: str) -> float:
    """The share of the shown areas whose value of ``column`` is hidden (suppressed) or missing: drawn grey."""
    if table.empty:
        return 0.0
    return float(pd.to_numeric(table[column], errors="coerce").isna().mean())


def coarser_level(table: pd.DataFrame, column: str, level: str) -> str | None:
    """The level to suggest when most areas would be grey at ``level`` (more than MOSTLY_HIDDEN), else None."""
    if level not in COARSER or hidden_share(table, column) <= MOSTLY_HIDDEN:
        return None
    return COARSER[level]


def compared_with_expected(lower: object, upper: object) -> str:
    """The Fingertips-style comparison of a ratio with 1 (as need implies), from its shown 95% interval:
    below when the upper limit is below 1, above when the lower limit is above 1, else similar."""
    if pd.isna(lower) or pd.isna(upper):
        return SUPPRESSED
    if float(upper) < 1:  # type: ignore[arg-type]
        return BELOW
    if float(lower) > 1:  # type: ignore[arg-type]
        return ABOVE
    return SIMILAR


def ratio_with_interval(ratio: object, lower: object, upper: object) -> str:
    """'0.45 (0.21 to 0.89)'; '*' when suppressed."""
    if pd.isna(ratio) or pd.isna(lower) or pd.isna(upper):
        return SUPPRESSED
    return f"{rate(ratio, 2)} ({interval(lower, upper, 2)})"


def _ranks(values: pd.Series) -> pd.Series:
    """1 = the lowest shown ratio (furthest below expected); ties share the best rank; none when hidden."""
    return values.rank(ascending=True, method="min", na_option="keep").astype("Int64")


def ranks_cover_icb(selection_detail_places: tuple[str, ...] | None, level: str) -> bool:
    """Can a rank across all of L&SC be published? Only when every Place's rows of ``level`` are visible
    (Place rows always are; below Place level only with a scope covering every Place)."""
    return level == "place" or selection_detail_places is None or set(PLACES) <= set(selection_detail_places)


def ranked_areas(
    table: pd.DataFrame,
    icb_table: pd.DataFrame | None,
    *,
    level: str,
    below_only: bool = False,
) -> pd.DataFrame:
    """The ranked screen table of ``table`` (published ``map_areas`` rows of the selection), lowest
    need-adjusted access ratio first. ``icb_table``: the same level's published rows for all of L&SC
    (same filters, no Place or district filter) to rank against, or None to leave out "Rank in L&SC"
    (when the user may not see every Place's rows). "Rank in Place" is left out at Place level.
    ``below_only``: only the areas significantly below expected."""
    ratio = pd.to_numeric(table["access_ratio"], errors="coerce").astype(float)
    lower = pd.to_numeric(table["access_ratio_lower"], errors="coerce").astype(float)
    upper = pd.to_numeric(table["access_ratio_upper"], errors="coerce").astype(float)
    words = [compared_with_expected(lo, up) for lo, up in zip(lower, upper, strict=True)]
    out = pd.DataFrame({"Area": table["name"].astype(str).to_numpy()})
    if level != "place":
        out["Rank in Place"] = ratio.groupby(table["place"].to_numpy()).transform(_ranks).to_numpy()
    if icb_table is not None:
        icb_ratio = pd.to_numeric(icb_table["access_ratio"], errors="coerce").astype(float)
        icb_ranks = pd.Series(_ranks(icb_ratio).to_numpy(), index=icb_table["code"].to_numpy())
        out["Rank in L&SC"] = pd.array(table["code"].map(icb_ranks).to_numpy(), dtype="Int64")
    out["Children accessing"] = [count(v) for v in table["people_accessing"]]
    out["Ratio (95% CI)"] = [ratio_with_interval(*v) for v in zip(ratio, lower, upper, strict=True)]
    out["Compared with expected"] = words
    if "access_vs" in table.columns and str(table["access_benchmark"].iloc[0] if len(table) else "") not in ("", LSC):
        # a Place benchmark (L&SC's ratio is 1: the same as 'Compared with expected')
        out[f"Compared with {table['access_benchmark'].iloc[0]}"] = table["access_vs"].to_numpy()
    # lowest ratio first; among equal ratios (often 0 of a few expected) the surest first (lowest upper limit)
    order = np.lexsort(
        (
            out["Area"].to_numpy(),
            np.nan_to_num(upper.to_numpy(), nan=np.inf),
            np.nan_to_num(ratio.to_numpy(), nan=np.inf),
        )
    )
    out = out.iloc[order].reset_index(drop=True)
    if below_only:
        out = out[out["Compared with expected"] == BELOW].reset_index(drop=True)
    return out
