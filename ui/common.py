"""Page furniture: data banner, source captions."""

from __future__ import annotations

import re
import string

import streamlit as st

from equity.dashboard import StoreInfo
from equity.display import DISCLOSURE_NOTE

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(MHCLG English Indices of Deprivation 2019 and 2025; ONS mid-2020 small area population estimates, "
    "Census 2021, lookups and boundaries). Source: Office for National Statistics licensed under the OGL v3.0. "
    "Contains OS data © Crown copyright and database right 2021-2024."
)


_MARKDOWN_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def plain(text: str) -> str:
    """User text (pack titles, subtitles, commentary, file names) to pass to st.markdown, st.caption,
    st.warning, st.toast ...: shown as the characters typed, never as Markdown. Every ASCII punctuation
    character is backslash-escaped (CommonMark allows that for each of them), so no image, link, HTML,
    heading, list, emphasis or Streamlit extension (``:red[...]``, ``:material/...:``, ``$...$``) is made;
    line breaks become spaces (the text is one line of a heading or message)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def data_banner(info: StoreInfo) -> None:
    if info.kind == "demo":
        st.warning(
            f"**Demo data** — synthetic referrals, not real patients ({plain(info.description)}). "
            "The patterns are planted by the model described in data/DEMO.md.",
            icon=":material/science:",
        )
    st.caption(f"Referrals received {info.first_referral_date} to {info.data_date} (data date {info.data_date}).")


def source_line(info: StoreInfo) -> str:
    kind = "synthetic demo referrals" if info.kind == "demo" else "referral extract"
    return f"Source: {kind} to {info.data_date}; population 0-5: ONS mid-2020 estimates; IMD: MHCLG (OGL v3.0)"


def footer() -> None:
    st.divider()
    st.caption(DISCLOSURE_NOTE)
    st.caption(ATTRIBUTION)


def in_words(sentences: list[str] | str, *, key: str) -> None:
    """The summary in words under a chart (``equity.summaries``), as plain text in a keyed container
    (``st-key-<key>``): never read as Markdown, so a suppressed '*' stays a '*'."""
    lines = [sentences] if isinstance(sentences, str) else sentences
    with st.container(key=key):
        st.markdown("**In words.** " + " ".join(plain(line) for line in lines))
