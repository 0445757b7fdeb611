"""Selection <-> URL query string, so a view can be shared and restored.

Filters live under short keys: vintage, place, lad, from, to, age, element, source, eth (lists are
joined with '|'). Pages may add their own keys (for example the map's metric and area); those are
left alone here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping, MutableMapping

from equity.selection import Selection, SelectionError

LIST_KEYS: dict[str, str] = {
    "place": "places",
    "lad": "lads",
    "age": "age_bands",
    "element": "support_elements",
    "source": "referral_sources",
    "eth": "ethnic_groups",
    "service": "services",
}
FILTER_KEYS: tuple[str, ...] = ("vintage", "from", "to", *LIST_KEYS)


def _split(value: object) -> list[str]:
    return [p for p in str(value).split("|") if p]


def restore(params: Mapping[str, str], default_vintage: int) -> Selection:
    """Selection from query parameters; a value that is not allowed is dropped, field by field."""
    values: dict[str, object] = {"vintage": default_vintage}
    with contextlib.suppress(ValueError):
        values["vintage"] = int(params.get("vintage", default_vintage))
    if values["vintage"] not in (2025, 2019):
        values["vintage"] = 2025
    for key, field in (("from", "date_from"), ("to", "date_to")):
        if params.get(key):
            with contextlib.suppress(ValueError):
                values[field] = dt.date.fromisoformat(str(params[key]))
    for key, field in LIST_KEYS.items():
        if not params.get(key):
            continue
        items: list[object] = _split(params[key])
        if field == "support_elements":
            items = [int(i) for i in items if i.isdigit()]
        kept = []
        for item in items:  # keep only values the Selection accepts
            try:
                Selection(**{field: (item,)})  # type: ignore[arg-type]
                kept.append(item)
            except SelectionError:
                continue
        values[field] = tuple(kept)
    try:
        return Selection(**values)  # type: ignore[arg-type]
    except SelectionError:
        return Selection(vintage=int(values["vintage"]))  # type: ignore[arg-type]


def encode(selection: Selection) -> dict[str, str]:
    out = {"vintage": str(selection.vintage)}
    if selection.date_from:
        out["from"] = selection.date_from.isoformat()
    if selection.date_to:
        out["to"] = selection.date_to.isoformat()
    for key, field in LIST_KEYS.items():
        value = getattr(selection, field)
        if value:
            out[key] = "|".join(map(str, value))
    return out


def write(params: MutableMapping[str, str], selection: Selection) -> None:
    wanted = encode(selection)
    for key in [k for k in list(params.keys()) if k in FILTER_KEYS and k not in wanted]:
        del params[key]
    for key, value in wanted.items():
        if params.get(key) != value:
            params[key] = value
