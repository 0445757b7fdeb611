"""Board packs end to end: PowerPoint (python-pptx) and PDF (pypdf) built offline with the local
Chromium; titles, commentary, data date and disclosure note present; no count of 1-4 shown."""

import datetime as dt
import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout

import pytest
from pptx import Presentation
from pypdf import PdfReader

from cli.main import main as cli_main
from equity.display import DISCLOSURE_NOTE
from equity.selection import Selection
from publish import boardpack, pack_items, tables
from publish.boardpack import BoardPack, BoardPackError, PackItem

pytestmark = pytest.mark.slow

ITEMS = (
    PackItem("overview_rates", {}, "", "Blackpool refers most per child."),
    PackItem("lsoa_map", {}, "Where referrals come from", "Coastal neighbourhoods stand out."),
    PackItem("spc", {"measure": "referrals", "area": "ICB"}, "", "Referrals are rising: special cause."),
    PackItem("spc", {"measure": "core20_coverage", "area": "Blackpool", "rebase": ["2025-04-01"]}, "", ""),
    PackItem("spc_summary", {"targets": {"access": 200}}, "", "Summary commentary."),
    PackItem("inequality", {"measure": "access"}, "", "Access falls with deprivation."),
    PackItem("overview_table", {}, "", "Headline commentary."),
)


@pytest.fixture(scope="module")
def built(settings, demo_store):
    pack = BoardPack("Equity board pack: test", Selection(), ITEMS, subtitle="Quarterly review")
    files, slides = boardpack.build(settings, pack)
    return pack, files, slides


def slide_texts(prs) -> list[str]:
    texts = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append("\n".join(parts))
    return texts


def test_pptx_has_every_slide_title_commentary_and_furniture(built):
    _, files, slides = built
    prs = Presentation(io.BytesIO(files["pptx"]))
    texts = slide_texts(prs)
    assert len(texts) == 1 + len(ITEMS)
    assert "Equity board pack: test" in texts[0] and "Quarterly review" in texts[0]
    assert "DEMO DATA" in texts[0]
    assert "Where referrals come from" in texts[2]  # the user's title replaces the default
    assert "Referrals received per month: L&SC ICB" in texts[3]
    for text, item in zip(texts[1:], ITEMS, strict=True):
        assert (item.commentary or "No commentary.") in text
        assert "Data date 2026-10-31" in text
        assert "Source: synthetic demo referrals to 2026-10-31" in text
        assert DISCLOSURE_NOTE in text
    pictures = [sum(1 for s in slide.shapes if s.shape_type == 13) for slide in prs.slides]
    assert pictures == [0, 1, 1, 1, 1, 0, 0, 0]  # charts are images; tables are native tables
    assert not any(s.error for s in slides)


def test_pptx_tables_are_disclosure_controlled(built):
    _, files, _ = built
    prs = Presentation(io.BytesIO(files["pptx"]))
    tables = [shape.table for slide in prs.slides for shape in slide.shapes if shape.has_table]
    assert len(tables) == 3
    headline = next(t for t in tables if t.cell(0, 0).text == "Area")
    header = [c.text for c in headline.rows[0].cells]
    for row in list(headline.rows)[2:]:  # Places (the ICB row is exact by design)
        for column in ("Referrals", "People accessing"):
            value = row.cells[header.index(column)].text
            assert value == "*" or int(value.replace(",", "")) % 5 == 0
    summary = next(t for t in tables if t.cell(0, 0).text == "Measure")
    header = [c.text for c in summary.rows[0].cells]
    assert header[:4] == ["Measure", "Area", "Latest month", "Latest"]
    for row in list(summary.rows)[1:]:
        measure, area, latest = row.cells[0].text, row.cells[1].text, row.cells[3].text
        if measure != "Core20 coverage ratio" and area != "L&SC ICB":
            assert latest == "*" or int(latest.replace(",", "")) % 5 == 0
    assert any(row.cells[8].text.startswith("Consistently") or "Hit and miss" in row.cells[8].text
               for row in list(summary.rows)[1:])  # the access target gives an assurance label


