import io
import json
from contextlib import redirect_stdout

import pandas as pd
import pytest

from cli.main import main
from equity.report import COLUMNS, DIMENSIONS


def run(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue()


@pytest.mark.parametrize("by", DIMENSIONS)
def test_every_dimension_has_the_contract_columns(demo_store, by):
    frame = pd.read_csv(io.StringIO(run("report", "--by", by)))
    assert list(frame.columns) == [*COLUMNS, "suppressed"]
    shown = frame["numerator"].dropna()
    if by != "icb":
        assert not shown.between(1, 4).any() and (shown % 5 == 0).all()
    rated = frame.dropna(subset=["rate_per_1000"])
    assert (rated["lower_95"] <= rated["rate_per_1000"]).all() and (rated["rate_per_1000"] <= rated["upper_95"]).all()
    assert (rated["lower_998"] <= rated["lower_95"]).all()


def test_icb_total_is_exact_and_matches_the_store(demo_store, demo_frame):
    rows = json.loads(run("report", "--by", "icb", "--format", "json"))
    assert rows[0]["numerator"] == len(demo_frame)
    assert rows[0]["denominator"] == 111_615


def test_no_suppress_is_exact_and_warns(demo_store, demo_frame, capsys):
    frame = pd.read_csv(io.StringIO(run("report", "--by", "lsoa", "--no-suppress")))
    assert frame["numerator"].sum() == len(demo_frame)
    assert "disclosure control is OFF" in capsys.readouterr().err


def test_filters_apply(demo_store, demo_frame):
    frame = pd.read_csv(
        io.StringIO(
            run(
                "report",
                "--by",
                "age_band",
                "--no-suppress",
                "--from",
                "2024-04-01",
                "--to",
                "2025-03-31",
                "--place",
                "Blackpool",
            )
        )
    )
    assert frame["numerator"].sum() < len(demo_frame) / 4
    access = pd.read_csv(io.StringIO(run("report", "--by", "place", "--measure", "access", "--no-suppress")))
    accessed = demo_frame.dropna(subset=["first_contact_date"])["person_id"].nunique()
    assert access["numerator"].sum() >= accessed  # people counted once per neighbourhood


def test_inequality_recovers_direction_of_planted_effects(demo_store):
    frame = pd.read_csv(io.StringIO(run("inequality")))
    sii = frame[frame["statistic"] == "SII"].iloc[0]
    assert sii["lower_95"] > 0  # rates higher in deprived areas (need gradient)
    oe = frame[frame["statistic"] == "Need-adjusted referral ratio (O/E)"].set_index("group")["value"]
    core20 = frame[frame["statistic"] == "Need-adjusted Core20 coverage ratio"].iloc[0]
    assert core20["upper_95"] < 1  # Core20 under-referred for its need
    assert oe["Blackpool"] > 1.3  # PAIRS and Family Hubs


def test_bad_date_is_a_one_line_error(demo_store, capsys):
    assert main(["report", "--from", "2025-13-01"]) == 2
    assert capsys.readouterr().err.strip() == "error: dates must be YYYY-MM-DD, got '2025-13-01'"
