"""The DuckDB file of an embedded store: checking that a path can be the store, opening it with a
busy-wait, and the errors a newcomer sees. No schema here: :mod:`data.store` and :mod:`data.backend`
apply the migrations when they open a store for writing."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class StoreError(Exception):
    """The store is missing, unreadable or holds something unexpected."""


#: How long a connection waits for another one to let go of the store before giving up.
BUSY_WAIT_SECONDS = 10.0
#: Every DuckDB database file starts with an 8-byte checksum and then these 4 bytes.
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8
#: What a file that is not a store looks like, by its first bytes (for the error message).
_LOOKS_LIKE: tuple[tuple[bytes, str], ...] = (
    (b"PAR1", "a Parquet file"),
    (b"PK\x03\x04", "an Excel workbook or zip file"),
    (b"SQLite format 3\x00", "a SQLite database"),
)
#: DuckDB's words for "another connection holds the file" (the only refusals worth waiting out).
_BUSY_MESSAGES: tuple[str, ...] = ("Could not set lock", "Conflicting lock", "different configuration")


def _looks_like(head: bytes) -> str:
    for magic, kind in _LOOKS_LIKE:
        if head.startswith(magic):
            return f"it is {kind}"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "it does not start with DuckDB's file header"
    return "it is a text file (CSV?)"


def check_store(path: Path, *, write: bool = False) -> bool:
    """Whether ``path`` holds a store already (False when it is absent or an empty file: a new store).

    Raises :class:`StoreError` with the reason when it cannot be the store: a directory, a file that is
    not a DuckDB database (checked by its header: DuckDB would open a CSV or Parquet file as an empty
    in-memory database and lose every write, and refuse other files), or, with ``write``, a store or
    folder this process may not write to. Reads at most 12 bytes; the store is not opened."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        stat = None
    except OSError as exc:
        raise StoreError(f"cannot use {path} as the referral store: {exc.strerror or exc}") from None
    if stat is not None and path.is_dir():
        raise StoreError(f"{path} is a directory, not a DuckDB store: give the path of a store file")
    if stat is not None and not path.is_file():
        raise StoreError(f"{path} is not a DuckDB store: it is not a regular file")
    if stat is not None and stat.st_size:
        try:
            with path.open("rb") as file:
                head = file.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
        except OSError as exc:
            raise StoreError(f"cannot read the referral store {path}: {exc.strerror or exc}") from None
        if head[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
            raise StoreError(
                f"{path} is not a DuckDB store: {_looks_like(head)}; give the path of a .duckdb store "
                "(or of a file that does not exist yet, to start a new store)"
            )
    if write:
        if stat is not None and not os.access(path, os.W_OK):
            raise StoreError(f"the referral store {path} is read-only (no permission to write to it)")
        folder = path.parent if path.parent.exists() else next(p for p in path.parents if p.exists())
        if not os.access(folder, os.W_OK):
            raise StoreError(f"cannot write the referral store {path}: no permission to write in {folder}")
    return bool(stat and stat.st_size)


def open_file(
    path: Path, read_only: bool = False, wait_seconds: float = BUSY_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """Open the store. DuckDB refuses, within one process, a connection whose read-only setting differs
    from one already open, and across processes a writer while anyone holds the file. Connections here
    are short-lived, so a refused open is retried until ``wait_seconds``; a reader that finds a writer
    of this process already open shares that writer's instance (reads only, by our code). Any other
    refusal (not a DuckDB file, a directory, no permission) is a :class:`StoreError` at once, naming
    the reason (:func:`check_store`)."""
    path = Path(path)
    exists = check_store(path, write=not read_only)
    if read_only and not exists:
        state = "is an empty file, not a store yet" if path.is_file() else "does not exist"
        raise StoreError(f"referral store {path} {state}; run `python -m equity demo` or import an extract")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not exists and path.is_file():  # an empty file: DuckDB refuses it, so it becomes a new store
            path.unlink()
    except OSError as exc:
        raise StoreError(f"cannot create the referral store {path}: {exc.strerror or exc}") from None
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except (duckdb.ConnectionException, duckdb.IOException) as exc:
            message = str(exc)
            if not any(words in message for words in _BUSY_MESSAGES):
                reason = message.removeprefix("IO Error: ").removeprefix("Connection Error: ").splitlines()[0]
                raise StoreError(f"cannot open the referral store {path}: {reason}") from None
            if read_only and "different configuration" in message:
                try:
                    return duckdb.connect(str(path), read_only=False)
                except (duckdb.ConnectionException, duckdb.IOException):
                    pass
            if time.monotonic() >= deadline:
                raise StoreError(f"the referral store {path} is busy (another connection holds it); try again") from exc
            time.sleep(0.05)
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
