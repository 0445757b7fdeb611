"""Text contrast of the house style: every text colour against what it is drawn on is at least 4.5:1
(WCAG 2.2 AA, 1.4.3), on screen (Streamlit theme, chart text) and in the charts' own cells and labels."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from charts import common
from charts.bars import rate_bars
from charts.colour import blend, contrast_ratio, relative_luminance
from charts.core20 import coverage_dots, gradient_chart, quarterly_chart
from charts.provision import provision_and_access, provision_matrix
from charts.sites import coverage_bars, interval_dots, source_mix_bars
from charts.spc import ICON_ANNOTATION, TARGET_LINE
from equity.provision import STATUS_TEXT_COLOURS, STATUSES
from equity.settings import REPO_ROOT

AA = 4.5
#: Streamlit 1.67 draws st.caption in the theme's text colour at this opacity (measured in Chromium:
#: the caption container has ``opacity: 0.6``), over the page (white) or the sidebar (#f8f8f7).
CAPTION_OPACITY = 0.6
STREAMLIT_BACKGROUNDS = {"page": "#FFFFFF", "sidebar": "#F8F8F7"}


def test_contrast_ratio_worked_by_hand():
    # #767676 on white. sRGB 0x76 = 118; 118 / 255 = 0.462745; above 0.04045, so linear =
    # ((0.462745 + 0.055) / 1.055) ** 2.4 = 0.181164. Grey: L = (0.2126 + 0.7152 + 0.0722) * 0.181164 = 0.181164.
    # White: L = 1. Ratio = (1 + 0.05) / (0.181164 + 0.05) = 1.05 / 0.231164 = 4.542.
    assert relative_luminance("#767676") == pytest.approx(0.181164, abs=1e-6)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.542, abs=1e-3)
    assert contrast_ratio("#FFFFFF", "#767676") == contrast_ratio("#767676", "#FFFFFF")  # order does not matter
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") < AA < contrast_ratio("#767676", "#FFFFFF")


def _theme_text_colour() -> str:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    theme = config.get("theme", {})
    return theme.get("light", {}).get("textColor") or theme.get("textColor") or "#2f2d2b"  # Streamlit's default


@pytest.mark.parametrize("where", list(STREAMLIT_BACKGROUNDS))
def test_streamlit_body_text_and_captions(where):
    background = STREAMLIT_BACKGROUNDS[where]
    text = _theme_text_colour()
    caption = blend(text, CAPTION_OPACITY, background)
    assert contrast_ratio(text, background) >= AA
    assert contrast_ratio(caption, background) >= AA, f"caption {caption} on the {where} {background}"


def test_house_text_colours_on_their_backgrounds():
    pairs = {
        "chart text": (common.TEXT_COLOUR, common.BACKGROUND),
        "source line": (common.SOURCE_COLOUR, common.BACKGROUND),
        "bar value labels (white inside the first categorical colour)": ("#FFFFFF", common.CATEGORICAL[0]),
        "SPC target label": (TARGET_LINE, common.BACKGROUND),
        **{f"provision cell {s}": (STATUS_TEXT_COLOURS[s], STATUSES[s][2]) for s in STATUSES},
    }
    low = {name: round(contrast_ratio(*pair), 2) for name, pair in pairs.items() if contrast_ratio(*pair) < AA}
    assert not low


# --------------------------------------------------------------------------------------------
# every text element of the built figures


def _figures():
    places = pd.DataFrame(
        {
            "group_name": ["Blackpool", "Lancashire"],
            "rate_per_1000": [98.1, 41.2],
            "lower_95": [90.0, 38.0],
            "upper_95": [106.0, 44.0],
        }
    )
    kw = dict(title="T", subtitle="S", source="Source: test")
    yield "rate_bars", rate_bars(
        frame=places, label_column="group_name", rate_column="rate_per_1000", lower_column="lower_95",
        upper_column="upper_95", x_title="per 1,000", reference=60.0, reference_label="L&SC", **kw
    )
    cov = pd.DataFrame(
        {"area": ["L&SC", "Blackpool"], "coverage_ratio": [1.1, 0.9], "lower_95": [1.0, 0.8], "upper_95": [1.2, 1.0],
         "need_adjusted_ratio": [0.9, 0.8], "need_lower_95": [0.8, 0.7], "need_upper_95": [1.0, 0.9]}
    )
    yield "coverage_dots", coverage_dots(frame=cov, target=1.1, **kw)
    grad = pd.DataFrame(
        {"group": [1, 2, 3], "rate_per_1000": [80.0, 60.0, 40.0], "lower_95": [75.0, 55.0, 35.0],
         "upper_95": [85.0, 65.0, 45.0], "expected_rate_per_1000": [70.0, 60.0, 50.0]}
    )
    yield "gradient_chart", gradient_chart(frame=grad, group_label="IMD decile", **kw)
    quarters = pd.DataFrame(
        {"quarter_label": ["2024 Q1", "2024 Q2"], "coverage_ratio": [0.9, 1.0], "lower_95": [0.8, 0.9],
         "upper_95": [1.0, 1.1]}
    )
    yield "quarterly_chart", quarterly_chart(frame=quarters, target=1.1, **kw)
    yield "interval_dots", interval_dots(
        frame=places, label_column="group_name", value_column="rate_per_1000", lower_column="lower_95",
        upper_column="upper_95", x_title="days", reference=50.0, reference_label="L&SC", **kw
    )
    row = pd.Series({"share_within_1km": 0.4, "share_within_2km": 0.8, "core20_share_within_1km": 0.5,
                     "core20_share_within_2km": 0.9})
    yield "coverage_bars", coverage_bars(coverage_row=row, thresholds=(1, 2), **kw)
    mix = pd.DataFrame({"place": ["Blackpool", "Blackpool"], "source_label": ["GP", "Health visitor"],
                        "share": [0.6, 0.4], "referrals": [60, 40]})
    yield "source_mix_bars", source_mix_bars(mix=mix, **kw)
    matrix = pd.DataFrame(
        {"place": ["Blackpool", "Blackpool"], "support_element": [1, 2], "element_name": ["Universal", "Targeted"],
         "thrive_category": ["Getting advice", "Getting help"], "status": ["Full provision", "No provision"],
         "note": ["", ""]}
    )
    access = pd.DataFrame({"place": ["Blackpool", "Blackpool"], "support_element": [1, 2],
                           "rate_per_1000": [12.0, None], "lower_95": [10.0, None], "upper_95": [14.0, None]})
    yield "provision_matrix", provision_matrix(matrix=matrix, access=access, **kw)
    yield "provision_and_access", provision_and_access(matrix=matrix, access=access, **kw)


def _text_colours(fig):
    """(where, colour, background) of every text element; a colour left unset is None (Streamlit's
    chart theme would then choose it)."""
    layout = fig.layout
    paper = layout.paper_bgcolor
    yield "font", layout.font.color, paper
    yield "title", layout.title.font.color or layout.font.color, paper
    if layout.showlegend is not False:
        yield "legend", layout.legend.font.color, paper
    for name in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[name]
        if axis.visible is not False:
            yield f"{name} ticks", axis.tickfont.color, paper
            yield f"{name} title", axis.title.font.color, paper
    for i, note in enumerate(layout.annotations):
        if note.name == ICON_ANNOTATION:  # Making Data Count icons keep NHS England's colours; their
            continue  # meaning is written under every SPC chart (Variation: ... Assurance: ...)
        on_cell = note.xref in (None, "x") and note.yref in (None, "y") and any(t.type == "heatmap" for t in fig.data)
        if not on_cell:  # (provision cells are checked against their own colour above)
            yield f"annotation {i} {note.text[:20]!r}", note.font.color, note.bgcolor or paper
    for trace in fig.data:
        if trace.type in ("choropleth", "heatmap") and trace.showscale is not False:
            yield f"{trace.type} colour bar", trace.colorbar.tickfont.color, paper
        if trace.type == "scatter" and trace.mode == "text":
            yield f"text trace {trace.name}", trace.textfont.color or layout.font.color, paper


FIGURES = list(_figures())


@pytest.mark.parametrize("name,fig", FIGURES, ids=[name for name, _ in FIGURES])
def test_every_chart_text_colour_is_set_and_reads(name, fig):
    problems = []
    for where, colour, background in _text_colours(fig):
        if colour is None:
            problems.append(f"{where}: colour not set (Streamlit's theme draws it at 3.7:1)")
        elif contrast_ratio(colour, background or "#FFFFFF") < AA:
            problems.append(f"{where}: {colour} on {background} is {contrast_ratio(colour, background):.2f}:1")
    assert not problems, f"{name}:\n" + "\n".join(problems)

