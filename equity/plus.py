"""Which groups count as PLUS in each Place: a setting Places change in the app, stored with history.

Vocabulary: ``ethnic_minority`` (Census/NHS broad groups other than White), ``rural`` (ONS RUC 2021
rural neighbourhoods), and ``flag:<name>`` for any PLUS flag recorded on referrals. Defaults: every
Place counts ethnic-minority communities, rural neighbourhoods and every recorded flag.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.backend import StoreConnection, StoreRef, connect_store, store_exists
from equity.settings import PLACES

BUILT_IN: dict[str, str] = {
    "ethnic_minority": "Ethnic minority communities (Asian, Black, Mixed, Other ethnic groups)",
    "rural": "Rural neighbourhoods (ONS Rural-Urban Classification 2021)",
}


class PlusSettingError(ValueError):
    """A PLUS setting names an unknown Place or group."""


def label(key: str) -> str:
    return BUILT_IN.get(key, key.removeprefix("flag:") + " (recorded flag)")


def vocabulary(flags: list[str]) -> list[str]:
    return [*BUILT_IN, *(f"flag:{f}" for f in sorted(flags))]


def _stored_groups(con: StoreConnection) -> dict[str, list[str]]:
    """The groups of every Place that has set them (possibly none)."""
    stored: dict[str, list[str]] = {}
    if not {"plus_groups", "plus_groups_history"} <= con.tables():  # absent in a store from before migrations
        return stored
    for place in {r[0] for r in con.execute("SELECT DISTINCT place FROM plus_groups_history").fetchall()}:
        stored[place] = []
    for place, key in con.execute("SELECT place, group_key FROM plus_groups ORDER BY place, group_key").fetchall():
        stored.setdefault(place, []).append(key)
    return stored


def groups_for(store: StoreRef, places: tuple[str, ...], flags: list[str]) -> dict[str, list[str]]:
    """PLUS groups per Place (defaults where a Place has never set them)."""
    stored: dict[str, list[str]] = {}
    if store_exists(store):
        with connect_store(store, read_only=True) as con:
            stored = _stored_groups(con)
    default = vocabulary(flags)
    return {place: stored.get(place, default) for place in places or PLACES}


def set_groups(store: StoreRef, place: str, groups: list[str], changed_by: str, flags: list[str]) -> None:
    """Replace a Place's PLUS groups (one transaction) and record who changed what. On PostgreSQL the
    change holds both tables, so two users changing one Place at once are serialised and each history
    row records the groups the change really replaced."""
    if place not in PLACES:
        raise PlusSettingError(f"unknown Place {place!r}")
    allowed = set(vocabulary(flags))
    unknown = [g for g in groups if g not in allowed]
    if unknown:
        raise PlusSettingError(f"unknown PLUS group(s) {', '.join(unknown)}; choose from {', '.join(sorted(allowed))}")
    if not changed_by.strip():
        raise PlusSettingError("say who is making the change")
    with connect_store(store) as con, con.transaction():
        con.lock("plus_groups", "plus_groups_history")
        old = _stored_groups(con).get(place, vocabulary(flags))
        con.execute("DELETE FROM plus_groups WHERE place = ?", [place])
        rows = [(place, g) for g in sorted(set(groups))]
        if rows:
            con.executemany("INSERT INTO plus_groups VALUES (?, ?)", rows)
        con.execute(
            "INSERT INTO plus_groups_history VALUES (?, ?, ?, ?, ?)",
            [dt.datetime.now(dt.UTC).replace(tzinfo=None), place, changed_by.strip(), ";".join(old),
             ";".join(sorted(set(groups)))],
        )


def history(store: StoreRef) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["changed_at", "place", "changed_by", "old_groups", "new_groups"])
    if not store_exists(store):
        return empty
    with connect_store(store, read_only=True) as con:
        if "plus_groups_history" not in con.tables():
            return empty
        return con.execute("SELECT * FROM plus_groups_history ORDER BY changed_at DESC").df()
