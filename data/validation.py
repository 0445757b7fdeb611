"""Row-level validation of a referral extract and resolution of its geography.

Input: the canonical columns as text (:func:`data.importer.apply_mapping`). Output: the
accepted rows, typed as the store's columns, and one line per problem of every rejected row
(``row_number, column, value, reason``). Every row ends accepted or rejected. The checks are
vectorised; distinct values (dates, codes, postcodes) are parsed once each.

Geography (DESIGN.md section 2): an LSOA code is taken as LSOA 2021 when it is one of the
ICB's LSOA 2021 codes ('lsoa21'), else as LSOA 2011 when it is one of the ICB's LSOA 2011
codes, converted through the ONS change file: unchanged and merged areas convert exactly
('lsoa11'); a split area goes to the LSOA 2021 among its successors with most Census 2021
residents ('lsoa11_split', approximate). The LSOA 2011 of an LSOA 2021 is the predecessor
with the largest 2011 population. A row with no LSOA code but a postcode is placed by point
in polygon ('postcode', approximate; :mod:`geo.postcodes`). The postcode itself is not
stored. A row with neither is accepted with no LSOA (it counts as unresolved). A code or
postcode that exists but lies outside the ICB is rejected with the reason "outside L&SC".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.schema import COLUMN_NAMES, ETHNIC_CATEGORIES, STORE_COLUMNS
from geo.postcodes import (
    LsoaLocator,
    PostcodeDirectory,
    is_valid_postcode,
    normalise_postcodes,
)

REJECTED_COLUMNS: tuple[str, ...] = ("row_number", "column", "value", "reason")
MISSING_TOKENS: frozenset[str] = frozenset(
    {"", "NULL", "null", "Null", "NA", "N/A", "n/a", "#N/A", "NaN", "nan", "None", "none"}
)
EARLIEST_DATE = dt.date(2000, 1, 1)
MAX_ID_LENGTH = 100
MAX_TEXT_LENGTH = 255
MAX_VALUE_SHOWN = 100
LSOA_PATTERN = r"^[EW]01[0-9]{6}$"
SOURCE_PATTERN = r"^[A-Z][0-9]$"
#: Date formats tried in order (day first, UK); a time of day after the date is ignored.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d", "%Y/%m/%d", "%d/%m/%y", "%d-%m-%y",
    "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y",
)
TIME_SUFFIX = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$"
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})
SEX_CODES: dict[str, str] = {
    "M": "M", "MALE": "M", "1": "M", "F": "F", "FEMALE": "F", "2": "F",
    "U": "U", "UNKNOWN": "U", "NOT KNOWN": "U", "NOT STATED": "U", "9": "U", "0": "U", "X": "U", "I": "U",
}
TEXT_COLUMNS: tuple[str, ...] = ("service", "team_type", "outcome_measure", "plus_flags")

# Reasons (tests assert these exact strings).
MISSING = "missing required value"
NOT_A_DATE = "not a date (use DD/MM/YYYY or YYYY-MM-DD)"
DATE_TOO_EARLY = f"date before {EARLIEST_DATE:%d/%m/%Y}"
DATE_IN_FUTURE = "date in the future"
NOT_WHOLE = "not a whole number"
AGE_RANGE = "age outside 0-5"
ELEMENT_RANGE = "support element outside 1-6"
NOT_NUMBER = "not a number"
SCORE_RANGE = "score outside the range"
NOT_BOOLEAN = "not true or false"
UNKNOWN_SEX = "unknown sex code (use M, F or U)"
UNKNOWN_ETHNICITY = "unknown ethnic category code (use A-S, Z or 99)"
MALFORMED_LSOA = "malformed LSOA code"
UNKNOWN_LSOA = "unknown LSOA code"
OUTSIDE = "outside L&SC"
MALFORMED_POSTCODE = "malformed postcode"
UNKNOWN_POSTCODE = "unknown postcode"
NO_GRID_REFERENCE = "postcode has no grid reference"
MALFORMED_SOURCE = "malformed referral source code"
CONTACT_BEFORE_REFERRAL = "first contact before referral"
DISCHARGE_BEFORE_REFERRAL = "discharge before referral"
DISCHARGE_BEFORE_CONTACT = "discharge before first contact"
DUPLICATE_ID = "duplicate referral_id in the file"
TOO_LONG = "longer than {limit} characters"


# -- geography reference -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GeographyReference:
    """What validation needs to place a referral in an L&SC LSOA 2021."""

    lsoa21_codes: frozenset[str]  # the ICB's LSOA 2021 codes
    lsoa11_to_21: dict[str, tuple[str, str]]  # ICB LSOA 2011 -> (LSOA 2021, method)
    lsoa21_to_11: dict[str, str]  # ICB LSOA 2021 -> LSOA 2011 (largest 2011 population)
    national_codes: frozenset[str] | None = None  # every England LSOA 2011 and 2021 code, if known
    locate_lsoa: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None  # (easting, northing) -> code
    postcodes: PostcodeDirectory | None = None


def build_geography(
    lsoa21_codes: pd.Series | list[str],
    change_links: pd.DataFrame,
    *,
    locator: LsoaLocator | None = None,
    postcodes: PostcodeDirectory | None = None,
    national_codes: frozenset[str] | None = None,
) -> GeographyReference:
    """Geography reference from the ICB's LSOA 2021 codes and the LSOA 2011 -> 2021 change file
    (columns lsoa11_code, lsoa21_code, chgind, residents_2021, population_2011_all_ages)."""
    codes21 = frozenset(str(c) for c in lsoa21_codes)
    links = change_links[change_links["lsoa21_code"].isin(codes21)]
    forward: dict[str, tuple[str, str]] = {}
    ordered = links.sort_values(["lsoa11_code", "residents_2021", "lsoa21_code"], ascending=[True, False, True])
    for code11, group in ordered.groupby("lsoa11_code", sort=False):
        approximate = len(group) > 1 or bool(group["chgind"].isin(["S", "X"]).any())
        forward[str(code11)] = (str(group["lsoa21_code"].iloc[0]), "lsoa11_split" if approximate else "lsoa11")
    backward = (
        links.sort_values(["lsoa21_code", "population_2011_all_ages", "lsoa11_code"], ascending=[True, False, True])
        .drop_duplicates("lsoa21_code")
        .set_index("lsoa21_code")["lsoa11_code"]
    )
    return GeographyReference(
        lsoa21_codes=codes21,
        lsoa11_to_21=forward,
        lsoa21_to_11={str(k): str(v) for k, v in backward.items()},
        national_codes=national_codes,
        locate_lsoa=locator.locate if locator is not None else None,
        postcodes=postcodes,
    )


def _national_codes(reference_dir: Path | None) -> frozenset[str] | None:
    if reference_dir is None:
        return None
    files = {
        "lookup_lsoa21_codes_england.csv": "lsoa21cd",
        "lookup_lsoa11_codes_england.csv": "lsoa11cd",
    }
    codes: set[str] = set()
    for name, column in files.items():
        path = Path(reference_dir) / name
        if not path.is_file():
            return None
        codes.update(pd.read_csv(path, usecols=[column], dtype=str)[column].dropna())
    return frozenset(codes)


@lru_cache(maxsize=4)
def load_geography(cache_dir: Path, reference_dir: Path | None = None) -> GeographyReference:
    """The geography reference from the built cache (and, to tell an unknown LSOA code from one
    outside L&SC, the national code lists of the reference bundle when ``reference_dir`` has them)."""
    from geo.cache import load_areas, load_boundaries, load_change_links
    from geo.postcodes import postcode_directory

    cache_dir = Path(cache_dir)
    areas = load_areas(cache_dir, 2025, "icb")
    return build_geography(
        areas["lsoa_code"],
        load_change_links(cache_dir),
        locator=LsoaLocator(load_boundaries(cache_dir, 2025, "lsoa")),
        postcodes=postcode_directory(),
        national_codes=_national_codes(reference_dir),
    )


# -- result --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ValidationResult:
    accepted: pd.DataFrame  # the store's columns, typed
    rejected: pd.DataFrame  # row_number, column, value, reason: one line per problem
    rows_read: int

    @property
    def accepted_rows(self) -> int:
        return len(self.accepted)

    @property
    def rejected_rows(self) -> int:
        return int(self.rejected["row_number"].nunique())

    @property
    def outside_lsc_rows(self) -> int:
        return int(self.rejected.loc[self.rejected["reason"].eq(OUTSIDE), "row_number"].nunique())

    @property
    def approximate_rows(self) -> int:
        return int(self.accepted["geography_method"].isin(["lsoa11_split", "postcode"]).sum())

    def reasons(self) -> pd.DataFrame:
        """Rejected rows by column and reason, most frequent first."""
        if self.rejected.empty:
            return pd.DataFrame({"column": [], "reason": [], "rows": pd.Series([], dtype="int64")})
        base = self.rejected.assign(reason=self.rejected["reason"].str.replace(r" \(rows [^)]*\)$", "", regex=True))
        return (
            base.groupby(["column", "reason"], sort=False)["row_number"].nunique()
            .rename("rows").reset_index().sort_values(["rows", "column"], ascending=[False, True])
            .reset_index(drop=True)
        )


class _Problems:
    """Collects (mask, column, reason) problems and builds the rejected table at the end."""

    def __init__(self, n: int) -> None:
        self.bad = np.zeros(n, dtype=bool)
        self.items: list[tuple[np.ndarray, str, str | np.ndarray]] = []

    def add(self, mask: np.ndarray | pd.Series, column: str, reason: str | np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self.bad |= mask
            self.items.append((mask, column, reason))

    def table(self, text: dict[str, pd.Series], row_numbers: np.ndarray) -> pd.DataFrame:
        parts = []
        order = {name: i for i, name in enumerate(COLUMN_NAMES)}
        for mask, column, reason in self.items:
            rows = np.flatnonzero(mask)
            values = text[column].iloc[rows] if column in text else pd.Series([pd.NA] * len(rows))
            values = values.astype("str").fillna("")
            shown = values.str.slice(0, MAX_VALUE_SHOWN).to_numpy(dtype=object)
            long = values.str.len().to_numpy() > MAX_VALUE_SHOWN
            shown[long] = shown[long] + "..."
            parts.append(
                pd.DataFrame(
                    {
                        "row_number": row_numbers[rows],
                        "column": column,
                        "value": shown,
                        "reason": reason[rows] if isinstance(reason, np.ndarray) else reason,
                        "_order": order.get(column, len(order)),
                    }
                )
            )
        if not parts:
            return pd.DataFrame(
                {"row_number": pd.Series([], dtype="int64"), "column": pd.Series([], dtype="str"),
                 "value": pd.Series([], dtype="str"), "reason": pd.Series([], dtype="str")}
            )
        table = pd.concat(parts, ignore_index=True).sort_values(["row_number", "_order"], kind="stable")
        table = table.drop(columns="_order").reset_index(drop=True)
        return table.astype({"row_number": "int64", "column": "str", "value": "str", "reason": "str"})


# -- parsing helpers (each works on distinct values) --------------------------------------------


def isin(values: pd.Series, members: Iterable[str]) -> np.ndarray:
    """``values.isin(members)`` as a boolean array, fast for large member sets (pyarrow hash)."""
    array = pa.array(values.astype("str").to_numpy(dtype=object, na_value=None), type=pa.string())
    value_set = pa.array(list(members), type=pa.string())
    return pc.is_in(array, value_set=value_set).to_numpy(zero_copy_only=False).astype(bool)


def _clean(values: pd.Series) -> pd.Series:
    """Values stripped of surrounding space, with empty and 'NULL'-like values missing.

    Copies only when something changes (a million-row column is left as it is when clean)."""
    text = values.astype("str")
    padded = text.str.contains(r"^\s|\s$", regex=True).to_numpy(dtype=bool, na_value=False)
    if padded.any():
        text = text.str.strip()
    missing = isin(text, MISSING_TOKENS)
    return text.mask(missing) if missing.any() else text


def _by_unique(values: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply ``parse`` to the distinct non-missing values and spread the results back.

    ``parse`` returns float64 (NaN when not parsed) or datetime64 (NaT) values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = parse(pd.Series(uniques, dtype="str")).to_numpy()
    if np.issubdtype(parsed.dtype, np.datetime64):
        filler = np.array(["NaT"], dtype=parsed.dtype)
    else:
        filler = np.array([np.nan], dtype=parsed.dtype)
    table = np.concatenate([parsed, filler])
    return pd.Series(table[np.where(codes < 0, len(table) - 1, codes)], index=values.index)


def _parse_dates_unique(text: pd.Series) -> pd.Series:
    stripped = text.str.replace(TIME_SUFFIX, "", regex=True).str.strip()
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    todo = np.ones(len(text), dtype=bool)
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        attempt = pd.to_datetime(stripped[todo], format=fmt, errors="coerce")
        ok = attempt.notna().to_numpy()
        if ok.any():
            idx = np.flatnonzero(todo)[ok]
            parsed.iloc[idx] = attempt.to_numpy()[ok].astype("datetime64[s]")
            todo[idx] = False
    return parsed


def _parse_numbers_unique(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce").astype("float64")


def _dates(values: pd.Series, column: str, problems: _Problems, today: dt.date) -> pd.Series:
    parsed = _by_unique(values, _parse_dates_unique)
    given = values.notna().to_numpy()
    ok = parsed.notna().to_numpy()
    problems.add(given & ~ok, column, NOT_A_DATE)
    problems.add(ok & (parsed < pd.Timestamp(EARLIEST_DATE)).to_numpy(dtype=bool), column, DATE_TOO_EARLY)
    problems.add(ok & (parsed > pd.Timestamp(today)).to_numpy(dtype=bool), column, DATE_IN_FUTURE)
    return parsed


def _integers(
    values: pd.Series, column: str, problems: _Problems, low: int, high: int, range_reason: str
) -> pd.Series:
    numbers = _by_unique(values, _parse_numbers_unique).to_numpy(dtype="float64")
    given = values.notna().to_numpy()
    finite = np.isfinite(numbers)
    whole = finite & (np.floor(np.where(finite, numbers, 0.0)) == numbers)
    problems.add(given & ~whole, column, NOT_WHOLE)
    in_range = whole & (numbers >= low) & (numbers <= high)
    problems.add(whole & ~in_range, column, range_reason)
    return pd.Series(np.where(in_range, numbers, np.nan), index=values.index).astype("Int32")


def _floats(values: pd.Series, column: str, problems: _Problems) -> pd.Series:
    numbers = _by_unique(values, _parse_numbers_unique).to_numpy(dtype="float64")
    finite = np.isfinite(numbers)
    problems.add(values.notna().to_numpy() & ~finite, column, NOT_NUMBER)
    return pd.Series(np.where(finite, numbers, np.nan), index=values.index).astype("Float64")


def _lengths(values: pd.Series, column: str, problems: _Problems, limit: int) -> None:
    lengths = values.str.len().to_numpy(dtype="float64", na_value=0.0)
    problems.add(lengths > limit, column, TOO_LONG.format(limit=limit))


def _score_ranges(measure_text: pd.Series, out: dict, problems: _Problems) -> pd.Series:
    """Measure names as the registry spells them (unknown names kept as recorded: the Data quality page
    reports them), and each score checked against its measure's range (``data/measures.toml``)."""
    from data.measures import canonical, registry

    positions, uniques = pd.factorize(measure_text, use_na_sentinel=True)
    names = np.array([canonical(u) for u in uniques], dtype=object)
    named = _spread(names, positions, None)
    measures = registry()
    for column in ("score_start", "score_end"):
        scores = out[column].to_numpy(dtype="float64", na_value=np.nan)
        reasons = np.full(len(scores), "", dtype=object)
        for name, measure in measures.items():
            rows = (named == name) & ~np.isnan(scores)
            low = scores < measure.min
            high = scores > measure.max if measure.max is not None else np.zeros(len(scores), dtype=bool)
            reasons[rows & (low | high)] = f"{SCORE_RANGE} of {name} ({measure.range_text()})"
        problems.add(reasons != "", column, reasons)
    return pd.Series(np.where(pd.isna(named), measure_text.to_numpy(dtype=object), named), dtype="str")


