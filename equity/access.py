"""Who may see and do what: roles and Place scope from one access policy file (TOML).

The policy is a list of grants. A grant matches a signed-in user by email (case-insensitive) or by a
claim holding a value (``claim = "roles"``, ``value = "lsc.blackpool.analyst"``; list claims such as
``roles`` and ``groups`` match when they contain the value), and gives a role over some Places::

    [[grant]]
    email = "analyst@blackpool.example"   # or: claim = "roles", value = "lsc.blackpool.analyst"
    role = "place_analyst"                 # viewer | place_analyst | data_manager | admin
    places = ["Blackpool"]                 # or "all"

Roles, each including the ones before it:

* ``viewer``: ICB and Place aggregates only;
* ``place_analyst``: neighbourhood (LSOA and MSOA) detail, profiles and downloads for the grant's Places
  (other Places at Place level);
* ``data_manager``: also Import, rollback, provision edits and service sites for the grant's Places;
* ``admin``: everything, including the policy and the audit trail (an admin grant must cover all Places).

A user matching several grants gets, for each Place, the highest role any of them gives. Users are keyed
on stable claims, never on email alone: ``oid`` + ``tid`` (Microsoft Entra ID) where present, else the
issuer and ``sub``. Pure: no Streamlit, no I/O but :func:`load_policy`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from equity.settings import PLACES

ROLES: tuple[str, ...] = ("viewer", "place_analyst", "data_manager", "admin")
ROLE_LABELS: dict[str, str] = {
    "viewer": "Viewer (ICB and Place aggregates)",
    "place_analyst": "Place analyst (neighbourhood detail for own Places)",
    "data_manager": "Data manager (also imports, provision and sites for own Places)",
    "admin": "Administrator (everything, including the access policy)",
}
_RANK = {role: i for i, role in enumerate(ROLES)}
_GRANT_KEYS = {"email", "claim", "value", "role", "places", "note"}


class AccessPolicyError(ValueError):
    """The access policy file is missing or malformed; the message names the grant and the field."""


@dataclass(frozen=True)
class Grant:
    role: str
    places: tuple[str, ...]
    email: str | None = None
    claim: str | None = None
    value: str | None = None
    note: str = ""

    def matches(self, claims: Mapping[str, object]) -> bool:
        if self.email is not None:
            email = claims.get("email")
            return isinstance(email, str) and email.strip().lower() == self.email.lower()
        held = claims.get(self.claim or "")
        if isinstance(held, str):
            return held == self.value
        if isinstance(held, (list, tuple, set)):
            return self.value in held
        return False


@dataclass(frozen=True)
class Policy:
    grants: tuple[Grant, ...] = ()
    source: str = ""

    def access_for(self, claims: Mapping[str, object]) -> Access:
        """The access of a signed-in user with these ID-token claims (no roles when no grant matches)."""
        roles: dict[str, str] = {}
        for grant in self.grants:
            if not grant.matches(claims):
                continue
            for place in grant.places:
                if place not in roles or _RANK[grant.role] > _RANK[roles[place]]:
                    roles[place] = grant.role
        return Access(user_id=user_key(claims), display_name=display_name(claims), roles=roles)


@dataclass(frozen=True)
class Access:
    """What one user may see and do. ``roles`` maps each Place the user has any role in to that role."""

    user_id: str
    display_name: str
    roles: Mapping[str, str] = field(default_factory=dict)
    mode: str = "signed_in"  # signed_in | open_demo | single_user

    @property
    def has_access(self) -> bool:
        return bool(self.roles)

    def role_in(self, place: str) -> str | None:
        return self.roles.get(place)

    def _places_at_least(self, role: str) -> tuple[str, ...]:
        return tuple(p for p in PLACES if p in self.roles and _RANK[self.roles[p]] >= _RANK[role])

    @property
    def detail_places(self) -> tuple[str, ...]:
        """Places whose neighbourhood (LSOA, MSOA) detail, profiles and downloads this user may see."""
        return self._places_at_least("place_analyst")

    @property
    def manage_places(self) -> tuple[str, ...]:
        """Places whose data, provision and sites this user may change."""
        return self._places_at_least("data_manager")

    @property
    def is_admin(self) -> bool:
        return self._places_at_least("admin") == PLACES

    @property
    def can_see_aggregates(self) -> bool:
        return self.has_access

    @property
    def can_import(self) -> bool:
        """Imports and rollbacks change the whole store: data managers of every Place, or admins."""
        return self.manage_places == PLACES

    def can_edit(self, place: str) -> bool:
        return place in self.manage_places

    def describe(self) -> str:
        if not self.roles:
            return "no access"
        by_role: dict[str, list[str]] = {}
        for place in PLACES:
            if place in self.roles:
                by_role.setdefault(self.roles[place], []).append(place)
        parts = []
        for role in reversed(ROLES):
            places = by_role.get(role)
            if places:
                where = "all Places" if tuple(places) == PLACES else ", ".join(places)
                parts.append(f"{role.replace('_', ' ')} ({where})")
        return "; ".join(parts)


def everything(user_id: str, display_name: str, mode: str) -> Access:
    """Full access, for open demo mode (synthetic data only) and the explicit single-user override."""
    return Access(user_id=user_id, display_name=display_name, roles={p: "admin" for p in PLACES}, mode=mode)


def user_key(claims: Mapping[str, object]) -> str:
    """A stable id for the user: Entra ``oid`` + ``tid`` where present, else issuer + ``sub``."""
    oid, tid = claims.get("oid"), claims.get("tid")
    if oid and tid:
        return f"entra:{tid}:{oid}"
    sub = claims.get("sub")
    if not sub:
        raise AccessPolicyError("the identity provider sent no 'sub' claim: users cannot be told apart")
    issuer = claims.get("iss") or "unknown-issuer"
    return f"{issuer}|{sub}"


def display_name(claims: Mapping[str, object]) -> str:
    for key in ("name", "preferred_username", "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "unknown user"


def parse_policy(config: Mapping[str, object], source: str = "") -> Policy:
    """The policy from a parsed TOML table; :class:`AccessPolicyError` names the grant and field at fault."""
    where = source or "access policy"
    unknown = sorted(set(config) - {"grant"})
    if unknown:
        raise AccessPolicyError(f"{where}: unknown table(s) {', '.join(unknown)}; expected [[grant]] entries")
    raw = config.get("grant", [])
    if not isinstance(raw, list):
        raise AccessPolicyError(f"{where}: 'grant' must be an array of tables ([[grant]])")
    return Policy(tuple(_grant(i + 1, g, where) for i, g in enumerate(raw)), source=source)


def _grant(number: int, raw: object, where: str) -> Grant:
    label = f"{where}: grant {number}"
    if not isinstance(raw, Mapping):
        raise AccessPolicyError(f"{label}: must be a table")
    unknown = sorted(set(raw) - _GRANT_KEYS)
    if unknown:
        raise AccessPolicyError(f"{label}: unknown field(s) {', '.join(unknown)}")
    role = raw.get("role")
    if role not in ROLES:
        raise AccessPolicyError(f"{label}: role must be one of {', '.join(ROLES)}, got {role!r}")
    places = _places(label, raw.get("places"))
    email, claim, value = raw.get("email"), raw.get("claim"), raw.get("value")
    if (email is None) == (claim is None):
        raise AccessPolicyError(f"{label}: give either email, or claim and value")
    if email is not None and (not isinstance(email, str) or "@" not in email):
        raise AccessPolicyError(f"{label}: email must be an email address, got {email!r}")
    if claim is not None and (not isinstance(claim, str) or not isinstance(value, str) or not value):
        raise AccessPolicyError(f"{label}: claim and value must both be text")
    if role == "admin" and places != PLACES:
        raise AccessPolicyError(f"{label}: an admin grant must cover all Places (places = \"all\")")
    note = raw.get("note", "")
    return Grant(role=str(role), places=places, email=email, claim=claim, value=value, note=str(note))


def _places(label: str, raw: object) -> tuple[str, ...]:
    if raw == "all":
        return PLACES
    if not isinstance(raw, list) or not raw:
        raise AccessPolicyError(f"{label}: places must be \"all\" or a list of Places ({', '.join(PLACES)})")
    for place in raw:
        if place not in PLACES:
            raise AccessPolicyError(f"{label}: places: {place!r} is not one of {', '.join(PLACES)}")
    return tuple(p for p in PLACES if p in raw)


def load_policy(path: Path) -> Policy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AccessPolicyError(f"access policy {path} does not exist (EQUITY_ACCESS_FILE)") from None
    except OSError as exc:
        raise AccessPolicyError(f"access policy {path} cannot be read: {exc.strerror or exc}") from None
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccessPolicyError(f"access policy {path} is not valid TOML: {exc}") from None
    return parse_policy(config, source=str(path))


def grants_table(policy: Policy) -> Iterable[dict[str, str]]:
    """One row per grant, for the Admin page."""
    for number, grant in enumerate(policy.grants, start=1):
        who = f"email {grant.email}" if grant.email else f"claim {grant.claim} = {grant.value}"
        where = "all Places" if grant.places == PLACES else ", ".join(grant.places)
        yield {"grant": str(number), "matches": who, "role": grant.role, "places": where, "note": grant.note}
