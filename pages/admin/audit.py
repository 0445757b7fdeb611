"""Admin: the audit trail and the access policy (administrators only)."""

import datetime as dt

import streamlit as st

from data.audit import ACTIONS, read
from equity.access import AccessPolicyError, grants_table, parse_policy
from ui import loaders
from ui.auth import audit, current_access, policy
from ui.common import footer

cfg = loaders.settings()
access = current_access()
st.title("Admin: audit trail and access")
if not access.is_admin:
    st.warning("The audit trail and the access policy are for administrators.", icon=":material/lock:")
    footer()
    st.stop()

st.subheader("Audit trail")
c = st.columns(4)
start = c[0].date_input("From", value=dt.date.today() - dt.timedelta(days=30), format="DD/MM/YYYY")
end = c[1].date_input("To", value=dt.date.today(), format="DD/MM/YYYY")
user = c[2].text_input("User (stable id or name)", value="").strip() or None
action = c[3].selectbox("Action", ["", *ACTIONS], format_func=lambda a: a.replace("_", " ") or "All actions")
events = read(cfg.store_location, date_from=start, date_to=end, user=user, action=action or None)
st.dataframe(
    events.rename(
        columns={
            "event_id": "#",
            "at_utc": "When (UTC)",
            "user_id": "User id",
            "user_name": "User",
            "action": "Action",
            "detail": "What",
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    f"{len(events):,} event(s). Every sign-in, import, rollback, provision or site edit, CSV download, board-pack "
    "build and access-policy change is recorded with who (stable id and name), when and what. Also: "
    "`python -m equity audit --format csv`."
)

st.subheader("Access policy")
st.caption(f"File: {cfg.access_file.name} (EQUITY_ACCESS_FILE). Read again whenever it changes.")
if not cfg.access_file.is_file():
    st.caption("No access policy file yet: sign-in, once configured, will let nobody in until one is written.")
else:
    try:
        current = policy(cfg)
        st.dataframe(list(grants_table(current)), hide_index=True, width="stretch")
    except AccessPolicyError as exc:
        st.error(str(exc))
if access.mode != "signed_in":  # an anonymous visitor must not write the policy that sign-in will use
    st.caption("The policy can be edited here by a signed-in administrator.")
    footer()
    st.stop()
text = cfg.access_file.read_text(encoding="utf-8") if cfg.access_file.is_file() else ""
with st.form("policy_edit"):
    edited = st.text_area("Policy (TOML)", value=text, height=260, key="policy_text")
    saved = st.form_submit_button("Check and save the policy", type="primary")
if saved:
    import tomllib

    try:
        parse_policy(tomllib.loads(edited), source="the edited policy")
    except (tomllib.TOMLDecodeError, AccessPolicyError) as exc:
        st.error(f"Not saved: {exc}")
    else:
        cfg.access_file.parent.mkdir(parents=True, exist_ok=True)
        cfg.access_file.write_text(edited, encoding="utf-8")
        audit(cfg, "policy_change", {"file": cfg.access_file.name, "grants": edited.count("[[grant]]")})
        st.success("Saved. The new policy applies from each user's next page load.")
footer()
