"""Selection <-> URL query string, so a view can be shared and restored."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping, MutableMapping

from equity.selection import Selection, SelectionError


def restore(params: Mapping[str, str], default_vintage: int) -> Selection:
    """Selection from query parameters; invalid values fall back to defaults field by field."""
    values: dict[str, object] = {"vintage": default_vintage}
    with contextlib.suppress(ValueError):
        values["vintage"] = int(params.get("vintage", default_vintage))
    if params.get("place"):
        values["places"] = tuple(p for p in str(params["place"]).split("|") if p)
    for key, field in (("from", "date_from"), ("to", "date_to")):
        if params.get(key):
            with contextlib.suppress(ValueError):
                values[field] = dt.date.fromisoformat(str(params[key]))
    try:
        return Selection(**values)  # type: ignore[arg-type]
    except SelectionError:
        return Selection(vintage=default_vintage if default_vintage in (2025, 2019) else 2025)


def encode(selection: Selection) -> dict[str, str]:
    out = {"vintage": str(selection.vintage)}
    if selection.places:
        out["place"] = "|".join(selection.places)
    if selection.date_from:
        out["from"] = selection.date_from.isoformat()
    if selection.date_to:
        out["to"] = selection.date_to.isoformat()
    return out


def write(params: MutableMapping[str, str], selection: Selection) -> None:
    wanted = encode(selection)
    for key in [k for k in list(params.keys()) if k in ("vintage", "place", "from", "to") and k not in wanted]:
        del params[key]
    for key, value in wanted.items():
        if params.get(key) != value:
            params[key] = value
