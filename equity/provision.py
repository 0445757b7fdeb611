"""The provision matrix (strategy Table 2): six support elements x four Places, with full history.

Each cell has a status (the strategy's Table 2 legend), a free-text note and a source. The matrix
is **seeded** from sentences of the strategy's supporting information (March 2025): the PDF's
Table 2 colours did not survive into the text, so every seeded cell rests on sentences quoted
verbatim in its source (``tests/unit/test_provision.py`` checks each one against the strategy
file). The reading rule used for the seed:

* **Full provision** where the strategy says the provision meets a best-practice standard (or is
  the first of its kind in England) and does not suggest its funding is insecure;
* **Some provision** where provision exists but the strategy says it is variable, limited, or does
  not say that it meets best practice or is stably funded;
* **No provision** where the strategy says no such service or pathway exists for that Place;
* **In development** where the strategy says it is under development;
* **Unknown** where the strategy does not settle the cell (the quoted sentences are context only).

The matrix lives in the store, DuckDB or PostgreSQL (tables ``provision_cells`` and ``provision_history``,
migration 1; on PostgreSQL an edit or the seeding holds both tables in EXCLUSIVE mode, so two editors
are serialised and every history row records the value it really replaced). It is
seeded the first time it is read from an existing store; every change afterwards is recorded with
who made it (a free-text name), when (UTC), the old and new status, note and source. Reading a
store that does not exist returns the seed without creating the file (so a command-line read never
creates an empty store that would stop the app generating its demo data).

Access beside provision (:func:`element_access`): referrals and people accessing per 1,000 children
aged 0-5 by Place and support element, from the referral store, disclosure-controlled per Place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from data.backend import StoreConnection, StoreRef, connect_store, locate, store_exists
from data.schema import SUPPORT_ELEMENTS
from equity.selection import Selection
from equity.settings import PLACES, Settings

STRATEGY_TITLE = (
    "Mental Health for infants and children aged 0-5 years old: a strategy for Lancashire and South Cumbria, "
    "supporting information (March 2025)"
)
STRATEGY_FILE_NAME = "lsc-0-5-mental-health-strategy-supporting-information.txt"

#: Statuses in the order of the strategy's Table 2 legend: label -> (short label, colour name, hex, meaning).
#: The meanings are quoted from the legend. The green is a blue-green (#006D5B) so that Full and None stay
#: apart with deuteranopia (the earlier #1B7837 and the red both looked olive: ΔE 21; now 45); every cell
#: also carries its status word (tests/unit/test_provision_colours.py).
STATUSES: dict[str, tuple[str, str, str, str]] = {
    "Full provision": (
        "Full", "Green", "#006D5B", "Concordant with national or best practice guidelines and funding is stable."
    ),
    "Some provision": (
        "Some", "Amber", "#F0A202",
        "Some provision, but does not meet best practice guidelines, is limited in capacity and/or has short-term "
        "funding.",
    ),
    "No provision": ("None", "Red", "#C0392B", "No provision."),
    "In development": (
        "In development", "Purple", "#6A3D9A",
        "Services or initiatives are currently in development at time of writing (March 2025)",
    ),
    "Unknown": ("Unknown", "White", "#FFFFFF", "More data required."),
}
STATUS_LABELS: tuple[str, ...] = tuple(STATUSES)
UNKNOWN = "Unknown"
#: Text colour that reads on each status colour.
STATUS_TEXT_COLOURS: dict[str, str] = {
    "Full provision": "#FFFFFF",
    "Some provision": "#000000",
    "No provision": "#FFFFFF",
    "In development": "#FFFFFF",
    "Unknown": "#000000",
}

SEED_AUTHOR = "Seed: strategy supporting information (March 2025)"
MATRIX_COLUMNS: tuple[str, ...] = (
    "place", "support_element", "element_name", "thrive_category", "status", "colour", "note", "source",
    "updated_by", "updated_at",
)
HISTORY_COLUMNS: tuple[str, ...] = (
    "change_id", "changed_at", "changed_by", "action", "place", "support_element", "old_status", "new_status",
    "old_note", "new_note", "old_source", "new_source",
)
MAX_TEXT = 2_000
MAX_NAME = 120


class ProvisionError(ValueError):
    """A provision edit was refused (bad value, missing name, no store); nothing was changed."""


# --------------------------------------------------------------------------------------------
# the seed


#: Sentences of the strategy the seed rests on: key -> (section, sentence quoted verbatim).
SENTENCES: dict[str, tuple[str, str]] = {
    "pairs_only": (
        "2.1",
        "The only service providing specialist interventions for relationships for this age group in L&SC is the "
        "Blackpool Parent and Infant Relationship Service (PAIRS) [1].",
    ),
    "pairs_ages": (
        "2.1",
        "The service provides a range of individual and group evidence based interventions for children aged 0-2 "
        "years old and group interventions for parents of children aged 2-5.",
    ),
    "pairs_consultation": (
        "2.1",
        "The service also offers consultation and training to services and professionals working in Blackpool.",
    ),
    "pairs_standard": (
        "2.1",
        "Blackpool PaIRS meets the definition of a Specialised Parent-Infant Relationship Team, as set out by the "
        "Parent Infant Foundation [6].",
    ),
    "pairs_blackpool_only": ("2.1", "The service is only available to families living in the Blackpool area."),
    "cypmh_commissioned": (
        "2.2",
        "In L&SC CYPMH services are commissioned to provide mental health support from birth to age 25.",
    ),
    "cypmh_no_pathway": (
        "2.2",
        "However, there are not currently any specific teams or pathways in place to support infants and young "
        "children under the age of 5.",
    ),
    "hv_universal": (
        "2.3",
        "Universal Health Visiting Services support all children up until the age of 5, including support to mental "
        "health and emotional wellbeing.",
    ),
    "hv_training_variable": (
        "2.3",
        "Across L&SC, the training received by Health Visitors in 0-5 mental health is variable.",
    ),
    "hv_offer_variable": (
        "2.3",
        "Health Visiting caseloads have increased over the past decade [2] and as a result the mental health offer "
        "available from Health Visiting Services is variable across L&SC.",
    ),
    "hv_blackpool_eight": (
        "2.3",
        "Blackpool has transformed its Health Visiting Service, becoming the first area in England to offer eight "
        "visits to all families, instead of the nationally mandated five.",
    ),
    "hv_blackpool_funding": (
        "2.3",
        "The enhanced health visiting service is provided within the same funding envelope as the previous offer but "
        "with an alternative and collaborative delivery.",
    ),
    "hv_blackpool_training": (
        "2.3",
        "There was a focus on relationships and training Health Visitors to support parent and infant/early years "
        "relationships and mental health.",
    ),
    "family_hubs_funded": (
        "2.4",
        "Since 2022, Family Hubs in Blackpool and Blackburn with Darwen have received funding from the national Start "
        "for Life Programme [3].",
    ),
    "family_hubs_pir": (
        "2.4",
        "Through this programme, Family Hubs were required to provide support for Parent Infant Relationships.",
    ),
    "family_hubs_developing": ("2.4", "Family Hubs have also been under development in Lancashire and South Cumbria."),
}


@dataclass(frozen=True)
class SeedCell:
    place: str
    support_element: int
    status: str
    sentences: tuple[str, ...]  # keys of SENTENCES
    note: str

    @property
    def quotes(self) -> tuple[str, ...]:
        return tuple(SENTENCES[key][1] for key in self.sentences)

    def source_text(self) -> str:
        quoted = " ".join(f'§{SENTENCES[key][0]}: "{SENTENCES[key][1]}"' for key in self.sentences)
        prefix = "Strategy supporting information (March 2025)"
        if self.status == UNKNOWN:
            return f"{prefix} does not settle this cell. Context: {quoted}"
        return f"{prefix}, {quoted}"


_OTHERS = ("Blackburn with Darwen", "Lancashire", "South Cumbria")
_NO_SPECIALIST = ("pairs_only", "pairs_blackpool_only", "cypmh_no_pathway")


def _seed() -> tuple[SeedCell, ...]:
    cells = [
        # 1. Relationships are promoted universally
        SeedCell("Blackpool", 1, "Full provision", ("hv_blackpool_eight", "hv_blackpool_funding"),
                 "Eight universal health-visiting contacts for all families (five are mandated nationally), within a "
                 "stable funding envelope."),
        SeedCell("Blackburn with Darwen", 1, "Some provision", ("family_hubs_funded", "hv_offer_variable"),
                 "Start for Life Family Hub offer since 2022; the health-visiting mental health offer is variable "
                 "across L&SC."),
        *(
            SeedCell(place, 1, "Some provision", ("hv_universal", "hv_offer_variable"),
                     "Universal health visiting supports all children to age 5, but its mental health offer is "
                     "variable across L&SC.")
            for place in ("Lancashire", "South Cumbria")
        ),
        # 2. Relationships and mental health are discussed in routine universal appointments
        SeedCell("Blackpool", 2, "Full provision", ("hv_blackpool_training", "pairs_consultation"),
                 "Health visitors trained to support parent-infant relationships and mental health; specialist "
                 "consultation available locally from PAIRS."),
        *(
            SeedCell(place, 2, "Some provision", ("hv_training_variable", "pairs_blackpool_only"),
                     "Health visitors' 0-5 mental health training is variable; the strategy describes no local "
                     "specialist 0-5 consultation outside Blackpool.")
            for place in _OTHERS
        ),
        # 3. Targeted relationship support is available through universal provision
        SeedCell("Blackpool", 3, "Some provision", ("family_hubs_funded", "family_hubs_pir", "pairs_consultation"),
                 "Family Hubs provide parent-infant relationship support with national Start for Life programme "
                 "funding, and PAIRS offers consultation; the strategy does not say this meets best practice or is "
                 "stably funded, so Some until confirmed."),
        SeedCell("Blackburn with Darwen", 3, "Some provision", ("family_hubs_funded", "family_hubs_pir"),
                 "Family Hubs provide parent-infant relationship support with national Start for Life programme "
                 "funding; no local specialist consultation is described."),
        *(
            SeedCell(place, 3, "In development", ("family_hubs_developing",),
                     "Family Hubs under development. Specialist perinatal and parent-infant mental health health "
                     "visitors exist in some Places with limited capacity; the strategy does not say which.")
            for place in ("Lancashire", "South Cumbria")
        ),
        # 4. Specialist 0-2 Mental Health support
        SeedCell("Blackpool", 4, "Full provision", ("pairs_ages", "pairs_standard"),
                 "PAIRS: individual and group evidence-based interventions for 0-2s; meets the Parent Infant "
                 "Foundation definition of a specialised parent-infant relationship team."),
        *(
            SeedCell(place, 4, "No provision", _NO_SPECIALIST,
                     "No specialist 0-2 service: PAIRS is the only one in L&SC and serves Blackpool families only; "
                     "CYPMH has no under-5 team or pathway.")
            for place in _OTHERS
        ),
        # 5. Specialist 2-5 Mental Health support
        SeedCell("Blackpool", 5, "Some provision", ("pairs_ages", "cypmh_no_pathway"),
                 "PAIRS offers group interventions for parents of 2-5s only; CYPMH has no under-5 team or pathway."),
        *(
            SeedCell(place, 5, "No provision", _NO_SPECIALIST,
                     "No specialist 2-5 service: PAIRS is the only one in L&SC and serves Blackpool families only; "
                     "CYPMH has no under-5 team or pathway.")
            for place in _OTHERS
        ),
        # 6. Specialist support available during crisis response / risk management
        SeedCell("Blackpool", 6, UNKNOWN, ("pairs_consultation",),
                 "The strategy does not describe crisis or risk-management support for under-5s; PAIRS consultation "
                 "may contribute. More data required."),
        *(
            SeedCell(place, 6, UNKNOWN, ("cypmh_commissioned", "cypmh_no_pathway"),
                     "The strategy does not describe crisis or risk-management support for under-5s (CYPMH has no "
                     "under-5 pathway; children's social care is not described). More data required.")
            for place in _OTHERS
        ),
    ]
    return tuple(sorted(cells, key=lambda c: (PLACES.index(c.place), c.support_element)))


SEED: tuple[SeedCell, ...] = _seed()


def seed_matrix() -> pd.DataFrame:
    """The seeded matrix (24 cells) as a frame with :data:`MATRIX_COLUMNS`."""
    rows = [
        {
            "place": c.place, "support_element": c.support_element, "status": c.status, "note": c.note,
            "source": c.source_text(), "updated_by": SEED_AUTHOR, "updated_at": pd.NaT,
        }
        for c in SEED
    ]
    return _decorate(pd.DataFrame(rows))


def _decorate(frame: pd.DataFrame) -> pd.DataFrame:
    """Add element name, THRIVE category and colour name; order rows and columns."""
    out = frame.copy()
    out["support_element"] = out["support_element"].astype("int64")
    out["element_name"] = out["support_element"].map(lambda e: SUPPORT_ELEMENTS[e][0])
    out["thrive_category"] = out["support_element"].map(lambda e: SUPPORT_ELEMENTS[e][1])
    out["colour"] = out["status"].map(lambda s: STATUSES[s][1])
    out["_order"] = out["place"].map(PLACES.index) * 10 + out["support_element"]
    out = out.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    return out[list(MATRIX_COLUMNS)]


# --------------------------------------------------------------------------------------------
# the store


EDIT_LOCK: tuple[str, ...] = ("provision_cells", "provision_history")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _seed_if_empty(con: StoreConnection) -> bool:
    if con.execute("SELECT count(*) FROM provision_cells").fetchall()[0][0]:
        return False
    now = _now()
    start = con.execute("SELECT coalesce(max(change_id), 0) FROM provision_history").fetchall()[0][0]
    cells, history = [], []
    for i, cell in enumerate(SEED, start=1):
        source = cell.source_text()
        cells.append([cell.place, cell.support_element, cell.status, cell.note, source, SEED_AUTHOR, now])
        history.append([start + i, now, SEED_AUTHOR, "seed", cell.place, cell.support_element, None, cell.status,
                        None, cell.note, None, source])
    con.executemany("INSERT INTO provision_cells VALUES (?, ?, ?, ?, ?, ?, ?)", cells)
    con.executemany(f"INSERT INTO provision_history VALUES ({', '.join(['?'] * 12)})", history)
    return True


def _read_cells(con: StoreConnection) -> pd.DataFrame:
    frame = con.execute(
        "SELECT place, support_element, status, note, source, updated_by, updated_at FROM provision_cells"
    ).df()
    return _decorate(frame)


def _no_store(store: StoreRef) -> ProvisionError:
    return ProvisionError(
        f"there is no store at {locate(store).describe()}: start the app or run `python -m equity demo` first"
    )


def ensure_matrix(store: StoreRef) -> bool:
    """Create the provision tables in an existing store and seed them if empty. True if it seeded."""
    if not store_exists(store):
        raise _no_store(store)
    with connect_store(store) as con, con.transaction():
        con.lock(*EDIT_LOCK)
        return _seed_if_empty(con)


def current_matrix(store: StoreRef) -> pd.DataFrame:
    """The current matrix (24 rows, :data:`MATRIX_COLUMNS`). Seeds an existing store on first read;
    without a store, returns the seed and creates nothing."""
    if not store_exists(store):
        return seed_matrix()
    with connect_store(store, read_only=True) as con:
        if "provision_cells" in con.tables() and con.execute("SELECT count(*) FROM provision_cells").fetchall()[0][0]:
            return _read_cells(con)
    ensure_matrix(store)
    with connect_store(store, read_only=True) as con:
        return _read_cells(con)


def provision_history(store: StoreRef) -> pd.DataFrame:
    """Every change to the matrix, newest first (the seed rows last). Empty without a store."""
    empty = pd.DataFrame({c: [] for c in HISTORY_COLUMNS})
    if not store_exists(store):
        return empty
    with connect_store(store, read_only=True) as con:
        if "provision_history" not in con.tables():  # a store written before migrations
            return empty
        return con.execute(
            f"SELECT {', '.join(HISTORY_COLUMNS)} FROM provision_history ORDER BY change_id DESC"
        ).df()


@dataclass(frozen=True)
class CellEdit:
    place: str
    support_element: int
    status: str
    note: str
    source: str


@dataclass(frozen=True)
class CellChange:
    change_id: int
    place: str
    support_element: int
    old_status: str
    new_status: str

    def describe(self) -> str:
        element = SUPPORT_ELEMENTS[self.support_element][0]
        if self.old_status == self.new_status:
            return f"#{self.change_id} {self.place}, element {self.support_element} ({element}): note or source updated"
        return (f"#{self.change_id} {self.place}, element {self.support_element} ({element}): "
                f"{self.old_status} → {self.new_status}")


def _clean_text(value: object, field: str, limit: int = MAX_TEXT) -> str:
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    text = text.strip()
    if len(text) > limit:
        raise ProvisionError(f"{field} is {len(text):,} characters long; at most {limit:,} are allowed")
    return text


def validate_edit(edit: CellEdit) -> CellEdit:
    """The edit with its text trimmed; :class:`ProvisionError` naming the field if a value is not allowed."""
    if edit.place not in PLACES:
        raise ProvisionError(f"place must be one of {', '.join(PLACES)}, got {edit.place!r}")
    try:
        element = int(edit.support_element)
    except (TypeError, ValueError):
        raise ProvisionError(f"support element must be 1-6, got {edit.support_element!r}") from None
    if element not in SUPPORT_ELEMENTS:
        raise ProvisionError(f"support element must be 1-6, got {edit.support_element!r}")
    if edit.status not in STATUSES:
        raise ProvisionError(f"status must be one of {', '.join(STATUS_LABELS)}, got {edit.status!r}")
    return CellEdit(edit.place, element, edit.status, _clean_text(edit.note, "note"),
                    _clean_text(edit.source, "source"))


def apply_edits(store: StoreRef, edits: list[CellEdit], *, changed_by: str) -> list[CellChange]:
    """Apply cell edits in one transaction, recording each real change in the history.

    ``changed_by`` is the editor's name (free text, required). Cells whose status, note and source
    are unchanged are skipped. Returns the changes made (empty if none). Raises
    :class:`ProvisionError` (nothing changed) for a missing name, a bad value or no store.
    """
    who = _clean_text(changed_by, "your name", MAX_NAME)
    if not who:
        raise ProvisionError("enter your name: every change to the matrix records who made it")
    cleaned = [validate_edit(e) for e in edits]
    keys = [(e.place, e.support_element) for e in cleaned]
    if len(set(keys)) != len(keys):
        raise ProvisionError("the same cell is edited twice in one change")
    if not store_exists(store):
        raise _no_store(store)
    changes: list[CellChange] = []
    with connect_store(store) as con, con.transaction():
        con.lock(*EDIT_LOCK)  # the old values and the next change id are read under the lock
        _seed_if_empty(con)
        now = _now()
        next_id = con.execute("SELECT coalesce(max(change_id), 0) FROM provision_history").fetchall()[0][0]
        for edit in cleaned:
            old = con.execute(
                "SELECT status, note, source FROM provision_cells WHERE place = ? AND support_element = ?",
                [edit.place, edit.support_element],
            ).fetchall()[0]
            if (old[0], old[1] or "", old[2] or "") == (edit.status, edit.note, edit.source):
                continue
            next_id += 1
            con.execute(
                "UPDATE provision_cells SET status = ?, note = ?, source = ?, updated_by = ?, updated_at = ? "
                "WHERE place = ? AND support_element = ?",
                [edit.status, edit.note, edit.source, who, now, edit.place, edit.support_element],
            )
            con.execute(
                f"INSERT INTO provision_history VALUES ({', '.join(['?'] * 12)})",
                [next_id, now, who, "edit", edit.place, edit.support_element, old[0], edit.status, old[1],
                 edit.note, old[2], edit.source],
            )
            changes.append(CellChange(next_id, edit.place, edit.support_element, old[0], edit.status))
    return changes


def update_cell(
    store: StoreRef, place: str, support_element: int, *, status: str, note: str, source: str, changed_by: str
) -> CellChange | None:
    """Change one cell; None when nothing differs from the stored cell."""
    changes = apply_edits(store, [CellEdit(place, support_element, status, note, source)], changed_by=changed_by)
    return changes[0] if changes else None


def edits_from_frame(edited: pd.DataFrame) -> list[CellEdit]:
    """Cell edits from a frame with columns place, support_element, status, note, source (e.g. an editor's)."""
    missing = [c for c in ("place", "support_element", "status", "note", "source") if c not in edited.columns]
    if missing:
        raise ProvisionError(f"the edited matrix lacks column(s) {', '.join(missing)}")
    return [
        CellEdit(str(r.place), r.support_element, str(r.status), r.note, r.source)  # type: ignore[arg-type]
        for r in edited.itertuples(index=False)
    ]


# --------------------------------------------------------------------------------------------
# export


EXPORT_COLUMNS: dict[str, str] = {
    "place": "place",
    "support_element": "support_element",
    "element_name": "support_element_name",
    "thrive_category": "thrive_category",
    "status": "status",
    "colour": "colour",
    "note": "note",
    "source": "source",
    "updated_by": "updated_by",
    "updated_at": "updated_at_utc",
}


def matrix_export(matrix: pd.DataFrame, access: pd.DataFrame | None = None) -> pd.DataFrame:
    """The matrix for CSV/JSON export: one row per cell with notes and sources (and, if given, the
    disclosure-controlled access figures of :func:`element_access` for the same Place and element)."""
    out = matrix[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS)
    out["updated_at_utc"] = out["updated_at_utc"].map(
        lambda v: "" if pd.isna(v) else pd.Timestamp(v).isoformat(sep=" ")
    ).astype("str")
    if access is not None:
        figures = access[["place", "support_element", *ACCESS_EXPORT]].rename(
            columns={"rate_per_1000": "referrals_per_1000_aged_0_5", "lower_95": "referrals_per_1000_lower_95",
                     "upper_95": "referrals_per_1000_upper_95",
                     "access_rate_per_1000": "people_accessing_per_1000_aged_0_5", "denominator": "children_0_5"}
        )
        out = out.merge(figures, on=["place", "support_element"], how="left")
    return out


# --------------------------------------------------------------------------------------------
# access beside provision


ACCESS_EXPORT: tuple[str, ...] = (
    "denominator", "referrals", "rate_per_1000", "lower_95", "upper_95", "people_accessing", "access_rate_per_1000",
)
NOT_RECORDED = 0  # support_element code used for referrals without one


def _element_counts(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    from equity.queries import LSOA_COLUMN, where_clause

    lsoa = LSOA_COLUMN[selection.vintage]
    where, params = where_clause(selection.with_(support_elements=()))
    sql = f"""
        SELECT {lsoa} AS lsoa_code, coalesce(support_element, {NOT_RECORDED}) AS support_element,
               count(*) AS referrals,
               count(DISTINCT coalesce(person_id, referral_id)) FILTER (WHERE first_contact_date IS NOT NULL)
                   AS people_accessing
        FROM referrals
        WHERE {where} AND {lsoa} IS NOT NULL
        GROUP BY ALL
    """
    return con.execute(sql, params).df()


def element_access_exact(areas: pd.DataFrame, counts: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Exact referrals and people accessing per Place x support element (plus 'not recorded', element 0)
    with the Place's children aged 0-5 as denominator. Never shown directly."""
    from equity.metrics import denominator, filter_areas

    chosen = filter_areas(areas, selection)
    population = (
        chosen.assign(denominator=denominator(chosen, selection)).groupby("place")["denominator"].sum()
    )
    places = [p for p in PLACES if p in population.index]
    grid = pd.MultiIndex.from_product([places, [*SUPPORT_ELEMENTS, NOT_RECORDED]], names=["place", "support_element"])
    merged = counts.merge(chosen[["lsoa_code", "place"]], on="lsoa_code", how="inner")
    sums = merged.groupby(["place", "support_element"])[["referrals", "people_accessing"]].sum()
    table = sums.reindex(grid, fill_value=0).reset_index()
    table["support_element"] = table["support_element"].astype("int64")
    for column in ("referrals", "people_accessing"):
        table[column] = table[column].astype("int64")
    table["denominator"] = table["place"].map(population).round().astype("int64")
    return table


def element_access(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Exact referrals and people accessing per 1,000 aged 0-5 by Place x support element, with Byar /
    exact Poisson 95% and 99.8% intervals: published, disclosure-controlled Place by Place (each Place's
    total is published on the Overview, and the 'not recorded' row is included so that a hidden element
    cannot be recovered by differencing), as the named table 'provision_access' (``publish.tables``).
    The selection's support-element filter is ignored (every element is shown)."""
    from equity.metrics import add_rates
    from equity.queries import open_store
    from geo.cache import load_areas

    areas = load_areas(settings.cache_dir, selection.vintage, selection.definition)
    con = open_store(settings.store_path)
    try:
        counts = _element_counts(con, selection)
    finally:
        con.close()
    exact = element_access_exact(areas, counts, selection)
    return add_rates(add_rates(exact, "referrals"), "people_accessing", prefix="access_")
