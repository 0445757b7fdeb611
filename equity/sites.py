"""Service sites: GP practices from the reference bundle, and sites that users add.

* **GP practices** come from ``gp_practices_epraccur_lsc_qe1.csv`` (NHS England ODS ``epraccur``,
  OGL v3): active (status A), prescribing setting 4 (a GP practice) and a member of a PCN. They are
  placed by postcode with the ONS Postcode Directory (``geo.postcodes``), giving British National
  Grid (EPSG:27700) eastings and northings in metres. They are read from the bundle each time (and
  cached per process), never copied into the store.
* **User sites** (Family Hubs, health-visiting bases, PAIRS and other specialist bases, VCFSE
  venues, other) are added in the app or from a CSV file by name, type, support elements offered
  and postcode, and kept in the store, DuckDB or PostgreSQL (tables ``service_sites`` and ``site_history``,
  migration 1; on PostgreSQL a change holds both tables in EXCLUSIVE mode, so two users adding sites
  at once get distinct ids, and a site removed twice at once is removed once). No public
  list of these sites exists (reference/SOURCES.md, "Not found"), so the app starts with GP
  practices only. Removing a site marks it removed (kept for the record).

A site CSV has the columns ``name``, ``site_type`` (a code or label of :data:`SITE_TYPES`; ``type``
is accepted), ``support_elements`` (numbers 1-6 separated by ``;``, ``,`` or spaces; ``elements``
is accepted) and ``postcode``. Every row is checked; rows with problems are rejected with the row
number (as in a spreadsheet, the header being row 1), column and reason, and the valid rows can
be added.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.backend import StoreConnection, StoreRef, connect_store, locate, store_exists
from data.schema import SUPPORT_ELEMENTS
from geo.postcodes import (
    LsoaLocator,
    PostcodeDirectory,
    is_valid_postcode,
    normalise_postcodes,
    postcode_directory,
)
from geo.reference import ReferenceDataError

if TYPE_CHECKING:
    from pyproj import Transformer

#: Site types: code -> label. ``gp_practice`` comes only from the reference bundle.
SITE_TYPES: dict[str, str] = {
    "gp_practice": "GP practice",
    "family_hub": "Family Hub",
    "health_visiting": "Health-visiting base",
    "specialist": "PAIRS or other specialist base",
    "vcfse": "VCFSE venue",
    "other": "Other site",
}
USER_SITE_TYPES: tuple[str, ...] = tuple(t for t in SITE_TYPES if t != "gp_practice")
#: The types counted as "a specialist or family-hub site" for the farthest-Core20 list.
SPECIALIST_OR_HUB: tuple[str, ...] = ("specialist", "family_hub")

GP_FILE = "gp_practices_epraccur_lsc_qe1.csv"
GP_COLUMNS: tuple[str, ...] = (
    "organisation_code", "name", "postcode", "status_code", "prescribing_setting", "pcn_code", "pcn_name",
)
GP_ORIGIN = "NHS England ODS epraccur (reference bundle), ePCN membership"

SITE_COLUMNS: tuple[str, ...] = (
    "site_key", "site_id", "name", "site_type", "type_label", "support_elements", "postcode", "easting", "northing",
    "lsoa21_code", "pcn_code", "pcn_name", "origin", "added_by", "added_at",
)
CSV_COLUMNS: tuple[str, ...] = ("name", "site_type", "support_elements", "postcode")
CSV_ALIASES: dict[str, str] = {
    "type": "site_type", "elements": "support_elements", "support_element": "support_elements", "site_name": "name",
    "post_code": "postcode",
}
MAX_NAME = 120
MAX_ROWS = 5_000
_FORMULA_START = ("=", "+", "-", "@")


#: ``locate(easting, northing)`` -> the LSOA 2021 code of each point (None outside L&SC).
LsoaLocate = Callable[[np.ndarray, np.ndarray], np.ndarray]


class SiteError(ValueError):
    """A site could not be added, imported or removed; nothing was changed. The message says why."""


def format_postcode(normalised: str) -> str:
    """'PR12HE' -> 'PR1 2HE' (the inward code is always the last three characters)."""
    text = str(normalised)
    return f"{text[:-3]} {text[-3:]}" if len(text) > 3 else text


def elements_text(elements: tuple[int, ...] | list[int]) -> str:
    """Support elements as stored: sorted numbers joined by ';' ('' for none)."""
    return ";".join(str(e) for e in sorted(set(int(e) for e in elements)))


def parse_elements(text: object) -> tuple[int, ...]:
    """'3; 4' / '3,4' / '3 4' -> (3, 4). Raises ValueError naming a bad part."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ()
    parts = [p for p in re.split(r"[;,\s]+", str(text).strip()) if p]
    out = []
    for part in parts:
        if not part.isdigit() or int(part) not in SUPPORT_ELEMENTS:
            raise ValueError(f"{part!r} is not a support element (1-6)")
        out.append(int(part))
    return tuple(sorted(set(out)))


