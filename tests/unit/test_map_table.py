"""The Map's ranked table (publish.maptable): ranks, the comparison word, suppressed cells, the filter."""

import numpy as np
import pandas as pd

from publish.maptable import WIDTHS, compared_with_expected, ranked_areas, ranks_cover_icb


def _areas() -> pd.DataFrame:
    # published map_areas rows: a hidden count has its ratio and limits hidden too
    return pd.DataFrame(
        {
            "code": ["A1", "A2", "A3", "B1", "B2"],
            "name": ["Alpha 1", "Alpha 2", "Alpha 3", "Beta 1", "Beta 2"],
            "place": ["Blackpool", "Blackpool", "Blackpool", "Lancashire", "Lancashire"],
            "people_accessing": pd.array([10, pd.NA, 40, 25, 5], dtype="Int64"),
            "access_ratio": [0.5, np.nan, 1.6, 0.9, 0.3],
            "access_ratio_lower": [0.24, np.nan, 1.14, 0.58, 0.1],
            "access_ratio_upper": [0.92, np.nan, 2.18, 1.33, 0.7],
        }
    )


def test_comparison_word_is_read_from_the_shown_interval():
    assert compared_with_expected(0.2, 0.9) == "significantly below"
    assert compared_with_expected(0.8, 1.2) == "similar"
    assert compared_with_expected(1.1, 1.9) == "significantly above"
    assert compared_with_expected(np.nan, np.nan) == "*"


def test_ranked_lowest_ratio_first_within_place_and_across_lsc():
    areas = _areas()
    out = ranked_areas(areas, areas, level="lsoa")
    assert list(out.columns) == [
        "Area",
        "Rank in Place",
        "Rank in L&SC",
        "Children accessing",
        "Ratio (95% CI)",
        "Compared with expected",
    ]
    assert list(out["Area"]) == ["Beta 2", "Alpha 1", "Beta 1", "Alpha 3", "Alpha 2"]
    assert list(out["Rank in Place"].astype(object).fillna(0)) == [1, 1, 2, 2, 0]
    assert list(out["Rank in L&SC"].astype(object).fillna(0)) == [1, 2, 3, 4, 0]
    hidden = out.iloc[-1]
    assert pd.isna(hidden["Rank in Place"]) and pd.isna(hidden["Rank in L&SC"])  # not ranked
    assert (hidden["Children accessing"], hidden["Ratio (95% CI)"], hidden["Compared with expected"]) == ("*",) * 3
    assert out.iloc[0]["Ratio (95% CI)"] == "0.30 (0.10 to 0.70)"
    assert list(out["Compared with expected"]) == [
        "significantly below",
        "significantly below",
        "similar",
        "significantly above",
        "*",
    ]
    assert not out.astype(str).isin(["None", "nan", "<NA>"]).any().any()


def test_rank_in_lsc_comes_from_the_whole_icb_table():
    areas = _areas()
    blackpool = areas[areas["place"] == "Blackpool"].reset_index(drop=True)
    out = ranked_areas(blackpool, areas, level="lsoa").set_index("Area")
    assert out.loc["Alpha 1", "Rank in Place"] == 1 and out.loc["Alpha 1", "Rank in L&SC"] == 2
    assert "Rank in L&SC" not in ranked_areas(blackpool, None, level="lsoa").columns


def test_place_level_has_no_rank_in_place_and_filter_keeps_only_significantly_below():
    areas = _areas()
    assert "Rank in Place" not in ranked_areas(areas, areas, level="place").columns
    below = ranked_areas(areas, areas, level="lsoa", below_only=True)
    assert list(below["Area"]) == ["Beta 2", "Alpha 1"]
    assert set(below["Compared with expected"]) == {"significantly below"}


def test_rank_across_lsc_needs_every_places_rows():
    assert ranks_cover_icb(None, "lsoa")
    assert ranks_cover_icb(("Blackpool", "Blackburn with Darwen", "Lancashire", "South Cumbria"), "msoa")
    assert not ranks_cover_icb(("Blackpool",), "lsoa")
    assert ranks_cover_icb(("Blackpool",), "place")  # Place rows are published to everyone


def test_columns_fit_the_main_column_at_1280_px():
    # the main column is 820 px wide at 1280 x 720 with the sidebar open (measured in Chromium)
    assert sum(WIDTHS.values()) <= 810


def test_mostly_grey_suggests_the_next_level_up():
    from publish.maptable import coarser_level, hidden_share

    areas = _areas()  # one of five ratios hidden
    assert hidden_share(areas, "access_ratio") == 0.2
    assert coarser_level(areas, "access_ratio", "lsoa") is None
    areas.loc[[0, 2], "access_ratio"] = np.nan  # three of five: most would be grey
    assert coarser_level(areas, "access_ratio", "lsoa") == "msoa"
    assert coarser_level(areas, "access_ratio", "place") is None  # nothing coarser
    assert hidden_share(areas.iloc[0:0], "access_ratio") == 0.0