def test_pdf_text(built):
    _, files, _ = built
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert len(reader.pages) == 1 + len(ITEMS)
    text = [page.extract_text() for page in reader.pages]
    assert "Equity board pack: test" in text[0]
    for page, item in zip(text[1:], ITEMS, strict=True):
        assert (item.commentary or "No commentary.") in page
        assert "Data date 2026-10-31" in page
        assert "Disclosure control" in page
    assert "Referrals received per month: L&SC ICB" in text[3]
    assert "Trends at a glance" in text[5]


def _alt_texts_in_pdf(reader) -> list[str]:
    """The /Alt of every /Figure in the PDF's structure tree, in document order."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_chart_pictures_carry_their_description_as_alt_text(built):
    # WCAG 1.1.1: each chart picture has the sentence the app shows under the chart as its alt text
    import zipfile

    from charts.describe import describe

    _, files, slides = built
    expected = [describe(s.content.figure) for s in slides if s.content is not None and s.content.figure is not None]
    assert len(expected) == 4 and expected[0].startswith("Bar chart: Referrals per 1,000 children aged 0-5, by Place.")
    assert expected[1].startswith("Map: ") and expected[2].startswith("Line chart: Referrals received per month")
    with zipfile.ZipFile(io.BytesIO(files["pptx"])) as pptx:
        names = sorted((n for n in pptx.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        pictures = []
        for name in names:
            xml = pptx.read(name).decode("utf-8")
            pictures += re.findall(r'<p:pic>.*?<p:cNvPr [^>]*descr="([^"]*)"', xml, flags=re.S)
    from html import unescape

    assert [unescape(p) for p in pictures] == expected
    reader = PdfReader(io.BytesIO(files["pdf"]))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF (fpdf2 tags the figures)
    assert root["/Lang"] == "en-GB"
    assert _alt_texts_in_pdf(reader) == expected


def test_a_tiny_selection_shows_no_count_of_one_to_four(settings, demo_store):
    # one month of antenatal referrals in South Cumbria: the exact counts are small
    selection = Selection(
        places=("South Cumbria",), date_from=dt.date(2026, 10, 1), date_to=dt.date(2026, 10, 31),
        age_bands=("Antenatal",),
    )
    exact = tables.get("overview_headline", settings, selection, suppress=False)
    assert exact["referrals"].between(1, 4).all()  # the case under test: every exact count is small
    shown = pack_items.build("overview_table", settings, selection, {})
    pack = BoardPack("Tiny", selection, (PackItem("overview_table", {}, "", "Small numbers."),))
    files, _ = boardpack.build(settings, pack)
    prs = Presentation(io.BytesIO(files["pptx"]))
    table = next(shape.table for slide in prs.slides for shape in slide.shapes if shape.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][:4] == ["Area", "Children aged 0-5", "Referrals", "Per 1,000 (95% CI)"]
    for row in cells[1:]:
        for value in (row[2], row[4]):
            assert value not in {"1", "2", "3", "4"}
            assert value == "*" or int(value.replace(",", "")) % 5 == 0
    assert list(shown.table["Referrals"]) == [row[2] for row in cells[1:]] == ["*", "*"]
    page = PdfReader(io.BytesIO(files["pdf"])).pages[1].extract_text()
    for line in page.splitlines():
        if line.startswith("South Cumbria") or line.startswith("Total of selected"):
            numbers = re.findall(r"(?<![\d.,*])\d+(?![\d.,])", line.split(" ", 3)[-1])
            assert not set(numbers) & {"1", "2", "3", "4"}, line


def test_config_round_trip():
    pack = BoardPack("T", Selection(places=("Blackpool",), date_from=dt.date(2024, 1, 1)), ITEMS, "S")
    config = json.loads(json.dumps(boardpack.pack_to_config(pack)))
    assert config["selection"]["places"] == ["Blackpool"] and config["selection"]["date_from"] == "2024-01-01"
    assert boardpack.pack_from_config(config) == pack


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"items": []}, "non-empty"),
        ({"items": [{"kind": "pie"}]}, "unknown item kind 'pie'"),
        ({"items": [{"kind": "spc", "spec": {"measure": "waits"}}]}, "item 1: spc: measure"),
        ({"items": [{"kind": "spc", "spec": {"rebase": ["April"]}}]}, "YYYY-MM-DD"),
        ({"items": [{"kind": "spc", "spec": {"polarity": "up"}}]}, "polarity must be one of"),
        ({"items": [{"kind": "spc_summary", "spec": {"targets": {"waits": 3}}}]}, "unknown measure"),
        ({"selection": {"places": ["Carlisle"]}, "items": [{"kind": "overview_rates"}]}, "Carlisle"),
        ({"selection": {"colour": "red"}, "items": [{"kind": "overview_rates"}]}, "unknown field"),
        ({"title": "x", "itmes": []}, "unknown key"),
    ],
)
def test_config_errors_name_the_problem(config, message):
    with pytest.raises(BoardPackError, match=message):
        boardpack.pack_from_config(config)


TOML = """
title = "Monthly equity pack"
[selection]
vintage = 2025
places = ["Blackpool", "Lancashire"]
date_from = "2024-04-01"

