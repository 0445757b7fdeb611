"""What the Provision and Reach pages' forms share: the saved-change message and the element label."""

from __future__ import annotations

import streamlit as st

from data.schema import SUPPORT_ELEMENTS

FLASH_KEY = "_provision_flash"

STORE_BUSY = "the store is busy (another change or import is being written); try again in a moment"


def flash() -> None:
    """Show (once) the message left by the last save, after the rerun that follows it."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def element_label(element: int) -> str:
    name, thrive = SUPPORT_ELEMENTS[int(element)]
    return f"{element}. {name} ({thrive})"
