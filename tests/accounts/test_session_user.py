"""The session and its user read in one statement (accounts/sessions.py and
accounts.middleware.AuthenticationMiddleware, issue 17): a signed-in request pays one statement
before its view instead of two, and who is signed in (or signed out) does not change."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import sessions
from accounts.models import User
from accounts.sessions import SessionStore, authenticating
from tests.accounts.helpers import password_login
from tests.factories import make_user

# PostgreSQL: on SQLite the user's columns need converting, so the ORM reads it apart.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PAGE = "council:calendar"


def _statements(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(PAGE))
    return response, [q["sql"] for q in captured.captured_queries]


def _signed_in(client, user):
    """Signed in through allauth's login form, which starts the session's row in the
    session list (as every password login does)."""
    assert password_login(client, user.email).status_code == 302
    assert UserSession.objects.filter(session_key=client.session.session_key).exists()


def test_a_signed_in_request_reads_session_and_user_in_one_statement(client):
    """Was two statements: the session, then the user."""
    member = make_user("council_member")
    _signed_in(client, member)
    client.get(reverse(PAGE))
    response, statements = _statements(client)
    assert response.status_code == 200
    assert response.wsgi_request.user == member
    session_reads = [sql for sql in statements if '"django_session"' in sql]
    user_reads = [
        sql for sql in statements if 'FROM "accounts_user"' in sql or 'JOIN "accounts_user"' in sql
    ]
    assert len(session_reads) == 1
    assert user_reads == session_reads


def test_the_user_read_with_the_session_is_the_user(client):
    member = make_user("council_member")
    _signed_in(client, member)
    store = SessionStore(client.session.session_key)
    assert store.load()[SESSION_KEY] == str(member.pk)
    read = store.take_user(member.pk)
    fresh = User.objects.get(pk=member.pk)
    assert read is not None and read is not fresh
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(fresh, field.attname), field.name
    assert read._state.db == "default" and read._state.adding is False
    # Taken once: a second lookup gets a copy of its own.
    assert store.take_user(member.pk) is None


def test_the_read_user_is_only_taken_while_the_request_user_is_worked_out(client):
    member = make_user("council_member")
    _signed_in(client, member)
    store = SessionStore(client.session.session_key)
    store.load()
    outside = User.objects.get(pk=member.pk)
    assert store._read_user is not None  # not taken by a lookup outside authentication
    token = authenticating.set(store)
    try:
        other = make_user("council_member")
        assert User.objects.get(pk=other.pk) == other  # another user: read by itself
        inside = User.objects.get(pk=member.pk)
        again = User.objects.get(pk=member.pk)
    finally:
        authenticating.reset(token)
    assert inside is not again is not outside
    assert inside == again == outside == member


def test_a_changed_password_signs_the_session_out(client):
    member = make_user("council_member")
    _signed_in(client, member)
    assert client.get(reverse(PAGE)).status_code == 200
    member.set_password("a quite different passphrase 7")
    member.save(update_fields=["password"])
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deactivated_user_is_signed_out(client):
    member = make_user("council_member")
    _signed_in(client, member)
    assert client.get(reverse(PAGE)).status_code == 200
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(reverse(PAGE)).status_code == 302


def test_a_session_row_naming_another_user_changes_nothing(client):
    """The session's own `_auth_user_id` decides; a session-list row for someone else only
    means the user is read by itself."""
    member = make_user("council_member")
    _signed_in(client, member)
    other = make_user("secretariat")
    UserSession.objects.filter(session_key=client.session.session_key).update(user=other)
    response, statements = _statements(client)
    assert response.status_code == 200
    assert response.wsgi_request.user == member
    assert len([sql for sql in statements if 'FROM "accounts_user"' in sql]) == 1


def test_without_a_session_row_the_user_is_read_by_itself(client):
    member = make_user("council_member")
    client.force_login(member)  # no allauth login: no row in the session list yet
    response, statements = _statements(client)
    assert response.status_code == 200
    assert response.wsgi_request.user == member
    assert len([sql for sql in statements if 'FROM "accounts_user"' in sql]) == 1


def test_an_anonymous_session_reads_no_user(client):
    client.get(reverse("set_language"))
    session = client.session
    session["something"] = "kept"
    session.save()
    response = client.get("/")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_both_ways_give_the_same_page(client):
    member = make_user("council_member")
    _signed_in(client, member)
    client.get(reverse(PAGE))
    joined = client.get(reverse(PAGE))
    sessions.with_user = False
    try:
        alone = client.get(reverse(PAGE))
    finally:
        sessions.with_user = True
    assert joined.wsgi_request.user == alone.wsgi_request.user == member
    assert joined.status_code == alone.status_code == 200


def test_the_access_read_with_the_session_is_load_access_answer(client):
    from django.contrib.auth.models import Permission

    from accounts.permissions import has_second_factor, load_access, role_names
    from tests.accounts.helpers import sign_in, totp_enable

    secretariat = make_user("secretariat")
    secretariat.user_permissions.add(Permission.objects.get(codename="add_meeting"))
    totp_enable(secretariat)
    sign_in(client, secretariat, second_factor=True)
    store = SessionStore(client.session.session_key)
    store.load()
    read = store.take_user(secretariat.pk)
    fresh = User.objects.get(pk=secretariat.pk)
    load_access(fresh)
    assert role_names(read) == role_names(fresh) == {"secretariat"}
    assert has_second_factor(read) is has_second_factor(fresh) is True
    assert read._user_perm_cache == fresh._user_perm_cache
    assert read._group_perm_cache == fresh._group_perm_cache
    assert read.get_all_permissions() == fresh.get_all_permissions()
    assert "council.add_meeting" in read.get_all_permissions()


def test_a_role_given_between_requests_counts_on_the_next(client):
    from accounts.permissions import role_names
    from accounts.roles import Role

    member = make_user("council_member")
    _signed_in(client, member)
    assert client.get(reverse("secretariat")).status_code == 403
    from django.contrib.auth.models import Group

    member.groups.add(Group.objects.get(name=str(Role.SECRETARIAT)))
    response = client.get(reverse("secretariat"))
    assert "secretariat" in role_names(response.wsgi_request.user)
    assert response.status_code == 200


def test_a_user_model_whose_columns_need_converting_is_left_to_the_orm():
    """accounts.User has no such column today; one that had (a JSONField, say) would be read
    by the ORM rather than joined to the session."""
    from django.contrib.sessions.models import Session

    from accounts.sessions import _converted, _statement

    assert not _converted("default", User)
    assert 'JOIN "accounts_user"' in _statement("default", Session, True)[0]
    assert _converted("default", UserSession)  # its `data` is a JSONField
