"""The sign-in gate, run by app.py before the sidebar and any page: who is this, and may they see anything?

* Sign-in configured (``[auth]`` in ``.streamlit/secrets.toml``, as Streamlit documents for ``st.login``):
  a visitor who is not signed in sees only the sign-in page; a signed-in user gets the roles and Places
  of the access policy (``EQUITY_ACCESS_FILE``), or a "no access" page when no grant matches.
* No sign-in configured and a store holding only synthetic demo data: open demo mode, said on every page.
* No sign-in configured and real data in the store: the app refuses, and says how to configure sign-in
  (``EQUITY_ALLOW_NO_SIGN_IN=yes`` runs it for one trusted user, with a warning on every page).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from data.audit import record
from data.imports import holds_only_demo
from equity.access import ROLE_LABELS, Access, AccessPolicyError, Policy, everything, load_policy
from equity.settings import Settings

ACCESS_KEY = "_access"
SIGNED_IN_KEY = "_signed_in_recorded"
OPEN_DEMO_BANNER = "Open demo mode: no sign-in; synthetic data. Configure sign-in before loading real referrals."
SINGLE_USER_BANNER = (
    "Sign-in is switched off (EQUITY_ALLOW_NO_SIGN_IN=yes) on a store holding real referral data: anyone who "
    "can reach this server sees everything. For one trusted user on their own machine only."
)
NO_ACCESS = "No access — ask your ICB data team to add you to the dashboard's access policy."


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's ``st.login`` settings)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


@st.cache_resource(show_spinner=False)
def _policy(path: str, stamp: float) -> Policy:
    return load_policy(Path(path))


def policy(cfg: Settings) -> Policy:
    """The access policy, read again whenever the file changes."""
    try:
        stamp = cfg.access_file.stat().st_mtime
    except OSError:
        stamp = 0.0
    return _policy(str(cfg.access_file), stamp)


def gate(cfg: Settings) -> Access:
    """The visitor's access, or a sign-in / no-access / refusal page and ``st.stop()``."""
    if auth_configured():
        return _signed_in(cfg)
    if holds_only_demo(cfg.store_location):
        access = everything("open-demo", "Open demo visitor", "open_demo")
        st.info(OPEN_DEMO_BANNER, icon=":material/lock_open:")
    elif cfg.allow_no_sign_in:
        access = everything("single-user", "Single user (no sign-in)", "single_user")
        st.warning(SINGLE_USER_BANNER, icon=":material/warning:")
    else:
        _refuse()
        st.stop()
    st.session_state[ACCESS_KEY] = access
    return access


def _signed_in(cfg: Settings) -> Access:
    if not st.user.is_logged_in:
        _sign_in_page()
        st.stop()
    claims = st.user.to_dict()
    try:
        access = policy(cfg).access_for(claims)
    except AccessPolicyError as exc:
        st.error(f"The dashboard's access policy cannot be used: {exc}")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    st.session_state[ACCESS_KEY] = access
    if not access.has_access:
        st.title("L&SC early-years equity dashboard")
        st.error(f"{NO_ACCESS} (signed in as {access.display_name})", icon=":material/block:")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    if not st.session_state.get(SIGNED_IN_KEY):
        record(
            cfg.store_location,
            user_id=access.user_id,
            user_name=access.display_name,
            action="sign_in",
            detail={"access": access.describe()},
        )
        st.session_state[SIGNED_IN_KEY] = True
    with st.sidebar:
        st.caption(f"Signed in as **{access.display_name}** · {access.describe()}")
        st.button("Sign out", on_click=st.logout, key="sign_out")
    return access


def _sign_in_page() -> None:
    st.title("L&SC early-years equity dashboard")
    st.write(
        "This dashboard shows referral and access data for infant and early-years mental health services in "
        "Lancashire and South Cumbria. Sign in with your organisation account to continue."
    )
    st.button("Sign in", type="primary", on_click=st.login, key="sign_in")
    st.caption("Access is granted by the ICB data team: " + "; ".join(ROLE_LABELS.values()) + ".")


def _refuse() -> None:
    st.title("Sign-in is not configured")
    st.error(
        "This store holds real referral data, so the dashboard will not run without sign-in. Add an `[auth]` "
        "section to `.streamlit/secrets.toml` (OpenID Connect: Microsoft Entra ID or Keycloak; see README, "
        "Sign-in) and an access policy (EQUITY_ACCESS_FILE). For one trusted user on their own machine only, "
        "EQUITY_ALLOW_NO_SIGN_IN=yes runs it without sign-in, with a warning on every page.",
        icon=":material/lock:",
    )


def current_access() -> Access:
    """The access the gate found for this session (app.py runs the gate before every page)."""
    access = st.session_state.get(ACCESS_KEY)
    if not isinstance(access, Access):
        st.error("Not signed in.")
        st.stop()
    return access


def audit(cfg: Settings, action: str, detail: dict[str, object]) -> None:
    """Record an action of the current user in the audit trail."""
    access = current_access()
    record(cfg.store_location, user_id=access.user_id, user_name=access.display_name, action=action, detail=detail)


def download_audit(what: str) -> dict[str, object]:
    """Keyword arguments for ``st.download_button`` that record the download (what, and the selection) in
    the audit trail when it is clicked: ``st.download_button(..., **download_audit("Map table"))``."""
    return {"on_click": _record_download, "args": (what,)}


def _record_download(what: str) -> None:
    from ui import loaders

    selection = st.session_state.get("selection")
    detail = {"what": what, "selection": selection.describe() if selection is not None else ""}
    audit(loaders.settings(), "download", detail)
