"""The user's selection: one frozen, validated value passed to every query and used as a cache key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from data.schema import AGE_BANDS, BROAD_ETHNIC_GROUPS, REFERRAL_SOURCES, SUPPORT_ELEMENTS
from equity.benchmark import BENCHMARKS, LSC
from equity.settings import PLACES, VINTAGES

DEFINITIONS: tuple[str, ...] = ("icb", "16_lads")
AGE_BAND_CHOICES: tuple[str, ...] = (*AGE_BANDS, "Antenatal")


class SelectionError(ValueError):
    """A selection value is not allowed; the message names the field and the value (``field`` holds
    the field's name where one is to blame)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Selection:
    vintage: int = VINTAGES[0]
    definition: str = "icb"
    places: tuple[str, ...] = ()  # empty = all Places
    lads: tuple[str, ...] = ()  # LAD codes of the vintage; empty = all
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    age_bands: tuple[str, ...] = ()
    support_elements: tuple[int, ...] = ()
    referral_sources: tuple[str, ...] = ()
    ethnic_groups: tuple[str, ...] = ()
    services: tuple[str, ...] = ()  # service names as recorded in the store
    #: what every value is compared with (``equity.benchmark``): L&SC, one Place, or England
    benchmark: str = LSC
    #: Places whose neighbourhood detail (district, MSOA, LSOA rows; profiles) may be published for this
    #: selection: set from the signed-in user's access by the app (never from a URL, pack config or flag);
    #: None = no restriction (the command line run by the operator; open demo mode).
    detail_places: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.vintage not in VINTAGES:
            raise SelectionError(f"vintage must be one of {VINTAGES}, got {self.vintage!r}", "vintage")
        if self.definition not in DEFINITIONS:
            raise SelectionError(f"definition must be one of {DEFINITIONS}, got {self.definition!r}", "definition")
        _check_members("places", self.places, PLACES)
        _check_members("age_bands", self.age_bands, AGE_BAND_CHOICES)
        _check_members("support_elements", self.support_elements, tuple(SUPPORT_ELEMENTS))
        _check_members("referral_sources", self.referral_sources, tuple(REFERRAL_SOURCES))
        _check_members("ethnic_groups", self.ethnic_groups, BROAD_ETHNIC_GROUPS)
        if self.benchmark not in BENCHMARKS:
            raise SelectionError(
                f"benchmark must be one of {', '.join(BENCHMARKS)}, got {self.benchmark!r}", "benchmark"
            )
        if self.detail_places is not None:
            if not isinstance(self.detail_places, tuple):
                raise SelectionError("detail_places must be a tuple or None", "detail_places")
            _check_members("detail_places", self.detail_places, PLACES)
            object.__setattr__(self, "detail_places", tuple(p for p in PLACES if p in self.detail_places))
        for service in self.services:
            if not isinstance(service, str) or not service.strip() or len(service) > 200:
                raise SelectionError(f"services: {service!r} is not a service name", "services")
        for name in (
            "places",
            "lads",
            "age_bands",
            "support_elements",
            "referral_sources",
            "ethnic_groups",
            "services",
        ):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                raise SelectionError(f"{name} must be a tuple, got {type(value).__name__}", name)
            object.__setattr__(self, name, tuple(sorted(set(value), key=str)))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SelectionError(f"date_from {self.date_from} is after date_to {self.date_to}", "date_from")

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> Selection:
        """The one way outside input (URL query, sidebar, board-pack config, CLI flags) becomes a
        Selection: field names as keys; dates as ``datetime.date`` or YYYY-MM-DD text; lists, tuples or
        a single value for the tuple fields; ``None`` or ``""`` for the default. Raises
        :class:`SelectionError` naming the field and the problem."""
        if not isinstance(values, Mapping):
            raise SelectionError(f"a selection must be a table of fields, got {type(values).__name__}")
        unknown = sorted(set(values) - set(OUTSIDE_FIELDS))
        if unknown:
            raise SelectionError(f"unknown field(s) {', '.join(unknown)}; expected {', '.join(OUTSIDE_FIELDS)}")
        kwargs: dict[str, object] = {}
        for name, value in values.items():
            if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
                continue
            kwargs[name] = _coerce(name, value)
        try:
            return cls(**kwargs)  # type: ignore[arg-type]
        except TypeError as exc:
            raise SelectionError(str(exc)) from None

    def to_dict(self) -> dict[str, object]:
        """A JSON- and TOML-ready dict (dates as YYYY-MM-DD, tuples as lists) that
        :meth:`from_dict` reads back to an equal Selection."""
        out: dict[str, object] = {}
        for name in OUTSIDE_FIELDS:
            value = getattr(self, name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    def with_(self, **changes: Any) -> Selection:
        return replace(self, **changes)

    def allows_detail(self, place: str) -> bool:
        """May neighbourhood detail of ``place`` be published for this selection?"""
        return self.detail_places is None or place in self.detail_places

    @property
    def is_whole_icb(self) -> bool:
        """True when no geographic filter narrows the view below the ICB."""
        return not self.places and not self.lads

    def whole_icb(self) -> Selection:
        """The same record-level filters over the whole ICB (no Place or district): where the L&SC
        reference values and the benchmarks come from."""
        return self.with_(places=(), lads=())

    def describe(self) -> str:
        """A short human-readable summary for chart subtitles and exports."""
        parts = [f"IMD {self.vintage}"]
        parts.append(", ".join(self.places) if self.places else "All Places")
        if self.lads:
            parts.append(f"{len(self.lads)} district(s)")
        if self.date_from or self.date_to:
            start = self.date_from.strftime("%d %b %Y") if self.date_from else "start"
            end = self.date_to.strftime("%d %b %Y") if self.date_to else "latest"
            parts.append(f"{start} to {end}")
        for name, label in (
            ("age_bands", "ages"),
            ("support_elements", "elements"),
            ("referral_sources", "sources"),
            ("ethnic_groups", "ethnic groups"),
        ):
            value = getattr(self, name)
            if value:
                parts.append(f"{label} {', '.join(map(str, value))}")
        return " · ".join(parts)


def _check_members(name: str, values: tuple, allowed: tuple) -> None:
    for value in values:
        if value not in allowed:
            raise SelectionError(f"{name}: {value!r} is not one of {', '.join(map(str, allowed))}", name)


_DATE_FIELDS = ("date_from", "date_to")
_TEXT_FIELDS = ("definition", "benchmark")


def _coerce(name: str, value: object) -> object:
    """One field's outside value as the Selection holds it."""
    if name in _DATE_FIELDS:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise SelectionError(f"{name}: dates must be YYYY-MM-DD, got {value!r}", name) from None
    if name == "vintage":
        try:
            return int(str(value))
        except ValueError:
            raise SelectionError(f"vintage must be one of {VINTAGES}, got {value!r}", name) from None
    if name in _TEXT_FIELDS:
        return str(value)
    items = [value] if isinstance(value, (str, int)) else list(value)  # type: ignore[call-overload]
    if name == "support_elements":
        try:
            return tuple(int(str(v)) for v in items)
        except ValueError:
            raise SelectionError(f"support_elements: {items!r} are not element numbers 1-6", name) from None
    return tuple(items)


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Selection))
#: The fields outside input may set (URL query, sidebar, board-pack config, CLI flags): not the scope.
OUTSIDE_FIELDS: tuple[str, ...] = tuple(n for n in FIELD_NAMES if n != "detail_places")
