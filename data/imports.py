"""Applying a validated extract to the store: atomic upsert, import history and rollback.

* An import is one transaction (DuckDB or PostgreSQL, :mod:`data.backend`): the referrals, the history
  row and the store metadata change together or not at all. On PostgreSQL the import holds the
  ``imports``, ``referrals`` and ``store_meta`` tables in EXCLUSIVE mode (readers go on), so two users
  importing or rolling back at once are serialised: the second waits for the first and then works on
  its result (a wait longer than ``BUSY_WAIT_SECONDS`` ends in a 'busy' error, nothing changed).
* Referrals are upserted by ``referral_id``: new ids are inserted, ids whose values differ are
  updated, identical rows are left alone. An import that would change nothing (re-importing
  the same extract) writes nothing, not even a history row.
* ``imports`` records each import (counts, checksum, status); ``import_rejections`` the number
  of rejected rows by column and reason (no values); ``referral_versions`` what each import
  replaced (the previous values of updated rows, the ids of inserted rows and any demo rows
  cleared), so that it can be undone.
* Rollback undoes the most recent import that is still applied, restoring referrals and store
  metadata to exactly their state before it; repeat it to undo earlier imports in turn. Any
  earlier import can be undone only after every later one.
* Demo and real data are not mixed unless asked: importing into a store whose ``kind`` is
  'demo' fails unless ``replace_demo`` (demo rows are cleared first; the store becomes 'real')
  or ``mix_with_demo`` (demo rows are kept; the store stays 'demo', so pages keep the demo
  warning).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from data.backend import StoreConnection, StoreRef, connect_store, locate, sql_type, store_exists
from data.schema import STORE_COLUMNS
from data.store import StoreError
from data.validation import ValidationResult

_NAMES: tuple[str, ...] = tuple(c.name for c in STORE_COLUMNS)
_VALUE_NAMES: tuple[str, ...] = tuple(n for n in _NAMES if n != "referral_id")
HISTORY_COLUMNS: tuple[str, ...] = (
    "import_id", "imported_at", "file_name", "sha256", "rows_read", "accepted", "rejected", "inserted",
    "updated", "unchanged", "demo_removed", "outside_lsc", "approximate_geography", "status", "rolled_back_at",
)
APPLIED = "applied"
ROLLED_BACK = "rolled back"


class ImportRefusedError(StoreError):
    """The import or rollback was refused; nothing was changed. The message says why and what to do."""


@dataclass(frozen=True)
class ImportSummary:
    file_name: str
    sha256: str
    rows_read: int
    accepted: int
    rejected: int
    inserted: int
    updated: int
    unchanged: int
    demo_removed: int
    outside_lsc: int
    approximate_geography: int
    import_id: int | None  # None when nothing changed (nothing recorded) or on a dry run
    dry_run: bool
    same_file_as: int | None = None  # an earlier applied import of a file with the same checksum

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.demo_removed)

    def describe(self) -> str:
        counts = (
            f"{self.rows_read:,} rows read: {self.accepted:,} accepted, {self.rejected:,} rejected; "
            f"{self.inserted:,} inserted, {self.updated:,} updated, {self.unchanged:,} unchanged"
        )
        if self.demo_removed:
            counts += f", {self.demo_removed:,} demo rows removed"
        if self.dry_run:
            return f"dry run, nothing written: {counts}"
        if not self.changed:
            again = f" (same file as import #{self.same_file_as})" if self.same_file_as else ""
            return f"nothing changed{again}: {counts}"
        return f"import #{self.import_id}: {counts}"


@dataclass(frozen=True)
class RollbackSummary:
    import_id: int
    file_name: str
    deleted: int  # rows the import had inserted
    restored: int  # rows the import had updated, back to their previous values
    reinserted: int  # demo rows the import had cleared

    def describe(self) -> str:
        text = (f"rolled back import #{self.import_id} ({self.file_name}): {self.deleted:,} inserted rows removed, "
                f"{self.restored:,} updated rows restored")
        return text + (f", {self.reinserted:,} demo rows put back" if self.reinserted else "")


#: What every writer of referrals holds for its transaction (PostgreSQL; see the module docstring).
WRITER_LOCK: tuple[str, ...] = ("imports", "referrals", "store_meta")


def _incoming_sql(dialect: str) -> str:
    columns = ", ".join(f"{c.name} {sql_type(c.dtype, dialect)}" for c in STORE_COLUMNS)
    return f"CREATE TEMP TABLE incoming ({columns})"


def _differs_sql() -> str:
    return " OR ".join(f"i.{n} IS DISTINCT FROM r.{n}" for n in _VALUE_NAMES)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def apply_import(
    store: StoreRef,
    result: ValidationResult,
    *,
    file_name: str,
    sha256: str,
    replace_demo: bool = False,
    mix_with_demo: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Upsert ``result.accepted`` into the store in one transaction and record the import.

    ``dry_run`` does everything inside the transaction and then rolls it back, so the counts are
    exactly what the import would do. Raises :class:`ImportRefusedError` (nothing changed) when
    the store holds demo data and neither ``replace_demo`` nor ``mix_with_demo`` is set.
    """
    if replace_demo and mix_with_demo:
        raise ValueError("choose either replace_demo or mix_with_demo, not both")
    accepted = result.accepted
    missing = [n for n in _NAMES if n not in accepted.columns]
    if missing:
        raise StoreError(f"accepted frame lacks columns {missing}")
    base: dict[str, Any] = dict(
        file_name=file_name, sha256=sha256, rows_read=result.rows_read, accepted=result.accepted_rows,
        rejected=result.rejected_rows, outside_lsc=result.outside_lsc_rows,
        approximate_geography=result.approximate_rows, dry_run=dry_run,
    )
    if dry_run and not store_exists(store):
        return ImportSummary(**base, inserted=len(accepted), updated=0, unchanged=0, demo_removed=0, import_id=None)

    with connect_store(store) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            summary = _apply(con, accepted, base, replace_demo=replace_demo, mix_with_demo=mix_with_demo,
                             reasons=result.reasons())
        except BaseException:
            con.rollback()
            raise
        if dry_run or not summary.changed:
            con.rollback()
        else:
            con.execute("COMMIT")
    return summary


