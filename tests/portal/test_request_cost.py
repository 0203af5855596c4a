"""What every logged-in request pays before its view runs (issue 17, "per-request fixed cost").

A logged-in page reads the session, the user, and then one statement for everything the
permission checks ask (roles, permissions from the user and the groups, whether a second
factor is set up): accounts.permissions.load_access. Activity renews the session and allauth's
session list at most once a minute (accounts.middleware.SessionActivityMiddleware), and the
inactivity logout still happens when the person stops using the portal.
"""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import can, has_role, role_names
from tests.accounts.helpers import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# A page whose own work is one small statement (the person's calendar feed token).
PAGE = "council:calendar"


def _statements(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _touching(statements, table):
    return [sql for sql in statements if f'"{table}"' in sql]


def _writes(statements):
    return [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


@pytest.mark.postgres
def test_a_logged_in_page_reads_session_user_and_access_once_each(client, member):
    sign_in(client, member)  # as a login does: with the session's row in allauth's list
    client.get(reverse(PAGE))
    statements = _statements(client, reverse(PAGE))
    # Session, user, access (roles and permissions), the page's own statement. Was 5: the
    # user's permissions and the groups' permissions were two statements.
    assert len(statements) <= 4, statements
    assert len(_touching(statements, "django_session")) == 1
    assert len(_touching(statements, "accounts_user")) == 1
    assert len(_touching(statements, "auth_permission")) == 1
    assert _writes(statements) == []
    # Since accounts/sessions.py: session, user and access are one statement.
    assert _touching(statements, "django_session") == _touching(statements, "auth_permission")
    assert len(statements) == 2, statements


def test_a_session_not_in_allauths_list_reads_its_user_and_access_apart(client, member):
    """A login that did not go through allauth (force_login; the list has the session after
    the first activity write): the user and the access are read by themselves, as before."""
    client.force_login(member)
    client.get(reverse(PAGE))
    statements = _statements(client, reverse(PAGE))
    assert len(statements) <= 4, statements
    assert len(_touching(statements, "django_session")) == 1
    assert len([sql for sql in statements if 'FROM "accounts_user"' in sql]) == 1
    assert _writes(statements) == []


def test_staff_page_with_the_second_factor_gate_costs_no_more(client, settings):
    """The staff gate asks for the roles and for an authenticator: both come with the access
    statement (was a statement for the groups and one for the authenticator on every page)."""
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    secretariat = make_user("secretariat")
    Authenticator.objects.create(
        user=secretariat, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    sign_in(client, secretariat, second_factor=True)
    client.get(reverse(PAGE))
    statements = _statements(client, reverse(PAGE))
    assert len(statements) <= 4, statements
    assert _touching(statements, "mfa_authenticator") == _touching(statements, "auth_permission")
    assert len(_touching(statements, "auth_group")) == 1


def test_the_gate_still_sends_staff_without_an_authenticator_to_set_one_up(client, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(make_user("secretariat"))
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_access_is_read_in_one_statement_and_answers_as_before(django_assert_num_queries):
    from accounts.permissions import load_access

    secretariat = make_user("secretariat")
    with django_assert_num_queries(1):
        load_access(secretariat)
        assert role_names(secretariat) == {"secretariat"}
        assert has_role(secretariat, "secretariat")
        assert can(secretariat, "council.add_meeting")
        assert can(secretariat, "accounts.add_invitation")
        assert not can(secretariat, "auth.delete_group")
    # Django's own answer (a fresh object: its backend reads the tables) is the same.
    from accounts.models import User

    fresh = User.objects.get(pk=secretariat.pk)
    assert fresh.get_all_permissions() == secretariat.get_all_permissions()
    assert fresh.get_all_permissions()


def test_a_permission_given_to_the_user_directly_counts(django_assert_num_queries):
    from django.contrib.auth.models import Permission

    member = make_user("council_member")
    member.user_permissions.add(Permission.objects.get(codename="add_meeting"))
    assert can(member, "council.add_meeting")
    assert not can(make_user("council_member"), "council.add_meeting")


def test_a_second_request_within_the_minute_writes_no_session(client, member, settings):
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 60
    client.force_login(member)
    client.get(reverse(PAGE))
    before = Session.objects.get().expire_date
    assert _writes(_statements(client, reverse(PAGE))) == []
    assert Session.objects.get().expire_date == before


@contextmanager
def _at(moment):
    """The clock of the session store and of the activity middleware set to `moment`."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("accounts.middleware.time.time", return_value=moment.timestamp()),
    ):
        yield


def test_inactivity_logs_out_while_activity_keeps_the_session(client, member, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 60
    start = timezone.now()
    with _at(start):
        client.force_login(member)
        assert client.get(reverse(PAGE)).status_code == 200
    # Used every half hour, the session outlives its first hour.
    for minutes in (30, 60, 90):
        with _at(start + timedelta(minutes=minutes)):
            assert client.get(reverse(PAGE)).status_code == 200, minutes
    # Within the minute after a request: nothing is written.
    with _at(start + timedelta(minutes=90, seconds=30)):
        assert _writes(_statements(client, reverse(PAGE))) == []
    # An hour and a second without a request (the last write was at 90 minutes): logged out.
    with _at(start + timedelta(minutes=150, seconds=1)):
        response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
