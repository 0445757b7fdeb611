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


def inequality_table(table: pd.DataFrame) -> pd.DataFrame:
    from equity.report import inequality_display

    return inequality_display(table)
