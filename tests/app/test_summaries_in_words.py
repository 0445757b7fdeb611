"""Summaries in words under the main charts (issue 16, point 7), checked against the numbers of the tables
on the same page (the sentence is generated from the published rows, never typed in)."""

from streamlit.testing.v1 import AppTest

from equity.settings import REPO_ROOT


def _page(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _words(at: AppTest, key: str) -> str:
    texts = [m.value for m in at.main.markdown if m.value.startswith("**In words.**")]
    assert texts, f"no summary in words ({key})"
    return texts[0].replace("\\", "")  # the sentence is shown as plain text (punctuation escaped)


def test_overview_blackpool_in_words_matches_its_tables(demo_store):
    at = _page(place="Blackpool")
    words = _words(at, "overview_in_words")
    headline = at.main.dataframe[0].value
    blackpool = headline[headline["Area"] == "Blackpool"].iloc[0]
    assert f"Blackpool: {blackpool['Referrals per 1,000 aged 0-5']} referrals per 1,000 children aged 0-5" in words
    assert "significantly higher than L&SC (107.5)" in words
    equity = at.main.dataframe[1].value
    row = equity[equity["Statistic"].str.startswith("Need-adjusted referral ratio")].iloc[0]
    assert row["Group"] == "Blackpool"
    # the issue's own example: 1.59 times what need implies, significantly above L&SC
    assert (
        f"Blackpool's need-adjusted referral ratio is {row['Value']} (95% CI {row['95% CI']}): "
        f"{row['Value']} times the referrals its need implies, significantly above L&SC." in words
    )
    assert row["Value"] == "1.59"


def test_overview_in_words_against_a_place_benchmark(demo_store):
    words = _words(_page(bench="Lancashire"), "overview_in_words")
    assert "Lancashire: 98.6 referrals per 1,000 children aged 0-5, similar to Lancashire" in words
    assert "significantly above Lancashire (0.94)" in words  # Blackpool's 1.59 against Lancashire's ratio


def test_map_in_words_matches_the_ranked_table(demo_store):
    at = _page("pages/explore/map.py", level="place")
    words = _words(at, "map_in_words")
    ranked = at.main.dataframe[0].value
    below = int((ranked["Compared with expected"] == "significantly below").sum())
    first = ranked.iloc[0]
    assert f"{below:,} of 4 Place areas" in words or "No Place area" in words
    assert f"the lowest ratio is {first['Area']}: {first['Ratio (95% CI)']}" in words


def test_core20_and_trends_in_words(demo_store):
    at = _page("pages/explore/core20.py")
    words = _words(at, "c20_in_words")
    table = at.main.dataframe[0].value
    assert table["Area"].iloc[0] == "L&SC ICB"
    ratio = table["Coverage ratio (95% CI)"].iloc[0]  # '1.09 (1.07 to 1.11)'
    value, ci = ratio.split(" (")
    assert f"{value} times their share of children aged 0-5 (95% CI {ci.rstrip(')')})" in words
    at.switch_page("pages/explore/trends.py").run()
    words = _words(at, "spc_in_words")
    summary = at.main.dataframe[0].value
    assert "Variation: " in words and "Assurance: " in words
    assert words.startswith("**In words.** Referrals received per month: L&SC ICB:")
    row = summary[(summary["Measure"] == "Referrals received") & (summary["Area"] == "L&SC ICB")].iloc[0]
    month = {"Oct": "October"}.get(row["Latest month"][:3], row["Latest month"][:3])
    assert f"{row['Latest']} in {month}" in words and f"against a mean of {row['Mean']}." in words
    assert f"Variation: {row['Variation'].lower()}." in words
