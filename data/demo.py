"""Synthetic referrals from a documented generative model (see data/DEMO.md).

Deterministic for a given seed, vectorised so that a million referrals take seconds. The
model plants known inequities (DEMO.md lists them with their sizes) so that tests can check
that the dashboard's statistics recover them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PERIOD_START = dt.date(2023, 4, 1)
PERIOD_END = dt.date(2026, 10, 31)
DEFAULT_REFERRALS = 12_000  # about 3,350 a year over the 43 months
DEFAULT_SEED = 20231


@dataclass(frozen=True)
class DemoParameters:
    """Every parameter of the demo model. DEMO.md explains each one."""

    need_least_deprived: float = 0.15  # prevalence of need in IMD decile 10
    need_most_deprived: float = 0.34  # prevalence of need in IMD decile 1
    place_referral_factor: dict[str, float] = field(
        default_factory=lambda: {
            "Blackpool": 1.6,
            "Blackburn with Darwen": 1.25,
            "Lancashire": 1.0,
            "South Cumbria": 0.85,
        }
    )
    core20_referral_factor: float = 0.75  # referrals per unit need in Core20 neighbourhoods
    rural_referral_factor: float = 0.70  # referrals per unit need in rural neighbourhoods
    minority_referral_factor: float = 0.65  # ethnic-minority children vs White, same neighbourhood
    infant_age_weight: float = 1.5  # ages 0-1 relative to ages 2-5
    antenatal_share: float = 0.06
    annual_growth: float = 0.10  # referrals grow 10% a year
    access_base: float = 0.85  # chance of a first attended contact
    core20_access_factor: float = 0.82
    minority_access_factor: float = 0.88
    rural_access_factor: float = 0.90
    place_access_factor: dict[str, float] = field(
        default_factory=lambda: {
            "Blackpool": 1.08,
            "Blackburn with Darwen": 1.03,
            "Lancashire": 1.0,
            "South Cumbria": 0.97,
        }
    )
    mean_wait_days: dict[str, float] = field(
        default_factory=lambda: {
            "Blackpool": 24.0,
            "Blackburn with Darwen": 33.0,
            "Lancashire": 52.0,
            "South Cumbria": 61.0,
        }
    )
    ethnicity_not_stated: float = 0.07  # recorded as Z
    ethnicity_not_known: float = 0.05  # recorded as 99
    rereferral_share: float = 0.06
    discharge_share: float = 0.75
    outcome_share: float = 0.45  # discharged with an outcome-measure pair
    plus_access_loss: float = 0.25  # a referral with a PLUS flag loses its first contact this often
    core20_outcome_factor: float = 0.65  # mean change in Core20 neighbourhoods, as a fraction of elsewhere


#: Services by Place: (service, team type, support element, weight, ages low-high, sources, source weights).
SERVICES: dict[str, list[tuple[str, str, int, float, int, int, tuple[str, ...], tuple[float, ...]]]] = {
    "Blackpool": [
        (
            "Blackpool PAIRS (parent-infant relationship service)",
            "Parent-infant",
            4,
            0.34,
            0,
            2,
            ("A2", "A1", "A4", "M9", "B1", "C1"),
            (0.40, 0.16, 0.14, 0.14, 0.08, 0.08),
        ),
        (
            "Blackpool PAIRS parents of 2-5s groups",
            "Parent-infant",
            5,
            0.10,
            2,
            5,
            ("A2", "M9", "C2", "B1"),
            (0.35, 0.30, 0.20, 0.15),
        ),
        (
            "Family Hub Start for Life relationship support",
            "Family hub",
            3,
            0.26,
            0,
            5,
            ("A2", "M9", "B1", "C2", "G3"),
            (0.30, 0.30, 0.20, 0.10, 0.10),
        ),
        (
            "Health visiting enhanced contacts (8 visits)",
            "Health visiting",
            2,
            0.18,
            0,
            2,
            ("A2", "A4", "A1"),
            (0.70, 0.20, 0.10),
        ),
        ("CYPMH (0-25)", "CYPMH", 6, 0.12, 2, 5, ("A1", "C1", "F3", "H2"), (0.45, 0.25, 0.20, 0.10)),
    ],
    "Blackburn with Darwen": [
        (
            "Family Hub Start for Life relationship support",
            "Family hub",
            3,
            0.38,
            0,
            5,
            ("A2", "M9", "B1", "C2", "G3"),
            (0.30, 0.30, 0.20, 0.10, 0.10),
        ),
        (
            "Specialist perinatal / parent-infant health visitors",
            "Health visiting",
            4,
            0.17,
            0,
            2,
            ("A2", "A4", "A1"),
            (0.60, 0.25, 0.15),
        ),
        ("Health visiting relationship discussions", "Health visiting", 2, 0.25, 0, 2, ("A2", "A4"), (0.8, 0.2)),
        ("CYPMH (0-25)", "CYPMH", 5, 0.20, 2, 5, ("A1", "C1", "F3", "H2"), (0.45, 0.25, 0.20, 0.10)),
    ],
    "Lancashire": [
        (
            "Health visiting relationship discussions",
            "Health visiting",
            2,
            0.40,
            0,
            2,
            ("A2", "A4", "A1"),
            (0.7, 0.2, 0.1),
        ),
        ("VCFSE parent-infant support", "VCFSE", 3, 0.25, 0, 5, ("A2", "B1", "G3", "A1"), (0.35, 0.25, 0.25, 0.15)),
        ("CYPMH (0-25)", "CYPMH", 5, 0.28, 2, 5, ("A1", "C1", "F3", "H2"), (0.45, 0.25, 0.20, 0.10)),
        ("CYPMH crisis and risk", "CYPMH", 6, 0.07, 2, 5, ("H2", "C1", "A1"), (0.5, 0.3, 0.2)),
    ],
    "South Cumbria": [
        (
            "Health visiting relationship discussions",
            "Health visiting",
            2,
            0.45,
            0,
            2,
            ("A2", "A4", "A1"),
            (0.7, 0.2, 0.1),
        ),
        ("VCFSE parent-infant support", "VCFSE", 3, 0.20, 0, 5, ("A2", "B1", "G3", "A1"), (0.35, 0.25, 0.25, 0.15)),
        ("CYPMH (0-25)", "CYPMH", 5, 0.35, 2, 5, ("A1", "C1", "F3", "H2"), (0.45, 0.25, 0.20, 0.10)),
    ],
}

#: Detailed codes within each broad group (illustrative L&SC mix: large Pakistani and Indian communities).
CODES_IN_GROUP: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "white": (("A", "B", "C"), (0.90, 0.02, 0.08)),
    "asian": (("H", "J", "K", "L"), (0.35, 0.45, 0.08, 0.12)),
    "black": (("M", "N", "P"), (0.25, 0.60, 0.15)),
    "mixed": (("D", "E", "F", "G"), (0.30, 0.15, 0.35, 0.20)),
    "other": (("R", "S"), (0.25, 0.75)),
}
GROUPS = ("white", "asian", "black", "mixed", "other")


def need_prevalence(imd_decile: np.ndarray, least: float, most: float) -> np.ndarray:
    """Linear in decile: decile 1 (most deprived) = ``most``, decile 10 = ``least``."""
    decile = np.asarray(imd_decile, dtype=float)
    return most + (least - most) * (decile - 1) / 9


def expected_weights(areas: pd.DataFrame, params: DemoParameters) -> pd.Series:
    """Relative referral intensity of each LSOA under the model (population x need x propensity)."""
    need = need_prevalence(areas["imd_decile"], params.need_least_deprived, params.need_most_deprived)
    shares = _group_shares(areas)
    ethnic_factor = shares[:, 0] + (1 - shares[:, 0]) * params.minority_referral_factor
    factor = (
        areas["place"].map(params.place_referral_factor).to_numpy()
        * np.where(areas["core20"], params.core20_referral_factor, 1.0)
        * np.where(areas["urban_rural"].eq("Rural"), params.rural_referral_factor, 1.0)
        * ethnic_factor
    )
    return pd.Series(areas["population_0_5"].to_numpy() * need * factor, index=areas.index)


def _group_shares(areas: pd.DataFrame) -> np.ndarray:
    counts = areas[[f"eth_{g}" for g in GROUPS]].to_numpy(dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    return np.where(totals > 0, counts / np.where(totals > 0, totals, 1), np.array([1.0, 0, 0, 0, 0]))


def _choose(rng: np.random.Generator, cumulative: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a row-wise cumulative probability matrix."""
    # with a shape entry typed Any, mypy resolves numpy's random() overloads to the float one; this is an array
    u = rng.random(cumulative.shape[0])[:, None]  # type: ignore[index]
    return np.minimum((u > cumulative).sum(axis=1), cumulative.shape[1] - 1)


