"""Importing extracts into a store: the CLI, a corpus of bad files, upsert, history, rollback, demo rules.

Every store is temporary and passed explicitly (``--store``): the store tests run twice, on a DuckDB file
and on a fresh PostgreSQL database (``store_url``); the reference cache is the real one.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from data import imports as imports_module
from data.importer import apply_mapping, read_extract, suggest_mapping
from data.imports import ImportRefusedError, apply_import, import_history, rollback_import
from data.store import replace_all
from data.validation import load_geography, validate
from tests.stores import query, snapshot

HEADER = ["referral_id", "referral_date", "age_years", "ethnic_category", "lsoa_code", "postcode",
          "first_contact_date", "service"]
LSOA21 = "E01012571"  # Blackburn with Darwen 007A


def rows_csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> str:
    return pd.DataFrame(rows, columns=header).fillna("").to_csv(index=False, lineterminator="\n")


def good(i: int, **changes: str) -> dict[str, str]:
    row = {"referral_id": f"R{i}", "referral_date": "05/01/2024", "age_years": str(i % 6), "ethnic_category": "A",
           "lsoa_code": LSOA21, "postcode": "", "first_contact_date": "", "service": "PAIRS"}
    row.update(changes)
    return row


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def referral_state(store: str) -> dict[str, list[tuple]]:
    state = snapshot(store)
    assert state is not None
    return {"referrals": state["referrals"], "store_meta": state["store_meta"]}


def cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def real_store(tmp_path, settings, store_url) -> str:
    """A store (DuckDB, then PostgreSQL) holding one applied import of 5 referrals."""
    store = store_url
    source = write(tmp_path / "first.csv", rows_csv([good(i) for i in range(5)]))
    assert cli("import", source, "--store", store) == 0
    return store


@pytest.fixture
def demo_copy(tmp_path, demo_frame, store_url) -> str:
    store = store_url
    replace_all(store, demo_frame.head(300), kind="demo", description="Demo data: test")
    return store


# -- files that cannot be imported at all: exact one-line error, exit 2, store unchanged -------------

WORKBOOK = io.BytesIO()
with pd.ExcelWriter(WORKBOOK, engine="openpyxl") as _writer:
    pd.DataFrame({"a": [1]}).to_excel(_writer, sheet_name="Notes", index=False)
    pd.DataFrame([good(1)]).to_excel(_writer, sheet_name="Referrals", index=False)

BAD_FILES = [
    ("empty.csv", b"", "empty.csv is empty"),
    ("blank.csv", b"\n \n", "blank.csv is empty"),
    ("header_only.csv", ",".join(HEADER) + "\n", "header_only.csv has a header row but no data rows"),
    ("missing_columns.csv", "referral_id,referral_date,lsoa_code\nR1,05/01/2024,E01012571\n",
     "missing_columns.csv lacks required column(s): age_years (found: referral_id, referral_date, lsoa_code)"),
    ("binary.csv", b"\x00\x01\x02\x03",
     "binary.csv is not a text, Excel (.xlsx) or Parquet file (it contains NUL bytes)"),
    ("ragged.csv", "referral_id,referral_date,age_years\nR1,05/01/2024,3\nR2,05/01/2024,3,extra\n",
     "cannot read ragged.csv as delimited text: line 3 has 4 fields but the lines before it have 3"),
    ("two_sheets.xlsx", WORKBOOK.getvalue(),
     "two_sheets.xlsx has 2 sheets (Notes, Referrals); choose one (--sheet NAME)"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "old.xls is an Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV"),
    ("nul_bytes.csv", b"referral_id,referral_date,age_years\nR1,05/01/2024,3\x00\n",
     "nul_bytes.csv is not a text, Excel (.xlsx) or Parquet file (it contains NUL bytes)"),
    ("wrong_types.csv", "referral_id,referral_date,age_years\nR1,yesterday,three\nR2,2024-13-45,-1\n",
     "nothing to import: all 2 rows of wrong_types.csv were rejected"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_exit_2_with_one_line_and_leave_the_store_unchanged(tmp_path, real_store, capsys, name, content,
                                                                      message):
    before = snapshot(real_store)
    source = write(tmp_path / name, content)
    capsys.readouterr()
    assert cli("import", source, "--store", real_store) == 2
    err = capsys.readouterr().err
    assert err == f"error: {message}\n"
    assert snapshot(real_store) == before


def test_missing_file_and_bad_map_option(tmp_path, real_store, capsys):
    before = snapshot(real_store)
    assert cli("import", tmp_path / "nope.csv", "--store", real_store) == 2
    assert capsys.readouterr().err.startswith("error: cannot read ")
    source = write(tmp_path / "x.csv", rows_csv([good(1)]))
    assert cli("import", source, "--store", real_store, "--map", "nonsense") == 2
    assert capsys.readouterr().err == (
        "error: --map expects COLUMN=FILE_COLUMN (or COLUMN= to leave it unmapped), got 'nonsense'\n"
    )
    assert snapshot(real_store) == before


def test_nothing_imported_into_a_new_store_creates_no_store(tmp_path):
    store = tmp_path / "new.duckdb"
    source = write(tmp_path / "bad.csv", "referral_id,referral_date,age_years\nR1,05/01/2024,9\n")
    assert cli("import", source, "--store", store) == 2
    assert not store.exists()


# -- row-level problems: the rejected file -------------------------------------------------------


def test_row_level_corpus_writes_the_rejected_file(tmp_path, settings, change_links, capsys):
    split11 = change_links.loc[change_links["chgind"] == "S", "lsoa11_code"].iloc[0]
    rows = [
        good(1),                                                      # 2 accepted
        good(2, referral_date="31/02/2024"),                          # 3 bad date
        good(3, age_years="7"),                                       # 4 age
        good(4, ethnic_category="=cmd|' /C calc'!A0"),                 # 5 unknown code, formula
        good(5, lsoa_code="E0101"),                                   # 6 malformed LSOA
        good(6, lsoa_code="E01000001"),                               # 7 outside (London)
        good(7, lsoa_code="E01999999"),                               # 8 unknown LSOA
        good(8, lsoa_code="", postcode="M1 1AE"),                     # 9 postcode outside
        good(9, lsoa_code="", postcode="XX"),                         # 10 malformed postcode
        good(10, first_contact_date="01/01/2024"),                    # 11 contact before referral
        good(11), good(11),                                           # 12, 13 duplicates
        good(12, service="+" + "y" * 300),                            # 14 long field, formula
        good(13, lsoa_code=split11),                                  # 15 accepted, approximate
        good(14, lsoa_code="", postcode="FY1 1AD"),                   # 16 accepted by postcode
        good(15, ethnic_category=""),                                 # 17 accepted, unknown ethnicity
    ]
    source = write(tmp_path / "corpus.csv", rows_csv(rows))
    store = tmp_path / "store.duckdb"
    assert cli("import", source, "--store", store) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "read 16 rows from corpus.csv (csv, utf-8, delimiter ','): 4 accepted, 12 rejected"
    rejected = pd.read_csv(tmp_path / "corpus.csv.rejected.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert rejected[["row_number", "column", "reason"]].values.tolist() == [
        ["3", "referral_date", "not a date (use DD/MM/YYYY or YYYY-MM-DD)"],
        ["4", "age_years", "age outside 0-5"],
        ["5", "ethnic_category", "unknown ethnic category code (use A-S, Z or 99)"],
        ["6", "lsoa_code", "malformed LSOA code"],
        ["7", "lsoa_code", "outside L&SC"],
        ["8", "lsoa_code", "unknown LSOA code"],
        ["9", "postcode", "outside L&SC"],
        ["10", "postcode", "malformed postcode"],
        ["11", "first_contact_date", "first contact before referral"],
        ["12", "referral_id", "duplicate referral_id in the file (rows 12, 13)"],
        ["13", "referral_id", "duplicate referral_id in the file (rows 12, 13)"],
        ["14", "service", "longer than 255 characters"],
    ]
    values = dict(zip(rejected["row_number"], rejected["value"], strict=False))
    assert values["5"] == "'=cmd|' /C calc'!A0"  # formula injection neutralised
    assert values["14"] == "'+" + "y" * 99 + "..."
    history = import_history(store)
    assert history[["rows_read", "accepted", "rejected", "inserted", "outside_lsc", "approximate_geography"]].iloc[
        0].tolist() == [16, 4, 12, 4, 2, 2]
    con = duckdb.connect(str(store), read_only=True)
    methods = dict(con.execute("SELECT referral_id, geography_method FROM referrals").fetchall())
    con.close()
    assert methods == {"R1": "lsoa21", "R13": "lsoa11_split", "R14": "postcode", "R15": "lsoa21"}


# -- store semantics -----------------------------------------------------------------------------


def _result(settings, text: str, name: str = "x.csv"):
    extract = read_extract(text.encode(), file_name=name)
    frame = apply_mapping(extract, suggest_mapping(extract.columns))
    return extract, validate(frame, load_geography(settings.cache_dir, settings.reference_dir),
                             row_numbers=extract.row_numbers)


def test_reimporting_the_same_extract_changes_nothing(tmp_path, real_store, capsys):
    before = snapshot(real_store)
    assert cli("import", tmp_path / "first.csv", "--store", real_store) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "nothing changed (same file as import #1): 5 rows read: 5 accepted, 0 rejected; "
        "0 inserted, 0 updated, 5 unchanged"
    )
    assert snapshot(real_store) == before


def test_later_extract_upserts_by_referral_id(tmp_path, real_store, capsys):
    later = [good(0), good(1, age_years="5"), good(2, ethnic_category="Z"), good(5), good(6)]
    source = write(tmp_path / "second.csv", rows_csv(later))
    assert cli("import", source, "--store", real_store) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "import #2: 5 rows read: 5 accepted, 0 rejected; 2 inserted, 2 updated, 1 unchanged"
    )
    got = query(real_store, "SELECT referral_id, age_years, ethnic_category FROM referrals ORDER BY referral_id")
    meta = dict(query(real_store, "SELECT key, value FROM store_meta"))
    assert got == [("R0", 0, "A"), ("R1", 5, "A"), ("R2", 2, "Z"), ("R3", 3, "A"), ("R4", 4, "A"),
                   ("R5", 5, "A"), ("R6", 0, "A")]
    assert meta["kind"] == "real" and meta["last_import_id"] == "2"


def test_rollback_restores_the_previous_state_exactly(tmp_path, real_store, capsys):
    state_after_first = referral_state(real_store)
    source = write(tmp_path / "second.csv", rows_csv([good(1, age_years="5", service="other"), good(9)]))
    assert cli("import", source, "--store", real_store) == 0
    assert referral_state(real_store) != state_after_first
    assert cli("rollback", "--store", real_store) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "rolled back import #2 (second.csv): 1 inserted rows removed, 1 updated rows restored"
    )
    assert referral_state(real_store) == state_after_first
    history = import_history(real_store)
    assert history[["import_id", "status"]].values.tolist() == [[2, "rolled back"], [1, "applied"]]
    # roll back the first import too: the store is empty again, with no metadata
    assert cli("rollback", "1", "--store", real_store) == 0
    assert referral_state(real_store) == {"referrals": [], "store_meta": []}
    assert cli("rollback", "--store", real_store) == 2
    assert capsys.readouterr().err == "error: no applied import to roll back\n"


def test_only_the_latest_import_can_be_rolled_back(tmp_path, real_store, capsys):
    assert cli("import", write(tmp_path / "second.csv", rows_csv([good(9)])), "--store", real_store) == 0
    before = snapshot(real_store)
    assert cli("rollback", "1", "--store", real_store) == 2
    assert capsys.readouterr().err == (
        "error: only the most recent import can be rolled back: roll back import #2 first\n"
    )
    assert cli("rollback", "7", "--store", real_store) == 2
    assert capsys.readouterr().err == "error: there is no import #7\n"
    assert snapshot(real_store) == before


def test_demo_store_refuses_without_a_choice(tmp_path, demo_copy, capsys):
    before = snapshot(demo_copy)
    source = write(tmp_path / "x.csv", rows_csv([good(1)]))
    assert cli("import", source, "--store", demo_copy) == 2
    assert capsys.readouterr().err == (
        "error: the store holds demo data (300 synthetic referrals); to import real data, replace the demo data "
        "(--replace-demo) or, only if you mean to, keep it mixed with the real rows (--mix-with-demo)\n"
    )
    assert snapshot(demo_copy) == before


def test_replace_demo_then_rollback_brings_the_demo_back(tmp_path, demo_copy, capsys):
    before = referral_state(demo_copy)
    source = write(tmp_path / "x.csv", rows_csv([good(1), good(2)]))
    assert cli("import", source, "--store", demo_copy, "--replace-demo") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "import #1: 2 rows read: 2 accepted, 0 rejected; 2 inserted, 0 updated, 0 unchanged, 300 demo rows removed"
    )
    assert query(demo_copy, "SELECT count(*) FROM referrals") == [(2,)]
    assert dict(query(demo_copy, "SELECT key, value FROM store_meta"))["kind"] == "real"
    assert cli("rollback", "--store", demo_copy) == 0
    assert referral_state(demo_copy) == before


def test_mix_with_demo_keeps_the_demo_label(tmp_path, demo_copy):
    source = write(tmp_path / "x.csv", rows_csv([good(1)]))
    assert cli("import", source, "--store", demo_copy, "--mix-with-demo") == 0
    assert query(demo_copy, "SELECT count(*) FROM referrals") == [(301,)]
    meta = dict(query(demo_copy, "SELECT key, value FROM store_meta"))
    assert meta["kind"] == "demo"
    assert meta["description"].startswith("Demo data mixed with real referrals from x.csv (import #1")


def test_replace_and_mix_cannot_both_be_chosen(settings, demo_copy):
    _, result = _result(settings, rows_csv([good(1)]))
    with pytest.raises(ValueError, match="either replace_demo or mix_with_demo"):
        apply_import(demo_copy, result, file_name="x.csv", sha256="0", replace_demo=True, mix_with_demo=True)


def test_dry_run_writes_nothing(tmp_path, demo_copy, capsys):
    before = snapshot(demo_copy)
    source = write(tmp_path / "x.csv", rows_csv([good(1), good(2, age_years="9")]))
    assert cli("import", source, "--store", demo_copy, "--dry-run", "--replace-demo") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "dry run, nothing written: 2 rows read: 1 accepted, 1 rejected; 1 inserted, 0 updated, 0 unchanged, "
        "300 demo rows removed"
    )
    assert snapshot(demo_copy) == before
    assert (tmp_path / "x.csv.rejected.csv").is_file()
    new_store = tmp_path / "never.duckdb"
    assert cli("import", source, "--store", new_store, "--dry-run") == 0
    assert not new_store.exists()


def test_a_failure_inside_the_transaction_leaves_the_store_unchanged(tmp_path, real_store, settings, monkeypatch):
    before = snapshot(real_store)
    extract, result = _result(settings, rows_csv([good(1, age_years="5"), good(8)]))

    def crash() -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports_module, "_now", crash)  # called after the referrals were written
    with pytest.raises(RuntimeError, match="disk full"):
        apply_import(real_store, result, file_name="x.csv", sha256=extract.sha256)
    assert snapshot(real_store) == before
    with pytest.raises(RuntimeError, match="disk full"):
        rollback_import(real_store)
    assert snapshot(real_store) == before


def test_rollback_refused_without_a_store(tmp_path):
    with pytest.raises(ImportRefusedError, match="there is no store at"):
        rollback_import(tmp_path / "none.duckdb")


def test_imports_command_lists_history(real_store, capsys):
    capsys.readouterr()
    assert cli("imports", "--store", real_store, "--format", "csv") == 0
    history = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert history[["import_id", "file_name", "rows_read", "accepted", "inserted", "status"]].values.tolist() == [
        [1, "first.csv", 5, 5, 5, "applied"]
    ]
    assert len(history["sha256"].iloc[0]) == 64


def test_excel_sheet_and_parquet_import(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    book = write(tmp_path / "book.xlsx", WORKBOOK.getvalue())
    assert cli("import", book, "--sheet", "Referrals", "--store", store) == 0
    parquet = tmp_path / "x.parquet"
    pd.DataFrame([good(2), good(3)]).to_parquet(parquet, index=False)
    assert cli("import", parquet, "--store", store) == 0
    out = capsys.readouterr().out
    assert "import #2: 2 rows read: 2 accepted, 0 rejected; 2 inserted, 0 updated, 0 unchanged" in out
    assert len(import_history(store)) == 2


def test_mhsds_names_and_map_option(tmp_path, capsys):
    text = ("UniqServReqID;ReferralRequestReceivedDate;AgeServReferRecDate;EthnicCategory;LSOA2011;Ref Source\n"
            "M1;01/03/2024;1;99;E01012571;A2\n")
    source = write(tmp_path / "mhsds.csv", b"\xef\xbb\xbf" + text.encode())
    store = tmp_path / "s.duckdb"
    assert cli("import", source, "--store", store, "--map", "referral_source=Ref Source") == 0
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT referral_id, ethnic_category, referral_source FROM referrals").fetchall() == [
        ("M1", "99", "A2")
    ]
    con.close()


# -- property: every row of a file ends accepted or rejected ---------------------------------------

CELLS = {
    "referral_id": st.sampled_from(["A", "B", "C", "D", "E", ""]),
    "referral_date": st.sampled_from(["05/01/2024", "2024-01-05", "30/02/2024", "", "soon"]),
    "age_years": st.sampled_from(["0", "3", "5", "6", "x", ""]),
    "ethnic_category": st.sampled_from(["A", "Z", "99", "", "Q", "=1+1"]),
    "lsoa_code": st.sampled_from([LSOA21, "E01000001", "E01999999", "bad", ""]),
    "postcode": st.sampled_from(["", "FY1 1AD", "M1 1AE", "ZZ9 9ZZ"]),
    "service": st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=0, max_size=20),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=30),
       delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_accepted_plus_rejected_is_rows_read_for_any_file(tmp_path_factory, settings, rows, delimiter, encoding):
    frame = pd.DataFrame(rows, columns=list(CELLS))
    frame["service"] = frame["service"].str.encode(encoding, errors="ignore").str.decode(encoding)
    text = frame.to_csv(index=False, sep=delimiter, lineterminator="\n")
    data = text.encode(encoding)
    try:
        extract = read_extract(data, file_name="p.csv")
    except Exception as exc:  # only an all-blank file may fail to read
        assert "empty" in str(exc) or "no data rows" in str(exc)
        return
    frame = apply_mapping(extract, suggest_mapping(extract.columns))
    result = validate(frame, load_geography(settings.cache_dir, settings.reference_dir),
                      row_numbers=extract.row_numbers)
    blank_rows = len(rows) - extract.rows
    assert result.accepted_rows + result.rejected_rows == result.rows_read == len(rows) - blank_rows
    store = tmp_path_factory.mktemp("prop") / "s.duckdb"
    if result.accepted_rows:
        summary = apply_import(store, result, file_name="p.csv", sha256=extract.sha256)
        assert summary.inserted == result.accepted_rows
        con = duckdb.connect(str(store), read_only=True)
        assert con.execute("SELECT count(*) FROM referrals").fetchall() == [(result.accepted_rows,)]
        con.close()
    shutil.rmtree(store.parent)
