"""The access policy: grants, roles and Place scope (equity.access)."""

import pytest

from equity.access import AccessPolicyError, everything, parse_policy, user_key
from equity.settings import PLACES

POLICY = {
    "grant": [
        {"email": "Analyst@Blackpool.example", "role": "place_analyst", "places": ["Blackpool"]},
        {"claim": "roles", "value": "lsc.ics.viewer", "role": "viewer", "places": "all"},
        {"claim": "groups", "value": "lsc-data", "role": "data_manager", "places": ["South Cumbria"]},
        {"email": "admin@lsc.example", "role": "admin", "places": "all"},
    ]
}


def claims(**extra):
    return {"iss": "https://idp.example", "sub": "u-1", **extra}


def test_email_grant_matches_case_insensitively_and_scopes_detail_to_its_places():
    access = parse_policy(POLICY).access_for(claims(email="analyst@blackpool.example", name="Bea Analyst"))
    assert access.roles == {"Blackpool": "place_analyst"}
    assert access.detail_places == ("Blackpool",)
    assert access.manage_places == () and not access.can_import and not access.is_admin
    assert access.display_name == "Bea Analyst"


def test_claim_grants_match_list_claims_and_the_highest_role_per_place_wins():
    access = parse_policy(POLICY).access_for(
        claims(email="someone@lsc.example", roles=["lsc.ics.viewer"], groups=["lsc-data", "other"])
    )
    assert access.roles == {
        "Blackpool": "viewer",
        "Blackburn with Darwen": "viewer",
        "Lancashire": "viewer",
        "South Cumbria": "data_manager",
    }
    assert access.detail_places == ("South Cumbria",)
    assert access.can_edit("South Cumbria") and not access.can_edit("Blackpool")
    assert not access.can_import  # imports change every Place's data


def test_viewer_sees_no_detail_and_unmatched_user_has_no_access():
    policy = parse_policy(POLICY)
    viewer = policy.access_for(claims(roles="lsc.ics.viewer"))  # a single-valued claim matches too
    assert viewer.has_access and viewer.detail_places == ()
    stranger = policy.access_for(claims(email="nobody@elsewhere.example", roles=["lsc.ics.viewers"]))
    assert not stranger.has_access and stranger.describe() == "no access"


def test_admin_has_everything():
    admin = parse_policy(POLICY).access_for(claims(email="admin@lsc.example"))
    assert admin.is_admin and admin.can_import and admin.detail_places == PLACES
    assert everything("x", "X", "open_demo").is_admin


def test_a_claim_named_email_does_not_match_a_claim_grant_by_accident():
    # the email grant looks only at 'email'; a 'roles' claim holding an email address matches nothing
    access = parse_policy(POLICY).access_for(claims(roles=["analyst@blackpool.example"]))
    assert not access.has_access


def test_users_are_keyed_on_stable_claims_not_email():
    assert user_key({"oid": "o-1", "tid": "t-1", "sub": "pairwise", "email": "a@b.c"}) == "entra:t-1:o-1"
    assert user_key({"iss": "https://kc.example/realms/lsc", "sub": "42"}) == "https://kc.example/realms/lsc|42"
    with pytest.raises(AccessPolicyError, match="'sub'"):
        user_key({"email": "a@b.c"})


@pytest.mark.parametrize(
    ("grant", "message"),
    [
        ({"email": "a@b.example", "role": "owner", "places": "all"}, "grant 1: role must be one of"),
        ({"email": "a@b.example", "role": "viewer", "places": ["Cumbria"]}, "grant 1: places: 'Cumbria'"),
        ({"email": "a@b.example", "role": "viewer"}, "grant 1: places must be"),
        ({"role": "viewer", "places": "all"}, "grant 1: give either email, or claim and value"),
        ({"email": "a@b.example", "claim": "roles", "value": "x", "role": "viewer", "places": "all"}, "either"),
        ({"claim": "roles", "role": "viewer", "places": "all"}, "grant 1: claim and value must both be text"),
        ({"email": "a@b.example", "role": "admin", "places": ["Blackpool"]}, "admin grant must cover all"),
        ({"email": "a@b.example", "role": "viewer", "places": "all", "colour": "red"}, "unknown field"),
        ({"email": "not-an-email", "role": "viewer", "places": "all"}, "email must be an email address"),
    ],
)
def test_malformed_grants_name_the_grant_and_the_field(grant, message):
    with pytest.raises(AccessPolicyError, match=message):
        parse_policy({"grant": [grant]}, source="access.toml")


def test_policy_file_errors_name_the_file(tmp_path):
    from equity.access import load_policy

    with pytest.raises(AccessPolicyError, match="does not exist"):
        load_policy(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[grant]\n")
    with pytest.raises(AccessPolicyError, match=r"bad\.toml is not valid TOML"):
        load_policy(bad)
    good = tmp_path / "good.toml"
    good.write_text('[[grant]]\nemail = "a@b.example"\nrole = "viewer"\nplaces = "all"\n')
    assert load_policy(good).access_for(claims(email="a@b.example")).has_access
