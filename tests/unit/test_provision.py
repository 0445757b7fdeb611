"""The provision matrix: the seed traces to the strategy, edits are stored and audited, exports and charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from charts.provision import matrix_svg, provision_and_access, provision_matrix
from data.backend import connect_store
from data.schema import SUPPORT_ELEMENTS
from equity import provision
from equity.selection import Selection
from equity.settings import PLACES, REPO_ROOT

STRATEGY = REPO_ROOT.parent / "shared" / "strategy" / provision.STRATEGY_FILE_NAME


@pytest.fixture(scope="module")
def strategy_text() -> str:
    if not STRATEGY.is_file():
        pytest.skip(f"the strategy text is not at {STRATEGY}")
    return STRATEGY.read_text(encoding="utf-8")


@pytest.fixture
def store(store_url) -> str:
    """An empty store (no provision rows), as after an import: a DuckDB file, then a PostgreSQL database."""
    connect_store(store_url).close()
    return store_url


# --------------------------------------------------------------------------------------------
# the seed


def test_every_seeded_source_sentence_occurs_verbatim_in_the_strategy(strategy_text):
    for key, (_section, sentence) in provision.SENTENCES.items():
        assert sentence in strategy_text, f"{key}: not found verbatim in the strategy: {sentence!r}"


def test_each_sentence_is_in_the_section_it_is_attributed_to(strategy_text):
    headings = {m.group(1): m.start() for m in re.finditer(r"^(\d\.\d) [A-Z]", strategy_text, flags=re.MULTILINE)}
    ordered = sorted(headings.items(), key=lambda kv: kv[1])
    for key, (section, sentence) in provision.SENTENCES.items():
        at = strategy_text.index(sentence)
        current = [s for s, start in ordered if start <= at][-1]
        assert current == section, f"{key} is in section {current}, not {section}"


def test_seed_covers_every_cell_once_with_valid_statuses():
    cells = {(c.place, c.support_element) for c in provision.SEED}
    assert len(provision.SEED) == 24 and cells == {(p, e) for p in PLACES for e in SUPPORT_ELEMENTS}
    assert {c.status for c in provision.SEED} <= set(provision.STATUS_LABELS)


def test_seeded_sources_quote_their_sentences(strategy_text):
    for cell in provision.SEED:
        assert cell.sentences, f"{cell.place} {cell.support_element} rests on no sentence"
        source = cell.source_text()
        for quote in cell.quotes:
            assert quote in strategy_text
            assert f'"{quote}"' in source
        if cell.status == provision.UNKNOWN:
            assert "does not settle" in source


def test_seed_reads_the_strategy_as_expected():
    status = {(c.place, c.support_element): c.status for c in provision.SEED}
    assert status[("Blackpool", 4)] == "Full provision"  # PAIRS: the only specialist PIR team
    assert all(status[(p, 4)] == "No provision" for p in PLACES if p != "Blackpool")
    assert all(status[(p, 5)] == "No provision" for p in PLACES if p != "Blackpool")
    assert status[("Blackpool", 5)] == "Some provision"  # groups for parents of 2-5s only
    assert status[("Lancashire", 3)] == status[("South Cumbria", 3)] == "In development"  # Family Hubs
    assert all(status[(p, 6)] == provision.UNKNOWN for p in PLACES)  # crisis support is not described


def test_status_colours_follow_table_2():
    assert {label: v[1] for label, v in provision.STATUSES.items()} == {
        "Full provision": "Green", "Some provision": "Amber", "No provision": "Red", "In development": "Purple",
        "Unknown": "White",
    }


def test_legend_meanings_are_quoted_from_the_strategy(strategy_text):
    for label, (_short, _colour, _hex, meaning) in provision.STATUSES.items():
        assert meaning in strategy_text, label


# --------------------------------------------------------------------------------------------
# storing and editing


def test_reading_without_a_store_returns_the_seed_and_creates_nothing(tmp_path):
    path = tmp_path / "absent.duckdb"
    matrix = provision.current_matrix(path)
    assert len(matrix) == 24 and not path.exists()
    assert list(matrix.columns) == list(provision.MATRIX_COLUMNS)
    assert provision.provision_history(path).empty


def test_first_read_seeds_the_store_with_history(store):
    matrix = provision.current_matrix(store)
    assert len(matrix) == 24
    history = provision.provision_history(store)
    assert len(history) == 24 and set(history["action"]) == {"seed"}
    assert set(history["changed_by"]) == {provision.SEED_AUTHOR}
    assert provision.ensure_matrix(store) is False  # already seeded: nothing more


def test_edit_is_persisted_and_audited(store):
    provision.current_matrix(store)
    change = provision.update_cell(
        store, "Lancashire", 6, status="Some provision", note="  CSC consultation pilot in two districts ",
        source="Lancashire Place team, 2025", changed_by=" Ann Example ",
    )
    assert change is not None and change.old_status == "Unknown" and change.new_status == "Some provision"
    assert "Unknown → Some provision" in change.describe()
    cell = provision.current_matrix(store).set_index(["place", "support_element"]).loc[("Lancashire", 6)]
    assert cell["status"] == "Some provision" and cell["note"] == "CSC consultation pilot in two districts"
    assert cell["updated_by"] == "Ann Example" and cell["colour"] == "Amber"
    latest = provision.provision_history(store).iloc[0]
    assert latest["action"] == "edit" and latest["changed_by"] == "Ann Example"
    assert (latest["old_status"], latest["new_status"]) == ("Unknown", "Some provision")
    assert "does not describe crisis" in latest["old_note"] and latest["new_note"] == cell["note"]
    assert latest["old_source"].startswith("Strategy supporting information")
    assert pd.Timestamp(latest["changed_at"]) > pd.Timestamp("2024-01-01")


def test_unchanged_edit_records_nothing(store):
    matrix = provision.current_matrix(store).set_index(["place", "support_element"])
    cell = matrix.loc[("Blackpool", 1)]
    assert provision.update_cell(store, "Blackpool", 1, status=cell["status"], note=cell["note"],
                                 source=cell["source"], changed_by="Ann") is None
    assert len(provision.provision_history(store)) == 24


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(changed_by="  "), "your name"),
        (dict(status="Green"), "status must be one of"),
        (dict(place="Cumbria"), "place must be one of"),
        (dict(support_element=7), "support element must be 1-6"),
        (dict(note="x" * (provision.MAX_TEXT + 1)), "note is"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(store, changes, message):
    before = provision.current_matrix(store)
    args = dict(place="Blackpool", support_element=6, status="Full provision", note="n", source="s",
                changed_by="Ann")
    args.update(changes)
    with pytest.raises(provision.ProvisionError, match=message):
        provision.update_cell(store, args.pop("place"), args.pop("support_element"), **args)
    pd.testing.assert_frame_equal(provision.current_matrix(store), before)
    assert len(provision.provision_history(store)) == 24


def test_several_edits_are_one_transaction(store):
    provision.current_matrix(store)
    good = provision.CellEdit("Blackpool", 6, "Some provision", "a", "b")
    bad = provision.CellEdit("Blackpool", 5, "Purple", "a", "b")
    with pytest.raises(provision.ProvisionError):
        provision.apply_edits(store, [good, bad], changed_by="Ann")
    assert provision.current_matrix(store).set_index(["place", "support_element"]).loc[("Blackpool", 6), "status"] \
        == "Unknown"
    edited = provision.current_matrix(store)
    edited.loc[(edited["place"] == "Blackpool") & (edited["support_element"] == 6), "status"] = "Some provision"
    edited.loc[(edited["place"] == "Lancashire") & (edited["support_element"] == 6), "note"] = "new note"
    changes = provision.apply_edits(store, provision.edits_from_frame(edited), changed_by="Bob")
    assert [(c.place, c.support_element) for c in changes] == [("Blackpool", 6), ("Lancashire", 6)]
    assert len(provision.provision_history(store)) == 26


def test_edits_need_a_store(tmp_path):
    with pytest.raises(provision.ProvisionError, match="no store"):
        provision.update_cell(tmp_path / "none.duckdb", "Blackpool", 1, status="Unknown", note="", source="",
                              changed_by="Ann")


# --------------------------------------------------------------------------------------------
# access beside provision (pure part) and export


def test_element_access_exact_sums_by_place_and_element():
    areas = pd.DataFrame(
        {"lsoa_code": ["a", "b", "c"], "place": ["Blackpool", "Blackpool", "Lancashire"], "lad_code": ["x"] * 3,
         "population_0_5": [100.0, 300.0, 1000.0], **{f"age_{i}": [1, 1, 1] for i in range(6)}}
    )
    counts = pd.DataFrame(
        {"lsoa_code": ["a", "b", "b", "c", "zzz"], "support_element": [4, 4, 0, 2, 2],
         "referrals": [3, 5, 2, 7, 9], "people_accessing": [2, 4, 1, 6, 9]}
    )
    table = provision.element_access_exact(areas, counts, Selection())
    indexed = table.set_index(["place", "support_element"])
    assert len(table) == 2 * 7  # two Places present x (six elements + not recorded)
    assert indexed.loc[("Blackpool", 4), "referrals"] == 8 and indexed.loc[("Blackpool", 4), "denominator"] == 400
    assert indexed.loc[("Blackpool", provision.NOT_RECORDED), "referrals"] == 2
    assert indexed.loc[("Lancashire", 2), "people_accessing"] == 6
    assert indexed.loc[("Lancashire", 5), "referrals"] == 0
    assert table["referrals"].sum() == 17  # the LSOA outside the areas is left out


def test_matrix_export_has_notes_sources_and_access():
    matrix = provision.seed_matrix()
    access = pd.DataFrame(
        {"place": ["Blackpool"], "support_element": [4], "denominator": [9693], "referrals": [470],
         "rate_per_1000": [48.5], "lower_95": [44.2], "upper_95": [53.1], "people_accessing": [400],
         "access_rate_per_1000": [41.3]}
    )
    out = provision.matrix_export(matrix, access)
    assert len(out) == 24
    assert {"status", "colour", "note", "source", "updated_by", "referrals_per_1000_aged_0_5"} <= set(out.columns)
    row = out[(out["place"] == "Blackpool") & (out["support_element"] == 4)].iloc[0]
    assert row["referrals_per_1000_aged_0_5"] == 48.5 and row["status"] == "Full provision"
    assert out["updated_at_utc"].eq("").all()  # the seed, not yet stored


# --------------------------------------------------------------------------------------------
# charts


def _access_fixture() -> pd.DataFrame:
    rows = []
    for place in PLACES:
        for element in SUPPORT_ELEMENTS:
            rows.append({"place": place, "support_element": element, "rate_per_1000": float(element) * 3,
                         "lower_95": float(element) * 2, "upper_95": float(element) * 4})
    frame = pd.DataFrame(rows)
    frame.loc[0, ["rate_per_1000", "lower_95", "upper_95"]] = float("nan")  # suppressed
    return frame


def test_matrix_chart_has_a_cell_per_place_and_element_with_text():
    fig = provision_matrix(matrix=provision.seed_matrix(), access=_access_fixture(), title="T", subtitle="S",
                           source="Source: test")
    heatmap = next(t for t in fig.data if t.type == "heatmap")
    assert len(heatmap.x) == 4 and len(heatmap.y) == 6
    texts = [a.text for a in fig.layout.annotations]
    assert sum("per 1,000" in t for t in texts) == 23 and any("suppressed" in t for t in texts)
    assert any("Source: test" in t for t in texts) and fig.layout.title.text.startswith("T")
    legend = [t.name for t in fig.data if t.type == "scatter"]
    assert legend[0] == "Full provision (green)" and len(legend) == 5


def test_provision_and_access_bars_are_coloured_by_status():
    fig = provision_and_access(matrix=provision.seed_matrix(), access=_access_fixture(), title="T", subtitle="S",
                               source="Source: test")
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 4
    blackpool = bars[0]
    assert blackpool.marker.color[3] == provision.STATUSES["Full provision"][2]  # element 4: PAIRS


def test_matrix_svg_is_well_formed_and_complete():
    svg = matrix_svg(matrix=provision.seed_matrix(), access=_access_fixture(), title="Provision & reach",
                     subtitle="<All Places>", source="Source: test")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "Provision & reach" in text and "<All Places>" in text
    assert text.count("In development") >= 2 and "More data required." in text
    rects = [e for e in root.iter() if e.tag.endswith("rect")]
    assert len(rects) == 1 + 24 + 5  # background, cells, legend keys
