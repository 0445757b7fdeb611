"""Place scope, enforced where data is read: neighbourhood detail only for the Places a user may see.

A Selection carries ``detail_places`` (set by the app from the signed-in user's access, never from outside
input). Below Place level (district, MSOA, LSOA rows; one neighbourhood's profile; a district filter), a
table published for the selection holds only rows of those Places; other Places stay at Place level.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from equity.selection import Selection

DETAIL_LEVELS: tuple[str, ...] = ("lad", "msoa", "lsoa")
SCOPE_NOTE = "Neighbourhood detail is shown only for the Places your access covers; others at Place level."


class ScopeError(PermissionError):
    """The request reaches neighbourhood detail of a Place outside the user's scope."""


def restrict(table: pd.DataFrame, selection: Selection, level: str, place_column: str = "place") -> pd.DataFrame:
    """``table`` without the rows of Places whose detail the selection may not publish (detail levels only)."""
    if selection.detail_places is None or level not in DETAIL_LEVELS:
        return table
    keep = table[place_column].isin(selection.detail_places)
    return table.loc[keep].reset_index(drop=True)


def check_place(selection: Selection, place: str, what: str) -> None:
    if not selection.allows_detail(place):
        raise ScopeError(f"{what} is in {place}, outside the Places your access covers")


def check_districts(selection: Selection, lad_places: dict[str, str], lads: Iterable[str]) -> None:
    """A district filter is neighbourhood detail: every chosen district must lie in a Place of the scope."""
    if selection.detail_places is None:
        return
    for lad in lads:
        place = lad_places.get(lad)
        if place is None or place not in selection.detail_places:
            raise ScopeError(f"district {lad} is outside the Places your access covers")
