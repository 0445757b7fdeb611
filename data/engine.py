"""One query layer for every store: an Ibis backend and the canonical ``referrals`` table expression.

* DuckDB: the store file opened read-only through :func:`data.store.connect` (its busy-wait and its
  error messages), wrapped with ``ibis.duckdb.from_connection``;
* PostgreSQL: a psycopg connection from the URL (libpq parses it: ``sslmode`` and friends work),
  wrapped with ``ibis.postgres.from_connection``;
* Spark: the active Spark session (or a local one started here), ``ibis.pyspark.connect``; the
  referrals are a table or view of its catalog (``spark:TABLE``) or a Parquet file or folder read into
  a temporary view (``spark:parquet:/path``);
* Databricks: a SQL warehouse through ``databricks-sql-connector`` (``ibis.databricks.connect``).

Spark and Databricks sources are read-only. Whatever the backend, the query functions
(``equity.queries`` and the modules using it) see one Ibis table with the canonical columns
(``data.schema.STORE_COLUMNS``) and aggregate in the engine; only small frames come back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from data.location import StoreLocation
from data.schema import STORE_COLUMNS
from data.store import StoreError

#: DuckDB column types of the schema as Spark SQL types (for a Parquet source read with a schema).
SPARK_TYPES: dict[str, str] = {
    "VARCHAR": "STRING", "DATE": "DATE", "INTEGER": "INT", "BOOLEAN": "BOOLEAN", "DOUBLE": "DOUBLE",
}
#: Spark settings of a session this module starts itself (none is active): local, quiet, UTC dates.
LOCAL_SPARK_CONFIG: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
}
_SPARK_LOCK = threading.Lock()
_PARQUET_VIEWS: dict[Path, str] = {}


def as_location(store: StoreLocation | Path | str) -> StoreLocation:
    """A location from a location or a DuckDB file path (as older callers pass)."""
    if isinstance(store, StoreLocation):
        return store
    return StoreLocation("duckdb", path=Path(store))


def spark_session() -> Any:
    """The active Spark session, or a local one (``local[*]``, settings :data:`LOCAL_SPARK_CONFIG`)."""
    from pyspark.sql import SparkSession

    with _SPARK_LOCK:
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        builder = SparkSession.builder.master("local[*]").appName("equity")
        for key, value in LOCAL_SPARK_CONFIG.items():
            builder = builder.config(key, value)
        return builder.getOrCreate()


def spark_schema() -> str:
    """The canonical columns as a Spark DDL schema string."""
    return ", ".join(f"{c.name} {SPARK_TYPES[c.dtype]}" for c in STORE_COLUMNS)


def _spark_table_name(location: StoreLocation, session: Any) -> str:
    if location.path is None:
        assert location.table is not None
        return location.table
    with _SPARK_LOCK:
        if location.path not in _PARQUET_VIEWS:
            if not location.path.exists():
                raise StoreError(f"the Spark source {location.describe()} does not exist")
            name = f"equity_referrals_{len(_PARQUET_VIEWS) + 1}"
            session.read.parquet(str(location.path)).createOrReplaceTempView(name)
            _PARQUET_VIEWS[location.path] = name
        return _PARQUET_VIEWS[location.path]


def connect(location: StoreLocation | Path) -> ibis.BaseBackend:
    """An Ibis backend reading the store at ``location`` (close it with :func:`close`)."""
    location = as_location(location)
    if location.kind == "duckdb":
        from data.store import connect as connect_duckdb

        assert location.path is not None
        return ibis.duckdb.from_connection(connect_duckdb(location.path, read_only=True))
    if location.kind == "postgresql":
        import psycopg

        assert location.url is not None
        try:
            con = psycopg.connect(location.url, connect_timeout=10)
        except psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to the referral store {location.describe()}: {reason}") from None
        return ibis.postgres.from_connection(con)
    if location.kind == "spark":
        return ibis.pyspark.connect(spark_session())
    if location.kind == "databricks":
        return _databricks(location)
    raise StoreError(f"unknown store kind {location.kind!r}")


def _databricks(location: StoreLocation) -> ibis.BaseBackend:
    from urllib.parse import parse_qs, urlsplit

    assert location.url is not None
    if not location.token:
        raise StoreError(
            f"the Databricks source {location.describe()} needs an access token: set EQUITY_DATABRICKS_TOKEN"
        )
    parts = urlsplit(location.url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        return ibis.databricks.connect(
            server_hostname=parts.hostname, http_path=parts.path, access_token=location.token,
            catalog=query["catalog"], schema=query["schema"],
        )
    except Exception as exc:  # the connector's errors carry no common base class
        raise StoreError(f"cannot connect to the Databricks source {location.describe()}: {exc}") from None


def close(backend: ibis.BaseBackend, location: StoreLocation | Path) -> None:
    """Close what :func:`connect` opened (a Spark session is shared by the process and left running)."""
    if as_location(location).kind in ("duckdb", "postgresql"):
        backend.disconnect()


def table(backend: ibis.BaseBackend, location: StoreLocation | Path) -> ir.Table:
    """The referral table of ``backend``, checked to hold every canonical column."""
    location = as_location(location)
    if location.kind == "spark":
        name = _spark_table_name(location, backend._session)  # type: ignore[attr-defined]
    elif location.kind == "databricks":
        assert location.table is not None
        name = location.table
    else:
        name = "referrals"
    try:
        referrals = backend.table(name)
    except Exception as exc:  # each backend has its own "no such table" error
        if location.kind in ("duckdb", "postgresql"):
            raise StoreError(
                f"the referral store {location.describe()} holds no referrals yet: run `python -m equity demo` "
                "or import an extract"
            ) from None
        raise StoreError(f"cannot read the referral table {name} of {location.describe()}: {exc}") from None
    missing = [c.name for c in STORE_COLUMNS if c.name not in referrals.columns]
    if missing:
        raise StoreError(
            f"the referral table {name} of {location.describe()} lacks the canonical columns {', '.join(missing)} "
            "(see README: a view over MHSDS tables names every column, NULL where not recorded)"
        )
    return referrals


@contextmanager
def referrals(location: StoreLocation | Path) -> Iterator[ir.Table]:
    """The canonical referral table of the store at ``location``, for the duration of the block."""
    backend = connect(location)
    try:
        yield table(backend, location)
    finally:
        close(backend, location)


def store_meta(location: StoreLocation | Path) -> dict[str, str]:
    """The store's description (``kind``, ``description``, ``loaded_at``: from its ``store_meta`` table,
    absent from a Spark or Databricks source, which is described as a 'source') with the number of
    referrals and the first and last referral dates."""
    location = as_location(location)
    backend = connect(location)
    try:
        t = table(backend, location)
        summary = t.aggregate(
            referrals=t.count(), first=t.referral_date.min(), last=t.referral_date.max()
        ).to_pyarrow().to_pandas()
        meta: dict[str, str] = {"kind": "source", "description": f"Referrals read from {location.describe()}"}
        if location.writable:
            meta = _meta_table(backend) or meta
    finally:
        close(backend, location)
    row = summary.iloc[0]
    meta["referrals"] = str(int(row["referrals"]))
    meta["first_referral_date"] = _iso(row["first"])
    meta["data_date"] = _iso(row["last"])
    return meta


def _meta_table(backend: ibis.BaseBackend) -> dict[str, str]:
    """The ``store_meta`` key/value rows, empty when the store has none (a store written by hand).
    Looked up by name, not with ``list_tables`` (Ibis 12's DuckDB ``list_tables`` calls a method
    DuckDB 2.0 no longer has)."""
    try:
        rows = backend.table("store_meta").to_pyarrow().to_pandas()
    except Exception:  # ibis.common.exceptions.TableNotFound, or the server's own error
        return {}
    return dict(zip(rows["key"].astype(str), rows["value"].astype(str), strict=True))


def _iso(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]
