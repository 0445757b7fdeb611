"""Moving counts between LSOA vintages through the ONS exact change file.

Pure functions. Counts are moved with integer largest-remainder apportionment so that
every source area's total is preserved exactly (and hence the grand total).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split integer ``total`` into integers proportional to ``weights`` (summing to ``total``).

    Ties in the remainders go to the earlier position, so the result is deterministic.
    Zero or missing weights everywhere fall back to equal weights.
    """
    weights = np.nan_to_num(np.asarray(weights, dtype=float), nan=0.0)
    if total == 0:
        return np.zeros(len(weights), dtype=np.int64)
    if weights.sum() <= 0:
        weights = np.ones(len(weights))
    exact = total * weights / weights.sum()
    floor = np.floor(exact).astype(np.int64)
    short = int(total - floor.sum())
    if short:
        order = np.argsort(-(exact - floor), kind="stable")
        floor[order[:short]] += 1
    return floor


def apportion_counts(
    counts: pd.DataFrame,
    links: pd.DataFrame,
    *,
    source: str,
    target: str,
    weight: str,
    value_columns: list[str],
) -> pd.DataFrame:
    """Move integer counts from ``source`` areas to ``target`` areas.

    ``counts`` has one row per source area; ``links`` has one row per (source, target) pair
    with a ``weight`` column (for example the target's Census 2021 usual residents). Each
    source area's counts are split over its targets in proportion to the weights, with integer
    largest-remainder rounding; a target fed by several sources (a merge) sums them. Returns one
    row per target with ``value_columns``. Raises ``ValueError`` if a source has no link.
    """
    missing = set(counts[source]) - set(links[source])
    if missing:
        raise ValueError(f"{len(missing)} source area(s) have no link in the change file, e.g. {sorted(missing)[0]}")
    merged = links[[source, target, weight]].merge(counts[[source, *value_columns]], on=source, how="inner")
    merged = merged.sort_values([source, target], kind="stable").reset_index(drop=True)
    out = {column: np.zeros(len(merged), dtype=np.int64) for column in value_columns}
    for _, index in merged.groupby(source, sort=False).indices.items():
        w = merged[weight].to_numpy()[index]
        for column in value_columns:
            total = int(merged[column].to_numpy()[index[0]])
            out[column][index] = largest_remainder(total, w)
    moved = pd.DataFrame({target: merged[target], **out})
    return moved.groupby(target, as_index=False)[value_columns].sum()
