"""Screen tables: disclosure-controlled frames -> labelled, formatted frames."""

from __future__ import annotations

import pandas as pd

from ui import format as fmt


def overview_table(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in table.itertuples(index=False):
        rows.append(
            {
                "Area": row.group_name,
                "Neighbourhoods (LSOAs)": f"{row.lsoa_count:,}",
                "Children aged 0-5": f"{row.denominator:,}",
                "Referrals": fmt.count(row.referrals),
                "Referrals per 1,000 aged 0-5": fmt.rate(row.rate_per_1000),
                "95% CI (referrals)": fmt.interval(row.lower_95, row.upper_95),
                "People accessing": fmt.count(row.people_accessing),
                "Access per 1,000 aged 0-5": fmt.rate(row.access_rate_per_1000),
                "95% CI (access)": fmt.interval(row.access_lower_95, row.access_upper_95),
                "Referrals from Core20 areas": fmt.share(row.core20_referral_share),
                "Children 0-5 living in Core20 areas": fmt.share(row.core20_population_share),
            }
        )
    return pd.DataFrame(rows)


def map_hover(table: pd.DataFrame, vintage: int) -> list[str]:
    out = []
    for row in table.itertuples(index=False):
        out.append(
            f"<b>{row.lsoa_name}</b> ({row.lsoa_code})<br>{row.msoa_name} · {row.place}<br>"
            f"IMD {vintage} decile {row.imd_decile} (1 = most deprived){' · Core20' if row.core20 else ''}<br>"
            f"Children aged 0-5: {row.denominator:,}<br>Referrals: {fmt.count(row.referrals)}<br>"
            f"Rate per 1,000: {fmt.rate(row.rate_per_1000)} (95% CI {fmt.interval(row.lower_95, row.upper_95)})"
        )
    return out


def map_download(table: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "lsoa_code": "lsoa_code",
        "lsoa_name": "lsoa_name",
        "msoa_name": "msoa_name",
        "lad_name": "district",
        "place": "place",
        "imd_decile": "imd_decile",
        "core20": "core20",
        "denominator": "population_0_5",
        "referrals": "referrals",
        "rate_per_1000": "rate_per_1000",
        "lower_95": "lower_95",
        "upper_95": "upper_95",
        "suppressed": "suppressed",
    }
    return table[list(columns)].rename(columns=columns)


def inequality_table(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in table.itertuples(index=False):
        decimals = 1 if row.statistic == "SII" else 2
        rows.append(
            {
                "Statistic": row.statistic,
                "Group": row.group,
                "Value": fmt.rate(row.value, decimals),
                "95% CI": fmt.interval(row.lower_95, row.upper_95)
                if decimals == 1
                else (fmt.SUPPRESSED if pd.isna(row.lower_95) else f"{row.lower_95:.2f} to {row.upper_95:.2f}"),
                "Meaning": row.description,
            }
        )
    return pd.DataFrame(rows)
