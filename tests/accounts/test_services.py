import pytest
from django.core.exceptions import ValidationError

from accounts.permissions import can, has_role, is_staff_user
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services import invitation_accept, invitation_create, user_roles_set
from tests.factories import make_user


@pytest.mark.django_db
def test_roles_sync_gives_each_role_its_permissions():
    secretariat = make_user("secretariat")
    member = make_user("council_member")
    for perm in ROLE_PERMISSIONS[Role.SECRETARIAT]:
        assert can(secretariat, perm), perm
    assert not can(member, "accounts.access_secretariat")
    assert is_staff_user(secretariat)
    assert not is_staff_user(member)


@pytest.mark.django_db
def test_administrator_role_is_superuser_and_staff():
    admin = make_user("administrator")
    assert admin.is_superuser and admin.is_staff
    assert can(admin, "reports.delete_reportjob")


@pytest.mark.django_db
def test_user_roles_set_replaces_roles_and_drops_admin_flags():
    user = make_user("administrator")
    user_roles_set(user=user, roles=[Role.COUNCIL_MEMBER])
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff
    assert has_role(user, Role.COUNCIL_MEMBER)
    assert not has_role(user, Role.ADMINISTRATOR)


@pytest.mark.django_db
def test_invitation_accept_twice_is_refused():
    inviter = make_user("secretariat")
    invitation, _token = invitation_create(
        email="c@example.org",
        full_name="C",
        role=Role.COUNCIL_MEMBER,
        invited_by=inviter,
        base_url="http://x/",
    )
    invitation_accept(invitation=invitation, password="a-good-long-password-1")
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, password="a-good-long-password-1")


@pytest.mark.django_db
def test_invitation_create_refuses_second_open_invitation():
    inviter = make_user("secretariat")
    invitation_create(
        email="d@example.org",
        full_name="D",
        role=Role.COUNCIL_MEMBER,
        invited_by=inviter,
        base_url="http://x/",
    )
    with pytest.raises(ValidationError) as error:
        invitation_create(
            email="D@example.org",
            full_name="D",
            role=Role.COUNCIL_MEMBER,
            invited_by=inviter,
            base_url="http://x/",
        )
    assert "email" in error.value.message_dict
