"""NHS financial years and quarters (April to March)."""

import datetime as dt

import pytest

from equity.formatting import financial_quarter, financial_year


@pytest.mark.parametrize(
    ("day", "quarter", "year"),
    [
        (dt.date(2025, 4, 1), "Q1 2025/26", "2025/26"),
        (dt.date(2025, 6, 30), "Q1 2025/26", "2025/26"),
        (dt.date(2025, 7, 1), "Q2 2025/26", "2025/26"),
        (dt.date(2025, 12, 31), "Q3 2025/26", "2025/26"),
        (dt.date(2026, 1, 1), "Q4 2025/26", "2025/26"),
        (dt.date(2026, 3, 31), "Q4 2025/26", "2025/26"),
        (dt.date(2000, 2, 1), "Q4 1999/00", "1999/00"),
    ],
)
def test_financial_quarters(day, quarter, year):
    assert financial_quarter(day) == quarter
    assert financial_year(day) == year
