"""PostgreSQL as a full read-write store: the same results as DuckDB, concurrent users, the demo command.

Each test gets a fresh database on the throwaway test server (``postgres_url``). The cross-backend test
runs one sequence of writes on a DuckDB file and on PostgreSQL and compares everything the store
functions read back (timestamps of *when* a thing happened aside: they differ by the run's clock).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from cli.main import main
from data import audit
from data.backend import connect_store, store_exists, store_has_data
from data.importer import apply_mapping, read_extract, suggest_mapping
from data.imports import WRITER_LOCK, apply_import, import_history, rejection_history, rollback_import
from data.store import StoreError, read_meta, replace_all
from data.validation import load_geography, validate
from equity import plus, provision, sites
from equity.settings import REPO_ROOT
from tests.stores import query

LSOA21 = "E01012571"  # Blackburn with Darwen 007A
HEADER = "referral_id,referral_date,age_years,ethnic_category,lsoa_code,service\n"


def extract(settings, rows: list[str], name: str):
    read = read_extract((HEADER + "".join(r + "\n" for r in rows)).encode(), file_name=name)
    frame = apply_mapping(read, suggest_mapping(read.columns))
    result = validate(frame, load_geography(settings.cache_dir, settings.reference_dir), row_numbers=read.row_numbers)
    return read, result


def do_import(store, settings, rows: list[str], name: str, **options):
    read, result = extract(settings, rows, name)
    return apply_import(store, result, file_name=name, sha256=read.sha256, **options)


def row(i: int, age: int = 3, ethnic: str = "A", service: str = "PAIRS") -> str:
    return f"R{i},05/01/2024,{age},{ethnic},{LSOA21},{service}"


# --------------------------------------------------------------------------------------------
# the same writes give the same store on both backends


def _scenario(store, settings, demo_frame) -> dict[str, object]:
    replace_all(store, demo_frame.head(400), kind="demo", description="Demo data: test")
    do_import(store, settings, [row(i) for i in range(6)] + ["R99,yesterday,9,A,x,y"], "first.csv",
              replace_demo=True)
    do_import(store, settings, [row(1, age=5), row(2, ethnic="Z"), row(7), row(8)], "second.csv")
    do_import(store, settings, [row(3, service="other"), row(9)], "third.csv")
    rollback_import(store)
    provision.update_cell(store, "Lancashire", 6, status="Some provision", note="pilot", source="Place team",
                          changed_by="Ann")
    provision.update_cell(store, "Lancashire", 6, status="Full provision", note="funded", source="Place team",
                          changed_by="Bob")
    _, ids = sites.import_sites_csv(
        store, b"name,site_type,support_elements,postcode\nTest Hub,Family Hub,1;3,FY1 3JG\n"
        b"Test Base,PAIRS,4,FY4 3AD\nBad,castle,3,FY4 3AD\n", file_name="sites.csv", added_by="Ann",
    )
    sites.remove_site(store, ids[0], removed_by="Bob")
    audit.record(store, user_id="kc|1", user_name="Ann", action="sign_in", detail={"access": "analyst"})
    audit.record(store, user_id="kc|2", user_name="Bob", action="download", detail={"file": "x.csv"})
    plus.set_groups(store, "Blackpool", ["rural"], "Ann", [])
    clock = ["imported_at", "rolled_back_at", "updated_at", "changed_at", "added_at", "removed_at", "at_utc"]
    frames = {
        "imports": import_history(store),
        "rejections": rejection_history(store),
        "matrix": provision.current_matrix(store),
        "provision_history": provision.provision_history(store),
        "sites": sites.user_sites(store, include_removed=True),
        "site_history": sites.site_history(store),
        "audit": audit.read(store),
        "plus": plus.history(store),
    }
    out: dict[str, object] = {k: f.drop(columns=[c for c in clock if c in f.columns]) for k, f in frames.items()}
    out["referrals"] = query(store, "SELECT * FROM referrals ORDER BY referral_id")
    out["versions"] = query(store, "SELECT * FROM referral_versions ORDER BY import_id, action, referral_id")
    meta = read_meta(store)
    out["meta"] = {k: v for k, v in meta.items() if k not in ("loaded_at", "description")}
    out["description"] = meta["description"].split(" (import")[0]
    out["groups"] = plus.groups_for(store, ("Blackpool", "Lancashire"), [])
    return out


def test_the_same_writes_give_the_same_store_on_duckdb_and_postgresql(tmp_path, postgres_url, settings, demo_frame):
    duck = _scenario(tmp_path / "store.duckdb", settings, demo_frame)
    pg = _scenario(postgres_url, settings, demo_frame)
    assert duck.keys() == pg.keys()
    for key, value in duck.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, pg[key], check_exact=True, obj=key)  # values and dtypes
        else:
            assert value == pg[key], key
    # and the scenario did what it says, worked out by hand
    imports = duck["imports"]
    assert isinstance(imports, pd.DataFrame)
    assert imports[["import_id", "status", "inserted", "updated", "demo_removed"]].values.tolist() == [
        [3, "rolled back", 1, 1, 0], [2, "applied", 2, 2, 0], [1, "applied", 6, 0, 400]]
    assert duck["meta"] == {"kind": "real", "last_import_id": "2", "referrals": "8",
                            "first_referral_date": "2024-01-05", "data_date": "2024-01-05"}
    assert [r[0] for r in duck["referrals"]] == ["R0", "R1", "R2", "R3", "R4", "R5", "R7", "R8"]  # type: ignore[index]
    assert duck["groups"] == {"Blackpool": ["rural"], "Lancashire": plus.vocabulary([])}


# --------------------------------------------------------------------------------------------
# concurrent users


def _in_threads(*jobs) -> list[object]:
    """Run the jobs at the same moment (a barrier) in threads; their results, or the exception raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = jobs[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_an_importer_waits_for_another_holding_the_store(postgres_url, settings):
    do_import(postgres_url, settings, [row(1)], "first.csv")
    holder = connect_store(postgres_url)
    holder.execute("BEGIN TRANSACTION")
    holder.lock(*WRITER_LOCK)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(do_import(postgres_url, settings, [row(2)], "second.csv")))
    worker.start()
    time.sleep(1.0)
    assert worker.is_alive() and not done  # waiting for the lock, not writing beside it
    assert query(postgres_url, "SELECT count(*) FROM imports") == [(1,)]
    holder.execute("COMMIT")
    holder.close()
    worker.join(30)
    assert done and done[0].import_id == 2  # type: ignore[attr-defined]


