"""One connection to the store's tables, on DuckDB or PostgreSQL, for the code that writes them.

:func:`connect_store` opens the store named by a :class:`~data.location.StoreLocation` (or a Path,
meaning a DuckDB file) and returns a :class:`StoreConnection`: ``execute(sql, params)`` with ``?``
placeholders on both dialects, ``executemany``, ``transaction()``, ``tables()``, ``insert_frame`` (bulk
load of a pandas frame: DuckDB reads the Arrow table in place, PostgreSQL takes it by ``COPY``) and
``lock(table, ...)`` (PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE MODE``: one writer at a time per table,
readers not blocked; on DuckDB a no-op, its single-writer file and optimistic transactions do the
same). Results have ``fetchall``, ``fetchone`` and ``df()``; on PostgreSQL ``df()`` converts through the
same Arrow-to-pandas path as DuckDB, so both give the same frame (dtypes included).

* **DuckDB** stays exactly as before for the newcomer: an embedded file, the busy-wait and the error
  messages of :func:`data.duckfile.open_file`.
* **PostgreSQL** through psycopg 3, in autocommit mode with explicit ``BEGIN``/``COMMIT`` (so the code is
  the same on both); a lock held longer than :data:`data.duckfile.BUSY_WAIT_SECONDS` by another user ends in
  a :class:`~data.duckfile.StoreError` saying the store is busy, never a silent wait without end.

Both run the schema migrations (:mod:`data.migrate`) when opened for writing; a PostgreSQL store is
migrated by readers too (a server has no read-only file to protect), once per process and URL.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from data.duckfile import BUSY_WAIT_SECONDS, StoreError, check_store, open_file
from data.location import StoreLocation, parse_store
from data.migrate import applied_version, migrate
from data.schema import Column

StoreRef = StoreLocation | Path | str
#: Rows per COPY chunk (bounded memory for the CSV text of a large import).
COPY_CHUNK_ROWS = 200_000

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "DATE": pa.date32(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
    "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64(), "TIMESTAMP": pa.timestamp("us"),
}
#: PostgreSQL type OIDs -> Arrow types for ``df()`` (anything else arrives as text).
_PG_ARROW: dict[int, pa.DataType] = {
    16: pa.bool_(), 20: pa.int64(), 21: pa.int16(), 23: pa.int32(), 700: pa.float32(), 701: pa.float64(),
    1700: pa.float64(), 1082: pa.date32(), 1114: pa.timestamp("us"), 1184: pa.timestamp("us", tz="UTC"),
}


def sql_type(dtype: str, dialect: str) -> str:
    """A schema type (``data.schema`` uses DuckDB's names) in ``dialect``."""
    return "DOUBLE PRECISION" if dtype == "DOUBLE" and dialect == "postgresql" else dtype


def locate(store: StoreRef) -> StoreLocation:
    """A store reference as a location: a Path (or a plain path string) is a DuckDB file."""
    if isinstance(store, StoreLocation):
        return store
    if isinstance(store, str):
        return parse_store(store)
    return StoreLocation("duckdb", path=Path(store))


class Rows(Protocol):
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...
    def df(self) -> pd.DataFrame: ...


class StoreConnection:
    """A connection to the store (see the module docstring). Use as a context manager or ``close()``."""

    dialect: str
    location: StoreLocation

    def execute(self, sql: str, params: Sequence[object] | None = None) -> Rows:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        raise NotImplementedError

    def tables(self) -> set[str]:
        """Names of the store's (non-temporary) tables."""
        raise NotImplementedError

    def insert_frame(self, table: str, frame: pd.DataFrame, columns: Sequence[Column]) -> None:
        """Append ``frame[columns]`` to ``table`` (cast to the columns' types)."""
        raise NotImplementedError

    def lock(self, *tables: str) -> None:
        """Inside a transaction: hold ``tables`` against other writers until it ends."""

    def analyze(self, table: str) -> None:
        """Refresh the planner's statistics of a freshly loaded table."""

    def close(self) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[StoreConnection]:
        """BEGIN ... COMMIT around the block; ROLLBACK (and re-raise) if it fails."""
        self.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.execute("COMMIT")

    def rollback(self) -> None:
        self.execute("ROLLBACK")

    def __enter__(self) -> StoreConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBStore(StoreConnection):
    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection, location: StoreLocation) -> None:
        self.con = con
        self.location = location

    def execute(self, sql: str, params: Sequence[object] | None = None) -> Rows:
        return self.con.execute(sql, list(params) if params is not None else None)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        self.con.executemany(sql, [list(r) for r in rows])

    def tables(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}

    def insert_frame(self, table: str, frame: pd.DataFrame, columns: Sequence[Column]) -> None:
        names = [c.name for c in columns]
        self.con.register("incoming_frame", pa.Table.from_pandas(frame[names], preserve_index=False))
        try:
            casts = ", ".join(f"CAST({c.name} AS {c.dtype})" for c in columns)
            self.con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {casts} FROM incoming_frame")
        finally:
            self.con.unregister("incoming_frame")

    def close(self) -> None:
        self.con.close()


