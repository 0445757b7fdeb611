"""Cached loaders of the Outcomes and Gap-to-parity pages (the published tables, as the command line gives them)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from equity.selection import Selection
from equity.settings import Settings
from publish import tables
from ui.loaders import _HASH

BY_LABELS = {
    "place": "Place",
    "imd_quintile": "IMD quintile",
    "core20": "Core20",
    "ethnic_group": "Ethnic group",
    "age_band": "Age band",
    "service": "Service",
}
GAP_LABELS = {"place": "Place", "lad": "District", "lsoa": "Neighbourhood (LSOA)"}


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=64)
def outcomes(cfg: Settings, selection: Selection, measure: str, by: str) -> pd.DataFrame:
    return tables.get("outcomes_by_group", cfg, selection, {"measure": measure, "by": by})


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=16)
def gap(cfg: Settings, selection: Selection, by: str) -> pd.DataFrame:
    return tables.get("gap_to_parity", cfg, selection, {"by": by})


def summary(cfg: Settings, selection: Selection) -> pd.DataFrame:
    """The selection's total row of every registry measure (the first row of each outcomes table)."""
    from data.measures import registry

    rows = [outcomes(cfg, selection, name, "place").iloc[[0]] for name in registry()]
    return pd.concat(rows, ignore_index=True)


def any_pair_share(frame: pd.DataFrame) -> float | None:
    """Share of discharged referrals with a pair on any registry measure, from the shown (controlled) counts:
    one referral records one measure, so the measures' pairs add up."""
    pairs = pd.to_numeric(frame["discharged_pairs"], errors="coerce")
    discharged = pd.to_numeric(frame["discharged"], errors="coerce")
    if pairs.isna().any() or discharged.isna().iloc[0] or not discharged.iloc[0]:
        return None
    return float(pairs.sum() / discharged.iloc[0])


def summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    from data.measures import registry
    from equity import formatting as fmt

    measures = registry()
    rows = []
    for row in frame.itertuples(index=False):
        m = measures[row.measure]
        rows.append(
            {
                "Measure": row.measure,
                "Describes": m.describes,
                "Better": m.better,
                "Pairs": fmt.count(row.pairs),
                "Completeness": fmt.share(row.completeness),
                "Mean change (95% CI)": f"{fmt.rate(row.mean_change)} ({fmt.interval(row.lower_95, row.upper_95)})",
                "Reliably improved": fmt.share(row.reliably_improved_share) if m.reliable_change else "not defined",
                "Clinical to non-clinical": (
                    fmt.share(row.clinical_to_non_clinical_share) if m.clinical_cutoff is not None else "not defined"
                ),
            }
        )
    return pd.DataFrame(rows)
