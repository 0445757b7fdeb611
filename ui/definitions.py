"""The indicator definitions (equity.definitions) as the Definitions page and the Map's help show them."""

from __future__ import annotations

from equity.definitions import COLUMN_HELP, definition
from equity.explorer import METRICS


def indicator_groups() -> list[tuple[str, list[tuple[str, str, dict[str, str]]]]]:
    """(group heading, [(key, title, sections)]): the map metrics, then every published table."""
    from publish import tables

    metrics = [(key, metric.label, definition(key)) for key, metric in METRICS.items()]
    published = [(name, f"{name}: {spec.description}", definition(name)) for name, spec in tables.TABLES.items()]
    return [("Map metrics", metrics), ("Published tables", published)]


def metric_help() -> str:
    """The "?" beside the Map's metric box: each metric's definition (Definitions page for the rest)."""
    lines = [f"- **{metric.label}**: {definition(key)['definition']}" for key, metric in METRICS.items()]
    return "\n".join(lines) + "\n\nNumerator, denominator, methods, caveats and sources: the Definitions page."


def column_help(column: str) -> str | None:
    return COLUMN_HELP.get(column)
