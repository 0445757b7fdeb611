"""The canonical referral schema (DESIGN.md section 3), as code.

Each column has a type, whether it is required, its allowed values and the MHSDS name the
importer also accepts. The store keeps these columns plus the resolved geography columns
(``lsoa21_code``, ``lsoa11_code``, ``geography_method``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # DuckDB type
    required: bool
    description: str
    mhsds_name: str | None = None
    allowed: tuple[str, ...] | None = None


#: NHS Data Dictionary ethnic category codes, with their 2001 Census broad group.
ETHNIC_CATEGORIES: dict[str, tuple[str, str]] = {
    "A": ("White", "White - British"),
    "B": ("White", "White - Irish"),
    "C": ("White", "White - Any other White background"),
    "D": ("Mixed", "Mixed - White and Black Caribbean"),
    "E": ("Mixed", "Mixed - White and Black African"),
    "F": ("Mixed", "Mixed - White and Asian"),
    "G": ("Mixed", "Mixed - Any other mixed background"),
    "H": ("Asian", "Asian or Asian British - Indian"),
    "J": ("Asian", "Asian or Asian British - Pakistani"),
    "K": ("Asian", "Asian or Asian British - Bangladeshi"),
    "L": ("Asian", "Asian or Asian British - Any other Asian background"),
    "M": ("Black", "Black or Black British - Caribbean"),
    "N": ("Black", "Black or Black British - African"),
    "P": ("Black", "Black or Black British - Any other Black background"),
    "R": ("Other", "Other Ethnic Groups - Chinese"),
    "S": ("Other", "Other Ethnic Groups - Any other ethnic group"),
    "Z": ("Not stated", "Not stated"),
    "99": ("Not known", "Not known"),
}
BROAD_ETHNIC_GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "White", "Other", "Not stated", "Not known")

#: MHSDS SourceOfReferralMH codes used by early-years services (NHS Data Dictionary).
REFERRAL_SOURCES: dict[str, str] = {
    "A1": "GP",
    "A2": "Health visitor",
    "A3": "Other primary health care",
    "A4": "Maternity service (midwife)",
    "B1": "Self-referral",
    "B2": "Carer or relative",
    "C1": "Social services",
    "C2": "Education service / early years setting",
    "F3": "Community paediatrics",
    "G3": "Voluntary sector (VCFSE)",
    "H2": "Other secondary care specialty",
    "M9": "Family hub / children's centre",
    "P1": "Internal referral",
}

#: The six support elements of the strategy (Table 1) with their THRIVE category.
SUPPORT_ELEMENTS: dict[int, tuple[str, str]] = {
    1: ("Relationships promoted universally", "Thriving"),
    2: ("Relationships and mental health discussed in routine universal appointments", "Getting advice"),
    3: ("Targeted relationship support through universal provision", "Getting help"),
    4: ("Specialist 0-2 mental health support", "Getting more help"),
    5: ("Specialist 2-5 mental health support", "Getting more help"),
    6: ("Specialist support during crisis / risk management", "Getting risk support"),
}

SEXES: tuple[str, ...] = ("M", "F", "U")  # male, female, unknown / not stated

AGE_BANDS: dict[str, tuple[int, int]] = {"0-1": (0, 1), "2-5": (2, 5)}

COLUMNS: tuple[Column, ...] = (
    Column("referral_id", "VARCHAR", True, "Pseudonymous service request id, unique", "UniqServReqID"),
    Column("person_id", "VARCHAR", False, "Pseudonymised person id", "Person_ID"),
    Column("referral_date", "DATE", True, "Date the referral was received", "ReferralRequestReceivedDate"),
    Column("age_years", "INTEGER", True, "Age in whole years at referral, 0-5", "AgeServReferRecDate"),
    Column("antenatal", "BOOLEAN", False, "Referral made before birth"),
    Column("sex", "VARCHAR", False, "M, F or U", "Gender", SEXES),
    Column(
        "ethnic_category",
        "VARCHAR",
        False,
        "NHS ethnic category A-S, Z, 99",
        "EthnicCategory",
        tuple(ETHNIC_CATEGORIES),
    ),
    Column("lsoa_code", "VARCHAR", False, "LSOA 2011 or 2021 code of residence", "LSOA2011"),
    Column("postcode", "VARCHAR", False, "Postcode of residence (used only to find the LSOA)"),
    Column(
        "referral_source",
        "VARCHAR",
        False,
        "MHSDS source of referral code",
        "SourceOfReferralMH",
        tuple(REFERRAL_SOURCES),
    ),
    Column("service", "VARCHAR", False, "Service name"),
    Column("team_type", "VARCHAR", False, "Team type", "ServTeamTypeRefToMH"),
    Column("support_element", "INTEGER", False, "Strategy support element 1-6"),
    Column("first_contact_date", "DATE", False, "First attended contact (access)"),
    Column("discharge_date", "DATE", False, "Discharge date", "ServDischDate"),
    Column("outcome_measure", "VARCHAR", False, "Outcome measure name"),
    Column("score_start", "DOUBLE", False, "Outcome score at start"),
    Column("score_end", "DOUBLE", False, "Outcome score at end"),
    Column("plus_flags", "VARCHAR", False, "Semicolon-separated PLUS group flags"),
)

#: Columns the store adds when it resolves geography.
RESOLVED_COLUMNS: tuple[Column, ...] = (
    Column("lsoa21_code", "VARCHAR", False, "LSOA 2021 of residence (resolved)"),
    Column("lsoa11_code", "VARCHAR", False, "LSOA 2011 of residence (resolved)"),
    Column("geography_method", "VARCHAR", False, "How the LSOA was found: lsoa21, lsoa11, lsoa11_split, postcode"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
STORE_COLUMNS: tuple[Column, ...] = COLUMNS + RESOLVED_COLUMNS


def broad_ethnic_group(code: str | None) -> str:
    """Broad group of an NHS ethnic category code; missing codes count as 'Not known'."""
    if code is None or code == "":
        return "Not known"
    return ETHNIC_CATEGORIES[code][0]


def age_band(age_years: int, antenatal: bool = False) -> str:
    if antenatal:
        return "Antenatal"
    for band, (low, high) in AGE_BANDS.items():
        if low <= age_years <= high:
            return band
    raise ValueError(f"age_years must be 0-5, got {age_years}")
