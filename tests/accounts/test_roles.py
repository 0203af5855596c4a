"""Finding 2: who may grant which role, enforced in the service, for every pair of roles."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Invitation, RoleChange, User
from accounts.roles import Role
from accounts.services import invitation_accept, invitation_create, user_roles_set
from tests.accounts.helpers import sign_in, totp_enable
from tests.factories import make_user

A, S, M, P, E = (
    Role.ADMINISTRATOR,
    Role.SECRETARIAT,
    Role.COUNCIL_MEMBER,
    Role.PROCESS_LEADER,
    Role.ORGANISATION_EDITOR,
)
# Written out on purpose (not read from accounts.roles): this table is the rule under test.
MAY_GRANT = {
    A: {A, S, M, P, E},
    S: {M, P, E},
    M: set(),
    P: set(),
    E: set(),
}
PAIRS = [(granter, granted) for granter in Role for granted in Role]


@pytest.mark.django_db
@pytest.mark.parametrize(("granter", "granted"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_invitation_create_follows_the_grant_matrix(granter, granted):
    sender = make_user(granter)
    if granted in MAY_GRANT[granter]:
        invitation, _token = invitation_create(
            email="new@example.org",
            full_name="New",
            role=granted,
            invited_by=sender,
            base_url="http://x/",
        )
        assert invitation.role == granted
    else:
        with pytest.raises(ValidationError) as error:
            invitation_create(
                email="new@example.org",
                full_name="New",
                role=granted,
                invited_by=sender,
                base_url="http://x/",
            )
        assert "role" in error.value.message_dict
        assert Invitation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("granter", "granted"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_user_roles_set_follows_the_grant_matrix(granter, granted):
    changer = make_user(granter)
    target = make_user()
    if granted in MAY_GRANT[granter]:
        user_roles_set(user=target, roles=[granted], changed_by=changer)
        assert list(target.groups.values_list("name", flat=True)) == [str(granted)]
    else:
        with pytest.raises(ValidationError):
            user_roles_set(user=target, roles=[granted], changed_by=changer)
        assert target.groups.count() == 0
        assert RoleChange.objects.filter(user=target).count() == 0


@pytest.mark.django_db
def test_secretariat_cannot_take_the_administrator_role_away():
    secretariat = make_user("secretariat")
    admin = make_user("administrator")
    with pytest.raises(ValidationError):
        user_roles_set(user=admin, roles=[M], changed_by=secretariat)
    admin.refresh_from_db()
    assert admin.is_superuser


@pytest.mark.django_db
def test_secretariat_invitation_for_administrator_is_refused_in_the_page(client, secretariat):
    sign_in(client, secretariat, second_factor=True)
    page = client.get(reverse("accounts:invitation_list"))
    offered = [value for value, _label in page.context["form"].fields["role"].widget.choices]
    assert offered == ["council_member", "process_leader", "organisation_editor"]
    for role in ("administrator", "secretariat"):
        response = client.post(
            reverse("accounts:invitation_list"),
            {"full_name": "X", "email": f"{role}@example.org", "role": role},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["role"] == [
            "Du får inte ge eller ta bort den här rollen: "
            + ("Administratör." if role == "administrator" else "Sekretariat.")
        ]
    assert Invitation.objects.count() == 0
    assert not User.objects.filter(is_superuser=True).exclude(pk=secretariat.pk).exists()


@pytest.mark.django_db
def test_invitation_from_a_sender_who_lost_the_right_cannot_make_an_administrator():
    admin = make_user("administrator")
    invitation, _token = invitation_create(
        email="z@example.org", full_name="Z", role=A, invited_by=admin, base_url="http://x/"
    )
    user_roles_set(user=admin, roles=[M], changed_by=None)
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, password="a-good-long-password-1")
    assert not User.objects.filter(email="z@example.org").exists()


@pytest.mark.django_db
def test_role_changes_are_recorded_with_who_when_from_and_to():
    admin = make_user("administrator")
    target = make_user("council_member")
    user_roles_set(user=target, roles=[S, M], changed_by=admin)
    change = RoleChange.objects.filter(user=target).latest("changed_at")
    assert change.changed_by == admin
    assert change.roles_before == ["council_member"]
    assert change.roles_after == ["council_member", "secretariat"]
    assert change.changed_at is not None


@pytest.mark.django_db
def test_accepted_invitation_records_the_inviter_as_granter():
    secretariat = make_user("secretariat")
    invitation, _token = invitation_create(
        email="y@example.org", full_name="Y", role=P, invited_by=secretariat, base_url="http://x/"
    )
    user = invitation_accept(invitation=invitation, password="a-good-long-password-1")
    change = RoleChange.objects.get(user=user)
    assert change.changed_by == secretariat
    assert change.roles_before == []
    assert change.roles_after == ["process_leader"]


@pytest.mark.django_db
def test_role_change_log_is_visible_to_administrators_only(client, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    admin = make_user("administrator")
    target = make_user("council_member")
    user_roles_set(user=target, roles=[P], changed_by=admin)
    url = reverse("admin:accounts_rolechange_changelist")
    totp_enable(admin)
    sign_in(client, admin, second_factor=True)
    page = client.get(url)
    assert page.status_code == 200
    assert target.email in page.content.decode()
    secretariat = make_user("secretariat")
    totp_enable(secretariat)
    sign_in(client, secretariat, second_factor=True)
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_invitation_asks_for_reauthentication_after_fifteen_minutes(client, secretariat):
    sign_in(client, secretariat, second_factor=True, seconds_ago=16 * 60)
    response = client.post(
        reverse("accounts:invitation_list"),
        {"full_name": "X", "email": "x@example.org", "role": "council_member"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_reauthenticate"))
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_invitation_within_fifteen_minutes_needs_no_reauthentication(client, secretariat):
    sign_in(client, secretariat, second_factor=True, seconds_ago=14 * 60)
    response = client.post(
        reverse("accounts:invitation_list"),
        {"full_name": "X", "email": "x@example.org", "role": "council_member"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("accounts:invitation_list")
    assert Invitation.objects.count() == 1


def _admin_change_form(user, roles):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "roles": roles,
    }


@pytest.mark.django_db
def test_roles_changed_in_the_admin_go_through_the_service_and_the_log(client):
    admin = make_user("administrator")
    target = make_user("council_member")
    sign_in(client, admin, second_factor=True)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    response = client.post(url, _admin_change_form(target, ["process_leader"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(target.groups.values_list("name", flat=True)) == ["process_leader"]
    change = RoleChange.objects.filter(user=target).latest("changed_at")
    assert (change.changed_by, change.roles_after) == (admin, ["process_leader"])


@pytest.mark.django_db
def test_role_change_in_the_admin_asks_for_reauthentication_after_fifteen_minutes(client):
    admin = make_user("administrator")
    target = make_user("council_member")
    sign_in(client, admin, second_factor=True, seconds_ago=16 * 60)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    response = client.post(url, _admin_change_form(target, ["administrator"]))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_reauthenticate"))
    target.refresh_from_db()
    assert not target.is_superuser
    assert list(target.groups.values_list("name", flat=True)) == ["council_member"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["member", "secretariat", "editor", "direct", "superuser", "inactive", "none"]
)
def test_can_answers_as_has_perm_for_every_permission(kind):
    """accounts.permissions.can reads the permissions load_access found instead of asking
    every authentication backend per call (issue 17), and remembers each answer for the user
    object: the same answer as Django's has_perm on a fresh object, for every permission."""
    from django.contrib.auth.models import Permission

    from accounts.permissions import can

    roles = {"member": "council_member", "secretariat": "secretariat"}
    roles["editor"] = "organisation_editor"
    roles["inactive"] = "council_member"
    user = make_user(roles.get(kind))
    if kind == "direct":
        user.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    if kind == "superuser":
        User.objects.filter(pk=user.pk).update(is_superuser=True)
    if kind == "inactive":
        User.objects.filter(pk=user.pk).update(is_active=False)
    names = [
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    ]
    mine, fresh = User.objects.get(pk=user.pk), User.objects.get(pk=user.pk)
    expected = {name: fresh.has_perm(name) for name in names}
    assert {name: can(mine, name) for name in names} == expected
    assert {name: can(mine, name) for name in names} == expected  # remembered
    assert any(expected.values()) is (kind not in ("inactive", "none"))
