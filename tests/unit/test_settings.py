import re
from pathlib import Path

import pytest

from equity.settings import ENVIRONMENT_VARIABLES, REPO_ROOT, load_settings

CODE_DIRS = ("pages", "ui", "cli", "publish", "charts", "equity", "data", "geo")


def _python_files():
    yield REPO_ROOT / "app.py"
    for folder in CODE_DIRS:
        files = sorted((REPO_ROOT / folder).rglob("*.py"))
        assert files, f"{folder}/ holds no Python files: the scan would check nothing there"
        yield from files


def test_only_settings_reads_the_environment():
    offenders = []
    for path in _python_files():
        if path.name == "settings.py":
            continue
        text = path.read_text()
        if re.search(r"os\.environ|os\.getenv|getenv\(", text):
            offenders.append(str(path.relative_to(REPO_ROOT)))
    assert offenders == []


def test_every_setting_is_documented_in_readme():
    readme = (REPO_ROOT / "README.md").read_text()
    missing = [name for name in ENVIRONMENT_VARIABLES if name not in readme]
    assert missing == []


def test_settings_defaults_and_overrides(tmp_path: Path):
    cfg = load_settings({})
    assert cfg.reference_dir == (REPO_ROOT.parent / "shared" / "reference").resolve()
    assert cfg.store_path.name == "referrals.duckdb"
    cfg = load_settings({"EQUITY_CACHE_DIR": str(tmp_path), "EQUITY_DEFAULT_VINTAGE": "2019"})
    assert cfg.cache_dir == tmp_path.resolve() and cfg.store_path.parent == tmp_path.resolve()
    assert cfg.default_vintage == 2019
    with pytest.raises(ValueError, match="EQUITY_DEFAULT_VINTAGE"):
        load_settings({"EQUITY_DEFAULT_VINTAGE": "2011"})
