"""Cached loaders and screen tables for the Core20PLUS5 page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from equity import core20_view as view
from equity import formatting as fmt
from equity.need import NeedModel
from equity.selection import Selection
from equity.settings import Settings
from publish import tables
from ui.loaders import _HASH

_H = {**_HASH, NeedModel: repr}


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=32)
def coverage(cfg: Settings, selection: Selection, measure: str, model: NeedModel) -> pd.DataFrame:
    return tables.get("core20_coverage", cfg, selection, {"measure": measure})


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=32)
def gradient(cfg: Settings, selection: Selection, by: str, measure: str, model: NeedModel) -> tuple:
    sentence = view.gradient_sentence(cfg, selection, measure, model)
    return tables.get("core20_gradient", cfg, selection, {"measure": measure, "by": by}), sentence


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=32)
def ethnicity(cfg: Settings, selection: Selection) -> tuple:
    from equity import core20

    shown = tables.get("core20_ethnicity", cfg, selection)
    unknown = core20.unknown_ethnicity_share(shown.assign(referrals=shown["referrals"].fillna(0)))
    return shown, unknown, core20.ethnicity_caveat(unknown)


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=32)
def rurality(cfg: Settings, selection: Selection, measure: str, model: NeedModel) -> pd.DataFrame:
    return tables.get("core20_rurality", cfg, selection, {"measure": measure})


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=32)
def plus_flags(cfg: Settings, selection: Selection) -> pd.DataFrame:
    return tables.get("core20_plus_flags", cfg, selection)


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=8)
def recorded_flags(cfg: Settings) -> list[str]:
    return view.recorded_flags(cfg)


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=32)
def funnel(cfg: Settings, selection: Selection, kind: str, model: NeedModel) -> tuple:
    return tables.funnel_data(cfg, selection, kind)


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=32)
def quarterly(cfg: Settings, selection: Selection, measure: str) -> pd.DataFrame:
    return tables.get("core20_quarterly", cfg, selection, {"measure": measure})


@st.cache_data(hash_funcs=_H, show_spinner=False, ttl=600, max_entries=16)
def vintages(cfg: Settings, selection: Selection, measure: str, model: NeedModel) -> tuple:
    changes = view.vintage_changes(cfg, selection)
    by_vintage = tables.get("core20_vintages", cfg, selection, {"measure": measure})
    columns = ["definition", "share_of_measure", "share_of_population", "coverage_ratio", "lower_95", "upper_95"]
    return changes, by_vintage[columns]


def ratio(value: object, lower: object, upper: object) -> str:
    if pd.isna(value):
        return fmt.SUPPRESSED
    if pd.isna(lower) or pd.isna(upper):
        return f"{float(value):.2f}"
    return f"{float(value):.2f} ({float(lower):.2f} to {float(upper):.2f})"


def coverage_screen(table: pd.DataFrame, label: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Area": r["area"],
                f"{label} from Core20 areas": fmt.count(r["core20_count"]),
                f"{label} (all)": fmt.count(r["count"]),
                f"Share of {label.lower()} from Core20": fmt.share(r["share_of_measure"]),
                "Share of children 0-5 in Core20": fmt.share(r["share_of_population"]),
                "Coverage ratio (95% CI)": ratio(r["coverage_ratio"], r["lower_95"], r["upper_95"]),
                "Share of need in Core20": fmt.share(r["share_of_need"]),
                "Need-adjusted coverage (95% CI)": ratio(
                    r["need_adjusted_ratio"], r["need_lower_95"], r["need_upper_95"]
                ),
            }
            for r in table.to_dict("records")
        ]
    )


def pct_ci(value: object, lower: object, upper: object) -> str:
    if pd.isna(value):
        return fmt.SUPPRESSED
    return f"{100 * float(value):.1f}% ({fmt.percent_interval(lower, upper)})"


def ethnicity_screen(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in table.to_dict("records"):
        has_population = pd.notna(r.get("population_share"))
        rows.append(
            {
                "Ethnic group": r["group"],
                "Referrals": fmt.count(r["referrals"]),
                "% of all referrals": fmt.share(r["share_of_all_referrals"]),
                "% of referrals with a known group (95% CI)": pct_ci(
                    r["share_of_known"], r["known_lower_95"], r["known_upper_95"]
                )
                if has_population
                else "—",
                "% of children 0-5 (Census 2021 mix)": fmt.share(r["population_share"]) if has_population else "—",
                "Representation ratio (95% CI)": ratio(
                    r["representation_ratio"], r["ratio_lower_95"], r["ratio_upper_95"]
                )
                if has_population
                else "—",
            }
        )
    return pd.DataFrame(rows)


def rurality_screen(table: pd.DataFrame, label: str) -> pd.DataFrame:
    rows = []
    for r in table.to_dict("records"):
        rows.append(
            {
                "Neighbourhoods": r["group"],
                "LSOAs": f"{r['lsoa_count']:,}",
                "Children 0-5": f"{int(r['denominator']):,}",
                label: fmt.count(r["numerator"]),
                "Per 1,000 aged 0-5": fmt.rate(r["rate_per_1000"]),
                "95% CI": fmt.interval(r["lower_95"], r["upper_95"]),
                "Need-adjusted ratio (95% CI)": ratio(
                    r["need_adjusted_ratio"], r["ratio_lower_95"], r["ratio_upper_95"]
                ),
            }
        )
    return pd.DataFrame(rows)


def flags_screen(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "PLUS flag": r["flag"],
                "Referrals": fmt.count(r["referrals"]),
                "Referrals with a first attended contact": fmt.count(r["referrals_accessed"]),
                "Conversion (95% CI)": pct_ci(r["conversion"], r["lower_95"], r["upper_95"]),
            }
            for r in table.to_dict("records")
        ]
    )
