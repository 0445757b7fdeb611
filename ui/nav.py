"""The sidebar's page navigation as plain links under section labels.

Streamlit's own sectioned sidebar navigation puts each section's header and a wrapping ``<div>``
directly inside its ``<ul>`` (invalid list markup: axe-core rules ``list`` and ``listitem``, WCAG 1.3.1),
so app.py hides it (``st.navigation(..., position="hidden")``) and draws the same pages with
``st.page_link``, which switch pages in the same session as the built-in links do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def page_links(where: DeltaGenerator, sections: Mapping[str, Sequence[st.Page]]) -> None:
    """Each section's name, then a link to each of its pages (the current page is highlighted)."""
    with where:
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for page in pages:
                st.page_link(page, width="stretch")
