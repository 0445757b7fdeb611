"""The audit trail: who did what, when, kept in the store.

One row per event: sign-in, import, rollback, provision and site edits, CSV downloads, board-pack builds
and access-policy changes, each with the user's stable id and display name, the time (UTC) and what was
touched (the selection, file or cell) as JSON. Rows are only ever added.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from data.store import connect, transaction

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
_CREATE = (
    "CREATE TABLE IF NOT EXISTS audit_log (event_id BIGINT PRIMARY KEY, at_utc TIMESTAMP, user_id VARCHAR, "
    "user_name VARCHAR, action VARCHAR, detail VARCHAR)"
)


class AuditError(ValueError):
    """An audit event or query is malformed."""


def record(
    store_path: Path, *, user_id: str, user_name: str, action: str, detail: Mapping[str, object] | None = None
) -> int:
    """Add one event; returns its id."""
    if action not in ACTIONS:
        raise AuditError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    if not user_id:
        raise AuditError("an audit event needs the user's stable id")
    text = json.dumps(dict(detail or {}), sort_keys=True, default=str)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con = connect(Path(store_path))
    try:
        with transaction(con):
            con.execute(_CREATE)
            row = con.execute("SELECT coalesce(max(event_id), 0) + 1 FROM audit_log").fetchone()
            event_id = int(row[0]) if row else 1
            con.execute(
                "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)", [event_id, now, user_id, user_name, action, text]
            )
    finally:
        con.close()
    return event_id


def read(
    store_path: Path,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    user: str | None = None,
    action: str | None = None,
) -> pd.DataFrame:
    """Events, newest first, filtered by day (inclusive, UTC), user (id or name, exact) and action."""
    if action is not None and action not in ACTIONS:
        raise AuditError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    store_path = Path(store_path)
    empty = pd.DataFrame({c: [] for c in COLUMNS})
    if not store_path.is_file():
        return empty
    con = connect(store_path, read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "audit_log" not in tables:
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
    finally:
        con.close()