def _apply(
    con: StoreConnection, accepted: pd.DataFrame, base: dict, *, replace_demo: bool,
    mix_with_demo: bool, reasons: pd.DataFrame,
) -> ImportSummary:
    con.lock(*WRITER_LOCK)  # first: the next import id and the state below are read under the lock
    meta = dict(con.execute("SELECT key, value FROM store_meta").fetchall())
    existing = con.execute("SELECT count(*) FROM referrals").fetchall()[0][0]
    import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0][0]
    same = con.execute(
        "SELECT max(import_id) FROM imports WHERE sha256 = ? AND status = ?", [base["sha256"], APPLIED]
    ).fetchall()[0][0]
    names = ", ".join(_NAMES)

    demo_removed = 0
    is_demo = meta.get("kind") == "demo" and existing > 0
    if is_demo and not (replace_demo or mix_with_demo):
        raise ImportRefusedError(
            f"the store holds demo data ({existing:,} synthetic referrals); to import real data, replace the demo "
            "data (--replace-demo) or, only if you mean to, keep it mixed with the real rows (--mix-with-demo)"
        )
    if is_demo and replace_demo:
        con.execute(f"INSERT INTO referral_versions SELECT ?, 'deleted', {names} FROM referrals", [import_id])
        con.execute("DELETE FROM referrals")
        demo_removed = existing

    con.execute(_incoming_sql(con.dialect))
    con.insert_frame("incoming", accepted, STORE_COLUMNS)
    con.analyze("incoming")
    con.execute(
        "CREATE TEMP TABLE changes AS SELECT i.referral_id, r.referral_id IS NULL AS is_new FROM incoming i "
        f"LEFT JOIN referrals r ON r.referral_id = i.referral_id WHERE r.referral_id IS NULL OR {_differs_sql()}"
    )
    con.analyze("changes")
    inserted, updated = con.execute(
        "SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM changes"
    ).fetchall()[0]
    summary = ImportSummary(
        **base, inserted=int(inserted), updated=int(updated),
        unchanged=len(accepted) - int(inserted) - int(updated), demo_removed=demo_removed,
        import_id=None if base["dry_run"] or not (inserted or updated or demo_removed) else int(import_id),
        same_file_as=int(same) if same is not None else None,
    )
    if not summary.changed:
        return summary

    prefixed = ", ".join(f"r.{n}" for n in _NAMES)
    con.execute(
        f"INSERT INTO referral_versions SELECT ?, 'updated', {prefixed} FROM referrals r "
        "JOIN changes c ON c.referral_id = r.referral_id WHERE NOT c.is_new", [import_id]
    )
    con.execute(
        "INSERT INTO referral_versions (import_id, action, referral_id) "
        "SELECT ?, 'inserted', referral_id FROM changes WHERE is_new", [import_id]
    )
    assignments = ", ".join(f"{n} = u.{n}" for n in _VALUE_NAMES)
    con.execute(
        f"UPDATE referrals SET {assignments} FROM (SELECT i.* FROM incoming i JOIN changes c "
        "ON c.referral_id = i.referral_id WHERE NOT c.is_new) AS u WHERE referrals.referral_id = u.referral_id"
    )
    incoming_cols = ", ".join(f"i.{n}" for n in _NAMES)
    con.execute(
        f"INSERT INTO referrals SELECT {incoming_cols} FROM incoming i "
        "JOIN changes c ON c.referral_id = i.referral_id WHERE c.is_new"
    )
    now = _now()
    con.execute(
        f"INSERT INTO imports VALUES ({', '.join(['?'] * 16)})",
        [import_id, now, summary.file_name, summary.sha256, summary.rows_read, summary.accepted, summary.rejected,
         summary.inserted, summary.updated, summary.unchanged, summary.demo_removed, summary.outside_lsc,
         summary.approximate_geography, APPLIED, None, json.dumps(meta, sort_keys=True)],
    )
    if len(reasons):
        con.executemany(
            "INSERT INTO import_rejections VALUES (?, ?, ?, ?)",
            [[import_id, r.column, r.reason, int(r.rows)] for r in reasons.itertuples(index=False)],
        )
    mixed = meta.get("kind") == "demo" and existing > 0 and mix_with_demo
    stamp = now.strftime("%d/%m/%Y %H:%M UTC")
    new_meta = {
        "kind": "demo" if mixed else "real",
        "description": (
            f"Demo data mixed with real referrals from {summary.file_name} (import #{import_id}, {stamp})"
            if mixed else f"Real referrals: {summary.file_name} (import #{import_id}, {stamp})"
        ),
        "loaded_at": now.isoformat(timespec="seconds") + "+00:00",
        "last_import_id": str(import_id),
    }
    con.execute("DELETE FROM store_meta")
    con.executemany("INSERT INTO store_meta VALUES (?, ?)", list(new_meta.items()))
    return summary


