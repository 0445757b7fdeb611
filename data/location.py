"""Where the referral store lives, from one setting (``EQUITY_STORE``).

* a file path (the default, ``<cache dir>/referrals.duckdb``): an embedded DuckDB store, read-write;
* ``postgresql://user[:password]@host[:port]/database``: a PostgreSQL server, read-write (a shared
  deployment for several Place teams);
* ``spark:TABLE`` (a table or view of the Spark session's catalog, ``db.table`` allowed) or
  ``spark:parquet:/path`` (a Parquet file or folder read into the session): a read-only source of
  referrals on a local or cluster Spark session;
* ``databricks://HOST/HTTP_PATH?catalog=C&schema=S&table=T``: a table or view on a Databricks SQL
  warehouse, read-only; the access token comes from ``EQUITY_DATABRICKS_TOKEN`` (never the URL).

Spark and Databricks sources hold referrals only: the app's own writable state (provision, PLUS
settings, audit trail, sites) is kept in the *state store* (``EQUITY_STATE_STORE``: DuckDB or PostgreSQL).

The URL may carry a password: :meth:`StoreLocation.describe` never shows it, nor does ``repr`` show a
token. Parsing only; opening a connection is the job of ``data.store`` and ``data.engine``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlsplit, urlunsplit

StoreKind = Literal["duckdb", "postgresql", "spark", "databricks"]

#: URL schemes understood for a PostgreSQL store (SQLAlchemy-style driver suffixes are accepted too).
POSTGRES_SCHEMES: tuple[str, ...] = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")


@dataclass(frozen=True)
class StoreLocation:
    kind: StoreKind
    path: Path | None = None  # DuckDB file
    url: str | None = None  # server URL (PostgreSQL, Databricks); may hold a password
    table: str | None = None  # the referral table or view of a Spark / Databricks source
    #: the Databricks access token (from ``EQUITY_DATABRICKS_TOKEN``), never shown nor compared
    token: str | None = field(default=None, repr=False, compare=False)

    @property
    def writable(self) -> bool:
        """Whether the store holds the app's own state too (imports, provision, audit)."""
        return self.kind in ("duckdb", "postgresql")

    def describe(self) -> str:
        """A name for messages and logs, without any password."""
        if self.kind == "duckdb":
            return str(self.path)
        if self.kind == "spark":
            return f"spark:parquet:{self.path}" if self.path is not None else f"spark:{self.table}"
        assert self.url is not None
        parts = urlsplit(self.url)
        netloc = parts.hostname or ""
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def parse_store(text: str) -> StoreLocation:
    """The store named by ``text`` (the value of ``EQUITY_STORE`` or ``--store``)."""
    text = text.strip()
    if not text:
        raise ValueError("EQUITY_STORE is empty: give a DuckDB file path or a postgresql:// URL")
    if text.lower().startswith("spark:"):
        return _spark(text[len("spark:"):].strip())
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme == "databricks":
        return _databricks(text)
    if scheme in POSTGRES_SCHEMES:
        parts = urlsplit(text)
        if not parts.hostname or not parts.path.strip("/"):
            raise ValueError(
                "a PostgreSQL store needs a host and a database: postgresql://user@host:5432/database "
                f"(got {StoreLocation('postgresql', url=text).describe()})"
            )
        return StoreLocation("postgresql", url=urlunsplit(("postgresql", *parts[1:])))
    if scheme:
        raise ValueError(
            f"EQUITY_STORE scheme {scheme}:// is not understood: give a DuckDB file path, a postgresql:// URL "
            "or one of the Spark / Databricks forms in README"
        )
    return StoreLocation("duckdb", path=Path(text).expanduser().resolve())


#: A Spark table name: ``table`` or ``database.table`` (or ``catalog.database.table``), plain identifiers.
_SPARK_TABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}")


def _spark(rest: str) -> StoreLocation:
    if rest.lower().startswith("parquet:"):
        folder = rest[len("parquet:"):].strip()
        if not folder:
            raise ValueError("spark:parquet: needs the path of a Parquet file or folder: spark:parquet:/data/referrals")
        return StoreLocation("spark", path=Path(folder).expanduser().resolve())
    if not _SPARK_TABLE.fullmatch(rest):
        raise ValueError(
            f"spark:{rest} does not name a table: give spark:TABLE (or spark:database.table) or spark:parquet:/path"
        )
    return StoreLocation("spark", table=rest)


def _databricks(text: str) -> StoreLocation:
    parts = urlsplit(text)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.password or "token" in query or "access_token" in query:
        raise ValueError(
            "a Databricks URL must not carry the access token: set EQUITY_DATABRICKS_TOKEN instead"
        )
    missing = [k for k in ("catalog", "schema", "table") if not query.get(k)]
    if not parts.hostname or not parts.path.strip("/") or missing:
        raise ValueError(
            "a Databricks source needs the warehouse host, its HTTP path and catalog, schema and table: "
            "databricks://HOST/sql/1.0/warehouses/ID?catalog=C&schema=S&table=T"
            + (f" (missing {', '.join(missing)})" if missing else "")
        )
    for key in ("catalog", "schema", "table"):
        if not _SPARK_TABLE.fullmatch(query[key]) or "." in query[key]:
            raise ValueError(f"Databricks {key} {query[key]!r} is not a plain name")
    return StoreLocation("databricks", url=text, table=query["table"])
