"""Selection <-> URL query string, so a view can be shared and restored.

Filters live under short keys: vintage, place, lad, from, to, bench (the benchmark, when not L&SC), age,
element, source, eth (lists are
joined with '|'). Pages may add their own keys (for example the map's metric and area); those are
left alone here.
"""

from __future__ import annotations

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
FILTER_KEYS: tuple[str, ...] = ("vintage", "from", "to", "bench", *LIST_KEYS)


def _split(value: object) -> list[str]:
    return [p for p in str(value).split("|") if p]


def _from_query(params: Mapping[str, str], default_vintage: int) -> dict[str, object]:
    values: dict[str, object] = {"vintage": params.get("vintage") or default_vintage}
    for key, field in (("from", "date_from"), ("to", "date_to"), ("bench", "benchmark")):
        values[field] = params.get(key) or None
    for key, field in LIST_KEYS.items():
        values[field] = _split(params[key]) if params.get(key) else None
    return values


def restore(params: Mapping[str, str], default_vintage: int) -> Selection:
    """Selection from query parameters (``Selection.from_dict``); a value that is not allowed is dropped,
    field by field and item by item, so a stale or hand-edited link still opens."""
    values = _from_query(params, default_vintage)
    try:
        Selection.from_dict({"vintage": values["vintage"]})
    except SelectionError:
        values["vintage"] = default_vintage
    kept: dict[str, object] = {}
    for field, value in values.items():
        if value is None:
            continue
        if isinstance(value, list):
            value = [item for item in value if _allowed(field, item)]
        elif not _allowed(field, value):
            continue
        kept[field] = value
    try:
        return Selection.from_dict(kept)
    except SelectionError:  # e.g. from after to: keep the vintage only
        return Selection.from_dict({"vintage": kept["vintage"]})


def _allowed(field: str, value: object) -> bool:
    try:
        Selection.from_dict({field: value})
    except SelectionError:
        return False
    return True


def encode(selection: Selection) -> dict[str, str]:
    out = {"vintage": str(selection.vintage)}
    if selection.date_from:
        out["from"] = selection.date_from.isoformat()
    if selection.date_to:
        out["to"] = selection.date_to.isoformat()
    if selection.benchmark != Selection().benchmark:
        out["bench"] = selection.benchmark
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
