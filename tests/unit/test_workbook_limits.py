"""Hostile and damaged .xlsx workbooks (issue 15, point 6, items 2 and 3): zip bombs are refused from the
zip directory and a streamed count of the sheet's rows, columns and cells, before any library reads
them; damaged workbooks give one clear ExtractReadError, never a traceback. Every bomb is built here,
small on disk."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile

import pandas as pd
import pytest

from data import importer
from data.importer import ExtractReadError, list_sheets, read_extract

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"


def workbook(*chunks: bytes, repeat: int = 1, extra: tuple[str, int] | None = None) -> bytes:
    """A minimal .xlsx whose sheet XML is HEAD + chunks (the middle one ``repeat`` times) + TAIL, written
    in pieces so that a huge sheet never sits in memory; ``extra`` adds a member of that many zero bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                             ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):
            archive.writestr(member, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(HEAD)
            for i, chunk in enumerate(chunks):
                for _ in range(repeat if i == len(chunks) // 2 else 1):
                    sheet.write(chunk)
            sheet.write(TAIL)
        if extra:
            with archive.open(extra[0], "w", force_zip64=True) as member:
                block = bytes(1 << 20)
                for _ in range(extra[1] >> 20):
                    member.write(block)
    return out.getvalue()


def row(number: int | None, *cells: str, columns: tuple[str, ...] = ()) -> bytes:
    refs = columns or tuple(chr(65 + i) for i in range(len(cells)))
    body = "".join(
        f'<c r="{ref}{number or 1}" t="inlineStr"><is><t>{v}</t></is></c>' for ref, v in zip(refs, cells, strict=False)
    )
    return (f'<row r="{number}">' if number else "<row>").encode() + body.encode() + b"</row>"


HEADER = row(1, "referral_id", "referral_date", "age_years", "ethnic_category", "lsoa_code")
GOOD = row(2, "R1", "05/01/2024", "3", "A", "E01012571")


def refused(data: bytes, name: str = "bomb.xlsx", *, trace: bool = False) -> tuple[str, float, int]:
    """The error for ``data``, the seconds it took and (with ``trace``, which slows it) the peak bytes of
    Python memory."""
    if trace:
        tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ExtractReadError) as caught:
            read_extract(data, file_name=name)
        return str(caught.value), time.monotonic() - started, tracemalloc.get_traced_memory()[1] if trace else 0
    finally:
        if trace:
            tracemalloc.stop()


def test_a_small_workbook_within_the_limits_still_reads():
    extract = read_extract(workbook(HEADER, GOOD), file_name="ok.xlsx")
    assert extract.rows == 1 and extract.columns[:2] == ["referral_id", "referral_date"]
    assert list_sheets(workbook(HEADER, GOOD)) == ["Sheet1"]


def test_unpacked_size_is_checked_from_the_zip_directory():
    data = workbook(HEADER, GOOD, extra=("xl/media/padding.bin", importer.MAX_XLSX_UNPACKED_BYTES + (1 << 20)))
    assert len(data) < 1_000_000  # about 130 kB on disk
    message, seconds, peak = refused(data, trace=True)
    assert message.startswith("bomb.xlsx is too large to import as a workbook: it unpacks to 135,")
    assert message.endswith("more than the limit of 134,217,728; save it as CSV or Parquet")
    assert seconds < 2 and peak < 20_000_000
    assert list_sheets(data) == []  # the page's sheet picker does not read it either


def test_too_many_rows_are_counted_while_streaming():
    # 150,000 rows without row numbers: 10 MB of XML in a 60 kB file
    data = workbook(HEADER, row(None, "R", "05/01/2024", "3", "A", "E01012571"), TAIL[:0], repeat=150_000)
    assert len(data) < 200_000
    message, seconds, _ = refused(data)
    # counting stops within the first MiB of XML past the limit
    assert re.fullmatch(r"bomb\.xlsx is too large to import as a workbook: its sheet has 1\d\d,\d{3} rows, more "
                        r"than the limit of 100,000; save it as CSV or Parquet", message), message
    assert seconds < 10  # reading it took minutes


def test_a_far_row_number_counts_as_that_many_rows():
    message, _, _ = refused(workbook(HEADER, row(1_048_576, "R1", "05/01/2024", "3", "A", "E01012571")))
    assert "its sheet has 1,048,576 rows, more than the limit of 100,000" in message


def test_too_many_columns():
    far = row(2, "R1", "x", columns=("A", "XFD"))  # one cell in the last column Excel has
    message, _, _ = refused(workbook(HEADER, far))
    assert "its sheet has 16,384 columns, more than the limit of 200" in message


def test_too_many_cells():
    # 100 rows of 200 columns pass the row and column limits; 2,000,100 empty cells in one row do not
    many = b"<row>" + b"<c/>" * 2_000_100 + b"</row>"
    message, seconds, _ = refused(workbook(HEADER, many))
    assert "cells, more than the limit of 2,000,000" in message and seconds < 10


def _good_workbook() -> bytes:
    buffer = io.BytesIO()
    frame = pd.DataFrame({"referral_id": [f"R{i}" for i in range(2000)], "age_years": ["3"] * 2000})
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def _rezip(data: bytes, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                archive.writestr(info.filename, content)
    return out.getvalue()


def _damaged() -> dict[str, bytes]:
    good = _good_workbook()
    flipped = bytearray(good)
    flipped[good.find(b"xl/worksheets/sheet1.xml") + 60] ^= 0xFF
    return {
        "truncated": good[: len(good) // 2],
        "sheet_xml_cut_short": _rezip(good, lambda n, d: d[: len(d) // 2] if n.endswith("sheet1.xml") else d),
        "workbook_xml_broken": _rezip(good, lambda n, d: b"<workbook" if n == "xl/workbook.xml" else d),
        "styles_broken": _rezip(good, lambda n, d: b"<x>" if n.endswith("styles.xml") else d),
        "shared_strings_broken": _rezip(good, lambda n, d: b"<sst><si>" if n.endswith("sharedStrings.xml") else d),
        "compressed_data_corrupt": bytes(flipped),
    }


@pytest.mark.parametrize("case", list(_damaged()))
def test_damaged_workbooks_give_one_clear_error(case):
    data = _damaged()[case]
    with pytest.raises(ExtractReadError) as caught:
        read_extract(data, file_name=f"{case}.xlsx")
    message = str(caught.value)
    assert message.startswith((f"{case}.xlsx is not a readable Excel (.xlsx) workbook",
                               f"cannot read sheet 'Sheet1' of {case}.xlsx: the workbook is damaged")), message
    assert "\n" not in message and "/" not in message.replace("(.xlsx)", "")  # no paths, one line