# -- validation ----------------------------------------------------------------------------------


def validate(
    frame: pd.DataFrame,
    geography: GeographyReference,
    *,
    row_numbers: np.ndarray | None = None,
    today: dt.date | None = None,
) -> ValidationResult:
    """Validate the canonical text columns of ``frame``; absent optional columns count as empty.

    ``row_numbers`` gives each row's number in the file (default: 2, 3, ... as in a
    spreadsheet with a header row). ``today`` bounds dates (default: the current date).
    """
    n = len(frame)
    today = today or dt.date.today()
    rows = np.arange(2, n + 2, dtype="int64") if row_numbers is None else np.asarray(row_numbers, dtype="int64")
    if len(rows) != n:
        raise ValueError(f"validate: {len(rows)} row numbers for {n} rows")
    index = pd.RangeIndex(n)
    empty = pd.Series(pd.NA, index=index, dtype="str")
    text = {name: (_clean(frame[name].reset_index(drop=True)) if name in frame.columns else empty)
            for name in COLUMN_NAMES}
    problems = _Problems(n)
    out: dict[str, pd.Series | np.ndarray] = {}

    # identifiers and free text
    for name in ("referral_id", "referral_date", "age_years"):
        problems.add(text[name].isna().to_numpy(), name, MISSING)
    for name in ("referral_id", "person_id"):
        _lengths(text[name], name, problems, MAX_ID_LENGTH)
    for name in TEXT_COLUMNS:
        _lengths(text[name], name, problems, MAX_TEXT_LENGTH)
        out[name] = text[name]
    out["referral_id"], out["person_id"] = text["referral_id"], text["person_id"]
    duplicated = (text["referral_id"].duplicated(keep=False) & text["referral_id"].notna()).to_numpy()
    if duplicated.any():
        problems.add(duplicated, "referral_id", _duplicate_reasons(text["referral_id"], duplicated, rows))

    # dates
    for name in ("referral_date", "first_contact_date", "discharge_date"):
        out[name] = _dates(text[name], name, problems, today)
    referral: pd.Series
    contact: pd.Series
    discharge: pd.Series
    referral, contact, discharge = out["referral_date"], out["first_contact_date"], out["discharge_date"]
    before = (contact < referral).to_numpy(dtype=bool, na_value=False)
    problems.add(before, "first_contact_date", CONTACT_BEFORE_REFERRAL)
    before = (discharge < referral).to_numpy(dtype=bool, na_value=False)
    problems.add(before, "discharge_date", DISCHARGE_BEFORE_REFERRAL)
    problems.add(
        ((discharge < contact) & (discharge >= referral)).to_numpy(dtype=bool, na_value=False),
        "discharge_date", DISCHARGE_BEFORE_CONTACT,
    )

    # numbers and codes
    out["age_years"] = _integers(text["age_years"], "age_years", problems, 0, 5, AGE_RANGE)
    out["support_element"] = _integers(text["support_element"], "support_element", problems, 1, 6, ELEMENT_RANGE)
    out["score_start"] = _floats(text["score_start"], "score_start", problems)
    out["score_end"] = _floats(text["score_end"], "score_end", problems)
    out["outcome_measure"] = _score_ranges(text["outcome_measure"], out, problems)
    lowered = text["antenatal"].str.lower()
    is_true, is_false = lowered.isin(TRUE_WORDS).to_numpy(), lowered.isin(FALSE_WORDS).to_numpy()
    problems.add(text["antenatal"].notna().to_numpy() & ~is_true & ~is_false, "antenatal", NOT_BOOLEAN)
    # numpy's stubs do not accept None in where(); at runtime it gives an object array
    out["antenatal"] = pd.Series(np.where(is_true, True, np.where(is_false, False, None)), dtype="boolean")  # type: ignore[call-overload]
    sex = text["sex"].str.upper().str.replace(r"\s+", " ", regex=True).map(SEX_CODES)
    problems.add((text["sex"].notna() & sex.isna()).to_numpy(), "sex", UNKNOWN_SEX)
    out["sex"] = sex.astype("str")
    ethnic = text["ethnic_category"].str.upper()
    problems.add((ethnic.notna() & ~ethnic.isin(list(ETHNIC_CATEGORIES))).to_numpy(), "ethnic_category",
                 UNKNOWN_ETHNICITY)
    out["ethnic_category"] = ethnic
    source = text["referral_source"].str.upper()
    problems.add((source.notna() & ~source.str.fullmatch(SOURCE_PATTERN).fillna(False).astype(bool)).to_numpy(),
                 "referral_source", MALFORMED_SOURCE)
    out["referral_source"] = source

    # geography
    out.update(_resolve_geography(text["lsoa_code"], text["postcode"], geography, problems))

    rejected = problems.table(text, rows)
    keep = ~problems.bad
    accepted = pd.DataFrame({c.name: _series(out.get(c.name), index).iloc[keep].reset_index(drop=True)
                             for c in STORE_COLUMNS})
    accepted = _typed(accepted)
    return ValidationResult(accepted=accepted, rejected=rejected, rows_read=n)