def _plain(value: object) -> object:
    """numpy scalars as Python values (psycopg adapts only the latter)."""
    return value.item() if isinstance(value, np.generic) else value


def _pg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class _PgRows:
    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def fetchall(self) -> list[Any]:
        return self.cursor.fetchall() if self.cursor.description else []

    def fetchone(self) -> Any:
        return self.cursor.fetchone() if self.cursor.description else None

    def df(self) -> pd.DataFrame:
        description = self.cursor.description or []
        rows = self.cursor.fetchall()
        if not description:
            return pd.DataFrame()
        arrays = {}
        for i, d in enumerate(description):
            values = [r[i] for r in rows]
            if d.type_code == 1700:  # numeric (e.g. sum of bigint): DuckDB gives a double or hugeint
                values = [None if v is None else float(v) for v in values]
            elif d.type_code not in _PG_ARROW:
                values = [None if v is None else str(v) for v in values]
            arrays[d.name] = pa.array(values, type=_PG_ARROW.get(d.type_code, pa.string()))
        # the same Arrow -> pandas conversion as DuckDB's .df(), so both dialects give equal frames
        with duckdb.connect() as local:
            return local.from_arrow(pa.table(arrays)).df()


class PostgresStore(StoreConnection):
    dialect = "postgresql"

    def __init__(self, con: Any, location: StoreLocation) -> None:
        self.con = con
        self.location = location

    def _busy(self, exc: Exception) -> StoreError:
        return StoreError(
            f"the referral store {self.location.describe()} is busy (another user is importing or editing); "
            f"try again ({type(exc).__name__})"
        )

    def execute(self, sql: str, params: Sequence[object] | None = None) -> Rows:
        import psycopg

        try:
            if params is None:
                return _PgRows(self.con.execute(sql))
            return _PgRows(self.con.execute(_pg_sql(sql), [_plain(p) for p in params]))
        except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected,
                psycopg.errors.SerializationFailure) as exc:
            raise self._busy(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        with self.con.cursor() as cursor:
            cursor.executemany(_pg_sql(sql), [[_plain(v) for v in r] for r in rows])

    def tables(self) -> set[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
        return {r[0] for r in rows}

    def insert_frame(self, table: str, frame: pd.DataFrame, columns: Sequence[Column]) -> None:
        names = [c.name for c in columns]
        data = pa.Table.from_pandas(frame[names], preserve_index=False)
        data = pa.table({c.name: _cast(data[c.name], _ARROW_TYPES[c.dtype]) for c in columns})
        options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
        with self.con.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT csv)"
        ) as copy:
            for start in range(0, data.num_rows, COPY_CHUNK_ROWS):
                buffer = io.BytesIO()
                pacsv.write_csv(data.slice(start, COPY_CHUNK_ROWS), buffer, write_options=options)
                copy.write(buffer.getvalue())

    def lock(self, *tables: str) -> None:
        self.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")

    def analyze(self, table: str) -> None:
        self.execute(f"ANALYZE {table}")

    def rollback(self) -> None:
        with suppress(Exception):  # a broken connection: the server has rolled back already
            self.execute("ROLLBACK")

    def close(self) -> None:
        self.con.close()


