"""Indicator definitions, as data: the metadata sections OHID Fingertips gives every indicator.

One entry per map metric (``equity.explorer.METRICS``) and per published table (``publish.tables``),
each with every section of :data:`SECTIONS`. The Definitions page lists them; the Map's "?" help beside
the metric box and the table's columns is taken from here (:func:`help_text`), so the two never differ.
"""

from __future__ import annotations

from typing import Final

SECTIONS: Final[dict[str, str]] = {
    "definition": "Definition",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "method": "Method",
    "ci_method": "Confidence interval method",
    "disclosure": "Disclosure control",
    "caveats": "Caveats",
    "source": "Data source and date",
}

# --- shared wording ---------------------------------------------------------------------------------

POPULATION = (
    "Children aged 0-5 (ages 0 to 5 in single years): ONS mid-2020 small area population estimates (LSOA 2011, "
    "published 2021); for LSOA 2021, unchanged and merged areas carry over or sum and split areas are "
    "apportioned by Census 2021 usual residents, keeping totals. The same denominator for every period chosen."
)
REFERRALS = "Referrals to infant and early-years (0-5) mental health services received in the selected period"
ACCESSING = (
    "Children with at least one attended contact (access) among the referrals received in the selected period, "
    "each child counted once per area"
)
NEED = (
    "Expected = children in need x the L&SC rate per child in need, under the same non-geographic filters "
    "(indirect standardisation to the whole ICB, so a Place filter does not force a Place's ratio to 1). "
    "Children in need = children aged 0-5 x the prevalence of need, rising linearly with national IMD decile "
    "from 15% (decile 10) to 34% (decile 1): the strategy's disorganised-attachment figures for middle-class "
    "and low-income families (a visible, changeable setting of the need model)."
)
BYAR_RATE = (
    "Byar's method on the count (exact Poisson limits below 10 events), divided by the denominator: PHE Technical "
    "Guide, PHEindicatormethods phe_rate. 95% and 99.8% limits."
)
BYAR_RATIO = (
    "Exact Poisson (below 10 observed) or Byar limits of the observed count divided by the expected count, which "
    "is treated as fixed (PHEindicatormethods phe_isr / phe_smr). Significantly below expected = the 95% upper "
    "limit is below 1; above = the lower limit is above 1; otherwise similar."
)
WILSON = "Wilson score interval for a proportion (PHE Technical Guide; PHEindicatormethods wilson_lower/upper), 95%."
COVERAGE_CI = (
    "Wilson 95% interval of the share of the measure from Core20 areas, divided by the Core20 share of children "
    "(or of children in need), which is treated as fixed and known."
)
NO_CI = "None: a published reference figure for every area, not an estimate from a sample."
DISCLOSURE = (
    "Below ICB level counts of 1-4 are hidden (shown as *) and other counts rounded to the nearest 5, with a "
    "further cell hidden where a hidden one could be worked out from a total; at ICB level counts are exact but "
    "1-4 hidden. Every rate, ratio, share and interval is computed from the controlled (rounded) count and hidden "
    "with it: an interval from the exact count would give the count away."
)
CAVEATS_DISTANCE = (
    "Straight-line distance, not travel time; sites other than GP practices are only those entered in the app."
)
SOURCE_DISTANCE = (
    "ONS LSOA 2021 population-weighted centroids; NHS England ePraccur (GP practices); ONS Postcode Directory; "
    "ONS mid-2020 population estimates (OGL v3.0)."
)
DISCLOSURE_NONE = "None needed: a published public statistic (no referral counts)."
CAVEATS_DEMO = (
    "Until real referrals are imported the figures come from synthetic demo data (said on every page). "
    "Rates are for the whole selected period, not per year."
)
SOURCE_REFERRALS = (
    "Referrals: the dashboard's referral store (MHSDS-aligned extract; its data date is shown on every page). "
    "Population: ONS mid-2020 small area population estimates. Deprivation: English Indices of Deprivation "
    "2025 (MHCLG, 2025; LSOA 2021) by default, or 2019 (MHCLG, 2019; LSOA 2011). Lookups: ONS (OGL v3.0)."
)
IMD_DENOMINATOR = (
    "All LSOAs in England, ranked: 33,755 LSOA 2021 (IoD 2025) or 32,844 LSOA 2011 (IoD 2019); deciles are national."
)
MAP_CAVEAT = (
    "Small areas have few children, so most single-neighbourhood figures have wide intervals; an MSOA or district "
    "shows more when many neighbourhoods are grey. "
)


def _entry(**sections: str) -> dict[str, str]:
    missing = set(SECTIONS) - set(sections)
    if missing:
        raise ValueError(f"definition lacks {', '.join(sorted(missing))}")
    return {key: sections[key] for key in SECTIONS}


