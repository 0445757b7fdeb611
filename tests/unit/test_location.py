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


def test_spark_forms_name_a_table_or_a_parquet_path_and_are_read_only(tmp_path):
    view = parse_store("spark:lsc.early_years_referrals")
    assert view.kind == "spark" and view.table == "lsc.early_years_referrals" and not view.writable
    assert view.describe() == "spark:lsc.early_years_referrals"
    parquet = parse_store(f"spark:parquet:{tmp_path}/referrals")
    assert parquet.kind == "spark" and parquet.path == tmp_path / "referrals" and parquet.table is None
    assert parquet.describe() == f"spark:parquet:{tmp_path}/referrals"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("spark:", "does not name a table"),
        ("spark:referrals; DROP TABLE x", "does not name a table"),
        ("spark:parquet:", "needs the path"),
        ("databricks://h.azuredatabricks.net/sql/1.0/warehouses/w?catalog=c&schema=s", "missing table"),
        ("databricks://h.azuredatabricks.net?catalog=c&schema=s&table=t", "HTTP path"),
        ("databricks://h.net/sql/1.0/warehouses/w?catalog=c&schema=s&table=t&token=dapi1", "EQUITY_DATABRICKS_TOKEN"),
        ("databricks://h.net/sql/1.0/warehouses/w?catalog=c&schema=s&table=t;x", "not a plain name"),
    ],
)
def test_a_spark_or_databricks_form_that_cannot_be_used_is_refused_with_the_reason(text, words):
    with pytest.raises(ValueError, match=words):
        parse_store(text)


def test_a_databricks_token_comes_from_its_setting_and_is_never_shown(tmp_path):
    url = "databricks://adb-1.azuredatabricks.net/sql/1.0/warehouses/abc?catalog=lsc&schema=mh&table=referrals"
    cfg = load_settings(
        {"EQUITY_STORE": url, "EQUITY_DATABRICKS_TOKEN": "dapi-secret", "EQUITY_CACHE_DIR": str(tmp_path)}
    )
    location = cfg.store_location
    assert location.kind == "databricks" and location.table == "referrals" and location.token == "dapi-secret"
    assert "dapi-secret" not in repr(cfg) and "dapi-secret" not in location.describe()


def test_a_read_only_source_keeps_the_apps_state_in_the_state_store(tmp_path):
    default = load_settings({"EQUITY_STORE": "spark:referrals", "EQUITY_CACHE_DIR": str(tmp_path)})
    assert default.store_location.kind == "spark"
    assert default.state_location == default.store_location.__class__("duckdb", path=(tmp_path / "state.duckdb"))
    assert default.store_path == (tmp_path / "state.duckdb")  # where provision, PLUS settings and audit write
    shared = load_settings({"EQUITY_STORE": "spark:referrals", "EQUITY_STATE_STORE": "postgresql://u@db/state",
                            "EQUITY_CACHE_DIR": str(tmp_path)})
    assert shared.state_location.kind == "postgresql"
    # a writable store holds its own state; a read-only state store is refused
    assert load_settings({"EQUITY_STORE": str(tmp_path / "s.duckdb")}).state_location.kind == "duckdb"
    with pytest.raises(ValueError, match="EQUITY_STATE_STORE must be"):
        load_settings({"EQUITY_STORE": "spark:referrals", "EQUITY_STATE_STORE": "spark:other"})


@pytest.mark.parametrize(
    "text", ["spark:referrals", "databricks://adb-1.azuredatabricks.net/sql/1.0/warehouses/w?catalog=c&schema=s&table=r"]
)
def test_imports_and_edits_refuse_a_read_only_source_with_the_reason(text, tmp_path, monkeypatch, capsys):
    from cli.main import main
    from data.backend import connect_store
    from data.store import StoreError

    with pytest.raises(StoreError, match=r"read-only .* source of referrals; imports, provision"):
        connect_store(parse_store(text))
    extract = tmp_path / "extract.csv"
    extract.write_text("referral_id,referral_date\nR1,2025-01-01\n")
    monkeypatch.setenv("EQUITY_DATABRICKS_TOKEN", "not-a-real-token")
    assert main(["import", str(extract), "--store", text]) == 2
    err = capsys.readouterr().err
    assert "read-only" in err and "not-a-real-token" not in err
