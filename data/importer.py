"""Reading referral extracts (CSV, Excel, Parquet) and mapping their columns to the schema.

Every value is read as text; :mod:`data.validation` parses and checks it. The format is found
from the file's content (a renamed file still reads): Excel workbooks start ``PK``, Parquet
files ``PAR1``; anything else is read as delimited text. Text may be UTF-8 (with or without a
byte-order mark), UTF-16 with a byte-order mark, or Windows-1252; a file mixing UTF-8 and
Windows-1252 lines is decoded line by line. The delimiter (comma, semicolon, tab or pipe) is
the one found most often in the header line.

Row numbers count as a spreadsheet does: the header is row 1, the first data row is row 2
(Parquet has no header row: its first record is row 1). Blank lines in a CSV are skipped.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.schema import COLUMN_NAMES, COLUMNS

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
#: Canonical columns that must be mapped for an import to start.
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
#: Extra names (compared without case, spaces, underscores or hyphens) accepted for a column.
ALIASES: dict[str, tuple[str, ...]] = {
    "referral_id": ("referralid", "uniqservreqid"),
    "referral_date": ("referralreceiveddate", "referralrequestreceiveddate"),
    "age_years": ("age", "ageatreferral", "ageservreferrecdate"),
    "ethnic_category": ("ethnicity", "ethniccategorycode"),
    "lsoa_code": ("lsoa", "lsoa2011", "lsoa2021", "lsoa11", "lsoa21", "lsoa11cd", "lsoa21cd"),
    "first_contact_date": ("firstattendedcontactdate", "firstcontact"),
    "sex": ("gender", "gendercode"),
}
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: Limits for an .xlsx workbook, checked before its sheet is read (a workbook is a zip file, and a few
#: megabytes of it can unpack to gigabytes of cells: a "zip bomb"). The unpacked size is the sum of the
#: sizes the zip's directory declares for its members (Python's zip reader never unpacks more than a
#: member declares). Rows and columns are those of the grid the reader builds: the highest row and column
#: the sheet's XML holds or names, counted by streaming the XML in constant memory (the sheet's declared
#: dimension is not used: the reader ignores it, and some writers declare too little or too much).
#: Larger extracts: save them as CSV or Parquet, which have no such limit.
MAX_XLSX_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_XLSX_ROWS = 100_000
MAX_XLSX_COLUMNS = 200
#: rows x columns of that grid, and the number of cells in the XML: 100,000 referrals of 20 columns.
MAX_XLSX_CELLS = 2_000_000
SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".tsv", ".xlsx", ".parquet")


class ExtractReadError(Exception):
    """The file cannot be imported at all (unreadable, empty, or required columns missing)."""


@dataclass(frozen=True, eq=False)
class Extract:
    """A file read as text: one str column per column of the file (missing values are NA)."""

    frame: pd.DataFrame
    file_name: str
    sha256: str
    file_format: str  # 'csv', 'xlsx' or 'parquet'
    row_numbers: np.ndarray  # the row number of each row of ``frame`` in the file
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]



def read_extract(source: Path | str | bytes, *, file_name: str | None = None, sheet: str | None = None) -> Extract:
    """Read a referral extract from a path or from bytes (then ``file_name`` names it)."""
    if isinstance(source, bytes):
        data = source
        name = file_name or "upload"
    else:
        path = Path(source)
        name = file_name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExtractReadError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not data.strip():
        raise ExtractReadError(f"{name} is empty")
    checksum = hashlib.sha256(data).hexdigest()
    if data.startswith(b"PK\x03\x04"):
        extract = _read_excel(data, name, checksum, sheet)
    elif data.startswith(b"PAR1"):
        extract = _read_parquet(data, name, checksum)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractReadError(f"{name} is an Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV")
    else:
        extract = _read_text(data, name, checksum)
    if not len(extract.frame.columns):
        raise ExtractReadError(f"{name} has no columns")
    if not len(extract.frame):
        raise ExtractReadError(f"{name} has a header row but no data rows")
    return extract


def list_sheets(data: bytes) -> list[str]:
    """Sheet names of an .xlsx workbook (empty list if ``data`` is not a workbook, or one over the
    ``MAX_XLSX_*`` limits: :func:`read_extract` then says why)."""
    if not data.startswith(b"PK\x03\x04"):
        return []
    import openpyxl

    try:
        _check_workbook_size(data, "the workbook")
    except ExtractReadError:
        return []

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # a damaged workbook fails in many ways; it simply has no sheets
        return []
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _read_excel(data: bytes, name: str, checksum: str, sheet: str | None) -> Extract:
    _check_workbook_size(data, name)
    sheets = list_sheets(data)
    if not sheets:
        raise ExtractReadError(f"{name} is not a readable Excel (.xlsx) workbook")
    if sheet is None:
        if len(sheets) > 1:
            raise ExtractReadError(
                f"{name} has {len(sheets)} sheets ({', '.join(sheets)}); choose one (--sheet NAME)"
            )
        sheet = sheets[0]
    elif sheet not in sheets:
        raise ExtractReadError(f"{name} has no sheet {sheet!r}; its sheets are {', '.join(sheets)}")
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet, dtype=str, engine="openpyxl")
    except Exception as exc:  # damaged XML or zip data raise many types
        raise ExtractReadError(f"cannot read sheet {sheet!r} of {name}: {_reason(exc)}") from None
    if frame.empty and not len(frame.columns):
        raise ExtractReadError(f"sheet {sheet!r} of {name} is empty")
    frame, rows, notes = _drop_blank_rows(_as_text(frame), first_row=2)
    return Extract(frame, name, checksum, "xlsx", rows, sheet=sheet, notes=notes)


def _reason(exc: Exception) -> str:
    """A library's error as a short phrase (its first line; never a traceback)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"the workbook is damaged or incomplete ({type(exc).__name__}{': ' + text[:200] if text else ''})"