def _cast(column: pa.ChunkedArray, target: pa.DataType) -> pa.ChunkedArray:
    if column.type == target:
        return column
    if pa.types.is_timestamp(column.type) and pa.types.is_date32(target):
        return pc.cast(pc.floor_temporal(column, unit="day"), target)
    if pa.types.is_null(column.type):
        return pa.chunked_array([pa.nulls(len(column), target)])
    return pc.cast(column, target)


_MIGRATED: set[str] = set()


def _connect_postgres(location: StoreLocation, read_only: bool, wait_seconds: float) -> PostgresStore:
    import psycopg

    assert location.url is not None
    try:
        raw = psycopg.connect(location.url, autocommit=True, connect_timeout=max(1, int(wait_seconds)))
    except psycopg.OperationalError as exc:
        reason = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or "no reason given"
        raise StoreError(f"cannot connect to the referral store {location.describe()}: {reason}") from None
    con = PostgresStore(raw, location)
    try:
        raw.execute(f"SET lock_timeout = '{int(wait_seconds * 1000)}ms'")
        if location.url not in _MIGRATED:
            if read_only and applied_version(con) == 0:
                raise StoreError(
                    f"referral store {location.describe()} has no tables yet; run `python -m equity demo` or "
                    "import an extract"
                )
            migrate(con)
            _MIGRATED.add(location.url)
        if read_only:
            raw.execute("SET default_transaction_read_only = on")
    except BaseException:
        con.close()
        raise
    return con


def open_duckdb(
    path: Path, read_only: bool = False, wait_seconds: float = BUSY_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """The DuckDB file (:func:`data.duckfile.open_file`), migrated when opened for writing."""
    con = open_file(path, read_only=read_only, wait_seconds=wait_seconds)
    if not read_only:
        try:
            migrate(DuckDBStore(con, StoreLocation("duckdb", path=path)))
        except BaseException:
            con.close()
            raise
    return con


def connect_store(store: StoreRef, read_only: bool = False, wait_seconds: float = BUSY_WAIT_SECONDS) -> StoreConnection:
    """Open the store for the write-side code (see the module docstring)."""
    location = locate(store)
    if location.kind == "duckdb":
        assert location.path is not None
        return DuckDBStore(open_duckdb(location.path, read_only=read_only, wait_seconds=wait_seconds), location)
    if location.kind == "postgresql":
        return _connect_postgres(location, read_only, wait_seconds)
    raise StoreError(
        f"the store {location.describe()} is a read-only {location.kind} source of referrals; imports, provision, "
        "sites and the audit trail need a DuckDB or PostgreSQL store"
    )


def store_exists(store: StoreRef, *, write: bool = False) -> bool:
    """Whether there is a store to read: a non-empty DuckDB file (:func:`data.duckfile.check_store`,
    which raises :class:`StoreError` for a file that cannot be the store or, with ``write``, one this
    process may not write; never creates the file), or a PostgreSQL database this process can reach
    (migrated on the first call; :class:`StoreError` when the server cannot be reached)."""
    location = locate(store)
    if location.kind == "duckdb":
        assert location.path is not None
        return check_store(location.path, write=write)
    if location.kind != "postgresql":
        return False
    if location.url not in _MIGRATED:
        _connect_postgres(location, read_only=False, wait_seconds=BUSY_WAIT_SECONDS).close()
    return True


def store_has_data(store: StoreRef) -> bool:
    """Whether the store was ever written: a DuckDB file exists (as :func:`store_exists`), a PostgreSQL
    database holds referrals, store metadata or an import. A new, empty server database is as good as a
    missing file: the app then makes its demo data there."""
    location = locate(store)
    if location.kind != "postgresql":
        return store_exists(location)
    with _connect_postgres(location, read_only=False, wait_seconds=BUSY_WAIT_SECONDS) as con:
        row = con.execute(
            "SELECT EXISTS (SELECT 1 FROM store_meta) OR EXISTS (SELECT 1 FROM imports) "
            "OR EXISTS (SELECT 1 FROM referrals)"
        ).fetchone()
    return bool(row and row[0])