_RATE_METHOD = "Crude rate: 1,000 x numerator / denominator, for the whole selected period."

# --- map metrics (equity.explorer.METRICS) ---------------------------------------------------------

DEFINITIONS: Final[dict[str, dict[str, str]]] = {
    "referral_rate": _entry(
        definition="Referrals per 1,000 children aged 0-5 living in the area.",
        numerator=REFERRALS + ", by the child's home neighbourhood (LSOA).",
        denominator=POPULATION,
        method=_RATE_METHOD,
        ci_method=BYAR_RATE,
        disclosure=DISCLOSURE,
        caveats=MAP_CAVEAT + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "access_rate": _entry(
        definition="Children accessing the service (at least one attended contact) per 1,000 children aged 0-5.",
        numerator=ACCESSING + ".",
        denominator=POPULATION,
        method=_RATE_METHOD,
        ci_method=BYAR_RATE,
        disclosure=DISCLOSURE,
        caveats=MAP_CAVEAT
        + "A referral received late in the period may not have had its first contact yet. "
        + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "access_ratio": _entry(
        definition=(
            "Need-adjusted access ratio: children accessing divided by the number expected if every child in need "
            "had the same chance of access as across L&SC. 1 = access in line with need; below 1 = fewer children "
            "reached than need implies."
        ),
        numerator="Observed: " + ACCESSING + ".",
        denominator="Expected children accessing. " + NEED + " Children aged 0-5: ONS mid-2020 estimates.",
        method="Indirect standardisation: observed / expected (O/E).",
        ci_method=BYAR_RATIO,
        disclosure=DISCLOSURE + " 'Significantly below' is judged on the shown interval, never on a hidden count.",
        caveats=MAP_CAVEAT
        + "The need model is an assumption (prevalence by deprivation only), not a measured need. "
        + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "access_vs_benchmark": _entry(
        definition=(
            "The need-adjusted access ratio compared with the benchmark chosen in the sidebar, as OHID Fingertips "
            "does: better, similar or worse (more access for the need is better)."
        ),
        numerator="Observed: " + ACCESSING + ".",
        denominator="Expected children accessing. " + NEED + " Children aged 0-5: ONS mid-2020 estimates.",
        method=(
            "The area's 95% interval of O/E against the benchmark's ratio: worse when the whole interval lies below "
            "it, better when above, otherwise similar. L&SC's ratio is 1 by construction (expected is at the L&SC "
            "rate per child in need); a Place's is its own O/E. England has no ratio: L&SC is used instead."
        ),
        ci_method=BYAR_RATIO,
        disclosure=DISCLOSURE + " The comparison is judged on the shown interval, never on a hidden count.",
        caveats=MAP_CAVEAT + "Areas with a hidden interval are not compared (grey). " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "imd_decile": _entry(
        definition="Index of Multiple Deprivation decile: 1 = the most deprived 10% of neighbourhoods in England.",
        numerator="The neighbourhood's IMD rank (1 = most deprived) placed into national tenths.",
        denominator=IMD_DENOMINATOR
        + " For an MSOA, district or Place: the mean decile of its neighbourhoods weighted by children aged 0-5.",
        method="National deciles of the IMD rank, as published by MHCLG.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE_NONE,
        caveats="A decile describes the neighbourhood, not every family in it. Ranks have genuine ties.",
        source="English Indices of Deprivation 2025 (MHCLG, 2025) or 2019 (MHCLG, 2019), OGL v3.0.",
    ),
    "idaci_decile": _entry(
        definition=(
            "Income Deprivation Affecting Children Index decile: 1 = the 10% of neighbourhoods in England where the "
            "largest share of children live in income-deprived families."
        ),
        numerator="The neighbourhood's IDACI rank placed into national tenths.",
        denominator=IMD_DENOMINATOR
        + " For an MSOA, district or Place: the mean decile of its neighbourhoods weighted by children aged 0-5.",
        method="National deciles of the IDACI rank, as published by MHCLG.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE_NONE,
        caveats="IDACI covers children aged 0-15; it describes the neighbourhood, not every family in it.",
        source="English Indices of Deprivation 2025 (MHCLG, 2025) or 2019 (MHCLG, 2019), OGL v3.0.",
    ),
    "core20": _entry(
        definition="Share of the area's children aged 0-5 who live in Core20 neighbourhoods.",
        numerator="Children aged 0-5 living in Core20 neighbourhoods: the most deprived 20% in England by IMD.",
        denominator=POPULATION,
        method="Percentage: 100 x numerator / denominator. Core20 is decided by the chosen IMD vintage.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE_NONE,
        caveats="Core20 is national: a Place can have few Core20 neighbourhoods and still many deprived families.",
        source="ONS mid-2020 small area population estimates; English Indices of Deprivation 2025 or 2019 (MHCLG).",
    ),
    "population": _entry(
        definition="Number of children aged 0-5 living in the area.",
        numerator=POPULATION,
        denominator="None: a count of children (the denominator of the rates).",
        method="Sum over the area's neighbourhoods.",
        ci_method="None: ONS's published estimate (ONS gives no interval for small area estimates).",
        disclosure=DISCLOSURE_NONE,
        caveats="Mid-2020 estimates: births and moves since then are not reflected.",
        source="ONS mid-2020 small area population estimates (published 2021), OGL v3.0.",
    ),
    "minority": _entry(
        definition="Share of the area's residents (all ages) from an ethnic minority group.",
        numerator="Usual residents in the Asian, Black, Mixed or Other broad ethnic groups.",
        denominator="All usual residents (all ages), Census 2021.",
        method="Percentage: 100 x numerator / denominator.",
        ci_method="None: a census count of the whole population.",
        disclosure="None needed: published Census 2021 counts (ONS applies its own statistical disclosure control).",
        caveats="All ages, not children aged 0-5; 'White' includes White minority groups (Irish, Gypsy, Roma, other).",
        source="ONS Census 2021, table TS021 (ethnic group), LSOA 2021, OGL v3.0.",
    ),
    "median_wait": _entry(
        definition="Median number of days from referral to the first attended contact.",
        numerator="Days from referral received to first attended contact, for referrals with a first contact.",
        denominator="Referrals with a first attended contact in the selected period (at least 5 to show a median).",
        method="Median of the waits (days) of the area's referrals with a first contact.",
        ci_method="None shown.",
        disclosure="The median is shown only where at least 5 waits lie behind it; otherwise the area is grey.",
        caveats="Referrals still waiting are not counted, so long waits in progress are missed. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    # --- published tables (publish.tables) ---------------------------------------------------------
    "overview_headline": _entry(
        definition=(
            "Headline figures for the total (L&SC ICB, or the selected areas) and each Place: referrals, children "
            "accessing, rates per 1,000 children aged 0-5, share of referrals from Core20 areas."
        ),
        numerator=REFERRALS + "; " + ACCESSING + "; referrals from Core20 neighbourhoods.",
        denominator=POPULATION + " For the Core20 share: all referrals.",
        method=_RATE_METHOD + " Core20 share: referrals from Core20 areas / all referrals.",
        ci_method=BYAR_RATE + " Core20 share: " + WILSON,
        disclosure=DISCLOSURE,
        caveats=CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "need_adjusted_ratio": _entry(
        definition="Need-adjusted referral (or access) ratio by Place or by Core20 status: observed / expected.",
        numerator="Observed referrals (or children accessing) in the selected period.",
        denominator="Expected. " + NEED,
        method="Indirect standardisation: observed / expected (O/E).",
        ci_method=BYAR_RATIO + " 99.8% limits too.",
        disclosure=DISCLOSURE + " Expected is hidden when the ICB count behind the reference rate is 1-4.",
        caveats="The need model is an assumption, not a measured need. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "equity_summary": _entry(
        definition=(
            "Equity summary: slope and relative index of inequality (SII, RII) across IMD deciles, Core20 coverage "
            "ratio and need-adjusted ratios by Place."
        ),
        numerator="Referrals (or children accessing) by IMD decile, by Core20 status and by Place.",
        denominator=POPULATION + " Expected (for the need-adjusted ratios): " + NEED,
        method=(
            "SII and RII by weighted regression of the decile rates on the population-weighted rank (PHE phe_sii); "
            "coverage ratio = share of the measure from Core20 areas / Core20 share of children; ratios O/E."
        ),
        ci_method=(
            "SII/RII: Monte Carlo simulation as phe_sii (rates drawn on the log scale). Coverage: "
            + COVERAGE_CI
            + " Ratios: Byar."
        ),
        disclosure=DISCLOSURE + " SII/RII are computed from controlled decile counts and not given when a decile is "
        "hidden.",
        caveats="SII sign: positive means higher rates in more deprived areas (PHE's slope is its negative). "
        + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "indicator": _entry(
        definition="Rate per 1,000 children aged 0-5 by any breakdown (as the `report` command).",
        numerator=REFERRALS + " (or children accessing), in each group of the breakdown.",
        denominator=POPULATION + " Area and deprivation groups: the children living in each group's "
        "neighbourhoods; age band: children of those ages (antenatal against children aged 0); ethnic group: the "
        "Census 2021 all-age share of each group applied to each neighbourhood's children aged 0-5; support "
        "element and referral source: all children aged 0-5.",
        method=_RATE_METHOD,
        ci_method=BYAR_RATE,
        disclosure=DISCLOSURE,
        caveats="Ethnic group denominators are conservative (children of minority groups are younger on average, "
        "and there is no ethnicity by age at LSOA level); not stated / not known have no rate. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "map_areas": _entry(
        definition=(
            "The Map's table: every area of a level (LSOA, MSOA, district, Place) with referrals and access per "
            "1,000, the need-adjusted access ratio, 'significantly below expected' and context (IMD, IDACI, "
            "Core20, ethnicity, median wait)."
        ),
        numerator=REFERRALS + "; " + ACCESSING + ".",
        denominator=POPULATION + " Expected access: " + NEED,
        method=_RATE_METHOD + " Need-adjusted ratio: O/E (indirect standardisation). Ranks: 1 = lowest ratio.",
        ci_method=BYAR_RATE + " Ratio: " + BYAR_RATIO,
        disclosure=DISCLOSURE,
        caveats=MAP_CAVEAT + CAVEATS_DEMO,
        source=SOURCE_REFERRALS + " Census 2021 TS021 (ethnic group).",
    ),
    "overview_compared": _entry(
        definition="The Overview's rows (overview_headline) with each rate and the Core20 share compared with the "
        "benchmark chosen (L&SC, a Place, or England where a national value exists): Fingertips-style words at 95% "
        "and 99.8%.",
        numerator="As overview_headline.",
        denominator="As overview_headline.",
        method="An area is higher (better) or lower (worse) than the benchmark when its whole 95% (99.8%) interval "
        "lies above or below the benchmark's value, otherwise similar (OHID Fingertips' comparison method).",
        ci_method="As overview_headline: Byar limits of rates; Wilson limits of the Core20 share.",
        disclosure=DISCLOSURE + " Comparisons use the published (controlled) intervals.",
        caveats="England is a benchmark only for the share of children in Core20 areas (a fifth of England's "
        "neighbourhoods by construction); other measures fall back to L&SC. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "map_areas_compared": _entry(
        definition="The Map's rows (map_areas) with each area's need-adjusted access ratio compared with the "
        "benchmark: L&SC (a ratio of 1 by construction) or a Place's own ratio.",
        numerator="As map_areas.",
        denominator="As map_areas.",
        method="Better / worse when the area's whole 95% interval lies above / below the benchmark ratio, "
        "otherwise similar (OHID Fingertips' comparison method).",
        ci_method="As map_areas: " + BYAR_RATIO,
        disclosure=DISCLOSURE + " Comparisons use the published (controlled) intervals.",
        caveats=MAP_CAVEAT + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "core20_coverage": _entry(
        definition=(
            "Core20 coverage ratio by Place: the share of referrals (or access) from Core20 neighbourhoods divided "
            "by the Core20 share of children aged 0-5 (and, need-adjusted, of children in need). 1 = in proportion."
        ),
        numerator="Referrals (or children accessing) from Core20 neighbourhoods (most deprived 20% in England).",
        denominator="All referrals (or children accessing); the Core20 share of children aged 0-5 (ONS mid-2020) "
        "or of children in need (need model).",
        method="Coverage ratio = (Core20 count / count) / (Core20 population / population).",
        ci_method=COVERAGE_CI,
        disclosure=DISCLOSURE,
        caveats="Core20 is decided by the chosen IMD vintage. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "core20_gradient": _entry(
        definition="Deprivation gradient: rate per 1,000 children aged 0-5 by IMD/IDACI decile or quintile.",
        numerator="Referrals (or children accessing) from neighbourhoods of each deprivation group.",
        denominator=POPULATION + " Expected (need-adjusted ratio): " + NEED,
        method=_RATE_METHOD + " Need-adjusted ratio: O/E.",
        ci_method=BYAR_RATE + " Ratio: " + BYAR_RATIO,
        disclosure=DISCLOSURE,
        caveats="Groups are national deciles: L&SC has few neighbourhoods in the least deprived deciles. "
        + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "core20_rurality": _entry(
        definition="Rural and urban neighbourhoods: rate per 1,000 children aged 0-5 and need-adjusted ratio.",
        numerator="Referrals (or children accessing) from rural or urban neighbourhoods.",
        denominator=POPULATION + " Expected: " + NEED,
        method=_RATE_METHOD + " Need-adjusted ratio: O/E.",
        ci_method=BYAR_RATE + " Ratio: " + BYAR_RATIO,
        disclosure=DISCLOSURE,
        caveats="Rural/urban by the ONS 2021 rural-urban classification of the neighbourhood. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS + " ONS rural-urban classification 2021 (LSOA 2021).",
    ),
    "core20_ethnicity": _entry(
        definition=(
            "Referrals by broad ethnic group: share of referrals with a known group against the Census 2021 mix "
            "of the same neighbourhoods, and the representation ratio."
        ),
        numerator="Referrals in each broad ethnic group (NHS ethnic category codes grouped).",
        denominator="Referrals with a known ethnic group (Z not stated and 99 not known left out); Census 2021 "
        "usual residents of the same neighbourhoods by broad group.",
        method="Share = group referrals / referrals with a known group; ratio = share / Census share.",
        ci_method=WILSON,
        disclosure=DISCLOSURE,
        caveats="The Census mix is of all ages; a high unknown-ethnicity share makes the comparison unreliable (the "
        "page says how high). " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS + " Census 2021 TS021.",
    ),
    "core20_plus_flags": _entry(
        definition="Recorded PLUS flags: referrals carrying each flag and their conversion to a first contact.",
        numerator="Referrals with the flag and a first attended contact.",
        denominator="Referrals with the flag.",
        method="Conversion = numerator / denominator.",
        ci_method=WILSON,
        disclosure=DISCLOSURE,
        caveats="Only as complete as the flags recorded on referrals. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "core20_funnel": _entry(
        definition=(
            "Funnel plot of neighbourhoods: access per 1,000 against children aged 0-5 (centred on the L&SC rate), "
            "or the need-adjusted access ratio against expected (centred on 1)."
        ),
        numerator=ACCESSING + ".",
        denominator=POPULATION + " Or expected access: " + NEED,
        method="Each neighbourhood's rate or ratio from its controlled count, with control limits around the "
        "centre line at its own size.",
        ci_method="Funnel limits at 95% and 99.8% from the Poisson distribution (Spiegelhalter's interpolated "
        "quantiles).",
        disclosure=DISCLOSURE
        + " Neighbourhoods with a hidden count are left out of the plot (the page says how many).",
        caveats=CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "core20_quarterly": _entry(
        definition="Trend of the gap: the Core20 coverage ratio by quarter.",
        numerator="Referrals (or children accessing) from Core20 neighbourhoods in the quarter.",
        denominator="All referrals (or children accessing) in the quarter; the Core20 share of children aged 0-5.",
        method="Coverage ratio per quarter, as core20_coverage.",
        ci_method=COVERAGE_CI,
        disclosure=DISCLOSURE,
        caveats="The last quarter may be incomplete. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "core20_vintages": _entry(
        definition="Core20 coverage ratio of the total under IMD 2019 and under IMD 2025.",
        numerator="Referrals (or children accessing) from neighbourhoods that are Core20 under each vintage.",
        denominator="All referrals (or children accessing); the Core20 share of children aged 0-5 under each vintage.",
        method="Coverage ratio as core20_coverage; IMD 2019 Core20 status carried to LSOA 2021 through the ONS "
        "change file.",
        ci_method=COVERAGE_CI,
        disclosure=DISCLOSURE,
        caveats="A change between vintages can come from the index, not from services. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS + " ONS LSOA 2011 to 2021 lookup.",
    ),
    "trend_monthly": _entry(
        definition="Monthly series for the total and each Place: referrals, Core20 referrals, children with a first "
        "contact and the Core20 coverage ratio.",
        numerator="Counts in the month (referral date; first contact for access).",
        denominator="Coverage ratio: all referrals in the month; the Core20 share of children aged 0-5.",
        method="Monthly counts; coverage ratio as core20_coverage.",
        ci_method=COVERAGE_CI,
        disclosure=DISCLOSURE,
        caveats="The latest month may be incomplete (data date). " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "trend_spc": _entry(
        definition="XmR (statistical process control) chart of one measure and area, month by month.",
        numerator="Each month's controlled value (referrals, children accessing or the Core20 coverage ratio).",
        denominator="None for counts; the coverage ratio as core20_coverage.",
        method=(
            "Making Data Count XmR: mean, limits mean +/- 2.66 x mean moving range (moving ranges above 3.267 x the "
            "mean screened out); rules: a point outside the limits, a trend of 7, two of three beyond 2 sigma on one "
            "side, a shift of 7."
        ),
        ci_method="Process limits (not confidence intervals), as above.",
        disclosure=DISCLOSURE + " Hidden months are left out of the chart.",
        caveats="The latest month may be incomplete (data date). " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "trend_summary": _entry(
        definition="SPC summary of every measure and area: latest month and value, mean and limits, variation and "
        "assurance.",
        numerator="As trend_spc, for each measure and area.",
        denominator="As trend_spc.",
        method="Making Data Count variation (common or special cause) and assurance icons from the XmR chart.",
        ci_method="Process limits, as trend_spc.",
        disclosure=DISCLOSURE,
        caveats="Assurance needs a target; where none is set it is not given. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "data_quality_places": _entry(
        definition="Completeness by Place (whole store): referrals with ethnicity stated or unknown, with a first "
        "contact, placed by an exact LSOA or approximately.",
        numerator="Referrals with the property (e.g. ethnicity stated).",
        denominator="All referrals of the Place in the store.",
        method="Share = numerator / denominator.",
        ci_method="None shown (a census of the store's referrals).",
        disclosure=DISCLOSURE + " A share is shown only when both its counts are shown.",
        caveats="Unknown ethnicity counts Z (not stated), 99 (not known) and missing codes together, as NHS England "
        "asks. " + CAVEATS_DEMO,
        source="The dashboard's referral store (all imports; data date on every page).",
    ),
    "data_quality_fields": _entry(
        definition="Completeness and validity of each referral field, L&SC ICB (whole store).",
        numerator="Referrals with the field present and valid.",
        denominator="All referrals in the store.",
        method="Share = numerator / denominator.",
        ci_method="None shown (a census of the store's referrals).",
        disclosure="ICB level: counts exact, but 1-4 hidden; a share is hidden with its count.",
        caveats="Validity is checked against the MHSDS-aligned data contract (DESIGN.md section 3).",
        source="The dashboard's referral store (all imports; data date on every page).",
    ),
    "provision_access": _entry(
        definition="Access beside provision: referrals and children accessing per 1,000 aged 0-5, by Place and "
        "support element (and 'not recorded').",
        numerator="Referrals (or referrals with a first attended contact) recorded against the element.",
        denominator="Children aged 0-5 living in the Place (ONS mid-2020).",
        method=_RATE_METHOD + " The support-element filter is ignored: every element is shown.",
        ci_method=BYAR_RATE,
        disclosure=DISCLOSURE,
        caveats="Elements are as recorded in the extract (or mapped from service/team type). " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS + " Provision status: the matrix on the Provision page.",
    ),
    "pathway_source_mix": _entry(
        definition="Who refers: referrals by Place and MHSDS source of referral.",
        numerator="Referrals from the source.",
        denominator="All referrals of the Place in the selection.",
        method="Share = numerator / denominator.",
        ci_method=WILSON,
        disclosure=DISCLOSURE,
        caveats="Source of referral as recorded (SourceOfReferralMH); 'not recorded' kept as its own row. "
        + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "pathway_conversion": _entry(
        definition="Referrals with a first attended contact, by Place or IMD quintile.",
        numerator="Referrals with a first attended contact (first_contact_date).",
        denominator="Referrals in the selection, leaving out those of the last 90 days before the latest referral "
        "(not yet followed up).",
        method="Share = numerator / denominator.",
        ci_method=WILSON,
        disclosure=DISCLOSURE,
        caveats="A referral without an attended contact may still be waiting, declined or discharged. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "pathway_waits": _entry(
        definition="Median days from referral to first attended contact, by Place or IMD quintile.",
        numerator="Days from referral_date to first_contact_date, for referrals with a first attended contact.",
        denominator="The number of waits (shown, controlled); a median of fewer than 5 waits is not shown.",
        method="Median of the waits.",
        ci_method="Distribution-free 95% interval of the median from order statistics (binomial).",
        disclosure=DISCLOSURE + " The median is hidden with its number of waits.",
        caveats="Only referrals that have had a first contact count, so long current waits are not seen. "
        + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "reach_coverage": _entry(
        definition="Children aged 0-5 living within 1, 2, 5 and 10 km (straight line) of a site of one type: the "
        "total and each Place, with Core20 children and the population-weighted median distance.",
        numerator="Children aged 0-5 in neighbourhoods whose population-weighted centroid is within the distance.",
        denominator="All children aged 0-5 in the selected areas (ONS mid-2020).",
        method="Straight-line distance from each LSOA's population-weighted centroid to the nearest site.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE_NONE,
        caveats=CAVEATS_DISTANCE,
        source=SOURCE_DISTANCE,
    ),
    "reach_all_types": _entry(
        definition="Children living near each type of site: the total row of reach_coverage for every site type.",
        numerator="Children aged 0-5 within each distance of the nearest site of the type.",
        denominator="All children aged 0-5 in the selected areas (ONS mid-2020).",
        method="As reach_coverage, one row per site type with sites.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE_NONE,
        caveats="Straight-line distance, not travel time.",
        source="ONS LSOA 2021 population-weighted centroids; NHS England ePraccur; ONS Postcode Directory (OGL v3.0).",
    ),
    "reach_nearest": _entry(
        definition="For each selected neighbourhood (LSOA), the nearest site of one type and the straight-line "
        "distance to it in km: the shading and hover of the Reach page's sites map.",
        numerator="Distance in km from the neighbourhood's population-weighted centroid to the nearest site.",
        denominator="None: a distance, not a rate.",
        method="Straight-line (Euclidean, British National Grid) distance to every site of the type; the smallest.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE_NONE,
        caveats=CAVEATS_DISTANCE,
        source=SOURCE_DISTANCE,
    ),
    "reach_farthest": _entry(
        definition="The 20 Core20 neighbourhoods farthest (straight line) from a specialist base or Family Hub.",
        numerator="Distance in km from the neighbourhood's population-weighted centroid to the nearest such site.",
        denominator="None: a distance, not a rate.",
        method="Straight-line distance; the 20 largest among Core20 neighbourhoods of the user's Places.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE_NONE,
        caveats="Straight-line distance; only sites entered in the app count.",
        source="ONS LSOA 2021 population-weighted centroids; IoD 2025 (MHCLG); ONS Postcode Directory (OGL v3.0).",
    ),
    "reach_access_by_band": _entry(
        definition="Children accessing per 1,000 aged 0-5, by straight-line distance to the nearest site of one type.",
        numerator="Referrals with a first attended contact from neighbourhoods in the distance band.",
        denominator="Children aged 0-5 living in those neighbourhoods (ONS mid-2020).",
        method=_RATE_METHOD,
        ci_method=BYAR_RATE,
        disclosure=DISCLOSURE,
        caveats="An association with distance, not its cause: bands differ in deprivation too. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS + " ONS LSOA 2021 population-weighted centroids.",
    ),
    "data_quality_geography": _entry(
        definition="How each referral's neighbourhood was found: by LSOA 2021 or 2011 code, a split LSOA 2011, a "
        "postcode, or not resolved.",
        numerator="Referrals found by the method.",
        denominator="All referrals in the store.",
        method="Share = numerator / denominator; postcode and split-LSOA placements are flagged as approximate.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE,
        caveats="Postcodes are placed by point-in-polygon on super-generalised boundaries (approximate). Whole store, "
        "not the selection.",
        source=SOURCE_REFERRALS + " ONS Postcode Directory; ONS LSOA 2011 to 2021 lookup.",
    ),
    "data_quality_ethnicity": _entry(
        definition="Unknown ethnicity: referrals with ethnicity not stated (Z), not known (99) or missing.",
        numerator="Referrals in each unknown category.",
        denominator="All referrals in the store.",
        method="Share = numerator / denominator (NHS England ethnic category definitions).",
        ci_method=NO_CI,
        disclosure=DISCLOSURE,
        caveats="Whole store, not the selection; categories are controlled like any count below ICB level.",
        source=SOURCE_REFERRALS,
    ),
    "outcomes_by_group": _entry(
        definition="Outcomes of one standardised measure (the measure registry, data/measures.toml) for referrals in "
        "the selection: pairs of start and end scores, completeness, mean change, reliable change and movement from "
        "the clinical to the non-clinical range, by Place, IMD quintile, Core20, ethnic group, age band or service.",
        numerator="Pairs: referrals with both a start and an end score on the measure. Completeness: pairs of "
        "discharged referrals. Reliably improved / deteriorated: pairs whose change in the better (worse) direction "
        "is at least the measure's published reliable-change threshold. Clinical to non-clinical: pairs starting in "
        "the clinical range (the published cut-off) and ending outside it.",
        denominator="Completeness: discharged referrals of the group (any measure or none). Reliable change shares: "
        "pairs. Clinical to non-clinical: pairs starting in the clinical range.",
        method="Change = end score - start score (its sign: see the measure's better direction). Mean change = sum of "
        "changes / pairs; standard deviation with n - 1. Shares = count / denominator from the controlled counts. "
        "Compared with L&SC: the mean change of the whole ICB under the same non-geographic filters is better or "
        "worse when it lies outside the group's 95% (or 99.8%) interval, otherwise similar (the PHE Fingertips "
        "convention). Thresholds and their sources: the measure registry; where none is published (PIR-GAS reliable "
        "change, ASQ:SE-2 cut-offs that differ by age interval, GBO clinical range) the share is not given.",
        ci_method="Mean change: Student's t, mean -/+ t(0.975, n - 1) x sd / sqrt(n) (PHEindicatormethods phe_mean), "
        "95% and 99.8%, n the controlled pair count. Shares: " + WILSON,
        disclosure=DISCLOSURE + " Pairs are counts: the mean change and its interval are hidden wherever the pair "
        "count is hidden, and the interval is computed from the controlled pair count.",
        caveats="Pairs are recorded for only some discharged referrals (see completeness): those with a pair may not "
        "be typical. Change is not caused by the service alone (no comparison group); scores of different measures "
        "are not comparable. Measures not in the registry are listed on the Data quality page, not analysed. "
        + CAVEATS_DEMO,
        source=SOURCE_REFERRALS + " Thresholds: NHS Talking Therapies Manual (PHQ-9, GAD-7); Barkham et al. 2013 "
        "(CORE-10); Edbrooke-Childs et al. 2015 (GBO); ZERO TO THREE DC:0-3R 2005 (PIR-GAS).",
    ),
    "gap_to_parity": _entry(
        definition="The gap to parity: children accessing against those expected from need, and the additional "
        "children a year a Place, district or neighbourhood would need to reach for its need-adjusted access ratio "
        "to reach 1.",
        numerator=ACCESSING + ".",
        denominator="Expected children accessing. " + NEED,
        method="Ratio = observed / expected (O/E). Additional children a year = max(0, expected - observed) x 12 / "
        "the months of data in the selected period; zero where the area is at or above parity. The planner page "
        "multiplies it by the cost per child the user enters (unit cost per support element x the share of the "
        "additional children in each, with the source the user cites) and, if entered, the return per GBP 1.",
        ci_method=BYAR_RATIO + " Additional children: max(0, E - U) to max(0, E - L) a year, L and U the Byar 95% "
        "limits of the observed count (the expected count treated as fixed).",
        disclosure=DISCLOSURE + " The additional children are computed from the controlled observed count and "
        "hidden with it.",
        caveats="Need is modelled, not measured: the prevalence of need by IMD decile is a setting. Parity with the "
        "L&SC rate per child in need is not a target in itself: if L&SC as a whole under-reaches need, parity "
        "closes only the within-ICB gap. No unit cost or return is assumed: the planner shows money only once the "
        "user enters costs and their source. " + CAVEATS_DEMO,
        source=SOURCE_REFERRALS,
    ),
    "data_quality_measures": _entry(
        definition="Outcome measures recorded in the store: referrals and pairs by measure name, and whether the "
        "measure registry knows the name.",
        numerator="Referrals recording the measure name; pairs: those with both a start and an end score.",
        denominator="All referrals in the store.",
        method="Names are matched to data/measures.toml ignoring case, spaces and punctuation. Share = referrals "
        "with the name / all referrals.",
        ci_method=NO_CI,
        disclosure=DISCLOSURE,
        caveats="Whole store, not the selection. A name not in the registry is kept but not analysed.",
        source=SOURCE_REFERRALS,
    ),
}

#: help of the Map's ranked table columns (publish.maptable), from the same metadata
COLUMN_HELP: Final[dict[str, str]] = {
    "Area": "The area's name (LSOA: the ONS name, district and letter).",
    "Rank in Place": "1 = the lowest need-adjusted access ratio in its Place; areas with a hidden ratio are not "
    "ranked; ties share a rank.",
    "Rank in L&SC": "1 = the lowest need-adjusted access ratio in L&SC (same filters, all Places).",
    "Children accessing": DEFINITIONS["access_ratio"]["numerator"] + " * = hidden (1-4); others rounded to 5.",
    "Ratio (95% CI)": DEFINITIONS["access_ratio"]["definition"] + " 95% CI: " + BYAR_RATIO,
    "Compared with expected": "From the 95% interval shown: significantly below (upper limit below 1), similar "
    "(interval includes 1) or significantly above (lower limit above 1).",
    "Compared with benchmark": "The ratio's 95% interval against the benchmark chosen in the sidebar (a Place's own "
    "ratio): worse (whole interval below it), similar, or better (whole interval above it), as OHID Fingertips.",
}


def definition(key: str) -> dict[str, str]:
    """The sections of indicator ``key`` (a map metric or a published table)."""
    if key not in DEFINITIONS:
        raise KeyError(f"no definition for {key!r}")
    return DEFINITIONS[key]


def help_text(key: str) -> str:
    """The short help shown beside an indicator ("?"): definition, numerator, denominator, CI method."""
    d = definition(key)
    return (
        f"{d['definition']}\n\nNumerator: {d['numerator']}\n\nDenominator: {d['denominator']}\n\n"
        f"Interval: {d['ci_method']}\n\nSee Definitions for method, caveats and sources."
    )
