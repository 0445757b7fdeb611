"""The query layer's connections: clear errors naming the store, and the command line reading a
PostgreSQL store or a Spark source giving the same report as DuckDB."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import numpy as np
import pytest

from data import engine
from data.location import StoreLocation, parse_store
from data.store import StoreError
from equity.queries import weighted_median
from equity.settings import REPO_ROOT


@pytest.mark.parametrize(
    ("values", "counts", "median"),
    [
        ([3, 1, 2], [1, 1, 1], 2.0),  # odd: the middle value
        ([1, 2, 3, 4], [1, 1, 1, 1], 2.5),  # even: the mean of the two middle values
        ([10, 0], [3, 1], 10.0),  # 0, 10, 10, 10 -> (10 + 10) / 2
        ([5, 7], [2, 2], 6.0),  # 5, 5, 7, 7 -> (5 + 7) / 2
        ([-2, 4], [1, 0], -2.0),  # a zero count is no value; negative waits count as recorded
    ],
)
def test_weighted_median_is_the_median_of_the_values_written_out(values, counts, median):
    assert weighted_median(np.array(values), np.array(counts)) == median
    assert np.median(np.repeat(values, counts)) == median  # the same as writing every wait out
    assert np.isnan(weighted_median(np.array([]), np.array([])))


def test_a_duckdb_referral_table_without_the_canonical_columns_is_named(tmp_path):
    path = tmp_path / "hand.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE referrals (referral_id VARCHAR, referral_date DATE)")
    con.close()
    missing = r"lacks the canonical columns person_id, age_years, .*see README"
    with pytest.raises(StoreError, match=missing), engine.referrals(path):
        pass


def test_a_postgresql_database_without_referrals_says_what_to_do(postgres_url):
    with pytest.raises(StoreError, match=r"holds no referrals yet: run `python -m equity demo`"):
        engine.store_meta(parse_store(postgres_url))


def test_an_unreachable_postgresql_server_is_one_clear_error_without_the_password():
    location = parse_store("postgresql://app:s3cret@127.0.0.1:9/equity?connect_timeout=2")
    words = r"cannot connect to the referral store postgresql://app@127.0.0.1:9/equity"
    with pytest.raises(StoreError, match=words) as err:
        engine.connect(location)
    assert "s3cret" not in str(err.value)


def test_a_databricks_source_without_a_token_names_the_setting():
    location = StoreLocation("databricks", url="databricks://h.net/sql/1.0/w/x?catalog=c&schema=s&table=t", table="t")
    with pytest.raises(StoreError, match="set EQUITY_DATABRICKS_TOKEN"):
        engine.connect(location)


def _report(store: str) -> str:
    env = dict(os.environ, EQUITY_STORE=store, PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "equity", "report", "--by", "place", "--format", "csv"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_report_by_place_from_postgresql_is_the_duckdb_report(duckdb_settings, postgresql_settings):
    from_duckdb = _report(str(duckdb_settings.store_path))
    assert from_duckdb.count("\n") == 5 and "Blackpool," in from_duckdb  # header and the four Places
    assert _report(postgresql_settings.store_location.url) == from_duckdb


@pytest.mark.spark
def test_report_by_place_from_a_spark_parquet_source_is_the_duckdb_report(duckdb_settings, demo_frame, tmp_path):
    from data.copies import to_parquet

    parquet = to_parquet(demo_frame, tmp_path / "referrals.parquet")
    assert _report(f"spark:parquet:{parquet}") == _report(str(duckdb_settings.store_path))


def test_every_backend_describes_its_referrals(backend_settings, demo_frame):
    from equity.dashboard import store_info

    info = store_info(backend_settings.store_location)
    assert info.referrals == len(demo_frame) == 12_000
    assert info.first_referral_date == str(demo_frame["referral_date"].min())[:10]
    assert info.data_date == str(demo_frame["referral_date"].max())[:10]
    # a writable store says what it holds (its store_meta); a Spark source is described by its location
    if backend_settings.store_location.writable:
        assert (info.kind, info.description) == ("demo", "Demo data: seed 20231, 12,000 referrals")
    else:
        assert (info.kind, info.description) == ("source", "Referrals read from spark:test_referrals")