def test_a_lock_held_too_long_gives_a_clear_busy_error(postgres_url):
    holder = connect_store(postgres_url)
    holder.execute("BEGIN TRANSACTION")
    holder.lock("provision_cells", "provision_history")
    try:
        busy = r"is busy \(another user is importing or editing\); try again"
        with pytest.raises(StoreError, match=busy), connect_store(postgres_url, wait_seconds=0.3) as other, \
                other.transaction():
            other.lock("provision_cells", "provision_history")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_two_imports_at_once_are_serialised_and_lose_no_update(postgres_url, settings):
    do_import(postgres_url, settings, [row(1, age=1)], "first.csv")
    a = lambda: do_import(postgres_url, settings, [row(1, age=2), row(10)], "a.csv")  # noqa: E731
    b = lambda: do_import(postgres_url, settings, [row(1, age=4), row(20)], "b.csv")  # noqa: E731
    results = _in_threads(a, b)
    assert not [r for r in results if isinstance(r, Exception)], results
    history = import_history(postgres_url)
    assert sorted(history["import_id"]) == [1, 2, 3] and set(history["status"]) == {"applied"}
    second, third = (history.set_index("import_id").loc[i, "file_name"] for i in (2, 3))
    final_age = {"a.csv": 2, "b.csv": 4}[third]
    assert query(postgres_url, "SELECT age_years FROM referrals WHERE referral_id = 'R1'") == [(final_age,)]
    assert query(postgres_url, "SELECT count(*) FROM referrals") == [(3,)]
    # the later import saw the earlier one's value of R1 and kept it as the value to restore
    earlier_age = {"a.csv": 2, "b.csv": 4}[second]
    assert query(postgres_url, "SELECT age_years FROM referral_versions WHERE import_id = 3 AND action = 'updated'") \
        == [(earlier_age,)]
    rollback_import(postgres_url)
    assert query(postgres_url, "SELECT age_years FROM referrals WHERE referral_id = 'R1'") == [(earlier_age,)]
    rollback_import(postgres_url)
    assert query(postgres_url, "SELECT referral_id, age_years FROM referrals") == [("R1", 1)]


