"""Where the referral store lives, from one setting (``EQUITY_STORE``).

* a file path (the default, ``<cache dir>/referrals.duckdb``): an embedded DuckDB store, read-write;
* ``postgresql://user[:password]@host[:port]/database``: a PostgreSQL server, read-write (a shared
  deployment for several Place teams);
* Spark / Databricks forms (see README): a read-only source of referrals, with the app's own writable
  state (provision, audit trail, packs) kept in the *state store* (DuckDB or PostgreSQL).

The URL may carry a password: :meth:`StoreLocation.describe` never shows it. Parsing only; opening a
connection is the job of ``data.store`` and the query layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

StoreKind = Literal["duckdb", "postgresql", "spark", "databricks"]

#: URL schemes understood for a PostgreSQL store (SQLAlchemy-style driver suffixes are accepted too).
POSTGRES_SCHEMES: tuple[str, ...] = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")


@dataclass(frozen=True)
class StoreLocation:
    kind: StoreKind
    path: Path | None = None  # DuckDB file
    url: str | None = None  # server URL (PostgreSQL, Databricks); may hold a password

    @property
    def writable(self) -> bool:
        """Whether the store holds the app's own state too (imports, provision, audit)."""
        return self.kind in ("duckdb", "postgresql")

    def describe(self) -> str:
        """A name for messages and logs, without any password."""
        if self.kind == "duckdb":
            return str(self.path)
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
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
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