def _dates(rng: np.random.Generator, n: int, growth: float) -> np.ndarray:
    days = (PERIOD_END - PERIOD_START).days + 1
    years = days / 365.25
    # density proportional to 1 + growth * t (t in years): inverse CDF of a linear density
    a, b = 1.0, growth
    total = a * years + b * years**2 / 2
    u = rng.random(n) * total
    t = (-a + np.sqrt(a * a + 2 * b * u)) / b if b else u / a
    offsets = np.minimum(np.floor(t * 365.25), days - 1).astype("int64")
    return np.datetime64(PERIOD_START) + offsets.astype("timedelta64[D]")


def generate(
    areas: pd.DataFrame,
    change_links: pd.DataFrame,
    *,
    referrals: int = DEFAULT_REFERRALS,
    seed: int = DEFAULT_SEED,
    params: DemoParameters | None = None,
) -> pd.DataFrame:
    """Generate ``referrals`` synthetic referrals over April 2023 - October 2026."""
    if referrals < 1:
        raise ValueError("referrals must be at least 1")
    params = params or DemoParameters()
    rng = np.random.default_rng(seed)
    areas = areas.reset_index(drop=True)
    weights = expected_weights(areas, params).to_numpy()
    per_area = rng.multinomial(referrals, weights / weights.sum())
    area_idx = np.repeat(np.arange(len(areas)), per_area)
    n = len(area_idx)
    place = areas["place"].to_numpy()[area_idx]
    core20 = areas["core20"].to_numpy()[area_idx]
    rural = areas["urban_rural"].eq("Rural").to_numpy()[area_idx]

    # ethnicity: broad group from the neighbourhood's Census mix, tilted by referral propensity
    shares = _group_shares(areas)
    tilt = np.array([1.0] + [params.minority_referral_factor] * 4)
    tilted = shares * tilt
    tilted = tilted / tilted.sum(axis=1, keepdims=True)
    group_idx = _choose(rng, np.cumsum(tilted, axis=1)[area_idx])
    minority = group_idx > 0
    codes = np.empty(n, dtype=object)
    for g, group in enumerate(GROUPS):
        members = np.flatnonzero(group_idx == g)
        options, probs = CODES_IN_GROUP[group]
        codes[members] = rng.choice(np.array(options, dtype=object), size=len(members), p=probs)
    u = rng.random(n)
    codes[u < params.ethnicity_not_stated] = "Z"
    codes[(u >= params.ethnicity_not_stated) & (u < params.ethnicity_not_stated + params.ethnicity_not_known)] = "99"

    # age: single-year population of the neighbourhood, infants weighted up; some antenatal
    age_pop = areas[[f"age_{a}" for a in range(6)]].to_numpy(dtype=float)
    age_pop = age_pop * np.array([params.infant_age_weight] * 2 + [1.0] * 4) + 1e-9
    age = _choose(rng, np.cumsum(age_pop / age_pop.sum(axis=1, keepdims=True), axis=1)[area_idx])
    antenatal = rng.random(n) < params.antenatal_share
    age[antenatal] = 0
    sex = rng.choice(np.array(["M", "F", "U"], dtype=object), size=n, p=[0.52, 0.47, 0.01])
    referral_date = _dates(rng, n, params.annual_growth)

    # service, support element, team type and source, by Place and age
    service = np.empty(n, dtype=object)
    team = np.empty(n, dtype=object)
    element = np.zeros(n, dtype="int64")
    source = np.empty(n, dtype=object)
    for place_name, options in SERVICES.items():
        for age_value in range(6):
            rows = np.flatnonzero((place == place_name) & (age == age_value))
            if not len(rows):
                continue
            fit = [o for o in options if o[4] <= age_value <= o[5]]
            probs = np.array([o[3] for o in fit])
            chosen = rng.choice(len(fit), size=len(rows), p=probs / probs.sum())
            for k, option in enumerate(fit):
                sel = rows[chosen == k]
                service[sel] = option[0]
                team[sel] = option[1]
                element[sel] = option[2]
                source[sel] = rng.choice(np.array(option[6], dtype=object), size=len(sel), p=option[7])

    # access: a first attended contact, with waits by Place; none if it would fall after the data date
    p_access = (
        params.access_base
        * np.where(core20, params.core20_access_factor, 1.0)
        * np.where(minority, params.minority_access_factor, 1.0)
        * np.where(rural, params.rural_access_factor, 1.0)
        * pd.Series(place).map(params.place_access_factor).to_numpy()
    )
    accessed = rng.random(n) < np.minimum(p_access, 0.98)
    mean_wait = pd.Series(place).map(params.mean_wait_days).to_numpy() * np.where(core20, 1.1, 1.0)
    wait = np.maximum(1, np.round(rng.gamma(2.0, mean_wait / 2.0))).astype("int64")
    first_contact = referral_date + wait.astype("timedelta64[D]")
    end = np.datetime64(PERIOD_END)
    accessed &= first_contact <= end
    stay = np.round(rng.gamma(2.5, 50.0, size=n)).astype("int64") + 14
    discharge = first_contact + stay.astype("timedelta64[D]")
    discharged = accessed & (rng.random(n) < params.discharge_share) & (discharge <= end)
    with_outcome = discharged & (rng.random(n) < params.outcome_share)
    start_score = np.clip(np.round(rng.normal(48, 10, n)), 5, 85)
    pir_change = rng.normal(12, 9, n)  # the PIR-GAS change before the Core20 effect (same draws as before)

    # people: most referrals are a child's only one; some are re-referrals of a child in the same area
    person = np.arange(n)
    rerefer = np.flatnonzero(rng.random(n) < params.rereferral_share)
    same_area_prev = rerefer[(rerefer > 0)]
    same_area_prev = same_area_prev[area_idx[same_area_prev - 1] == area_idx[same_area_prev]]
    person[same_area_prev] = person[same_area_prev - 1]
    person = _propagate(person)
    scramble = rng.permutation(n)
    referral_ids = np.char.add("R", np.char.zfill(scramble.astype(str), 8))
    person_ids = np.char.add("P", np.char.zfill(scramble[person].astype(str), 8))

    lsoa21 = areas["lsoa_code"].to_numpy()[area_idx]
    lsoa11 = _lsoa11_for(rng, lsoa21, change_links)
    plus_flags, accessed = _plus_flags(seed, n, accessed, params)
    discharged &= accessed
    with_outcome &= accessed
    pir_change = pir_change - np.where(core20, 12.0 * (1 - params.core20_outcome_factor), 0.0)
    end_score = np.clip(start_score + np.round(pir_change), 1, 90)
    measure, start_score, end_score = _outcome_measures(seed, age, antenatal, core20, start_score, end_score, params)

    frame = pd.DataFrame(
        {
            "referral_id": referral_ids.astype(object),
            "person_id": person_ids.astype(object),
            "referral_date": referral_date,
            "age_years": age.astype("int32"),
            "antenatal": antenatal,
            "sex": sex,
            "ethnic_category": codes,
            "lsoa_code": lsoa21,
            "postcode": None,
            "referral_source": source,
            "service": service,
            "team_type": team,
            "support_element": element.astype("int32"),
            "first_contact_date": np.where(accessed, first_contact, np.datetime64("NaT")),
            "discharge_date": np.where(discharged, discharge, np.datetime64("NaT")),
            # numpy's stubs do not accept None in where(); at runtime it gives an object array
            "outcome_measure": np.where(with_outcome, measure, None),  # type: ignore[call-overload]
            "score_start": np.where(with_outcome, start_score, np.nan),
            "score_end": np.where(with_outcome, end_score, np.nan),
            "plus_flags": plus_flags,
            "lsoa21_code": lsoa21,
            "lsoa11_code": lsoa11,
            "geography_method": "lsoa21",
        }
    )
    for column in ("referral_date", "first_contact_date", "discharge_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame.sort_values(["referral_date", "referral_id"], kind="stable").reset_index(drop=True)


PLUS_FLAGS: dict[str, float] = {
    "Young parent (under 20)": 0.05,
    "Parent with a learning disability or autism": 0.03,
    "Inclusion health group": 0.02,
}


def _plus_flags(seed: int, n: int, accessed: np.ndarray, params: DemoParameters) -> tuple[np.ndarray, np.ndarray]:
    """PLUS flags from their own random stream (so adding them changed no other draw); a flagged
    referral loses its first contact with probability ``plus_access_loss``."""
    rng = np.random.default_rng([seed, 1])
    flags = np.full(n, None, dtype=object)
    any_flag = np.zeros(n, dtype=bool)
    for name, share in PLUS_FLAGS.items():
        has = rng.random(n) < share
        any_flag |= has
        flags[has] = np.where(pd.isna(flags[has]), name, flags[has].astype(str) + ";" + name)
    lose = any_flag & (rng.random(n) < params.plus_access_loss)
    return flags, accessed & ~lose


#: Outcome measures other than PIR-GAS: (name, share of pairs aged 0-1, share aged 2-5, start mean, start sd,
#: change mean outside Core20, change sd, lowest, highest score). The rest of the pairs are PIR-GAS.
OTHER_MEASURES: tuple[tuple[str, float, float, float, float, float, float, float, float], ...] = (
    ("PHQ-9", 0.15, 0.10, 14.0, 5.0, -5.0, 5.0, 0, 27),
    ("GAD-7", 0.10, 0.08, 12.0, 4.0, -4.0, 4.0, 0, 21),
    ("CORE-10", 0.05, 0.05, 20.0, 7.0, -6.0, 6.0, 0, 40),
    ("ASQ:SE-2", 0.05, 0.25, 90.0, 30.0, -25.0, 25.0, 0, 300),
    ("GBO", 0.05, 0.20, 3.0, 1.5, 3.5, 2.0, 0, 10),
)
UNKNOWN_MEASURE = ("WEMWBS", 0.02)  # a measure not in the registry (the Data quality page reports it)


def _outcome_measures(
    seed: int,
    age: np.ndarray,
    antenatal: np.ndarray,
    core20: np.ndarray,
    pir_start: np.ndarray,
    pir_end: np.ndarray,
    params: DemoParameters,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each referral's outcome measure and scores, from their own random stream (so adding them changed no other
    draw): PIR-GAS keeps its scores; the others draw a start and a change, the change x core20_outcome_factor in
    Core20 neighbourhoods, bounded to the measure's range."""
    rng = np.random.default_rng([seed, 2])
    n = len(age)
    infant = antenatal | (age <= 1)
    measure = np.full(n, "PIR-GAS", dtype=object)
    start, end = pir_start.astype(float).copy(), pir_end.astype(float).copy()
    u = rng.random(n)
    low = np.zeros(n)
    factor = np.where(core20, params.core20_outcome_factor, 1.0)
    for name, infant_share, older_share, mean, sd, change, change_sd, lowest, highest in OTHER_MEASURES:
        share = np.where(infant, infant_share, older_share)
        chosen = (u >= low) & (u < low + share)
        low = low + share
        s = np.clip(np.round(rng.normal(mean, sd, n)), lowest, highest)
        e = np.clip(np.round(s + rng.normal(change * factor, change_sd, n)), lowest, highest)
        measure[chosen], start[chosen], end[chosen] = name, s[chosen], e[chosen]
    unknown = (u >= low) & (u < low + UNKNOWN_MEASURE[1])
    measure[unknown] = UNKNOWN_MEASURE[0]
    start[unknown] = np.clip(np.round(rng.normal(45, 8, n)), 14, 70)[unknown]
    end[unknown] = np.clip(start + np.round(rng.normal(4, 6, n)), 14, 70)[unknown]
    return measure, start, end


def _propagate(person: np.ndarray) -> np.ndarray:
    """Follow chains of re-referrals so that each points at the first referral of the person."""
    out = person.copy()
    for _ in range(64):
        nxt = out[out]
        if np.array_equal(nxt, out):
            break
        out = nxt
    return out


def _lsoa11_for(rng: np.random.Generator, lsoa21: np.ndarray, links: pd.DataFrame) -> np.ndarray:
    """LSOA 2011 of each referral: the single source of an unchanged/split LSOA 2021, or one of the
    sources of a merged LSOA 2021 drawn in proportion to their populations."""
    out = np.empty(len(lsoa21), dtype=object)
    codes = pd.Series(lsoa21)
    for code21, group in links.groupby("lsoa21_code"):
        rows = np.flatnonzero(codes.to_numpy() == code21) if len(group) > 1 else None
        if rows is None:
            continue
        w = group["population_2011_all_ages"].to_numpy(dtype=float)
        out[rows] = rng.choice(group["lsoa11_code"].to_numpy(), size=len(rows), p=w / w.sum())
    single = links.groupby("lsoa21_code").filter(lambda g: len(g) == 1).set_index("lsoa21_code")["lsoa11_code"]
    mask = pd.isna(out)
    out[mask] = codes[mask].map(single).to_numpy()
    return out