def test_two_editors_of_one_cell_at_once_are_both_recorded_in_order(postgres_url):
    provision.current_matrix(postgres_url)  # seeds the matrix: 24 history rows

    def edit(status: str, who: str):
        return lambda: provision.update_cell(postgres_url, "Blackpool", 6, status=status, note=who, source="s",
                                             changed_by=who)

    results = _in_threads(edit("Some provision", "Ann"), edit("No provision", "Bob"))
    assert not [r for r in results if isinstance(r, Exception)], results
    history = provision.provision_history(postgres_url)
    edits = history[history["action"] == "edit"].sort_values("change_id")
    assert list(edits["change_id"]) == [25, 26]
    first, second = edits.iloc[0], edits.iloc[1]
    assert first["old_status"] == "Unknown" and second["old_status"] == first["new_status"]  # no lost update
    cell = provision.current_matrix(postgres_url).set_index(["place", "support_element"]).loc[("Blackpool", 6)]
    assert cell["status"] == second["new_status"] and cell["updated_by"] == second["changed_by"]


def test_sites_and_audit_events_added_at_once_get_distinct_ids(postgres_url):
    connect_store(postgres_url).close()
    csv = b"name,site_type,support_elements,postcode\n"

    def add(prefix: str):
        body = csv + b"".join(f"{prefix} {i},Family Hub,1,FY1 3JG\n".encode() for i in range(3))
        return lambda: sites.import_sites_csv(postgres_url, body, file_name=f"{prefix}.csv", added_by=prefix)[1]

    results = _in_threads(add("North"), add("South"))
    assert sorted(i for r in results for i in r) == [1, 2, 3, 4, 5, 6]  # type: ignore[union-attr]
    assert sorted(sites.site_history(postgres_url)["change_id"]) == [1, 2, 3, 4, 5, 6]
    events = _in_threads(*[
        (lambda n=n: audit.record(postgres_url, user_id=f"u{n}", user_name=f"U{n}", action="download"))
        for n in range(6)
    ])
    assert sorted(events) == [1, 2, 3, 4, 5, 6]  # type: ignore[type-var]
    assert len(audit.read(postgres_url)) == 6


# --------------------------------------------------------------------------------------------
# the command line on a server store