[[items]]
kind = "spc"
title = "Referrals in Blackpool"
commentary = "Stable: common cause variation."
spec = { measure = "referrals", area = "Blackpool", target = 40 }

[[items]]
kind = "spc_summary"
commentary = "All measures at a glance."
"""


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_builds_the_pack_from_a_toml_config(demo_store, tmp_path):
    config = tmp_path / "pack.toml"
    config.write_text(TOML, encoding="utf-8")
    code, out, err = run_cli("boardpack", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 0, err
    pptx = tmp_path / "out" / "monthly_equity_pack_2026-10-31.pptx"
    pdf = tmp_path / "out" / "monthly_equity_pack_2026-10-31.pdf"
    assert pptx.is_file() and pdf.is_file() and str(pptx) in out
    texts = slide_texts(Presentation(str(pptx)))
    assert "Referrals in Blackpool" in texts[1] and "Stable: common cause variation." in texts[1]
    assert "Blackpool, Lancashire" in texts[0]  # the saved selection, not the app's
    assert "All measures at a glance." in PdfReader(str(pdf)).pages[2].extract_text()


def test_cli_reports_errors(demo_store, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"items": [{"kind": "spc", "spec": {"area": "Carlisle"}}]}), encoding="utf-8")
    code, _, err = run_cli("boardpack", "--config", str(bad), "--out", str(tmp_path))
    assert code == 2 and err.startswith("error: config bad.json: item 1: spc: area must be one of")
    code, _, err = run_cli("boardpack", "--config", str(tmp_path / "missing.toml"), "--out", str(tmp_path))
    assert code == 2 and "cannot read config" in err
    broken = tmp_path / "broken.toml"
    broken.write_text("title = ", encoding="utf-8")
    code, _, err = run_cli("boardpack", "--config", str(broken), "--out", str(tmp_path))
    assert code == 2 and "not valid JSON or TOML" in err


def test_browser_is_the_local_chromium_and_a_wrong_one_is_a_clear_error(tmp_path):
    assert boardpack.browser_path() == "/usr/bin/chromium"
    with pytest.raises(BoardPackError, match="no browser at"):
        boardpack.browser_path(str(tmp_path / "chromium-xyz"))
    not_a_browser = tmp_path / "chromium"
    not_a_browser.write_text("not a browser")
    with pytest.raises(BoardPackError, match="drawing the charts with"):
        boardpack.figures_to_png([pack_items.go.Figure()], browser=str(not_a_browser))
