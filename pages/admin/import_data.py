"""Import: upload a referral extract, check the column mapping, validate, then confirm the import."""

import streamlit as st

from data.importer import (
    ExtractReadError,
    apply_mapping,
    list_sheets,
    missing_required,
    read_extract,
    rejected_csv,
    suggest_mapping,
)
from data.imports import apply_import, import_history, rollback_import, store_kind
from data.store import StoreError
from data.validation import validate
from ui import importing, loaders
from ui.auth import audit, current_access, download_audit
from ui.common import footer

cfg = loaders.settings()
_STORE_NAME = cfg.store_path.name if cfg.store is None else cfg.store_location.describe()
access = current_access()
st.title("Import referrals")
if not access.can_import:
    st.warning(
        "Importing and rolling back extracts change every Place's data: they need the data manager role for all "
        "Places, or administrator. Ask your ICB data team.",
        icon=":material/lock:",
    )
    footer()
    st.stop()
if access.mode == "open_demo":
    st.info(
        "Open demo mode: importing real referrals ends it. The dashboard then refuses to run until sign-in is "
        "configured (README, Sign-in).",
        icon=":material/info:",
    )
st.caption(
    "Upload an extract (CSV with any common delimiter, Excel .xlsx or Parquet) with one row per referral. "
    "Columns may use the dashboard's names or the MHSDS names (UniqServReqID, ReferralRequestReceivedDate, "
    "AgeServReferRecDate, EthnicCategory, LSOA2011, ...). Nothing is written until you confirm; every row "
    "is either accepted or listed with the reason it was rejected. Dates are read day first (DD/MM/YYYY)."
)


def _history_section() -> None:
    st.subheader("Import history")
    history = import_history(cfg.store_location)
    if history.empty:
        st.caption("No extract has been imported into this store yet.")
        return
    st.dataframe(importing.history_table(history), hide_index=True, width="stretch")
    st.caption(
        f"Counts of rows per import (exact, ICB level). Source: import log of the referral store {_STORE_NAME}."
    )
    applied = history[history["status"].eq("applied")]
    if applied.empty:
        return
    latest = int(applied["import_id"].max())
    st.markdown(
        f"**Roll back import #{latest}** — restores the store exactly as it was before that import "
        "(only the most recent import can be undone; repeat to undo earlier ones)."
    )
    confirm = st.checkbox(f"Yes, undo import #{latest}", key="rollback_confirm")
    if st.button(f"Roll back import #{latest}", key="rollback_button", disabled=not confirm):
        try:
            summary = rollback_import(cfg.store_location, latest)
        except StoreError as exc:
            st.error(str(exc))
            return
        audit(cfg, "rollback", {"import_id": latest, "summary": summary.describe()})
        importing.forget_store_results()
        st.session_state.pop("import_validation", None)
        st.session_state["import_message"] = summary.describe()
        st.rerun()


if message := st.session_state.pop("import_message", None):
    st.success(message)

uploaded = st.file_uploader("Referral extract", type=["csv", "txt", "tsv", "xlsx", "parquet"], key="import_file")
if uploaded is None:
    _history_section()
    footer()
    st.stop()

data = uploaded.getvalue()
sheets = list_sheets(data)
sheet = st.selectbox("Sheet", sheets, key="import_sheet") if len(sheets) > 1 else None
source_key = (uploaded.name, len(data), uploaded.file_id, sheet)
cached = st.session_state.get("import_extract")
if cached is None or cached[0] != source_key:
    try:
        extract = read_extract(data, file_name=uploaded.name, sheet=sheet)
    except ExtractReadError as exc:
        st.error(f"This file cannot be imported: {exc}")
        st.stop()
    st.session_state["import_extract"] = (source_key, extract)
    st.session_state.pop("import_validation", None)
extract = st.session_state["import_extract"][1]

