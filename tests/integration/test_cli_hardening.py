"""The command line against hostile or unlucky paths (issue 15, point 6): a store path that is not a
store, a read-only store or folder, a closed pipe, and formula cells in the CSV it writes.

Every failure is one ``error:`` line on stderr, exit 2, and nothing half-written.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cli.main import main
from equity import provision
from equity.settings import REPO_ROOT

LSOA21 = "E01012571"
EXTRACT = "referral_id,referral_date,age_years,ethnic_category,lsoa_code\n" + "".join(
    f"R{i},05/01/2024,{i % 6},A,{LSOA21}\n" for i in range(50)
)
#: Root writes to any file regardless of its mode, so when the tests run as root the read-only cases run
#: the command without the capabilities that let root ignore file permissions (util-linux ``setpriv``).
WITHOUT_ROOT_OVERRIDE = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
)


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def run_unprivileged(*argv: str | Path) -> subprocess.CompletedProcess:
    """``python -m equity ARGV`` in a process that file permissions apply to (even when we are root)."""
    if WITHOUT_ROOT_OVERRIDE and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return subprocess.run(
        [*WITHOUT_ROOT_OVERRIDE, sys.executable, "-m", "equity", *map(str, argv)], cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=60,
    )


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def referrals(store: Path) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM referrals").fetchall()[0][0]
    finally:
        con.close()


@pytest.fixture
def extract(tmp_path) -> Path:
    path = tmp_path / "extract.csv"
    path.write_text(EXTRACT)
    return path


@pytest.fixture
def restore_modes(tmp_path):
    """tmp_path, its modes made writable again afterwards (so that it can be removed)."""
    yield tmp_path
    for path in [tmp_path, *tmp_path.rglob("*")]:
        path.chmod(0o755)


# -- 1. a store path must be a store -------------------------------------------------------------


def _not_a_store_files(folder: Path) -> dict[str, Path]:
    csv = folder / "store.csv"
    csv.write_text("a,b\n1,2\n")
    parquet = folder / "store.parquet"
    pd.DataFrame({"a": [1, 2]}).to_parquet(parquet)
    text = folder / "notes.duckdb"
    text.write_text("not a database\n")
    return {"csv": csv, "parquet": parquet, "text": text}


@pytest.mark.parametrize("kind", ["csv", "parquet", "text"])
def test_import_into_a_file_that_is_not_a_duckdb_store_is_refused(tmp_path, extract, settings, kind):
    store = _not_a_store_files(tmp_path)[kind]
    before = store.read_bytes()
    code, out, err = run("import", extract, "--store", store)
    line = one_error_line(err)
    assert code == 2 and "inserted" not in out
    assert f"{store} is not a DuckDB store: it is " in line
    assert store.read_bytes() == before  # nothing written, nothing claimed


@pytest.mark.parametrize("command", [["imports"], ["imports", "--format", "csv"], ["rollback"], ["provision"]])
def test_other_store_commands_refuse_a_csv_store(tmp_path, command):
    store = _not_a_store_files(tmp_path)["csv"]
    code, out, err = run(*command, "--store", store)
    assert code == 2 and out == ""
    assert f"{store} is not a DuckDB store: it is a text file (CSV?)" in one_error_line(err)


def test_an_empty_file_is_a_new_store(tmp_path, extract, settings):
    store = tmp_path / "new.duckdb"
    store.touch()
    code, out, err = run("import", extract, "--store", store)
    assert code == 0, err
    assert "50 inserted" in out and referrals(store) == 50


def test_a_directory_as_store_names_the_problem_at_once(tmp_path, extract, settings):
    folder = tmp_path / "stores"
    folder.mkdir()
    started = time.monotonic()
    code, _, err = run("import", extract, "--store", folder)
    assert code == 2 and time.monotonic() - started < 5  # not a 10 s wait for a store that is "busy"
    line = one_error_line(err)
    assert f"{folder} is a directory, not a DuckDB store" in line and "busy" not in line
    assert list(folder.iterdir()) == []


def test_a_read_only_store_says_so(restore_modes, extract, settings):
    store = restore_modes / "ro.duckdb"
    assert run("import", extract, "--store", store)[0] == 0
    store.chmod(0o444)
    started = time.monotonic()
    done = run_unprivileged("rollback", "--store", store)
    assert done.returncode == 2 and time.monotonic() - started < 8
    line = one_error_line(done.stderr)
    assert line == f"error: the referral store {store} is read-only (no permission to write to it)"
    assert referrals(store) == 50  # not rolled back


# -- 3. the rejected-rows file cannot be written: clear error, nothing imported ------------------------


def test_unwritable_rejected_rows_file_imports_nothing(restore_modes, settings):
    store = restore_modes / "store.duckdb"
    source_dir = restore_modes / "incoming"
    source_dir.mkdir()
    source = source_dir / "bad.csv"
    source.write_text(EXTRACT + f"X1,05/01/2024,9,A,{LSOA21}\n")  # one row rejected (age 9)
    source_dir.chmod(0o555)  # the rejected-rows file cannot be written beside the extract (the store can)
    done = run_unprivileged("import", source, "--store", store)
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert line == (f"error: cannot write the rejected rows to {source}.rejected.csv: Permission denied; "
                    "nothing was imported")
    assert not store.exists()  # the import was not applied
    assert sorted(p.name for p in source_dir.iterdir()) == ["bad.csv"]  # and no partial file is left


def test_rejected_rows_path_taken_by_a_directory(tmp_path, settings):
    """The same failure without permissions (a folder where the file should go), for any user."""
    store = tmp_path / "store.duckdb"
    source = tmp_path / "bad.csv"
    source.write_text(EXTRACT + f"X1,05/01/2024,9,A,{LSOA21}\n")
    (tmp_path / "bad.csv.rejected.csv").mkdir()
    code, out, err = run("import", source, "--store", store)
    assert code == 2 and "inserted" not in out
    assert f"cannot write the rejected rows to {source}.rejected.csv: " in one_error_line(err)
    assert "nothing was imported" in err and not store.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "bad.csv.rejected.csv"]


# -- 3. a closed pipe ------------------------------------------------------------------------------


def test_piping_into_head_exits_quietly(tmp_path, demo_frame, settings):
    from data.store import replace_all

    store = tmp_path / "demo.duckdb"
    replace_all(store, demo_frame, kind="demo", description="Demo data: test")
    command = f"{sys.executable} -m equity report --by lsoa | head -1; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(command, shell=True, executable="/bin/bash", cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "EQUITY_STORE": str(store)})
    assert done.stdout.startswith("group,numerator,denominator") and done.stdout.count("\n") == 1
    assert done.stderr == "" and done.returncode == 0  # the output (112 kB) is longer than the pipe holds


# -- 6. every CSV the command line writes is formula-safe ------------------------------------------


def test_provision_csv_neutralises_formulas(tmp_path, demo_frame):
    from data.store import replace_all

    store = tmp_path / "store.duckdb"
    replace_all(store, demo_frame.head(10), kind="demo", description="Demo data: test")
    provision.update_cell(store, "Blackpool", 1, status="Full provision", note="=HYPERLINK(\"http://x\")",
                          source="+44 team", changed_by="@ann")
    code, out, err = run("provision", "--format", "csv", "--store", store)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False, dtype=str)
    cell = frame[(frame["place"] == "Blackpool") & (frame["support_element"] == "1")].iloc[0]
    assert cell["note"] == "'=HYPERLINK(\"http://x\")" and cell["source"] == "'+44 team"
    assert cell["updated_by"] == "'@ann"
    for column in frame.columns:
        assert not frame[column].str.startswith(("=", "+", "-", "@", "\t", "\r")).any(), column


def test_imports_csv_neutralises_a_formula_file_name(tmp_path, settings):
    store = tmp_path / "store.duckdb"
    source = tmp_path / "=1+2.csv"
    source.write_text(EXTRACT)
    assert run("import", source, "--store", store)[0] == 0
    code, out, err = run("imports", "--format", "csv", "--store", store)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False, dtype=str)
    assert list(frame["file_name"]) == ["'=1+2.csv"]
    assert frame["inserted"].tolist() == ["50"]  # numbers are left as numbers