def _latest_applied(con: StoreConnection) -> tuple[int, str, str] | None:
    rows = con.execute(
        "SELECT import_id, file_name, meta_before FROM imports WHERE status = ? ORDER BY import_id DESC LIMIT 1",
        [APPLIED],
    ).fetchall()
    row = rows[0] if rows else None
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]))


def rollback_import(store: StoreRef, import_id: int | None = None) -> RollbackSummary:
    """Undo the most recent applied import (``import_id``, if given, must be that import)."""
    if not store_exists(store):
        raise ImportRefusedError(f"there is no store at {locate(store).describe()}; nothing to roll back")
    with connect_store(store) as con, con.transaction():
        return _rollback(con, import_id)


def _rollback(con: StoreConnection, import_id: int | None) -> RollbackSummary:
    con.lock(*WRITER_LOCK)
    latest = _latest_applied(con)
    if latest is None:
        raise ImportRefusedError("no applied import to roll back")
    latest_id, file_name, meta_json = latest
    if import_id is not None and import_id != latest_id:
        found = con.execute("SELECT status FROM imports WHERE import_id = ?", [import_id]).fetchall()
        status = found[0] if found else None
        if status is None:
            raise ImportRefusedError(f"there is no import #{import_id}")
        if status[0] != APPLIED:
            raise ImportRefusedError(f"import #{import_id} has already been rolled back")
        raise ImportRefusedError(
            f"only the most recent import can be rolled back: roll back import #{latest_id} first"
        )
    counts = dict(
        con.execute(
            "SELECT action, count(*) FROM referral_versions WHERE import_id = ? GROUP BY action", [latest_id]
        ).fetchall()
    )
    con.execute(
        "DELETE FROM referrals WHERE referral_id IN "
        "(SELECT referral_id FROM referral_versions WHERE import_id = ? AND action = 'inserted')", [latest_id]
    )
    assignments = ", ".join(f"{n} = v.{n}" for n in _VALUE_NAMES)
    con.execute(
        f"UPDATE referrals SET {assignments} FROM (SELECT * FROM referral_versions WHERE import_id = ? "
        "AND action = 'updated') AS v WHERE referrals.referral_id = v.referral_id", [latest_id]
    )
    names = ", ".join(_NAMES)
    con.execute(
        f"INSERT INTO referrals SELECT {names} FROM referral_versions WHERE import_id = ? AND action = 'deleted'",
        [latest_id],
    )
    con.execute("DELETE FROM store_meta")
    meta = json.loads(meta_json) if meta_json else {}
    if meta:
        con.executemany("INSERT INTO store_meta VALUES (?, ?)", list(meta.items()))
    con.execute("DELETE FROM referral_versions WHERE import_id = ?", [latest_id])
    con.execute(
        "UPDATE imports SET status = ?, rolled_back_at = ? WHERE import_id = ?", [ROLLED_BACK, _now(), latest_id]
    )
    return RollbackSummary(
        import_id=latest_id, file_name=file_name, deleted=int(counts.get("inserted", 0)),
        restored=int(counts.get("updated", 0)), reinserted=int(counts.get("deleted", 0)),
    )


