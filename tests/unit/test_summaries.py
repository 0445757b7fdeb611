"""Summary sentences (equity.summaries) from given numbers."""

import pandas as pd

from equity import summaries


def test_need_ratio_sentence_is_the_issues_example():
    text = summaries.need_ratio_sentence("Blackpool", 1.5851, 1.5144, 1.6583)
    assert text == (
        "Blackpool's need-adjusted referral ratio is 1.59 (95% CI 1.51 to 1.66): 1.59 times the referrals its "
        "need implies, significantly above L&SC."
    )


def test_need_ratio_sentence_similar_below_and_hidden():
    assert summaries.need_ratio_sentence("Blackburn with Darwen", 0.9643, 0.9154, 1.0152).endswith("similar to L&SC.")
    assert "significantly below L&SC" in summaries.need_ratio_sentence("South Cumbria", 0.8461, 0.7885, 0.9069)
    # against a Place: its own ratio, written after its name
    text = summaries.need_ratio_sentence(
        "Blackpool", 1.5851, 1.5144, 1.6583, benchmark_name="Lancashire", benchmark_value=0.9406
    )
    assert text.endswith("significantly above Lancashire (0.94).")
    assert "hidden" in summaries.need_ratio_sentence("Somewhere", None, None, None)
    assert summaries.possessive("Blackburn with Darwen") == "Blackburn with Darwen's"
    assert summaries.possessive("Lakes") == "Lakes'"


def test_coverage_and_map_sentences():
    text = summaries.coverage_sentence("referrals", 1.0894, 1.0663, 1.1128)
    assert "1.09 times their share of children aged 0-5 (95% CI 1.07 to 1.11)" in text
    assert "significantly more than in proportion" in text
    assert "in proportion to the children living there (the interval includes 1)" in summaries.coverage_sentence(
        "referrals", 0.98, 0.94, 1.02
    )
    ranked = pd.DataFrame(
        {
            "Area": ["A", "B", "C"],
            "Ratio (95% CI)": ["0.45 (0.21 to 0.89)", "0.98 (0.80 to 1.20)", "*"],
            "Compared with expected": ["significantly below", "similar", "*"],
        }
    )
    assert summaries.map_sentence(ranked, level_word="MSOA", total=3) == (
        "1 of 3 MSOA areas have significantly lower access than their need implies; the lowest ratio is A: "
        "0.45 (0.21 to 0.89) (significantly below)."
    )
