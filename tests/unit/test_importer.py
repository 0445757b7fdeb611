"""Reading extracts (CSV in several dialects and encodings, Excel, Parquet), mapping columns, export safety."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from data.importer import (
    ExtractReadError,
    apply_mapping,
    missing_required,
    neutralise_formulas,
    read_extract,
    rejected_csv,
    rejected_path,
    suggest_mapping,
    write_rejected,
)

HEADER = "referral_id,referral_date,age_years,lsoa_code,service"
ROWS = ["R1,05/01/2024,3,E01012571,Zoë's group", "R2,2024-01-06,0,E01012572,Café"]


def csv_text(delimiter: str = ",") -> str:
    return "\n".join(line.replace(",", delimiter) for line in [HEADER, *ROWS]) + "\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters(delimiter):
    extract = read_extract(csv_text(delimiter).encode(), file_name="x.csv")
    assert extract.delimiter == delimiter
    assert extract.columns == HEADER.split(",")
    assert extract.frame["service"].tolist() == ["Zoë's group", "Café"]
    assert extract.row_numbers.tolist() == [2, 3]


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (csv_text().encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + csv_text().encode("utf-8"), "utf-8-sig"),
        (csv_text().encode("cp1252"), "windows-1252"),
        (csv_text("\t").encode("utf-16"), "utf-16"),
    ],
)
def test_encodings(encoded, encoding):
    extract = read_extract(encoded, file_name="x.csv")
    assert extract.encoding == encoding
    assert extract.columns[0] == "referral_id"  # no byte-order mark left in the first name
    assert extract.frame["service"].tolist() == ["Zoë's group", "Café"]


def test_mixed_encodings_are_read_line_by_line():
    data = (HEADER + "\n").encode() + (ROWS[0] + "\n").encode("utf-8") + (ROWS[1] + "\n").encode("cp1252")
    extract = read_extract(data, file_name="x.csv")
    assert extract.encoding == "mixed utf-8/windows-1252"
    assert extract.frame["service"].tolist() == ["Zoë's group", "Café"]
    assert extract.notes == ("mixed encodings: 1 line(s) were not UTF-8 and were read as Windows-1252",)


def test_quoted_fields_and_blank_lines_keep_row_numbers():
    data = f'{HEADER}\nR1,05/01/2024,3,E01012571,"a, b\nc"\n\n,,,,\nR2,2024-01-06,0,E01012572,x\n'.encode()
    extract = read_extract(data, file_name="x.csv")
    assert extract.frame["referral_id"].tolist() == ["R1", "R2"]
    assert extract.frame["service"].tolist() == ["a, b\nc", "x"]
    assert extract.row_numbers.tolist() == [2, 5]
    assert extract.notes == ("2 blank row(s) skipped",)


def test_values_stay_text():
    extract = read_extract(b"referral_id,age_years,ethnic_category\n007,03,99\n", file_name="x.csv")
    assert extract.frame.iloc[0].tolist() == ["007", "03", "99"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.csv is empty"),
        (b"  \n\n", "x.csv is empty"),
        (f"{HEADER}\n".encode(), "x.csv has a header row but no data rows"),
        (f"{HEADER}\n\n\n".encode(), "x.csv has a header row but no data rows"),
        (b"\x00\x01\x02binary", "x.csv is not a text, Excel (.xlsx) or Parquet file (it contains NUL bytes)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x.csv is an Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV"),
        (b"PK\x03\x04garbage", "x.csv is not a readable Excel (.xlsx) workbook"),
        (b"PAR1garbage", "x.csv is not a readable Parquet file"),
        (f"{HEADER}\nR1,05/01/2024,3,E01012571,x,extra\n".encode(),
         "cannot read x.csv as delimited text: line 2 has 6 fields but the lines before it have 5"),
    ],
)
def test_unreadable_files(data, message):
    with pytest.raises(ExtractReadError) as error:
        read_extract(data, file_name="x.csv")
    assert str(error.value).startswith(message)


def test_missing_path(tmp_path):
    with pytest.raises(ExtractReadError, match=r"cannot read .*nope\.csv"):
        read_extract(tmp_path / "nope.csv")


def _workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


REFERRALS = pd.DataFrame(
    {
        "UniqServReqID": ["R1", "R2"],
        "ReferralRequestReceivedDate": [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-02-29")],
        "AgeServReferRecDate": [3, 0],
        "EthnicCategory": ["A", "99"],
        "score_start": [12.5, None],
    }
)


def test_excel_only_sheet_and_types_as_text():
    extract = read_extract(_workbook({"Referrals": REFERRALS}), file_name="x.xlsx")
    assert extract.file_format == "xlsx" and extract.sheet == "Referrals"
    row = extract.frame.iloc[0]
    assert row["ReferralRequestReceivedDate"].startswith("2024-01-05")
    assert row["AgeServReferRecDate"] == "3"
    assert extract.frame["score_start"].isna().tolist() == [False, True]


def test_excel_sheet_choice():
    data = _workbook({"Notes": pd.DataFrame({"a": [1]}), "Referrals": REFERRALS})
    with pytest.raises(ExtractReadError) as error:
        read_extract(data, file_name="x.xlsx")
    assert str(error.value) == "x.xlsx has 2 sheets (Notes, Referrals); choose one (--sheet NAME)"
    with pytest.raises(ExtractReadError) as error:
        read_extract(data, file_name="x.xlsx", sheet="Other")
    assert str(error.value) == "x.xlsx has no sheet 'Other'; its sheets are Notes, Referrals"
    assert read_extract(data, file_name="x.xlsx", sheet="Referrals").rows == 2


def test_excel_header_only():
    with pytest.raises(ExtractReadError, match="header row but no data rows"):
        read_extract(_workbook({"S": REFERRALS.head(0)}), file_name="x.xlsx")


def test_parquet_typed_columns_become_text():
    buffer = io.BytesIO()
    frame = REFERRALS.assign(ReferralRequestReceivedDate=REFERRALS["ReferralRequestReceivedDate"].dt.date)
    frame.to_parquet(buffer, index=False)
    extract = read_extract(buffer.getvalue(), file_name="x.parquet")
    assert extract.file_format == "parquet"
    assert extract.row_numbers.tolist() == [1, 2]
    assert extract.frame["ReferralRequestReceivedDate"].tolist() == ["2024-01-05", "2024-02-29"]
    assert extract.frame["AgeServReferRecDate"].tolist() == ["3", "0"]


def test_format_found_from_content_not_name(tmp_path):
    path = tmp_path / "really_a_workbook.csv"
    path.write_bytes(_workbook({"S": REFERRALS}))
    assert read_extract(path).file_format == "xlsx"


def test_suggest_mapping_canonical_mhsds_and_case_space_insensitive():
    mapping = suggest_mapping(
        ["Referral ID", "ReferralRequestReceivedDate", " AGE_YEARS ", "ethniccategory", "LSOA2011", "Post Code", "x"]
    )
    assert mapping["referral_id"] == "Referral ID"
    assert mapping["referral_date"] == "ReferralRequestReceivedDate"
    assert mapping["age_years"] == " AGE_YEARS "
    assert mapping["ethnic_category"] == "ethniccategory"
    assert mapping["lsoa_code"] == "LSOA2011"
    assert mapping["postcode"] == "Post Code"
    assert mapping["sex"] is None
    assert missing_required(mapping) == []


def test_canonical_name_wins_over_mhsds_name():
    mapping = suggest_mapping(["UniqServReqID", "referral_id", "referral_date", "age_years"])
    assert mapping["referral_id"] == "referral_id"


def test_apply_mapping_and_its_errors():
    extract = read_extract(csv_text().encode(), file_name="x.csv")
    frame = apply_mapping(extract, suggest_mapping(extract.columns))
    assert list(frame.columns) == ["referral_id", "referral_date", "age_years", "lsoa_code", "service"]
    with pytest.raises(ExtractReadError) as error:
        apply_mapping(extract, {"referral_id": "referral_id"})
    assert str(error.value).startswith("x.csv lacks required column(s): referral_date, age_years (found: ")
    with pytest.raises(ExtractReadError, match="mapped to more than one schema column: referral_id"):
        apply_mapping(extract, {"referral_id": "referral_id", "person_id": "referral_id",
                                "referral_date": "referral_date", "age_years": "age_years"})
    with pytest.raises(ExtractReadError, match=r"names column\(s\) not in x\.csv: nope"):
        apply_mapping(extract, {"referral_id": "nope"})
    with pytest.raises(ExtractReadError, match="unknown schema column"):
        apply_mapping(extract, {"bogus": "referral_id"})


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised(prefix):
    frame = pd.DataFrame({"row_number": [2, 3], "value": [f"{prefix}HYPERLINK(1)", "safe"]})
    out = neutralise_formulas(frame)
    assert out["value"].tolist() == [f"'{prefix}HYPERLINK(1)", "safe"]
    assert out["row_number"].tolist() == [2, 3]
    assert frame["value"].iloc[0] == f"{prefix}HYPERLINK(1)"  # input unchanged


def test_rejected_csv_and_path(tmp_path):
    rejected = pd.DataFrame(
        {"row_number": np.array([2], dtype="int64"), "column": ["service"], "value": ["=1+1"], "reason": ["x"]}
    )
    assert rejected_path(tmp_path / "a.csv") == tmp_path / "a.csv.rejected.csv"
    target = write_rejected(tmp_path / "a.csv", rejected)
    assert target.read_bytes() == rejected_csv(rejected)
    back = pd.read_csv(target, encoding="utf-8-sig", dtype=str)
    assert back.to_dict("records") == [{"row_number": "2", "column": "service", "value": "'=1+1", "reason": "x"}]
