"""The outcome-measure registry: ``data/measures.toml`` read into :class:`Measure` records.

The registry is data (the TOML file), not code: who each measure describes, its range, which direction
is better, and its reliable-change threshold and clinical cut-off with the published source of each.
Names in an extract are matched to the registry ignoring case, spaces and punctuation (``canonical``);
a name that matches nothing is kept as recorded and reported on the Data quality page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTRY_PATH = Path(__file__).with_name("measures.toml")
DESCRIBES = ("infant", "parent", "relationship", "goal")
SIDES = ("at_or_above", "at_or_below")


class RegistryError(ValueError):
    """The registry file is not valid; the message names the measure and the field."""


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    describes: str
    min: float
    max: float | None
    better: str  # 'higher' or 'lower'
    reliable_change: float | None = None
    reliable_change_source: str = ""
    reliable_change_note: str = ""
    clinical_cutoff: float | None = None
    clinical_side: str | None = None
    clinical_source: str = ""
    clinical_note: str = ""
    range_source: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def sign(self) -> int:
        """+1 when a higher score is better, -1 when lower is better (change x sign > 0 = improvement)."""
        return 1 if self.better == "higher" else -1

    def is_clinical(self, score: float) -> bool:
        if self.clinical_cutoff is None:
            raise ValueError(f"{self.name} has no clinical cut-off")
        if self.clinical_side == "at_or_above":
            return score >= self.clinical_cutoff
        return score <= self.clinical_cutoff

    def range_text(self) -> str:
        return f"{self.min:g}-{self.max:g}" if self.max is not None else f"{self.min:g} or more"

    def in_range(self, score: float) -> bool:
        return score >= self.min and (self.max is None or score <= self.max)


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _number(name: str, raw: dict, field: str, required: bool = False) -> float | None:
    value = raw.get(field)
    if value is None:
        if required:
            raise RegistryError(f"measure {name!r}: {field} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RegistryError(f"measure {name!r}: {field} must be a number, got {value!r}")
    return float(value)


def _measure(name: str, raw: dict) -> Measure:
    known = set(Measure.__dataclass_fields__) - {"name"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RegistryError(f"measure {name!r}: unknown field(s) {', '.join(unknown)}")
    if raw.get("describes") not in DESCRIBES:
        raise RegistryError(f"measure {name!r}: describes must be one of {', '.join(DESCRIBES)}")
    if raw.get("better") not in ("higher", "lower"):
        raise RegistryError(f"measure {name!r}: better must be 'higher' or 'lower'")
    low = _number(name, raw, "min", required=True)
    high = _number(name, raw, "max")
    if high is not None and low is not None and high <= low:
        raise RegistryError(f"measure {name!r}: max must be above min")
    rci = _number(name, raw, "reliable_change")
    if rci is not None and (rci <= 0 or not raw.get("reliable_change_source")):
        raise RegistryError(f"measure {name!r}: reliable_change must be positive and have reliable_change_source")
    if rci is None and not raw.get("reliable_change_note"):
        raise RegistryError(f"measure {name!r}: no reliable_change: say why in reliable_change_note")
    cutoff = _number(name, raw, "clinical_cutoff")
    if cutoff is not None:
        if raw.get("clinical_side") not in SIDES or not raw.get("clinical_source"):
            raise RegistryError(f"measure {name!r}: clinical_cutoff needs clinical_side ({', '.join(SIDES)}) "
                                "and clinical_source")
    elif not raw.get("clinical_note"):
        raise RegistryError(f"measure {name!r}: no clinical_cutoff: say why in clinical_note")
    return Measure(
        name=name,
        title=str(raw.get("title", name)),
        describes=raw["describes"],
        min=float(low),  # type: ignore[arg-type]
        max=high,
        better=raw["better"],
        reliable_change=rci,
        reliable_change_source=str(raw.get("reliable_change_source", "")),
        reliable_change_note=str(raw.get("reliable_change_note", "")),
        clinical_cutoff=cutoff,
        clinical_side=raw.get("clinical_side") if cutoff is not None else None,
        clinical_source=str(raw.get("clinical_source", "")),
        clinical_note=str(raw.get("clinical_note", "")),
        range_source=str(raw.get("range_source", "")),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
    )


def parse(text: str) -> dict[str, Measure]:
    """Measures from registry TOML text (validated: a bad entry raises :class:`RegistryError`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"the measure registry is not valid TOML: {exc}") from None
    measures = {name: _measure(name, raw) for name, raw in data.get("measures", {}).items()}
    seen: dict[str, str] = {}
    for measure in measures.values():
        for alias in (measure.name, *measure.aliases):
            other = seen.setdefault(_key(alias), measure.name)
            if other != measure.name:
                raise RegistryError(f"alias {alias!r} of {measure.name!r} is also a name of {other!r}")
    return measures


@lru_cache(maxsize=1)
def registry() -> dict[str, Measure]:
    """The registry of ``data/measures.toml``, by canonical name (in file order)."""
    return parse(REGISTRY_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    return {_key(alias): m.name for m in registry().values() for alias in (m.name, *m.aliases)}


def canonical(name: str | None) -> str | None:
    """The registry name of a measure as recorded (ignoring case, spaces, punctuation); None if unknown."""
    if name is None:
        return None
    return _lookup().get(_key(str(name)))


def names() -> tuple[str, ...]:
    return tuple(registry())
