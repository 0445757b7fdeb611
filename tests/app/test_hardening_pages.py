"""Pages against what issue 15 (point 6) found: figures that lag behind a store changed outside the app,
Markdown (an image that fetches an external URL) in board-pack text, and a damaged workbook's traceback
on the Import page (Streamlit AppTest)."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from cli.main import main
from equity.access import everything
from equity.settings import REPO_ROOT

OVERVIEW = str(REPO_ROOT / "pages" / "explore" / "overview.py")
PRESENT = str(REPO_ROOT / "pages" / "board" / "present.py")
IMPORT_PAGE = str(REPO_ROOT / "pages" / "admin" / "import_data.py")
BEACON = "![x](http://example.invalid/beacon.png)"


def run(path: str, **state) -> AppTest:
    at = AppTest.from_file(path, default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_store_changed_outside_the_app_shows_on_the_next_run(store, tmp_path, settings):
    at = run(OVERVIEW)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Referrals"] == "12,000"
    extract = tmp_path / "extract.csv"
    extract.write_text("referral_id,referral_date,age_years,ethnic_category,lsoa_code\n"
                       + "".join(f"R{i},05/01/2024,3,A,E01012571\n" for i in range(50)))
    assert main(["import", str(extract), "--store", str(store), "--replace-demo"]) == 0  # as from a terminal
    at.run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Referrals"] == "50"
    assert not any("Demo data" in w.value for w in at.warning)


def rendered(at: AppTest) -> str:
    """The HTML that the page's Markdown elements (markdown, captions, warnings, errors, info) make."""
    md = MarkdownIt("commonmark")
    values = [e.value for e in [*at.markdown, *at.caption, *at.warning, *at.error, *at.info, *at.title]]
    return "\n".join(md.render(v) for v in values)


def test_present_shows_pack_text_as_plain_text(demo_store):
    pack = {"title": BEACON, "subtitle": BEACON, "items": [
        {"id": 1, "kind": "spc", "spec": {"measure": "access", "area": "Blackpool"}, "title": BEACON,
         "commentary": BEACON + " <img src=x>"},
        {"id": 2, "kind": "inequality", "spec": {"measure": "referrals"}, "title": BEACON,
         "commentary": BEACON + " <img src=x>"},
    ]}
    at = run(PRESENT, board_pack=pack)
    for _ in range(2):
        html = rendered(at)
        assert "<img" not in html and "beacon.png" in html  # the text is there, as text
        assert any(m.value.startswith(("## ", "### ")) and "beacon" in m.value for m in at.markdown)
        bodies = [e.proto.body for e in at.get("html")]
        commentary = [body for body in bodies if "class='present-commentary'" in body]
        assert all("<img" not in body and "&lt;img" in body for body in commentary) and commentary
        at.button(key="present_next").click().run()
        assert not at.exception


def _damaged_workbook() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"referral_id": [f"R{i}" for i in range(500)]}).to_excel(buffer, index=False)
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            archive.writestr(info.filename, data[: len(data) // 2] if info.filename.endswith("sheet1.xml") else data)
    return out.getvalue()


def test_import_page_refuses_a_damaged_workbook_in_one_line(store):
    at = run(IMPORT_PAGE, _access=everything("idp|admin", "Ada Admin", "signed_in"))  # as app.py's gate leaves it
    at.file_uploader(key="import_file").set_value(("extract.xlsx", _damaged_workbook(), "application/zip")).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(
        "This file cannot be imported: cannot read sheet 'Sheet1' of extract.xlsx: the workbook is damaged")
    assert "/" not in errors[0] and "Traceback" not in errors[0]  # no server paths