def _series(values: pd.Series | np.ndarray | None, index: pd.RangeIndex) -> pd.Series:
    if values is None:
        return pd.Series(pd.NA, index=index, dtype="str")
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    return pd.Series(values, index=index)


def _typed(accepted: pd.DataFrame) -> pd.DataFrame:
    types = {"VARCHAR": "str", "DATE": "datetime64[s]", "INTEGER": "Int32", "BOOLEAN": "boolean", "DOUBLE": "Float64"}
    return accepted.astype({c.name: types[c.dtype] for c in STORE_COLUMNS})


def _duplicate_reasons(ids: pd.Series, duplicated: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per row: the duplicate reason naming the rows that share the id (built for those rows only)."""
    reasons = np.full(len(ids), DUPLICATE_ID, dtype=object)
    positions = np.flatnonzero(duplicated)
    shared = pd.DataFrame({"id": ids.iloc[positions].to_numpy(), "row": rows[positions]})
    listed = shared.groupby("id", sort=False)["row"].agg(
        lambda r: ", ".join(map(str, r.iloc[:5])) + (" ..." if len(r) > 5 else "")
    )
    reasons[positions] = [f"{DUPLICATE_ID} (rows {listed[i]})" for i in shared["id"]]
    return reasons


def _spread(per_unique: np.ndarray, positions: np.ndarray, fill: object) -> np.ndarray:
    """Values of distinct items spread back to rows (``positions`` from factorize; -1 -> ``fill``)."""
    table = np.append(per_unique, np.array([fill], dtype=per_unique.dtype))
    return table[np.where(positions < 0, len(table) - 1, positions)]


def _resolve_geography(
    lsoa_text: pd.Series, postcode_text: pd.Series, geography: GeographyReference, problems: _Problems
) -> dict[str, np.ndarray | pd.Series]:
    n = len(lsoa_text)
    positions, uniques = pd.factorize(lsoa_text, use_na_sentinel=True)
    codes = pd.Series(uniques, dtype="str").str.upper().str.replace(r"\s+", "", regex=True)
    well_formed = codes.str.fullmatch(LSOA_PATTERN).fillna(False).to_numpy(dtype=bool)
    is21 = well_formed & isin(codes, geography.lsoa21_codes)
    is11 = well_formed & ~is21 & isin(codes, geography.lsoa11_to_21.keys())
    elsewhere = well_formed & ~is21 & ~is11
    code_list = codes.to_numpy(dtype=object)
    target = np.array([geography.lsoa11_to_21.get(c, (None, None)) if ok else (None, None)
                       for c, ok in zip(code_list, is11, strict=True)], dtype=object).reshape(-1, 2)
    u_lsoa21 = np.where(is21, code_list, target[:, 0]) if len(code_list) else np.empty(0, dtype=object)
    u_method = np.where(is21, "lsoa21", target[:, 1]).astype(object) if len(code_list) else np.empty(0, dtype=object)
    # numpy's stubs do not accept None in where(), so mypy takes the one-argument overload (a tuple)
    u_lsoa11 = np.where(is11, code_list, None).astype(object) if len(code_list) else np.empty(0, dtype=object)  # type: ignore[attr-defined]
    u_lsoa11 = np.array([geography.lsoa21_to_11.get(c21) if c11 is None and c21 is not None else c11
                         for c11, c21 in zip(u_lsoa11, u_lsoa21, strict=True)], dtype=object)

    def rows_where(per_unique: np.ndarray) -> np.ndarray:
        return _spread(per_unique.astype(bool), positions, False)

    given = positions >= 0
    problems.add(given & ~rows_where(well_formed), "lsoa_code", MALFORMED_LSOA)
    if geography.national_codes is not None:
        known = isin(codes, geography.national_codes) | codes.str.startswith("W").fillna(False).to_numpy(dtype=bool)
        problems.add(rows_where(elsewhere & known), "lsoa_code", OUTSIDE)
        problems.add(rows_where(elsewhere & ~known), "lsoa_code", UNKNOWN_LSOA)
    else:
        problems.add(rows_where(elsewhere), "lsoa_code", f"{UNKNOWN_LSOA} or {OUTSIDE}")
    lsoa21 = _spread(np.asarray(u_lsoa21, dtype=object), positions, None)
    lsoa11 = _spread(u_lsoa11, positions, None)
    method = _spread(np.asarray(u_method, dtype=object), positions, None)

    p_positions, p_uniques = pd.factorize(postcode_text, use_na_sentinel=True)
    postcodes = normalise_postcodes(pd.Series(p_uniques, dtype="str"))
    valid = is_valid_postcode(postcodes).to_numpy(dtype=bool)
    has_postcode = p_positions >= 0
    problems.add(has_postcode & ~_spread(valid, p_positions, False), "postcode", MALFORMED_POSTCODE)
    needed = np.zeros(len(postcodes), dtype=bool)
    needed[np.unique(p_positions[~given & has_postcode])] = True
    needed &= valid
    if needed.any():
        found = _locate_postcodes(postcodes[needed].reset_index(drop=True), geography)
        use = ~given & has_postcode
        for key, reason in (("unknown", UNKNOWN_POSTCODE), ("no_grid", NO_GRID_REFERENCE), ("outside", OUTSIDE)):
            per_unique = np.zeros(len(postcodes), dtype=bool)
            per_unique[needed] = found[key]
            problems.add(use & _spread(per_unique, p_positions, False), "postcode", reason)
        u_placed = np.full(len(postcodes), None, dtype=object)
        u_placed[np.flatnonzero(needed)[found["placed"]]] = found["lsoa21"][found["placed"]]
        placed_code = _spread(u_placed, p_positions, None)
        placed = use & pd.notna(placed_code)
        lsoa21[placed] = placed_code[placed]
        method[placed] = "postcode"
        u_lsoa11_pc = np.array([geography.lsoa21_to_11.get(c) if c is not None else None for c in u_placed],
                               dtype=object)
        lsoa11[placed] = _spread(u_lsoa11_pc, p_positions, None)[placed]
    return {
        "lsoa_code": pd.Series(_spread(code_list.astype(object), positions, None), dtype="str"),
        "postcode": np.full(n, None, dtype=object),  # used only to find the LSOA; never stored
        "lsoa21_code": lsoa21,
        "lsoa11_code": lsoa11,
        "geography_method": method,
    }


def _locate_postcodes(postcodes: pd.Series, geography: GeographyReference) -> dict[str, np.ndarray]:
    n = len(postcodes)
    if geography.postcodes is None or geography.locate_lsoa is None:
        unknown = np.ones(n, dtype=bool)
        return {"unknown": unknown, "no_grid": ~unknown, "outside": ~unknown, "placed": ~unknown,
                "lsoa21": np.full(n, None, dtype=object)}
    located = geography.postcodes.locate(postcodes)
    found = located["found"].to_numpy(dtype=bool)
    has_grid = found & located["easting"].notna().to_numpy() & located["northing"].notna().to_numpy()
    codes = np.full(n, None, dtype=object)
    if has_grid.any():
        codes[has_grid] = geography.locate_lsoa(
            located["easting"].to_numpy()[has_grid], located["northing"].to_numpy()[has_grid]
        )
    placed = has_grid & pd.notna(codes)
    return {"unknown": ~found, "no_grid": found & ~has_grid, "outside": has_grid & ~placed, "placed": placed,
            "lsoa21": codes}

