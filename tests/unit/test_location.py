from pathlib import Path

import pytest

from data.location import parse_store
from equity.settings import load_settings


def test_a_path_is_a_duckdb_store(tmp_path):
    location = parse_store(str(tmp_path / "x.duckdb"))
    assert location.kind == "duckdb" and location.path == tmp_path / "x.duckdb" and location.writable


def test_a_postgresql_url_is_a_server_store_and_its_password_is_never_described():
    location = parse_store("postgres://analyst:s3cret@db.example.nhs.uk:5433/equity")
    assert location.kind == "postgresql" and location.writable
    assert location.url == "postgresql://analyst:s3cret@db.example.nhs.uk:5433/equity"
    assert location.describe() == "postgresql://analyst@db.example.nhs.uk:5433/equity"
    assert "s3cret" not in location.describe()


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "empty"), ("mysql://h/db", "mysql:// is not understood"), ("postgresql://h", "needs a host and a database")],
)
def test_a_store_that_cannot_be_understood_is_refused_with_the_reason(text, words):
    with pytest.raises(ValueError, match=words):
        parse_store(text)


def test_settings_keep_a_duckdb_store_as_a_path_and_a_server_as_a_location(tmp_path):
    local = load_settings({"EQUITY_STORE": str(tmp_path / "s.duckdb"), "EQUITY_CACHE_DIR": str(tmp_path)})
    assert local.store is None and local.store_location.path == Path(tmp_path / "s.duckdb")
    server = load_settings({"EQUITY_STORE": "postgresql://u@localhost/db", "EQUITY_CACHE_DIR": str(tmp_path)})
    assert server.store_location.kind == "postgresql"
