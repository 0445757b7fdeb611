"""Migrations of the store's schema, versioned in the repository (``data/migrations/``).

Each migration is a file ``NNNN_name.sql`` (portable SQL, run on every dialect) or a pair
``NNNN_name.duckdb.sql`` / ``NNNN_name.postgresql.sql`` when the dialects differ; a version with a file
for one dialect only does nothing on the other (it is still recorded there, so versions stay in step).
They are applied in order, each in one transaction with its row in ``schema_migrations(version, name,
applied_at)``, by the first connection that writes (DuckDB) or any connection (PostgreSQL: under an
advisory lock, so two servers starting at once do not both migrate).

Version 1 is the schema the version before migrations created table by table (``CREATE TABLE IF NOT
EXISTS``): a store written by it opens, is recorded at version 1 without change, and then takes the
later versions. Never edit a migration that has been released; add the next one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from data.duckfile import StoreError


class StoreConnection(Protocol):
    """What migrating needs of a connection (``data.backend.StoreConnection`` has it)."""

    dialect: str

    @property
    def location(self) -> Any: ...
    def execute(self, sql: str, params: Any = None) -> Any: ...
    def tables(self) -> set[str]: ...
    def transaction(self) -> Any: ...

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DIALECTS: tuple[str, ...] = ("duckdb", "postgresql")
#: Key of the PostgreSQL advisory lock held while migrating (any constant shared by every process).
ADVISORY_LOCK = 0x0E9C_0005
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+?)(?:\.(duckdb|postgresql))?\.sql$")


class MigrationError(StoreError):
    """The migration files are inconsistent, or the store is newer than this code."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    files: dict[str, Path]  # dialect -> file; key "" for a portable file

    def sql(self, dialect: str) -> str:
        """The SQL for ``dialect`` ('' when this version has nothing to do there)."""
        path = self.files.get(dialect) or self.files.get("")
        return path.read_text(encoding="utf-8") if path else ""


def migrations(folder: Path = MIGRATIONS_DIR) -> tuple[Migration, ...]:
    """Every migration in ``folder``, by version; :class:`MigrationError` for a stray or clashing file."""
    found: dict[int, tuple[str, dict[str, Path]]] = {}
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: a migration is named NNNN_name.sql or NNNN_name.<dialect>.sql")
        version, name, dialect = int(match[1]), match[2], match[3] or ""
        known_name, files = found.setdefault(version, (name, {}))
        if known_name != name or dialect in files:
            raise MigrationError(f"{path.name}: version {version} is already {known_name} ({', '.join(files)})")
        files[dialect] = path
    for version, (name, files) in found.items():
        if "" in files and len(files) > 1:
            raise MigrationError(f"version {version} ({name}) has both a portable and a dialect-specific file")
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migration versions must run 1, 2, 3 ... without gaps; found {versions}")
    return tuple(Migration(v, found[v][0], found[v][1]) for v in versions)


LATEST: int = len(migrations())


def statements(sql: str) -> list[str]:
    """The statements of a migration file: comments dropped, split at ';' ending a line."""
    text = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", text) if s.strip()]


def applied_version(con: StoreConnection) -> int:
    """The store's schema version: 0 for a new store or one written before migrations."""
    if "schema_migrations" not in con.tables():
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: StoreConnection, folder: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply the missing migrations in order; returns the versions applied (empty when up to date).

    Raises :class:`MigrationError` when the store is at a version this code does not know (written by a
    newer release): it is left alone."""
    steps = migrations(folder)
    if applied_version(con) == len(steps):
        return []
    done: list[int] = []
    with con.transaction():
        if con.dialect == "postgresql":
            con.execute("SELECT pg_advisory_xact_lock(?)", [ADVISORY_LOCK])
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
            "applied_at TIMESTAMP)"
        )
        current = applied_version(con)  # again, under the lock: another process may have migrated
        if current > len(steps):
            raise MigrationError(
                f"the store {con.location.describe()} is at schema version {current}, newer than this code "
                f"knows ({len(steps)}): upgrade the dashboard before using this store"
            )
        for step in steps[current:]:
            for statement in statements(step.sql(con.dialect)):
                con.execute(statement)
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [step.version, step.name, now])
            done.append(step.version)
    return done
