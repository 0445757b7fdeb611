"""CSV downloads: every exported table goes through here so no cell can run as a spreadsheet formula."""

from __future__ import annotations

import pandas as pd

from data.importer import neutralise_formulas


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of ``frame`` with formula-like text cells (= + - @ tab CR) prefixed by a quote."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8")