def test_demo_command_writes_the_store_on_postgresql_as_on_duckdb(postgres_url, tmp_path, settings):
    env = {**os.environ, "EQUITY_STORE": postgres_url, "EQUITY_CACHE_DIR": str(settings.cache_dir)}
    done = subprocess.run([sys.executable, "-m", "equity", "demo", "--referrals", "3000", "--seed", "5"],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    shown = postgres_url.rsplit("/", 1)[1]
    assert done.stdout.strip() == f"wrote 3,000 demo referrals (seed 5) to postgresql://equitypg@127.0.0.1:55432/{shown}"
    duck = tmp_path / "demo.duckdb"
    assert main(["demo", "--referrals", "3000", "--seed", "5", "--store", str(duck)]) == 0
    # the READ of referrals by plain SQL: the same rows, counted by Place-level LSOA and by month
    by_lsoa = "SELECT lsoa21_code, count(*) AS n FROM referrals GROUP BY lsoa21_code ORDER BY lsoa21_code"
    assert query(postgres_url, by_lsoa) == query(duck, by_lsoa)
    everything = "SELECT * FROM referrals ORDER BY referral_id"
    assert query(postgres_url, everything) == query(duck, everything)
    assert query(postgres_url, "SELECT count(*) FROM referrals") == [(3000,)]
    assert read_meta(postgres_url)["kind"] == "demo" and store_has_data(postgres_url)


def test_import_rollback_and_audit_commands_take_a_postgresql_url(postgres_url, tmp_path, capsys):
    source = tmp_path / "x.csv"
    source.write_text(HEADER + row(1) + "\n" + row(2) + "\n")
    assert main(["import", str(source), "--store", postgres_url]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "import #1: 2 rows read: 2 accepted, 0 rejected; 2 inserted, 0 updated, 0 unchanged")
    assert main(["imports", "--store", postgres_url, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("1,")
    assert main(["rollback", "--store", postgres_url]) == 0
    assert capsys.readouterr().out.strip() == (
        "rolled back import #1 (x.csv): 2 inserted rows removed, 0 updated rows restored")
    assert main(["audit", "--store", postgres_url, "--format", "csv"]) == 0


def test_an_unreachable_server_is_a_clear_error_without_the_password(tmp_path, capsys):
    url = "postgresql://someone:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(StoreError, match=r"cannot connect to the referral store postgresql://someone@127.0.0.1:1/nowhere"):
        store_exists(url)
    source = tmp_path / "x.csv"
    source.write_text(HEADER + row(1) + "\n")
    assert main(["import", str(source), "--store", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot connect to the referral store postgresql://someone@127.0.0.1:1/nowhere")
    assert "s3cret" not in err


def test_reading_a_new_server_database_says_what_to_do(postgres_url):
    with pytest.raises(StoreError, match=r"has no tables yet; run `python -m equity demo`"):
        read_meta(postgres_url)
    assert not store_has_data(postgres_url)  # the app makes its demo data there on first start
    assert import_history(postgres_url).empty and audit.read(postgres_url).empty


def test_replacing_the_referrals_is_atomic_and_keeps_the_key(store_url, demo_frame):
    replace_all(store_url, demo_frame.head(50), kind="demo", description="first")
    replace_all(store_url, demo_frame.head(80), kind="demo", description="second")
    assert query(store_url, "SELECT count(*) FROM referrals") == [(80,)]
    twice = pd.concat([demo_frame.head(30), demo_frame.head(1)])  # a repeated referral_id
    with pytest.raises(Exception, match=r"(?i)duplicate|unique|primary key"):
        replace_all(store_url, twice, kind="demo", description="third")
    assert query(store_url, "SELECT count(*) FROM referrals") == [(80,)]  # the failed write left nothing behind
    assert read_meta(store_url)["description"] == "second"


def test_frames_read_back_alike_on_both_backends(tmp_path, postgres_url):
    sql = ("SELECT CAST(1 AS INTEGER) AS i, CAST(NULL AS INTEGER) AS n, CAST(7 AS BIGINT) AS big, "
           "CAST(2.5 AS DOUBLE PRECISION) AS d, DATE '2024-01-05' AS day, TIMESTAMP '2024-01-05 10:30:00' AS at, "
           "CAST('x' AS VARCHAR) AS s, CAST(NULL AS VARCHAR) AS missing, true AS b, count(*) AS rows")
    frames = []
    for store in (tmp_path / "s.duckdb", postgres_url):
        with connect_store(store) as con:
            frames.append(con.execute(sql).df())
    pd.testing.assert_frame_equal(frames[0], frames[1], check_exact=True)
    got = frames[1].iloc[0]
    assert (got["i"], got["big"], got["d"], got["s"], bool(got["b"]), got["rows"]) == (1, 7, 2.5, "x", True, 1)
    assert pd.isna(got["n"]) and pd.isna(got["missing"])
    assert got["day"] == pd.Timestamp("2024-01-05") and got["at"] == pd.Timestamp("2024-01-05 10:30:00")


def test_demo_if_empty_never_writes_over_data(store_url, tmp_path, capsys):
    source = tmp_path / "x.csv"
    source.write_text(HEADER + row(1) + "\n")
    assert main(["import", str(source), "--store", store_url]) == 0
    capsys.readouterr()
    assert main(["demo", "--if-empty", "--referrals", "500", "--store", store_url]) == 0
    assert capsys.readouterr().out.strip().endswith("holds data already; no demo data written")
    assert query(store_url, "SELECT referral_id FROM referrals") == [("R1",)]
    fresh = tmp_path / "new.duckdb"  # a new store, as on a fresh machine: the demo is written
    assert main(["demo", "--if-empty", "--referrals", "300", "--store", str(fresh)]) == 0
    assert query(fresh, "SELECT count(*) FROM referrals") == [(300,)]
