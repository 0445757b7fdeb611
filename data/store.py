"""The referral store: the referrals and a metadata table, in a DuckDB file or on a PostgreSQL server.

:func:`connect` opens a DuckDB file (busy-wait, clear errors: :mod:`data.duckfile`) and brings its schema
up to date when it opens for writing; :mod:`data.backend` opens either dialect for the code that writes.
The tables come from the versioned migrations (:mod:`data.migrate`). All SQL here is parameterised; table
and column names come only from the schema module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from data.backend import BUSY_WAIT_SECONDS, StoreRef, connect_store, open_duckdb
from data.duckfile import StoreError, check_store, transaction
from data.schema import STORE_COLUMNS

__all__ = ["BUSY_WAIT_SECONDS", "StoreError", "check_store", "connect", "read_meta", "replace_all", "transaction"]


def connect(path: Path, read_only: bool = False, wait_seconds: float = BUSY_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB store file (:func:`data.duckfile.open_file`: the busy-wait and its errors), its
    schema migrated when opened for writing."""
    return open_duckdb(Path(path), read_only=read_only, wait_seconds=wait_seconds)


def replace_all(store: StoreRef, referrals: pd.DataFrame, *, kind: str, description: str) -> int:
    """Replace the whole store's referrals with ``referrals`` in one transaction. Returns rows written."""
    names = [c.name for c in STORE_COLUMNS]
    missing = [n for n in names if n not in referrals.columns]
    if missing:
        raise StoreError(f"referral frame lacks columns {missing}")
    frame = referrals[names]
    with connect_store(store) as con, con.transaction():
        con.lock("imports", "referrals", "store_meta")  # one writer of referrals at a time (PostgreSQL)
        if con.dialect == "duckdb":
            # DuckDB re-inserting the keys it deleted in the same transaction checks each against its primary
            # key index (86 s for 1,000,000 rows); dropping the table and re-creating it from its own DDL,
            # still in the transaction, takes about a second. It then reads the pandas frame in place.
            raw: duckdb.DuckDBPyConnection = con.con  # type: ignore[attr-defined]
            ddl = raw.execute(
                "SELECT sql FROM duckdb_tables() WHERE table_name = 'referrals' AND NOT temporary"
            ).fetchall()[0][0]
            raw.execute("DROP TABLE referrals")
            raw.execute(ddl)
            raw.register("incoming", frame)
            raw.execute(f"INSERT INTO referrals SELECT {', '.join(names)} FROM incoming")
            raw.unregister("incoming")
        else:
            con.execute("DELETE FROM referrals")
            con.insert_frame("referrals", frame, STORE_COLUMNS)
        con.execute("DELETE FROM store_meta")
        meta = {
            "kind": kind,
            "description": description,
            "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        con.executemany("INSERT INTO store_meta VALUES (?, ?)", list(meta.items()))
    return len(frame)


def read_meta(store: StoreRef) -> dict[str, str]:
    with connect_store(store, read_only=True) as con:
        rows = con.execute("SELECT key, value FROM store_meta").fetchall()
        summary = con.execute("SELECT count(*), min(referral_date), max(referral_date) FROM referrals").fetchone()
    assert summary is not None  # an aggregate query always returns one row
    meta = dict(rows)
    meta["referrals"] = str(summary[0])
    meta["first_referral_date"] = str(summary[1]) if summary[1] else ""
    meta["data_date"] = str(summary[2]) if summary[2] else ""
    return meta
