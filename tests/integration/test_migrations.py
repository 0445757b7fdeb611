"""Schema migrations (data/migrations): applied once, in order, per dialect; a store written before
migrations is upgraded in place; a store newer than the code is refused.

``tests/fixtures/store_before_migrations.duckdb.gz`` was written by the version before migrations
(commit 11787cd, DuckDB 2.0.1): 40 demo referrals replaced by an import of 2 (1 row rejected), one
provision edit, one user site, one audit event and one PLUS setting.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from data import audit, backend
from data.backend import DuckDBStore, connect_store
from data.imports import import_history, rejection_history, rollback_import
from data.location import StoreLocation
from data.migrate import MigrationError, migrate, migrations, statements
from data.schema import STORE_COLUMNS
from data.store import connect
from equity import plus, provision, sites
from tests.stores import query, snapshot

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "store_before_migrations.duckdb.gz"
VERSIONS = [(1, "initial"), (2, "history_indexes"), (3, "board_packs")]


@pytest.fixture
def old_store(tmp_path) -> Path:
    path = tmp_path / "old.duckdb"
    with gzip.open(FIXTURE, "rb") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    return path


def test_a_store_written_before_migrations_reads_then_upgrades_in_place(old_store):
    before = snapshot(old_store)
    assert before is not None and "schema_migrations" not in before
    # read-only use needs no upgrade (a read-only connection cannot write one)
    assert import_history(old_store)[["import_id", "status", "demo_removed"]].values.tolist() == [[1, "applied", 40]]
    assert rejection_history(old_store)["rows"].tolist() == [1]
    matrix = provision.current_matrix(old_store).set_index(["place", "support_element"])
    assert matrix.loc[("Blackpool", 6), "note"] == "old note"
    assert list(sites.user_sites(old_store)["name"]) == ["Old Hub"]
    assert list(audit.read(old_store)["user_name"]) == ["Ann"]
    assert plus.groups_for(old_store, ("Blackpool",), [])["Blackpool"] == ["rural"]
    assert snapshot(old_store) == before  # nothing written by reading

    connect(old_store).close()  # the first write-open migrates
    after = snapshot(old_store)
    assert after is not None
    assert [row[:2] for row in after.pop("schema_migrations")] == VERSIONS
    assert after.pop("board_packs") == []  # migration 3 adds the (empty) table of saved board packs
    assert after == before  # every table and row kept as it was
    # and the old history still works with the new code: undo the import, the demo rows come back
    summary = rollback_import(old_store)
    assert (summary.import_id, summary.deleted, summary.reinserted) == (1, 2, 40)
    assert query(old_store, "SELECT count(*) FROM referrals") == [(40,)]


def test_migrations_apply_once_with_their_dialect_files(store_url):
    connect_store(store_url).close()
    connect_store(store_url).close()
    assert query(store_url, "SELECT version, name FROM schema_migrations ORDER BY version") == VERSIONS
    if store_url.startswith("postgresql://"):
        indexes = query(store_url, "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_import'")
        assert sorted(indexes) == [("import_rejections_import",), ("referral_versions_import",)]
    else:
        assert query(store_url, "SELECT index_name FROM duckdb_indexes()") == []  # version 2 is PostgreSQL only


def test_the_migrated_referrals_table_has_the_schema_modules_columns(store_url):
    connect_store(store_url).close()
    pg = store_url.startswith("postgresql://")
    names = {"VARCHAR": "character varying", "DOUBLE": "double precision"} if pg else {}
    expected = [(c.name, names.get(c.dtype, c.dtype.lower() if pg else c.dtype)) for c in STORE_COLUMNS]
    for table, extra in (("referrals", []), ("referral_versions", [("import_id", "integer"), ("action", "varchar")])):
        got = query(store_url, "SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_name = ? ORDER BY ordinal_position", [table])
        want = [(n, names.get(t.upper(), t) if pg else t.upper()) for n, t in extra] + expected
        assert [(n, t.lower()) for n, t in got] == [(n, t.lower()) for n, t in want], table


def test_a_store_newer_than_this_code_is_refused(store_url):
    connect_store(store_url).close()
    with connect_store(store_url) as con:
        con.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', NULL)")
    backend._MIGRATED.clear()  # a new process
    with pytest.raises(MigrationError, match="at schema version 99, newer than this code knows"):
        connect_store(store_url)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_versions_run_in_order_and_a_dialect_file_runs_only_on_its_dialect(tmp_path):
    folder = _folder(tmp_path, {
        "0001_start.sql": "-- a table\nCREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES (1);\n",
        "0002_server.postgresql.sql": "ALTER TABLE t ADD COLUMN on_server VARCHAR;\n",
        "0003_local.duckdb.sql": "ALTER TABLE t ADD COLUMN b VARCHAR;\nUPDATE t SET b = 'x';\n",
    })
    con = DuckDBStore(duckdb.connect(), StoreLocation("duckdb", path=tmp_path / "x.duckdb"))
    assert migrate(con, folder) == [1, 2, 3]
    assert migrate(con, folder) == []
    assert con.execute("SELECT * FROM t").fetchall() == [(1, "x")]
    assert [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()] == [1, 2, 3]


@pytest.mark.parametrize(("files", "message"), [
    ({"1_start.sql": ""}, "is named NNNN_name.sql"),
    ({"0001_a.sql": "", "0003_c.sql": ""}, r"without gaps; found \[1, 3\]"),
    ({"0001_a.sql": "", "0001_a.duckdb.sql": ""}, "both a portable and a dialect-specific file"),
    ({"0001_a.sql": "", "0001_b.sql": ""}, "version 1 is already a"),
])
def test_inconsistent_migration_files_are_refused(tmp_path, files, message):
    with pytest.raises(MigrationError, match=message):
        migrations(_folder(tmp_path, files))


def test_statements_drop_comments_and_split_at_line_ends():
    sql = "-- note; with a semicolon\nCREATE TABLE a (x INTEGER);\n\nCREATE TABLE b (\n  y VARCHAR\n);"
    assert statements(sql) == ["CREATE TABLE a (x INTEGER)", "CREATE TABLE b (\n  y VARCHAR\n)"]


def test_two_servers_starting_at_once_migrate_once(postgres_url):
    import threading

    errors: list[Exception] = []
    barrier = threading.Barrier(3)

    def start() -> None:
        barrier.wait()
        try:
            connect_store(postgres_url).close()
        except Exception as exc:
            errors.append(exc)

    backend._MIGRATED.discard(postgres_url)
    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert query(postgres_url, "SELECT version, name FROM schema_migrations ORDER BY version") == VERSIONS
