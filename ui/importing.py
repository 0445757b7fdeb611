"""Streamlit helpers of the Import and Data quality pages: cached loaders, mapping widgets, tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.importer import Extract, suggest_mapping
from data.schema import COLUMNS
from data.validation import GeographyReference, ValidationResult, load_geography
from equity import data_quality
from equity.settings import Settings
from ui import format as fmt
from ui.loaders import _HASH, REFERENCE_HASH

NOT_MAPPED = "(not in this file)"


def forget_store_results() -> None:
    """After the store changes (an import or a rollback): drop every result computed from it, so no
    page shows figures from the store as it was (cached tables, the kept map figures, LSOA frames)."""
    from equity.dashboard import forget_frames
    from ui import explorer

    st.cache_data.clear()
    explorer.figure.clear()
    forget_frames()


@st.cache_resource(hash_funcs=REFERENCE_HASH, show_spinner="Loading the geography reference ...")
def geography(cfg: Settings) -> GeographyReference:
    return load_geography(cfg.cache_dir, cfg.reference_dir)


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600)
def import_logs(cfg: Settings) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Import history, rejected rows and the rows outside L&SC (``equity.data_quality.import_logs``)."""
    return data_quality.import_logs(cfg.store_path)


def mapping_editor(extract: Extract, key: str) -> dict[str, str | None]:
    """One select box per schema column, preset from the file's column names; returns the mapping."""
    suggested = suggest_mapping(extract.columns)
    options = [NOT_MAPPED, *extract.columns]
    mapping: dict[str, str | None] = {}
    columns = st.columns(3)
    for i, column in enumerate(COLUMNS):
        preset = suggested[column.name]
        label = f"{column.name}{' (required)' if column.required else ''}"
        help_text = column.description + (f"; MHSDS name {column.mhsds_name}" if column.mhsds_name else "")
        chosen = columns[i % 3].selectbox(
            label, options, index=options.index(preset) if preset else 0, key=f"{key}_{column.name}", help=help_text
        )
        mapping[column.name] = None if chosen == NOT_MAPPED else chosen
    return mapping


def validation_counts(result: ValidationResult) -> None:
    cols = st.columns(4)
    cols[0].metric("Rows read", f"{result.rows_read:,}")
    cols[1].metric("Accepted", f"{result.accepted_rows:,}")
    cols[2].metric("Rejected", f"{result.rejected_rows:,}")
    cols[3].metric("Approximate geography", f"{result.approximate_rows:,}",
                   help="Accepted rows placed by postcode or from a split LSOA 2011 (approximate).")


def reasons_table(result: ValidationResult) -> pd.DataFrame:
    reasons = result.reasons()
    return pd.DataFrame({"Column": reasons["column"], "Reason": reasons["reason"],
                         "Rows": [f"{int(n):,}" for n in reasons["rows"]]})


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The import history for screen: one row per import, newest first."""
    if history.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "Import": [f"#{int(i)}" for i in history["import_id"]],
        "Imported (UTC)": pd.to_datetime(history["imported_at"]).dt.strftime("%d/%m/%Y %H:%M"),
        "File": history["file_name"],
        "Rows read": history["rows_read"].map("{:,}".format),
        "Accepted": history["accepted"].map("{:,}".format),
        "Rejected": history["rejected"].map("{:,}".format),
        "Outside L&SC": history["outside_lsc"].map("{:,}".format),
        "Inserted": history["inserted"].map("{:,}".format),
        "Updated": history["updated"].map("{:,}".format),
        "Demo rows removed": history["demo_removed"].map("{:,}".format),
        "Status": history["status"],
        "SHA-256": history["sha256"].str.slice(0, 12),
    })


def field_table(fields: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Field": fields["field"],
        "Recorded": [fmt.count(v) for v in fields["recorded"]],
        "Recorded %": [fmt.share(v) for v in fields["recorded_share"]],
        "Valid and known": ["" if pd.isna(v) else fmt.count(v) for v in fields["valid_known"]],
        "Valid and known %": ["" if pd.isna(v) else fmt.share(v) for v in fields["valid_known_share"]],
        "Meaning": fields["meaning"],
    })


def place_table(places: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Place": places["place"],
        "Referrals": [fmt.count(v) for v in places["referrals"]],
        "Ethnicity stated (A-S)": [fmt.count(v) for v in places["ethnicity_stated"]],
        "Ethnicity stated %": [fmt.share(v) for v in places["ethnicity_stated_share"]],
        "Unknown ethnicity (Z, 99, missing) %": [fmt.share(v) for v in places["ethnicity_unknown_share"]],
        "First contact recorded %": [fmt.share(v) for v in places["first_contact_recorded_share"]],
        "LSOA resolved exactly %": [fmt.share(v) for v in places["lsoa_exact_share"]],
        "Approximate geography %": [fmt.share(v) for v in places["geography_approximate_share"]],
    })


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600)
def quality_table(cfg: Settings, name: str) -> pd.DataFrame:
    """A data-quality table as published (``publish.tables``: the whole store, whatever the selection)."""
    from equity.selection import Selection
    from publish import tables

    return tables.get(name, cfg, Selection())


def ethnicity_table(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Category": table["category"],
        "Referrals": [fmt.count(v) for v in table["referrals"]],
        "% of referrals": [fmt.share(v) for v in table["share"]],
    })


def measures_table(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Measure as recorded": table["measure"],
        "Registry": table["status"],
        "Referrals": [fmt.count(v) for v in table["referrals"]],
        "Pairs (start and end)": [fmt.count(v) for v in table["pairs"]],
        "% of referrals": [fmt.share(v) for v in table["share"]],
    })


def approximate_share(geography: pd.DataFrame) -> float | None:
    """Share of referrals placed approximately: the shown shares of the approximate methods (from rounded counts)."""
    shares = pd.to_numeric(geography.loc[geography["approximate"].astype(bool), "share"], errors="coerce").dropna()
    return float(shares.sum()) if len(shares) else None


def geography_table(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "How the LSOA was found": table["description"],
        "Referrals": [fmt.count(v) for v in table["referrals"]],
        "% of referrals": [fmt.share(v) for v in table["share"]],
        "Approximate": ["yes" if a else "no" for a in table["approximate"]],
    })


def rejections_table(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "Import": [f"#{int(i)}" for i in table["import_id"]],
        "File": table["file_name"],
        "Status": table["status"],
        "Column": table["column_name"],
        "Reason": table["reason"],
        "Rows": table["rows"].map("{:,}".format),
    })