def _type_text(value: object) -> str:
    return re.sub(r"[\s_-]+", " ", str(value or "").strip().lower())


def site_type_code(value: object) -> str | None:
    """The type code for a code or label given in any case ('Family Hub' -> 'family_hub'); None if unknown."""
    text = _type_text(value)
    for code, label in SITE_TYPES.items():
        if text in (_type_text(code), _type_text(label)):
            return code
    aliases = {"pairs": "specialist", "specialist base": "specialist", "family hubs": "family_hub",
               "hub": "family_hub", "health visiting": "health_visiting", "hv base": "health_visiting",
               "vcse": "vcfse", "gp": "gp_practice"}
    return aliases.get(text)


# --------------------------------------------------------------------------------------------
# GP practices from the bundle


def read_gp_file(reference_dir: Path) -> pd.DataFrame:
    """The epraccur file, checked: :class:`ReferenceDataError` names the file, row and column."""
    path = Path(reference_dir) / GP_FILE
    if not path.is_file():
        raise ReferenceDataError(path, "file is missing")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except Exception as exc:
        raise ReferenceDataError(path, f"cannot be read as CSV ({exc})") from exc
    missing = [c for c in GP_COLUMNS if c not in frame.columns]
    if missing:
        raise ReferenceDataError(path, f"missing column(s) {', '.join(missing)}")
    if frame.empty:
        raise ReferenceDataError(path, "has no rows")
    codes = frame["organisation_code"].fillna("")
    bad = ~codes.str.fullmatch(r"[A-Z0-9]{3,8}")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ReferenceDataError(path, f"row {row + 2}: column organisation_code has malformed code {codes.iat[row]!r}")
    if codes.duplicated().any():
        duplicate = codes[codes.duplicated()].iat[0]
        raise ReferenceDataError(path, f"column organisation_code has duplicate code {duplicate}")
    return frame


def select_gp_practices(frame: pd.DataFrame) -> pd.DataFrame:
    """Active GP practices (status A, prescribing setting 4) with a PCN."""
    chosen = frame[
        frame["status_code"].eq("A") & frame["prescribing_setting"].astype("str").str.strip().isin(["4", "4.0"])
        & frame["pcn_code"].notna()
    ]
    return chosen.reset_index(drop=True)


def gp_sites_from_frame(frame: pd.DataFrame, directory: PostcodeDirectory, *, path: Path | None = None) -> pd.DataFrame:
    """GP practice sites (:data:`SITE_COLUMNS`) located by postcode. A practice whose postcode is not
    in the directory is an error naming the file, row and postcode (the bundle is expected to be clean)."""
    chosen = select_gp_practices(frame)
    normalised = normalise_postcodes(chosen["postcode"].fillna(""))
    located = directory.locate(normalised.where(is_valid_postcode(normalised)))
    unlocated = ~(located["found"] & located["easting"].notna())
    if unlocated.any():
        row = int(np.flatnonzero(unlocated.to_numpy())[0])
        code = chosen["organisation_code"].iat[row]
        raise ReferenceDataError(
            path or Path(GP_FILE),
            f"practice {code}: column postcode {chosen['postcode'].iat[row]!r} is not in the ONS Postcode Directory",
        )
    return pd.DataFrame(
        {
            "site_key": "GP:" + chosen["organisation_code"],
            "site_id": pd.array([pd.NA] * len(chosen), dtype="Int64"),
            "name": chosen["name"].str.strip(),
            "site_type": "gp_practice",
            "type_label": SITE_TYPES["gp_practice"],
            "support_elements": "",
            "postcode": normalised.map(format_postcode),
            "easting": located["easting"].to_numpy(),
            "northing": located["northing"].to_numpy(),
            "lsoa21_code": pd.array([None] * len(chosen), dtype="str"),
            "pcn_code": chosen["pcn_code"].to_numpy(),
            "pcn_name": chosen["pcn_name"].to_numpy(),
            "origin": GP_ORIGIN,
            "added_by": "",
            "added_at": pd.NaT,
        }
    )[list(SITE_COLUMNS)]