def _read_table(store: StoreRef, sql: str, columns: tuple[str, ...]) -> pd.DataFrame:
    if not store_exists(store):
        return pd.DataFrame({c: [] for c in columns})
    with connect_store(store, read_only=True) as con:
        if not {"imports", "import_rejections"} <= con.tables():  # a store written before migrations
            return pd.DataFrame({c: [] for c in columns})
        return con.execute(sql).df()


def import_history(store: StoreRef) -> pd.DataFrame:
    """One row per import (newest first): counts, checksum, status. Empty if there were none."""
    sql = f"SELECT {', '.join(HISTORY_COLUMNS)} FROM imports ORDER BY import_id DESC"
    return _read_table(store, sql, HISTORY_COLUMNS)


def rejection_history(store: StoreRef) -> pd.DataFrame:
    """Rejected rows by import, column and reason (counts only; values are never stored)."""
    columns = ("import_id", "file_name", "status", "column_name", "reason", "rows")
    sql = (
        "SELECT r.import_id, i.file_name, i.status, r.column_name, r.reason, r.rows FROM import_rejections r "
        "JOIN imports i USING (import_id) ORDER BY r.import_id DESC, r.rows DESC"
    )
    return _read_table(store, sql, columns)


def store_kind(store: StoreRef) -> tuple[str | None, int]:
    """The store's ``kind`` ('demo', 'real' or None when empty or missing) and its referral count."""
    if not store_exists(store):
        return None, 0
    with connect_store(store, read_only=True) as con:
        meta = dict(con.execute("SELECT key, value FROM store_meta").fetchall())
        count = con.execute("SELECT count(*) FROM referrals").fetchall()[0][0]
    return meta.get("kind"), int(count)


def holds_only_demo(store: StoreRef) -> bool:
    """True when the store holds synthetic demo referrals only (or nothing): never an applied import of
    real referrals, mixed with the demo data or not. Open demo mode (no sign-in) requires it."""
    kind, count = store_kind(store)
    if count and kind != "demo":
        return False
    history = import_history(store)
    return not (history["status"] == APPLIED).any()
