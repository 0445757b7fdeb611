import io
import json
from contextlib import redirect_stdout

import pandas as pd

from cli.main import main

COLUMNS = [
    "area_code",
    "area_name",
    "lsoa_count",
    "population_0_5",
    "population_0_4",
    "share_lsoas_imd_decile_1",
    "share_lsoas_core20",
    "share_population_0_5_core20",
]


def run(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue()


def test_geography_by_place_csv(settings):
    frame = pd.read_csv(io.StringIO(run("geography", "--by", "place")))
    assert list(frame.columns) == COLUMNS
    assert frame["lsoa_count"].sum() == 1060
    blackpool = frame.set_index("area_code").loc["Blackpool"]
    assert blackpool["lsoa_count"] == 94


def test_geography_lad_2019_matches_official_summary(settings):
    frame = pd.read_csv(io.StringIO(run("geography", "--vintage", "2019", "--by", "lad")))
    by_name = frame.set_index("area_name")
    # MHCLG IoD2019 File 10 (local authority summaries): share of LSOAs in decile 1
    assert by_name.loc["Blackpool", "share_lsoas_imd_decile_1"] == 0.4149
    assert by_name.loc["Burnley", "share_lsoas_imd_decile_1"] == 0.3833
    assert by_name.loc["South Lakeland", "share_lsoas_imd_decile_1"] == 0.0
    assert "E07000029" in set(frame["area_code"])  # Copeland fringe LSOAs (ICB definition)


def test_geography_icb_json(settings):
    rows = json.loads(run("geography", "--by", "icb", "--format", "json"))
    assert len(rows) == 1 and rows[0]["lsoa_count"] == 1060 and rows[0]["population_0_5"] == 111_615


def test_sixteen_district_definition(settings):
    rows = json.loads(run("geography", "--by", "icb", "--definition", "16_lads", "--format", "json"))
    assert rows[0]["lsoa_count"] == 1051 and rows[0]["population_0_5"] == 110_850
    assert rows[0]["area_name"] == "Lancashire and South Cumbria: the 16 districts"


def test_bad_argument_exits_nonzero(settings, capsys):
    assert main(["geography", "--by", "lsoa", "--vintage", "2025", "--definition", "icb"]) == 0
    capsys.readouterr()
    try:
        main(["geography", "--by", "county"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "invalid choice" in capsys.readouterr().err