@lru_cache(maxsize=4)
def gp_sites(reference_dir: Path) -> pd.DataFrame:
    """Active L&SC GP practices with a PCN, located by postcode (cached per process)."""
    path = Path(reference_dir) / GP_FILE
    return gp_sites_from_frame(read_gp_file(reference_dir), postcode_directory(), path=path)


# --------------------------------------------------------------------------------------------
# validating user sites


@dataclass(frozen=True)
class SiteValidation:
    """Rows checked for adding: ``accepted`` (ready for :func:`add_sites`) and ``rejected``
    (``row, column, value, problem``: one line per problem). ``warnings`` are about accepted rows."""

    rows_read: int
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    warnings: tuple[str, ...] = ()

    @property
    def rejected_rows(self) -> int:
        return int(self.rejected["row"].nunique()) if len(self.rejected) else 0

    def describe(self) -> str:
        return (f"{self.rows_read:,} rows read: {len(self.accepted):,} ready to add, "
                f"{self.rejected_rows:,} rejected")


def _safe_value(value: object) -> str:
    """A value echoed back in an error table, defused for spreadsheets and cut short."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text[:60]


def validate_sites(
    frame: pd.DataFrame,
    directory: PostcodeDirectory,
    *,
    existing: pd.DataFrame | None = None,
    locate_lsoa: LsoaLocate | None = None,
    row_numbers: list[int] | None = None,
) -> SiteValidation:
    """Check user sites (columns :data:`CSV_COLUMNS`, text) row by row.

    A row is rejected when its name is empty, too long or starts like a spreadsheet formula; its
    type is not a user site type; its support elements are missing or not 1-6; its postcode is not
    a UK postcode or not in the ONS Postcode Directory; or it repeats (same name, type and postcode)
    an earlier row or an active site in ``existing``. ``locate_lsoa(easting, northing)`` (optional)
    returns the LSOA 2021 of each point (None outside L&SC): accepted sites outside L&SC are kept
    and warned about.
    """
    rows = row_numbers or list(range(2, len(frame) + 2))
    problems: list[dict[str, object]] = []

    def reject(i: int, column: str, value: object, problem: str) -> None:
        problems.append({"row": rows[i], "column": column, "value": _safe_value(value), "problem": problem})

    text = frame.reindex(columns=list(CSV_COLUMNS)).astype("object").where(lambda f: f.notna(), "")
    names = text["name"].astype("str").str.strip()
    types = text["site_type"].map(site_type_code).astype("object")
    elements: list[tuple[int, ...]] = []
    for i in range(len(text)):
        name = names.iat[i]
        if not name:
            reject(i, "name", name, "name is empty")
        elif len(name) > MAX_NAME:
            reject(i, "name", name, f"name is longer than {MAX_NAME} characters")
        elif name.startswith(_FORMULA_START):
            reject(i, "name", name, "name must not start with =, +, - or @")
        raw_type = text["site_type"].iat[i]
        if pd.isna(types.iat[i]):
            reject(i, "site_type", raw_type, f"type must be one of {', '.join(SITE_TYPES[t] for t in USER_SITE_TYPES)}")
        elif types.iat[i] == "gp_practice":
            reject(i, "site_type", raw_type, "GP practices come from the reference bundle and cannot be added")
        try:
            parsed = parse_elements(text["support_elements"].iat[i])
            if not parsed:
                reject(i, "support_elements", "", "give at least one support element (1-6)")
        except ValueError as exc:
            parsed = ()
            reject(i, "support_elements", text["support_elements"].iat[i], str(exc))
        elements.append(parsed)

    normalised = normalise_postcodes(text["postcode"].astype("str"))
    valid_shape = is_valid_postcode(normalised)
    located = directory.locate(normalised.where(valid_shape))
    for i in range(len(text)):
        if not valid_shape.iat[i]:
            raw = text["postcode"].iat[i]
            reject(i, "postcode", raw, "postcode is empty" if not str(raw).strip() else "not a UK postcode")
        elif not (located["found"].iat[i] and np.isfinite(located["easting"].iat[i])):
            reject(i, "postcode", text["postcode"].iat[i], "postcode not found in the ONS Postcode Directory")

    key = names.str.lower() + "|" + types.fillna("") + "|" + normalised
    seen: dict[str, int] = {}
    taken = set()
    if existing is not None and len(existing):
        taken = set(
            existing["name"].str.strip().str.lower() + "|" + existing["site_type"] + "|"
            + normalise_postcodes(existing["postcode"])
        )
    for i, k in enumerate(key):
        if k in taken:
            reject(i, "name", names.iat[i], "this site (same name, type and postcode) is already in the list")
        elif k in seen:
            reject(i, "name", names.iat[i], f"repeats row {rows[seen[k]]}")
        else:
            seen[k] = i

    bad_rows = {p["row"] for p in problems}
    keep = np.array([rows[i] not in bad_rows for i in range(len(text))], dtype=bool)
    accepted = pd.DataFrame(
        {
            "row": np.asarray(rows)[keep] if len(rows) else np.array([], dtype=int),
            "name": names[keep].to_numpy(),
            "site_type": types[keep].to_numpy(),
            "support_elements": [elements_text(e) for e, k in zip(elements, keep, strict=True) if k],
            "postcode": normalised[keep].map(format_postcode).to_numpy(),
            "easting": located["easting"][keep].to_numpy(dtype="float64"),
            "northing": located["northing"][keep].to_numpy(dtype="float64"),
        }
    )
    warnings: list[str] = []
    lsoa = np.full(len(accepted), None, dtype=object)
    if locate_lsoa is not None and len(accepted):
        lsoa = np.asarray(locate_lsoa(accepted["easting"].to_numpy(), accepted["northing"].to_numpy()), dtype=object)
        for row, name, code in zip(accepted["row"], accepted["name"], lsoa, strict=True):
            if code is None:
                warnings.append(f"row {row}: {name} lies outside L&SC; it is kept and counts for nearby neighbourhoods")
    accepted["lsoa21_code"] = lsoa
    rejected = pd.DataFrame(problems, columns=["row", "column", "value", "problem"]).sort_values(
        ["row", "column"], kind="stable"
    ).reset_index(drop=True)
    return SiteValidation(rows_read=len(text), accepted=accepted, rejected=rejected, warnings=tuple(warnings))


def read_sites_csv(data: bytes, *, file_name: str = "sites.csv") -> pd.DataFrame:
    """A sites CSV as text columns (:data:`CSV_COLUMNS`, aliases renamed). :class:`SiteError` when it
    cannot be read or lacks a column."""
    if not data or not data.strip():
        raise SiteError(f"{file_name} is empty")
    frame = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding,
                                skipinitialspace=True)
            break
        except UnicodeDecodeError:
            continue
        except Exception as exc:
            raise SiteError(f"{file_name} cannot be read as CSV ({exc})") from exc
    if frame is None:
        raise SiteError(f"{file_name} is neither UTF-8 nor Windows-1252 text")
    renamed = {c: CSV_ALIASES.get(re.sub(r"\s+", "_", c.strip().lower()), re.sub(r"\s+", "_", c.strip().lower()))
               for c in frame.columns}
    frame = frame.rename(columns=renamed)
    missing = [c for c in CSV_COLUMNS if c not in frame.columns]
    if missing:
        raise SiteError(f"{file_name} lacks column(s) {', '.join(missing)} (expected {', '.join(CSV_COLUMNS)})")
    if len(frame) > MAX_ROWS:
        raise SiteError(f"{file_name} has {len(frame):,} rows; at most {MAX_ROWS:,} sites can be imported at once")
    if frame.empty:
        raise SiteError(f"{file_name} has a header but no rows")
    return frame[list(CSV_COLUMNS)]


# --------------------------------------------------------------------------------------------
# the store


EDIT_LOCK: tuple[str, ...] = ("service_sites", "site_history")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _who(added_by: str) -> str:
    who = str(added_by or "").strip()
    if not who:
        raise SiteError("enter your name: every change to the site list records who made it")
    if len(who) > MAX_NAME:
        raise SiteError(f"your name is longer than {MAX_NAME} characters")
    return who


def _writable(store: StoreRef) -> StoreConnection:
    if not store_exists(store):
        raise SiteError(
            f"there is no store at {locate(store).describe()}: start the app or run `python -m equity demo` first"
        )
    return connect_store(store)


def add_sites(store: StoreRef, accepted: pd.DataFrame, *, added_by: str, origin: str) -> list[int]:
    """Store validated sites (the ``accepted`` frame of :func:`validate_sites`) in one transaction.
    Returns the new site ids."""
    who = _who(added_by)
    if accepted.empty:
        return []
    with _writable(store) as con, con.transaction():
        con.lock(*EDIT_LOCK)  # the next ids are taken under the lock
        now = _now()
        first = con.execute("SELECT coalesce(max(site_id), 0) FROM service_sites").fetchall()[0][0] + 1
        change = con.execute("SELECT coalesce(max(change_id), 0) FROM site_history").fetchall()[0][0] + 1
        ids = list(range(first, first + len(accepted)))
        sites, history = [], []
        for site_id, row in zip(ids, accepted.itertuples(index=False), strict=True):
            lsoa = getattr(row, "lsoa21_code", None)
            sites.append([site_id, row.name, row.site_type, row.support_elements, row.postcode,
                          float(row.easting), float(row.northing), lsoa if isinstance(lsoa, str) else None,
                          origin, who, now, True, None, None])
            history.append([change, now, who, "added", site_id, row.name, row.site_type, row.postcode,
                            f"support elements {row.support_elements or 'none'}; {origin}"])
            change += 1
        con.executemany(f"INSERT INTO service_sites VALUES ({', '.join(['?'] * 14)})", sites)
        con.executemany(f"INSERT INTO site_history VALUES ({', '.join(['?'] * 9)})", history)
    return ids


def add_site(
    store: StoreRef, *, name: str, site_type: str, support_elements: tuple[int, ...] | list[int], postcode: str,
    added_by: str, directory: PostcodeDirectory | None = None, locate_lsoa: LsoaLocate | None = None,
) -> tuple[int, tuple[str, ...]]:
    """Validate and store one site added in the app. Returns (site id, warnings); :class:`SiteError`
    with every problem when the site is not valid."""
    _who(added_by)
    frame = pd.DataFrame(
        [{"name": name, "site_type": site_type, "support_elements": elements_text(support_elements or ()),
          "postcode": postcode}]
    )
    result = validate_sites(frame, directory or postcode_directory(), existing=user_sites(store),
                            locate_lsoa=locate_lsoa, row_numbers=[1])
    if len(result.rejected):
        raise SiteError("; ".join(f"{p.column}: {p.problem}" for p in result.rejected.itertuples()))
    ids = add_sites(store, result.accepted, added_by=added_by, origin="added in the app")
    return ids[0], result.warnings


def import_sites_csv(
    store: StoreRef, data: bytes, *, file_name: str, added_by: str, directory: PostcodeDirectory | None = None,
    locate_lsoa: LsoaLocate | None = None, apply: bool = True,
) -> tuple[SiteValidation, list[int]]:
    """Validate a sites CSV and (if ``apply``) add its valid rows. Returns (validation, new ids)."""
    if apply:
        _who(added_by)
    frame = read_sites_csv(data, file_name=file_name)
    result = validate_sites(frame, directory or postcode_directory(), existing=user_sites(store),
                            locate_lsoa=locate_lsoa)
    ids = add_sites(store, result.accepted, added_by=added_by, origin=f"CSV {file_name}") if apply else []
    return result, ids


def remove_site(store: StoreRef, site_id: int, *, removed_by: str) -> str:
    """Mark a user site removed (kept for the record). Returns its name."""
    who = _who(removed_by)
    with _writable(store) as con, con.transaction():
        con.lock(*EDIT_LOCK)
        found = con.execute(
            "SELECT name, site_type, postcode, active FROM service_sites WHERE site_id = ?", [int(site_id)]
        ).fetchall()
        if not found:
            raise SiteError(f"there is no site #{site_id}")
        name, site_type, postcode, active = found[0]
        if not active:
            raise SiteError(f"site #{site_id} ({name}) has already been removed")
        now = _now()
        con.execute("UPDATE service_sites SET active = false, removed_by = ?, removed_at = ? WHERE site_id = ?",
                    [who, now, int(site_id)])
        change = con.execute("SELECT coalesce(max(change_id), 0) FROM site_history").fetchall()[0][0] + 1
        con.execute(f"INSERT INTO site_history VALUES ({', '.join(['?'] * 9)})",
                    [change, now, who, "removed", int(site_id), name, site_type, postcode, ""])
    return str(name)


def _read(store: StoreRef, sql: str, columns: tuple[str, ...], table: str) -> pd.DataFrame:
    empty = pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})
    if not store_exists(store):
        return empty
    with connect_store(store, read_only=True) as con:
        if table not in con.tables():  # a store written before migrations
            return empty
        return con.execute(sql).df()


USER_SITE_COLUMNS: tuple[str, ...] = (
    "site_id", "name", "site_type", "support_elements", "postcode", "easting", "northing", "lsoa21_code", "origin",
    "added_by", "added_at", "active", "removed_by", "removed_at",
)


def user_sites(store: StoreRef, *, include_removed: bool = False) -> pd.DataFrame:
    """Sites added by users (active only unless ``include_removed``), in the order added."""
    where = "" if include_removed else "WHERE active"
    sql = f"SELECT {', '.join(USER_SITE_COLUMNS)} FROM service_sites {where} ORDER BY site_id"
    return _read(store, sql, USER_SITE_COLUMNS, "service_sites")


SITE_HISTORY_COLUMNS: tuple[str, ...] = (
    "change_id", "changed_at", "changed_by", "action", "site_id", "name", "site_type", "postcode", "detail",
)


def site_history(store: StoreRef) -> pd.DataFrame:
    """Every site added or removed, newest first."""
    sql = f"SELECT {', '.join(SITE_HISTORY_COLUMNS)} FROM site_history ORDER BY change_id DESC"
    return _read(store, sql, SITE_HISTORY_COLUMNS, "site_history")


def combine_sites(gp: pd.DataFrame, users: pd.DataFrame) -> pd.DataFrame:
    """GP practices and active user sites in one frame (:data:`SITE_COLUMNS`)."""
    if len(users):
        mine = users.assign(
            site_key="U:" + users["site_id"].astype("int64").astype("str"),
            site_id=users["site_id"].astype("Int64"),
            type_label=users["site_type"].map(SITE_TYPES).fillna(users["site_type"]),
            pcn_code=None,
            pcn_name=None,
        )[list(SITE_COLUMNS)]
        frames = [f for f in (gp, mine) if len(f)]
        return pd.concat(frames, ignore_index=True)[list(SITE_COLUMNS)]
    return gp.reset_index(drop=True)


def all_sites(reference_dir: Path, store: StoreRef) -> pd.DataFrame:
    """Every site used for reach: the bundle's GP practices and the store's active user sites."""
    return combine_sites(gp_sites(Path(reference_dir)), user_sites(store))


@lru_cache(maxsize=2)
def _locator(cache_dir: Path) -> LsoaLocator:
    from geo.cache import load_boundaries

    return LsoaLocator(load_boundaries(Path(cache_dir), 2025, "lsoa"))


def lsoa_locator(cache_dir: Path) -> LsoaLocate:
    """``locate(easting, northing)`` -> LSOA 2021 codes (None outside L&SC), from the cached boundaries."""
    locator = _locator(Path(cache_dir))
    return locator.locate


def with_lonlat(sites: pd.DataFrame) -> pd.DataFrame:
    """``sites`` with ``lon`` and ``lat`` (WGS84) from their British National Grid easting/northing."""
    lon, lat = _transformer().transform(sites["easting"].to_numpy(dtype="float64"),
                                        sites["northing"].to_numpy(dtype="float64"))
    return sites.assign(lon=np.round(lon, 6), lat=np.round(lat, 6))


@lru_cache(maxsize=1)
def _transformer() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def types_present(sites: pd.DataFrame) -> tuple[str, ...]:
    """Site types that have at least one site, in the order of :data:`SITE_TYPES`."""
    present = set(sites["site_type"])
    return tuple(t for t in SITE_TYPES if t in present)


def site_counts(sites: pd.DataFrame) -> pd.DataFrame:
    """Number of sites of each type (every type listed, zero where none)."""
    counts = sites["site_type"].value_counts()
    return pd.DataFrame(
        {"site_type": list(SITE_TYPES), "type_label": list(SITE_TYPES.values()),
         "sites": [int(counts.get(t, 0)) for t in SITE_TYPES]}
    )
