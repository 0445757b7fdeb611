"""Which groups count as PLUS in each Place: a setting Places change in the app, stored with history.

Vocabulary: ``ethnic_minority`` (Census/NHS broad groups other than White), ``rural`` (ONS RUC 2021
rural neighbourhoods), and ``flag:<name>`` for any PLUS flag recorded on referrals. Defaults: every
Place counts ethnic-minority communities, rural neighbourhoods and every recorded flag.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from data.store import connect, transaction
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


def _connect(store: Path):
    con = connect(store)
    con.execute(
        "CREATE TABLE IF NOT EXISTS plus_groups (place VARCHAR, group_key VARCHAR, PRIMARY KEY (place, group_key))"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS plus_groups_history (changed_at TIMESTAMP, place VARCHAR, changed_by VARCHAR, "
        "old_groups VARCHAR, new_groups VARCHAR)"
    )
    return con


def groups_for(store: Path, places: tuple[str, ...], flags: list[str]) -> dict[str, list[str]]:
    """PLUS groups per Place (defaults where a Place has never set them)."""
    chosen = places or PLACES
    stored: dict[str, list[str]] = {}
    if Path(store).is_file():
        con = connect(Path(store), read_only=True)
        try:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            rows, set_places = [], set()
            if {"plus_groups", "plus_groups_history"} <= tables:
                rows = con.execute("SELECT place, group_key FROM plus_groups ORDER BY place, group_key").fetchall()
                set_places = {r[0] for r in con.execute("SELECT DISTINCT place FROM plus_groups_history").fetchall()}
        finally:
            con.close()
        for place, key in rows:
            stored.setdefault(place, []).append(key)
        for place in set_places:
            stored.setdefault(place, [])
    default = vocabulary(flags)
    return {place: stored.get(place, default) for place in chosen}


def set_groups(store: Path, place: str, groups: list[str], changed_by: str, flags: list[str]) -> None:
    """Replace a Place's PLUS groups (one transaction) and record who changed what."""
    if place not in PLACES:
        raise PlusSettingError(f"unknown Place {place!r}")
    allowed = set(vocabulary(flags))
    unknown = [g for g in groups if g not in allowed]
    if unknown:
        raise PlusSettingError(f"unknown PLUS group(s) {', '.join(unknown)}; choose from {', '.join(sorted(allowed))}")
    if not changed_by.strip():
        raise PlusSettingError("say who is making the change")
    old = groups_for(store, (place,), flags)[place]
    con = _connect(store)
    try:
        with transaction(con):
            con.execute("DELETE FROM plus_groups WHERE place = ?", [place])
            rows = [(place, g) for g in sorted(set(groups))]
            if rows:
                con.executemany("INSERT INTO plus_groups VALUES (?, ?)", rows)
            con.execute(
                "INSERT INTO plus_groups_history VALUES (?, ?, ?, ?, ?)",
                [
                    dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    place,
                    changed_by.strip(),
                    ";".join(old),
                    ";".join(sorted(set(groups))),
                ],
            )
    finally:
        con.close()


def history(store: Path) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["changed_at", "place", "changed_by", "old_groups", "new_groups"])
    if not Path(store).is_file():
        return empty
    con = connect(Path(store), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "plus_groups_history" not in tables:
            return empty
        return con.execute("SELECT * FROM plus_groups_history ORDER BY changed_at DESC").df()
    finally:
        con.close()
