"""Sessions of one app process share the store: a reader and a writer must not refuse each other."""

import threading
import time

import duckdb

from data.store import StoreError, connect


def _store(tmp_path):
    path = tmp_path / "s.duckdb"
    connect(path).close()
    return path


def test_reader_opens_while_a_writer_of_this_process_is_open(tmp_path):
    path = _store(tmp_path)
    writer = connect(path)
    try:
        reader = connect(path, read_only=True)
        assert reader.execute("SELECT count(*) FROM referrals").fetchone() == (0,)
        reader.close()
    finally:
        writer.close()


def test_writer_waits_for_a_reader_to_finish(tmp_path):
    path = _store(tmp_path)
    reader = connect(path, read_only=True)
    threading.Timer(0.3, reader.close).start()
    started = time.monotonic()
    writer = connect(path, wait_seconds=5)
    waited = time.monotonic() - started
    writer.execute("INSERT INTO store_meta VALUES ('k', 'v')")
    writer.close()
    assert 0.2 < waited < 5


def test_writer_gives_up_with_a_clear_error(tmp_path):
    path = _store(tmp_path)
    reader = connect(path, read_only=True)
    try:
        try:
            connect(path, wait_seconds=0.2)
        except StoreError as exc:
            assert "busy" in str(exc)
        else:
            raise AssertionError("expected StoreError")
    finally:
        reader.close()
    assert isinstance(duckdb.connect(str(path)), duckdb.DuckDBPyConnection)
