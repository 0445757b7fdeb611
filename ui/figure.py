"""Charts on screen with their text alternative: the figure, then one sentence saying what it shows.

The sentence comes from :func:`charts.describe.describe` (the figure's own title and data), so a screen
reader user, or anyone who cannot read the colours, gets the chart's message (WCAG 1.1.1). Streamlit 1.67
offers no way to set ARIA attributes on a chart without JavaScript, so the chart and its sentence share a
keyed container (class ``st-key-<key>_described``) and the sentence sits directly under the chart.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from charts.describe import describe


def chart(fig: go.Figure, *, key: str, where: DeltaGenerator | None = None, pack: bool = False, **kwargs: Any) -> Any:
    """``st.plotly_chart(fig, key=key, **kwargs)`` in ``where`` (a column; default the page), with the
    chart's description as a caption under it; returns what ``st.plotly_chart`` returns (the selection
    event when ``on_select`` is given). ``pack``: offer an "Add to board pack" button for the chart as
    shown (charts with their own board-pack item have their own button instead)."""
    with (where or st).container(key=f"{key}_described"):
        event = st.plotly_chart(fig, key=key, **kwargs)
        st.caption(describe(fig))
        if pack:
            from publish.pack_items import snapshot_of_figure
            from ui.boardpack import snapshot_button

            text = fig.layout.title.text or key
            snapshot_button(
                key=key,
                title=describe_title(text),
                caption=text,
                make_spec=lambda: snapshot_of_figure(fig),
            )
    return event


def describe_title(text: str) -> str:
    """A figure title's first line as plain text."""
    from charts.describe import plain

    return plain(text.split("<br>")[0])
