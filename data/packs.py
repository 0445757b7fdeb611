"""Board packs kept in the store, one per signed-in user, so a pack survives a refresh or a new session.

A pack is the Board pack page's state (title, subtitle, items with their kind, spec, title and
commentary) as JSON, keyed by the user's stable id (``equity.access.Access.user_id``). Saving replaces
the user's pack; an empty pack is saved too (so removing the last item sticks). The table is
``board_packs`` (migration 3), on DuckDB or PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from data.backend import StoreRef, connect_store, store_exists

#: the largest pack kept (JSON characters): snapshots of charts are the large part
MAX_CHARS = 20_000_000


class PackStoreError(ValueError):
    """A pack cannot be saved or read back; the message says which user and why."""


def save(store: StoreRef, user_id: str, pack: Mapping[str, object]) -> None:
    """Save ``pack`` (JSON-ready) as ``user_id``'s pack, replacing any saved before."""
    if not user_id:
        raise PackStoreError("a saved board pack needs the user's stable id")
    text = json.dumps(dict(pack), sort_keys=True)
    if len(text) > MAX_CHARS:
        raise PackStoreError(f"the board pack of {user_id} is larger than {MAX_CHARS:,} characters")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with connect_store(store) as con, con.transaction():
        con.execute("DELETE FROM board_packs WHERE user_id = ?", [user_id])
        con.execute("INSERT INTO board_packs VALUES (?, ?, ?)", [user_id, now, text])


def load(store: StoreRef, user_id: str) -> dict | None:
    """``user_id``'s saved pack, or None when there is none (or no store yet)."""
    if not store_exists(store):
        return None
    with connect_store(store, read_only=True) as con:
        if "board_packs" not in con.tables():  # a store not yet migrated to version 3
            return None
        row = con.execute("SELECT pack FROM board_packs WHERE user_id = ?", [user_id]).fetchone()
    if row is None:
        return None
    try:
        pack = json.loads(row[0])
    except json.JSONDecodeError as exc:
        raise PackStoreError(f"the saved board pack of {user_id} is not valid JSON: {exc}") from None
    if not isinstance(pack, dict) or not isinstance(pack.get("items"), list):
        raise PackStoreError(f"the saved board pack of {user_id} has no list of items")
    return pack
