"""The outcome-measure registry (data/measures.toml) and the importer's checks of scores against it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.measures import RegistryError, canonical, parse, registry
from data.validation import validate
from tests.unit.test_validation import GEOGRAPHY, good

TODAY = dt.date(2026, 6, 30)


def test_the_registry_has_the_standard_measures_with_their_published_thresholds():
    m = registry()
    assert {"PIR-GAS", "ASQ:SE-2", "CORE-10", "PHQ-9", "GAD-7", "GBO"} <= set(m)
    assert {x.describes for x in m.values()} == {"infant", "parent", "relationship", "goal"}
    # NHS Talking Therapies Manual: PHQ-9 caseness 10, reliable change 6; GAD-7 caseness 8, reliable change 4
    assert (m["PHQ-9"].min, m["PHQ-9"].max, m["PHQ-9"].clinical_cutoff, m["PHQ-9"].reliable_change) == (0, 27, 10, 6)
    assert (m["GAD-7"].max, m["GAD-7"].clinical_cutoff, m["GAD-7"].reliable_change) == (21, 8, 4)
    assert "Talking Therapies" in m["PHQ-9"].reliable_change_source
    # CORE-10 (Barkham et al. 2013): clinical at 11 or above, reliable change 6; GBO reliable change 2.45
    assert (m["CORE-10"].clinical_cutoff, m["CORE-10"].reliable_change) == (11, 6)
    assert "Barkham" in m["CORE-10"].clinical_source
    assert m["GBO"].reliable_change == 2.45 and "Edbrooke-Childs" in m["GBO"].reliable_change_source
    assert m["GBO"].better == "higher" and (m["GBO"].min, m["GBO"].max) == (0, 10)
    # PIR-GAS (DC:0-3R): higher is better, 40 and below is the disordered range; no published RCI
    pir = m["PIR-GAS"]
    assert pir.better == "higher" and pir.is_clinical(40) and not pir.is_clinical(41)
    assert pir.reliable_change is None and pir.reliable_change_note
    # ASQ:SE-2: cut-offs differ by age interval, so none is applied, and the reason is said
    asq = m["ASQ:SE-2"]
    assert asq.clinical_cutoff is None and "interval" in asq.clinical_note and asq.max is None


def test_names_are_matched_ignoring_case_spaces_and_punctuation():
    assert canonical("phq9") == "PHQ-9" and canonical(" GAD 7 ") == "GAD-7"
    assert canonical("Goal Based Outcomes") == "GBO" and canonical("asq-se-2") == "ASQ:SE-2"
    assert canonical("SDQ") is None and canonical(None) is None


@pytest.mark.parametrize(
    "text, message",
    [
        ('[measures.X]\ndescribes = "baby"\nmin = 0\nbetter = "lower"', "describes"),
        ('[measures.X]\ndescribes = "parent"\nmin = 0\nbetter = "lower"\nreliable_change = 3', "reliable_change"),
        ('[measures.X]\ndescribes = "parent"\nmin = 0\nbetter = "lower"\nreliable_change_note = "n"', "clinical"),
        ('[measures.X]\ndescribes = "parent"\nmin = 5\nmax = 2\nbetter = "lower"', "max must be above min"),
        ('[measures.X]\ndescribes = "parent"\nmin = 0\nbetter = "up"', "better"),
        ('[measures.X]\ndescribes = "parent"\nmin = 0\nbetter = "lower"\ncolour = 1', "unknown field"),
    ],
)
def test_a_bad_registry_entry_is_refused_with_the_field_named(text, message):
    with pytest.raises(RegistryError, match=message):
        parse(text)


def run(*rows: dict[str, str]):
    return validate(pd.DataFrame(list(rows), dtype="str"), GEOGRAPHY, today=TODAY)


def test_scores_outside_the_measures_range_are_rejected_naming_row_column_and_reason():
    result = run(
        good(referral_id="R1", outcome_measure="PHQ-9", score_start="28", score_end="5"),
        good(referral_id="R2", outcome_measure="gbo", score_start="3", score_end="10.5"),
        good(referral_id="R3", outcome_measure="PIR-GAS", score_start="0", score_end="50"),
        good(referral_id="R4", outcome_measure="PHQ9", score_start="27", score_end="0"),  # the ends: accepted
    )
    rejected = result.rejected.set_index("row_number")
    assert rejected.loc[2, "column"] == "score_start" and rejected.loc[2, "value"] == "28"
    assert rejected.loc[2, "reason"] == "score outside the range of PHQ-9 (0-27)"
    assert rejected.loc[3, "column"] == "score_end"
    assert rejected.loc[3, "reason"] == "score outside the range of GBO (0-10)"
    assert rejected.loc[4, "reason"] == "score outside the range of PIR-GAS (1-100)"
    assert result.accepted["referral_id"].tolist() == ["R4"]
    assert result.accepted["outcome_measure"].tolist() == ["PHQ-9"]  # stored as the registry spells it


def test_unknown_measures_are_kept_as_recorded_and_their_scores_not_range_checked():
    result = run(good(outcome_measure="SDQ", score_start="35", score_end="20"),
                 good(referral_id="R2", outcome_measure="ASQ:SE-2", score_start="500", score_end="20"))
    assert result.rejected_rows == 0
    assert result.accepted["outcome_measure"].tolist() == ["SDQ", "ASQ:SE-2"]  # no upper limit for ASQ:SE-2
