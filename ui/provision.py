"""Streamlit helpers for the Provision page: cached loaders of the matrix, its history and access by
element, the screen tables and the edit form. Everything computed lives in ``equity.provision``."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from data.audit import record
from data.schema import SUPPORT_ELEMENTS
from data.store import StoreError
from equity import provision
from equity.access import Access
from equity.selection import Selection
from equity.settings import Settings
from ui import format as fmt
from ui.forms import FLASH_KEY, STORE_BUSY, element_label
from ui.loaders import _HASH


def for_places(frame: pd.DataFrame, places: tuple[str, ...]) -> pd.DataFrame:
    """Rows of the given Places (all rows when none are chosen)."""
    return frame[frame["place"].isin(places)] if places else frame


@st.cache_data(hash_funcs=_HASH, show_spinner=False, ttl=600, max_entries=32)
def element_access(cfg: Settings, selection: Selection) -> pd.DataFrame:
    """Access by Place and support element as published (the named table 'provision_access')."""
    from publish import tables

    return tables.get("provision_access", cfg, selection)


def matrix(cfg: Settings) -> pd.DataFrame:
    """The current matrix (not cached: edits must show at once; it is 24 rows)."""
    return provision.current_matrix(cfg.store_location)


def history(cfg: Settings) -> pd.DataFrame:
    return provision.provision_history(cfg.store_location)


def matrix_table(matrix_frame: pd.DataFrame, access: pd.DataFrame | None) -> pd.DataFrame:
    merged = matrix_frame
    if access is not None:
        merged = matrix_frame.merge(access, on=["place", "support_element"], how="left")
    rows = []
    for row in merged.itertuples(index=False):
        entry = {
            "Place": row.place,
            "Support element": f"{row.support_element}. {row.element_name}",
            "THRIVE": row.thrive_category,
            "Provision": f"{row.status} ({row.colour})",
        }
        if access is not None:
            entry.update(
                {
                    "Referrals": fmt.count(row.referrals),
                    "Referrals per 1,000 aged 0-5": fmt.rate(row.rate_per_1000),
                    "95% CI": fmt.interval(row.lower_95, row.upper_95),
                    "People accessing per 1,000": fmt.rate(row.access_rate_per_1000),
                }
            )
        entry.update(
            {
                "Note": row.note or "",
                "Source": row.source or "",
                "Last changed by": row.updated_by or "",
                "Last changed (UTC)": ""
                if pd.isna(row.updated_at)
                else pd.Timestamp(row.updated_at).strftime("%d/%m/%Y %H:%M"),
            }
        )
        rows.append(entry)
    return pd.DataFrame(rows)


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in frame.itertuples(index=False):
        old = row.old_status if isinstance(row.old_status, str) else "(none)"
        rows.append(
            {
                "#": int(row.change_id),
                "When (UTC)": pd.Timestamp(row.changed_at).strftime("%d/%m/%Y %H:%M"),
                "Who": row.changed_by,
                "Place": row.place,
                "Support element": int(row.support_element),
                "Status": f"{old} → {row.new_status}" if old != row.new_status else f"{row.new_status} (unchanged)",
                "Note": row.new_note or "",
                "Previous note": row.old_note if isinstance(row.old_note, str) else "",
                "Source": row.new_source or "",
            }
        )
    return pd.DataFrame(
        rows,
        columns=["#", "When (UTC)", "Who", "Place", "Support element", "Status", "Note", "Previous note", "Source"],
    )


def edit_cell_form(cfg: Settings, matrix_frame: pd.DataFrame, access: Access) -> None:
    """Pick a cell of a Place you manage, then change its status, note and source; the change is saved with
    the signed-in user's name (and their stable id in the audit trail)."""
    places = access.manage_places
    if not places:
        st.caption("Editing the matrix needs the data manager role for a Place; ask your ICB data team.")
        return
    who = access.display_name
    cols = st.columns(2)
    place = cols[0].selectbox("Place", places, key="prov_place")
    element = cols[1].selectbox(
        "Support element", tuple(SUPPORT_ELEMENTS), format_func=element_label, key="prov_element"
    )
    cell = matrix_frame[(matrix_frame["place"] == place) & (matrix_frame["support_element"] == element)].iloc[0]
    suffix = f"{place}_{element}"
    with st.form("prov_edit", clear_on_submit=False):
        status = st.selectbox(
            "Provision status",
            provision.STATUS_LABELS,
            index=provision.STATUS_LABELS.index(cell["status"]),
            key=f"prov_status_{suffix}",
            format_func=lambda s: f"{s} ({provision.STATUSES[s][1]})",
            help="; ".join(f"{k}: {v[3]}" for k, v in provision.STATUSES.items()),
        )
        note = st.text_area("Note", value=cell["note"] or "", key=f"prov_note_{suffix}", max_chars=provision.MAX_TEXT)
        source = st.text_area(
            "Source (what the status rests on)",
            value=cell["source"] or "",
            key=f"prov_source_{suffix}",
            max_chars=provision.MAX_TEXT,
        )
        st.caption(f"Saved as **{who}** (signed in), with the time and the old and new values.")
        saved = st.form_submit_button("Save change", type="primary", key="prov_save")
    if saved:
        try:
            change = provision.update_cell(
                cfg.store_location, place, int(element), status=status, note=note, source=source, changed_by=who
            )
        except provision.ProvisionError as exc:
            st.error(str(exc))
            return
        except StoreError as exc:  # not a store, read-only, a directory: the true reason
            st.error(f"The change was not saved: {exc}")
            return
        except duckdb.Error:
            st.error(f"The change was not saved: {STORE_BUSY}.")
            return
        if change is None:
            st.info("Nothing changed: the cell already has this status, note and source.")
            return
        record(
            cfg.store_location,
            user_id=access.user_id,
            user_name=who,
            action="provision_edit",
            detail={"place": place, "element": int(element), "change": change.describe()},
        )
        st.session_state[FLASH_KEY] = f"Saved: {change.describe()} (by {who.strip()})."
        st.rerun()
