"""Reading a test store the same way on DuckDB and PostgreSQL (plain SQL through data.backend)."""

from __future__ import annotations

from data.backend import StoreRef, connect_store, store_exists


def query(store: StoreRef, sql: str, params: list[object] | None = None) -> list[tuple]:
    with connect_store(store, read_only=True) as con:
        return [tuple(r) for r in con.execute(sql, params).fetchall()]


def snapshot(store: StoreRef) -> dict[str, list[tuple]] | None:
    """Every table of the store, rows sorted, so that two states can be compared exactly."""
    if not store_exists(store):
        return None
    with connect_store(store, read_only=True) as con:
        tables = sorted(con.tables())
        return {t: sorted((tuple(r) for r in con.execute(f"SELECT * FROM {t}").fetchall()), key=repr) for t in tables}