st.subheader(f"Preview of {extract.file_name}")
detail = f"{extract.rows:,} rows, {len(extract.columns)} columns ({extract.file_format}"
detail += f", {extract.encoding}" if extract.encoding else ""
detail += f", delimiter {extract.delimiter!r}" if extract.delimiter else ""
st.caption(detail + f"). First 20 rows as read, before validation. SHA-256 {extract.sha256[:12]}.")
st.dataframe(extract.frame.head(20), hide_index=True, width="stretch")
for note in extract.notes:
    st.info(note)

with st.expander("Column mapping", expanded=bool(missing_required(suggest_mapping(extract.columns)))):
    st.caption("Each dashboard column and the file column it is read from. Unmapped optional columns are left empty.")
    mapping = importing.mapping_editor(extract, key="map")
missing = missing_required(mapping)
if missing:
    st.error(f"Map the required column(s) before validating: {', '.join(missing)}.")
    footer()
    st.stop()

validation_key = (source_key, tuple(sorted((k, v or "") for k, v in mapping.items())))
if st.button("Validate", key="import_validate", type="secondary"):
    try:
        frame = apply_mapping(extract, mapping)
        with st.spinner("Validating ..."):
            result = validate(frame, importing.geography(cfg), row_numbers=extract.row_numbers)
    except (ExtractReadError, StoreError, ValueError) as exc:
        st.error(f"Validation could not run: {exc}")
        st.stop()
    st.session_state["import_validation"] = (validation_key, result)

stored = st.session_state.get("import_validation")
if stored is None or stored[0] != validation_key:
    st.info("Press **Validate** to check every row. Nothing is written to the store yet.")
    _history_section()
    footer()
    st.stop()
result = stored[1]

st.subheader("Validation")
importing.validation_counts(result)
if result.rejected_rows:
    st.markdown("**Rejected rows by column and reason** (number of rows)")
    st.dataframe(importing.reasons_table(result), hide_index=True, width="stretch")
    st.markdown("**Rejected rows** (first 500; download for all)")
    st.dataframe(result.rejected.head(500), hide_index=True, width="stretch")
    st.download_button(
        "Download rejected rows (CSV)",
        rejected_csv(result.rejected),
        file_name=f"{extract.file_name}.rejected.csv",
        mime="text/csv",
        key="import_download_rejected",
        **download_audit("Download rejected rows (CSV)"),
    )
    st.caption(
        "Row numbers count the header as row 1, as in a spreadsheet. Cells that a spreadsheet could run as "
        "formulas are prefixed with a single quote in the download."
    )

if not result.accepted_rows:
    st.error(f"Nothing can be imported: all {result.rows_read:,} rows were rejected.")
    _history_section()
    footer()
    st.stop()

kind, existing = store_kind(cfg.store_location)
replace_demo = mix_with_demo = False
choice_needed = kind == "demo" and existing > 0
if choice_needed:
    st.warning(f"The store holds demo data ({existing:,} synthetic referrals). Choose what to do with it.")
    choice = st.radio(
        "Demo data",
        ("Replace the demo data with this extract", "Keep the demo data and add this extract (mixed)"),
        index=None,
        key="import_demo_choice",
    )
    replace_demo = choice is not None and choice.startswith("Replace")
    mix_with_demo = choice is not None and choice.startswith("Keep")

if st.button(
    f"Import {result.accepted_rows:,} accepted rows",
    key="import_confirm",
    type="primary",
    disabled=choice_needed and not (replace_demo or mix_with_demo),
):
    try:
        with st.spinner("Importing ..."):
            summary = apply_import(
                cfg.store_location,
                result,
                file_name=extract.file_name,
                sha256=extract.sha256,
                replace_demo=replace_demo,
                mix_with_demo=mix_with_demo,
            )
    except (StoreError, ValueError) as exc:
        st.error(f"The import was not applied: {exc}")
    else:
        audit(
            cfg,
            "import",
            {"file": extract.file_name, "sha256": extract.sha256, "import_id": summary.import_id,
             "summary": summary.describe()},
        )
        importing.forget_store_results()
        st.session_state.pop("import_validation", None)
        st.session_state["import_message"] = summary.describe()
        st.rerun()

_history_section()
footer()