_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br=\"(\d{1,9})\"")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_COLUMN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Za-z]{1,7})\d")


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def _too_big(name: str, what: str, found: int, limit: int, unit: str) -> ExtractReadError:
    return ExtractReadError(
        f"{name} is too large to import as a workbook: {what} {found:,} {unit}, more than the limit of "
        f"{limit:,}; save it as CSV or Parquet"
    )


def _check_workbook_size(data: bytes, name: str) -> None:
    """Refuse a workbook whose unpacked size, or any of whose sheets' rows, columns or cells, exceed the
    limits (``MAX_XLSX_*``), before any library reads it (openpyxl reads a whole sheet just to size it
    when the sheet declares no dimension); memory stays constant (the XML is read in 1 MiB pieces)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:
        raise ExtractReadError(f"{name} is not a readable Excel (.xlsx) workbook: {_reason(exc)}") from None
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _too_big(name, "it unpacks to", unpacked, MAX_XLSX_UNPACKED_BYTES, "bytes")
    sheets = [m for m in members if "worksheets/" in m.filename and m.filename.endswith(".xml")]
    try:
        for member in sheets:
            _check_sheet_xml(archive, member, name)
    except ExtractReadError:
        raise
    except Exception as exc:
        raise ExtractReadError(f"{name} is not a readable Excel (.xlsx) workbook: {_reason(exc)}") from None


def _check_sheet_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    counted = highest_row = columns = cells = 0
    with archive.open(member) as xml:
        rest = b""
        while True:
            read = xml.read(1 << 20)
            piece = rest + read
            cut = piece.rfind(b"<") if read else -1  # carry the last (perhaps unfinished) tag over
            piece, rest = (piece[:cut], piece[cut:]) if cut > 0 else (piece, b"")
            counted += len(_ROW.findall(piece))
            highest_row = max(highest_row, *map(int, _ROW_NUMBER.findall(piece)), 0)
            columns = max(columns, *map(_column_number, set(_CELL_COLUMN.findall(piece))), 0)
            cells += len(_CELL.findall(piece))
            _check_grid(name, max(counted, highest_row), columns, cells)
            if not read:
                return


def _check_grid(name: str, rows: int, columns: int, cells: int) -> None:
    if rows > MAX_XLSX_ROWS:
        raise _too_big(name, "its sheet has", rows, MAX_XLSX_ROWS, "rows")
    if columns > MAX_XLSX_COLUMNS:
        raise _too_big(name, "its sheet has", columns, MAX_XLSX_COLUMNS, "columns")
    if max(cells, rows * columns) > MAX_XLSX_CELLS:
        raise _too_big(name, "its sheet has", max(cells, rows * columns), MAX_XLSX_CELLS, "cells")


def _read_parquet(data: bytes, name: str, checksum: str) -> Extract:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise ExtractReadError(f"{name} is not a readable Parquet file: {exc}") from None
    columns = {}
    for field, column in zip(table.schema, table.columns, strict=True):
        try:
            columns[field.name] = pc.cast(column, pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            columns[field.name] = pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())
    frame = pa.table(columns).to_pandas() if columns else pd.DataFrame()
    frame, rows, notes = _drop_blank_rows(_as_text(frame), first_row=1)
    return Extract(frame, name, checksum, "parquet", rows, notes=notes)


def _to_utf8(data: bytes) -> tuple[bytes, str, tuple[str, ...]]:
    """``data`` as UTF-8 bytes without a byte-order mark, the encoding found, and notes for the user."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").lstrip("\ufeff").encode("utf-8"), "utf-16", ()
        except UnicodeDecodeError:
            raise ExtractReadError("the file starts with a UTF-16 byte-order mark but is not UTF-16 text") from None
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        data.decode("utf-8")  # validity check only; the parser reads the bytes
        return data, encoding, ()
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    fallback = utf8 = 0
    decoded = []
    for line in lines:  # only for files that are not valid UTF-8
        try:
            decoded.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            decoded.append(line.decode("cp1252", errors="replace"))
            fallback += 1
    text = "\n".join(decoded).encode("utf-8")
    if not utf8:
        return text, "windows-1252", ()
    note = f"mixed encodings: {fallback:,} line(s) were not UTF-8 and were read as Windows-1252"
    return text, "mixed utf-8/windows-1252", (note,)


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier (comma first)
    return best if counts[best] else ","


