"""Copies of a referral frame on other engines, for the tests that run on every backend and for the
benchmarks: a ``referrals`` table in a PostgreSQL database (``COPY``), a Parquet file for Spark.

Not the app's write path: imports, provision and the audit trail write through ``data.store``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from data.schema import STORE_COLUMNS

#: DuckDB column types of the schema as Arrow and PostgreSQL types.
ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "DATE": pa.date32(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_(),
    "DOUBLE": pa.float64(),
}
POSTGRES_TYPES: dict[str, str] = {
    "VARCHAR": "TEXT", "DATE": "DATE", "INTEGER": "INTEGER", "BOOLEAN": "BOOLEAN", "DOUBLE": "DOUBLE PRECISION",
}


def arrow_schema() -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.dtype]) for c in STORE_COLUMNS])


def arrow_referrals(frame: pd.DataFrame) -> pa.Table:
    """The canonical columns of ``frame`` as an Arrow table with the store's types."""
    columns = {}
    for column in STORE_COLUMNS:
        values = frame[column.name]
        if column.dtype == "DATE":
            values = pd.to_datetime(values).dt.date
        elif column.dtype == "VARCHAR":
            values = values.astype(object).where(values.notna(), None)
        columns[column.name] = pa.array(values, type=ARROW_TYPES[column.dtype], from_pandas=True)
    return pa.table(columns, schema=arrow_schema())


def to_postgres(url: str, frame: pd.DataFrame, *, kind: str = "demo", description: str = "copy") -> int:
    """Replace the ``referrals`` table (and ``store_meta``) of the PostgreSQL database at ``url`` with
    ``frame``, in one transaction, by ``COPY``. Returns the rows written."""
    import datetime as dt

    import psycopg

    table = arrow_referrals(frame)
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    columns = ", ".join(f"{c.name} {POSTGRES_TYPES[c.dtype]}" for c in STORE_COLUMNS)
    names = ", ".join(c.name for c in STORE_COLUMNS)
    with psycopg.connect(url) as con:
        con.execute("DROP TABLE IF EXISTS referrals")
        con.execute(f"CREATE TABLE referrals ({columns}, PRIMARY KEY (referral_id))")
        with con.cursor().copy(f"COPY referrals ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
        con.execute("CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("DELETE FROM store_meta")
        meta = {"kind": kind, "description": description,
                "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        con.cursor().executemany("INSERT INTO store_meta VALUES (%s, %s)", list(meta.items()))
        con.execute("ANALYZE referrals")
    return table.num_rows


def to_parquet(frame: pd.DataFrame, path: Path) -> Path:
    """``frame``'s canonical columns as one Parquet file at ``path`` (a Spark source: ``spark:parquet:PATH``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(arrow_referrals(frame), path)
    return path
