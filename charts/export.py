"""The layout of a chart drawn for a board pack (PPTX / PDF picture at a fixed size).

On screen Plotly fits the margins to the window; in a picture drawn at a fixed size the y-axis tick
numbers were clipped at the left edge (a 10 px margin) and the axis title sat on them, and a long subtitle
ran off the right edge under the SPC icons. :func:`for_export` returns a copy with margins grown to fit
the ticks and the axis titles (``automargin``), the titles set off from the tick numbers (``standoff``)
and the subtitle wrapped to the picture's width (clear of the icons at the top right).
"""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

#: left and right margins of an exported chart, before automargin grows them further
EXPORT_MARGIN_LEFT = 80
EXPORT_MARGIN_RIGHT = 30
#: the gap between the tick numbers and the axis title (px)
TITLE_STANDOFF = 14
#: subtitle characters per line at 960 px with the icons at the top right (12 px sup text: about 6 px each)
SUBTITLE_CHARS = 105


def _wrap_subtitle(title: str, width: int) -> str:
    match = re.search(r"<sup>(.*)</sup>", title, flags=re.S)
    if not match or "<br>" in match.group(1):
        return title
    lines = textwrap.wrap(match.group(1), width) or [match.group(1)]
    return title[: match.start()] + "<sup>" + "<br>".join(lines) + "</sup>" + title[match.end() :]


def for_export(fig: go.Figure, *, width: int = 960, pin_title: bool = True) -> go.Figure:
    """A copy of ``fig`` laid out to be drawn as a picture ``width`` px wide (``pin_title``: the title
    block pinned to the top of the picture when its subtitle wraps)."""
    out = go.Figure(fig)
    is_map = any(t.type in ("choropleth", "scattergeo", "choroplethmap") for t in out.data)
    if not is_map:
        out.update_yaxes(automargin=True, title_standoff=TITLE_STANDOFF)
        out.update_xaxes(automargin=True, title_standoff=TITLE_STANDOFF)
        margin = out.layout.margin
        out.update_layout(
            margin=dict(
                l=max(margin.l or 0, EXPORT_MARGIN_LEFT),
                r=max(margin.r or 0, EXPORT_MARGIN_RIGHT),
            )
        )
    text = out.layout.title.text
    if text:
        chars = int(SUBTITLE_CHARS * width / 960)
        out.update_layout(title_text=_wrap_subtitle(text, chars))
        lines = _wrap_subtitle(text, chars).count("<br>")
        if lines > 1:  # the title block grows by one line (about 26 px as drawn) per extra subtitle line
            top = out.layout.margin.t or 80
            # pinned to the top of the picture (Plotly centres it in the top margin, which moves it down too)
            out.update_layout(margin_t=top + 26 * (lines - 1))
            if pin_title:
                out.update_layout(title_yref="container", title_y=0.975, title_yanchor="top")
    return out
