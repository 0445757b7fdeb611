"""The referral store: one DuckDB file with the referrals and a metadata table.

All SQL here is parameterised; table and column names come only from the schema module.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from data.schema import STORE_COLUMNS


class StoreError(Exception):
    """The store is missing, unreadable or holds something unexpected."""


def _create_sql() -> str:
    columns = ",\n  ".join(f"{c.name} {c.dtype}" for c in STORE_COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS referrals (\n  {columns},\n  PRIMARY KEY (referral_id)\n)"


#: How long a connection waits for another one to let go of the store before giving up.
BUSY_WAIT_SECONDS = 10.0


def connect(path: Path, read_only: bool = False, wait_seconds: float = BUSY_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the store. DuckDB refuses, within one process, a connection whose read-only setting differs
    from one already open, and across processes a writer while anyone holds the file. Connections here
    are short-lived, so a refused open is retried until ``wait_seconds``; a reader that finds a writer
    of this process already open shares that writer's instance (reads only, by our code)."""
    path = Path(path)
    if read_only and not path.is_file():
        raise StoreError(f"referral store {path} does not exist; run `python -m equity demo` or import an extract")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except (duckdb.ConnectionException, duckdb.IOException) as exc:
            if read_only and "different configuration" in str(exc):
                try:
                    return duckdb.connect(str(path), read_only=False)
                except (duckdb.ConnectionException, duckdb.IOException):
                    pass
            if time.monotonic() >= deadline:
                raise StoreError(f"the referral store {path} is busy (another connection holds it); try again") from exc
            time.sleep(0.05)
    if not read_only:
        con.execute(_create_sql())
        con.execute("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT around the block; ROLLBACK (and re-raise) if it fails, so nothing is half-written."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def replace_all(path: Path, referrals: pd.DataFrame, *, kind: str, description: str) -> int:
    """Replace the whole store with ``referrals`` in one transaction. Returns rows written."""
    names = [c.name for c in STORE_COLUMNS]
    missing = [n for n in names if n not in referrals.columns]
    if missing:
        raise StoreError(f"referral frame lacks columns {missing}")
    frame = referrals[names]
    con = connect(path)
    try:
        with transaction(con):
            con.execute("DELETE FROM referrals")
            con.register("incoming", frame)
            con.execute(f"INSERT INTO referrals SELECT {', '.join(names)} FROM incoming")
            con.unregister("incoming")
            con.execute("DELETE FROM store_meta")
            meta = {
                "kind": kind,
                "description": description,
                "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            con.executemany("INSERT INTO store_meta VALUES (?, ?)", list(meta.items()))
    finally:
        con.close()
    return len(frame)


def read_meta(path: Path) -> dict[str, str]:
    con = connect(path, read_only=True)
    try:
        rows = con.execute("SELECT key, value FROM store_meta").fetchall()
        summary = con.execute("SELECT count(*), min(referral_date), max(referral_date) FROM referrals").fetchone()
    finally:
        con.close()
    assert summary is not None  # an aggregate query always returns one row
    meta = dict(rows)
    meta["referrals"] = str(summary[0])
    meta["first_referral_date"] = str(summary[1]) if summary[1] else ""
    meta["data_date"] = str(summary[2]) if summary[2] else ""
    return meta