def _read_text(data: bytes, name: str, checksum: str) -> Extract:
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # a NUL byte would end a C string inside the parser and silently cut a value short
        raise ExtractReadError(f"{name} is not a text, Excel (.xlsx) or Parquet file (it contains NUL bytes)")
    data, encoding, notes = _to_utf8(data)
    header = data[:65536].split(b"\n", 1)[0].decode("utf-8", errors="ignore")
    delimiter = _sniff_delimiter(header)
    try:
        table = pd.read_csv(
            io.BytesIO(data), encoding="utf-8", sep=delimiter, header=None, dtype=str, na_filter=False,
            keep_default_na=False, skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.EmptyDataError:
        raise ExtractReadError(f"{name} is empty") from None
    except (pd.errors.ParserError, ValueError) as exc:
        text = str(exc).strip()
        ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
        if ragged:
            expected, line, saw = ragged.groups()
            text = f"line {line} has {saw} fields but the lines before it have {expected}"
        else:
            text = text.splitlines()[-1] if text else type(exc).__name__
        raise ExtractReadError(f"cannot read {name} as delimited text: {text}") from None
    header = [str(v).strip() if isinstance(v, str) else "" for v in table.iloc[0]]
    frame = table.iloc[1:].reset_index(drop=True)
    keep = [bool(h) or frame.iloc[:, i].fillna("").str.strip().ne("").any() for i, h in enumerate(header)]
    frame.columns = [h or f"column_{i + 1}" for i, h in enumerate(header)]
    frame, rows, blank_notes = _drop_blank_rows(_as_text(frame.loc[:, keep]), first_row=2)
    return Extract(frame, name, checksum, "csv", rows, encoding=encoding, delimiter=delimiter,
                   notes=notes + blank_notes)


def _drop_blank_rows(frame: pd.DataFrame, *, first_row: int) -> tuple[pd.DataFrame, np.ndarray, tuple[str, ...]]:
    """Drop rows with no value at all, keeping each remaining row's number in the file."""
    rows = np.arange(first_row, first_row + len(frame), dtype="int64")
    if not len(frame.columns) or not len(frame):
        return frame, rows, ()
    blank = np.ones(len(frame), dtype=bool)
    for i in range(len(frame.columns)):
        column = frame.iloc[:, i]
        blank &= (column.isna() | column.str.strip().eq("")).to_numpy(dtype=bool)
    if not blank.any():
        return frame, rows, ()
    count = int(blank.sum())
    return frame.loc[~blank].reset_index(drop=True), rows[~blank], (f"{count:,} blank row(s) skipped",)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as pandas ``str`` with NA for missing; column names as stripped text."""
    names: list[str] = []
    for column in frame.columns:
        name = str(column).strip().lstrip("\ufeff")
        while name in names:  # names that differ only by spaces stay distinct
            name += ".1"
        names.append(name)
    return pd.DataFrame(
        {name: frame.iloc[:, i].astype("str").reset_index(drop=True) for i, name in enumerate(names)}
    )


# -- column mapping ------------------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name)).lower()


def _names_by_rank(column: str) -> tuple[tuple[str, ...], ...]:
    """Keys that match ``column``: its canonical name, then its MHSDS name, then its aliases."""
    spec = next(c for c in COLUMNS if c.name == column)
    mhsds = (_key(spec.mhsds_name),) if spec.mhsds_name else ()
    return (_key(column),), mhsds, ALIASES.get(column, ())


def suggest_mapping(columns: Sequence[str]) -> dict[str, str | None]:
    """Canonical column -> the file column that matches it by name (or None).

    Names match without regard to case, spaces, underscores, hyphens or dots; canonical names
    win over MHSDS names, which win over the aliases in ``ALIASES``; a file column is used once.
    """
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(_key(column), column)
    mapping: dict[str, str | None] = dict.fromkeys(COLUMN_NAMES)
    used: set[str] = set()
    for rank in range(3):
        for name in COLUMN_NAMES:
            if mapping[name]:
                continue
            keys = _names_by_rank(name)[rank]
            source = next((by_key[k] for k in keys if k in by_key and by_key[k] not in used), None)
            if source:
                mapping[name] = source
                used.add(source)
    return mapping


def missing_required(mapping: Mapping[str, str | None]) -> list[str]:
    return [name for name in REQUIRED_COLUMNS if not mapping.get(name)]


def apply_mapping(extract: Extract, mapping: Mapping[str, str | None]) -> pd.DataFrame:
    """Frame with the canonical columns (text) taken from the file's columns by ``mapping``.

    Unmapped canonical columns are absent. Raises :class:`ExtractReadError` when a required
    column is not mapped, a mapping names a column the file lacks, or one file column is
    mapped twice.
    """
    unknown = [name for name in mapping if name not in COLUMN_NAMES]
    if unknown:
        raise ExtractReadError(f"unknown schema column(s) in the mapping: {', '.join(unknown)}")
    chosen = {name: source for name, source in mapping.items() if source}
    absent = sorted({s for s in chosen.values() if s not in extract.frame.columns})
    if absent:
        raise ExtractReadError(f"the mapping names column(s) not in {extract.file_name}: {', '.join(absent)}")
    sources = list(chosen.values())
    twice = sorted({s for s in sources if sources.count(s) > 1})
    if twice:
        raise ExtractReadError(f"file column(s) mapped to more than one schema column: {', '.join(twice)}")
    missing = missing_required(chosen)
    if missing:
        raise ExtractReadError(
            f"{extract.file_name} lacks required column(s): {', '.join(missing)} "
            f"(found: {', '.join(extract.columns[:12])}{' ...' if len(extract.columns) > 12 else ''})"
        )
    return pd.DataFrame({name: extract.frame[source] for name, source in chosen.items()})


# -- export of rejected rows ---------------------------------------------------------------------


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` in which text cells that a spreadsheet would run as a formula (starting
    with = + - @ tab or carriage return) are prefixed with a single quote."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("str")
        risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        if risky.any():
            out[column] = text.where(~risky, "'" + text)
    return out


def rejected_csv(rejected: pd.DataFrame) -> bytes:
    """The rejected-rows table as CSV bytes (UTF-8 with BOM for Excel), formulas neutralised."""
    return neutralise_formulas(rejected).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def rejected_path(path: Path) -> Path:
    """``<file>.rejected.csv`` beside the file."""
    path = Path(path)
    return path.with_name(path.name + ".rejected.csv")


def write_rejected(path: Path, rejected: pd.DataFrame) -> Path:
    """Write ``<file>.rejected.csv`` whole or not at all (a temporary file beside it, then renamed over
    it); an :class:`OSError` (a read-only folder, a full disk) leaves any earlier one as it was."""
    target = rejected_path(path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(rejected_csv(rejected))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
