"""The audit trail: who did what, when, kept in the store.

One row per event: sign-in, import, rollback, provision and site edits, CSV downloads, board-pack builds
and access-policy changes, each with the user's stable id and display name, the time (UTC) and what was
touched (the selection, file or cell) as JSON. Rows are only ever added. The table is
``audit_log`` (migration 1); on PostgreSQL a writer holds it in EXCLUSIVE mode for the moment it takes
the next event id, so users signing in or downloading at once never get the same id.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import pandas as pd

from data.backend import StoreRef, connect_store, store_exists

ACTIONS: tuple[str, ...] = (
    "sign_in",
    "import",
    "rollback",
    "provision_edit",
    "site_edit",
    "download",
    "boardpack_build",
    "policy_change",
)
COLUMNS: tuple[str, ...] = ("event_id", "at_utc", "user_id", "user_name", "action", "detail")


class AuditError(ValueError):
    """An audit event or query is malformed."""


def record(
    store: StoreRef, *, user_id: str, user_name: str, action: str, detail: Mapping[str, object] | None = None
) -> int:
    """Add one event; returns its id."""
    if action not in ACTIONS:
        raise AuditError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    if not user_id:
        raise AuditError("an audit event needs the user's stable id")
    text = json.dumps(dict(detail or {}), sort_keys=True, default=str)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with connect_store(store) as con, con.transaction():
        con.lock("audit_log")
        row = con.execute("SELECT coalesce(max(event_id), 0) + 1 FROM audit_log").fetchone()
        event_id = int(row[0]) if row else 1
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)", [event_id, now, user_id, user_name, action, text]
        )
    return event_id


def read(
    store: StoreRef,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    user: str | None = None,
    action: str | None = None,
) -> pd.DataFrame:
    """Events, newest first, filtered by day (inclusive, UTC), user (id or name, exact) and action."""
    if action is not None and action not in ACTIONS:
        raise AuditError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    empty = pd.DataFrame({c: [] for c in COLUMNS})
    if not store_exists(store):
        return empty
    with connect_store(store, read_only=True) as con:
        if "audit_log" not in con.tables():  # a store written before migrations
            return empty
        where: list[str] = ["TRUE"]
        params: list[object] = []
        if date_from:
            where.append("at_utc >= ?")
            params.append(dt.datetime.combine(date_from, dt.time()))
        if date_to:
            where.append("at_utc < ?")
            params.append(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
        if user:
            where.append("(user_id = ? OR user_name = ?)")
            params += [user, user]
        if action:
            where.append("action = ?")
            params.append(action)
        sql = f"SELECT {', '.join(COLUMNS)} FROM audit_log WHERE {' AND '.join(where)} ORDER BY event_id DESC"
        return con.execute(sql, params).df()
