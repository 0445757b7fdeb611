"""Every indicator has its Fingertips-style definition, with every section filled in."""

import pytest

from equity.definitions import COLUMN_HELP, DEFINITIONS, SECTIONS, help_text
from equity.explorer import METRICS
from publish import tables
from publish.maptable import WIDTHS

SECTION_NAMES = {
    "definition",
    "numerator",
    "denominator",
    "method",
    "ci_method",
    "disclosure",
    "caveats",
    "source",
}


def test_sections_are_the_fingertips_metadata_sections():
    assert set(SECTIONS) == SECTION_NAMES


@pytest.mark.parametrize("key", [*METRICS, *tables.TABLES])
def test_every_metric_and_table_has_every_section(key):
    assert key in DEFINITIONS, f"{key} has no definition in equity/definitions.py"
    entry = DEFINITIONS[key]
    assert set(entry) == SECTION_NAMES
    empty = [s for s, text in entry.items() if not str(text).strip()]
    assert not empty, f"{key}: empty {empty}"
    assert entry["definition"] in help_text(key)


def test_no_definition_of_something_that_is_not_published():
    assert set(DEFINITIONS) <= set(METRICS) | set(tables.TABLES)


def test_denominators_and_methods_name_their_sources():
    assert "mid-2020" in DEFINITIONS["referral_rate"]["denominator"]
    assert "Byar" in DEFINITIONS["access_ratio"]["ci_method"] and "O/E" in DEFINITIONS["access_ratio"]["method"]
    assert "Wilson" in DEFINITIONS["core20_coverage"]["ci_method"]
    assert "2025" in DEFINITIONS["imd_decile"]["source"] and "2019" in DEFINITIONS["imd_decile"]["source"]
    assert "exact Poisson" in DEFINITIONS["referral_rate"]["ci_method"]


def test_every_ranked_table_column_has_help():
    assert set(WIDTHS) <= set(COLUMN_HELP)
    assert all(text.strip() for text in COLUMN_HELP.values())
