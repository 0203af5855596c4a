"""The user of a signed-in request, read with the ORM's statement compiled once (`PreparedGet` in
portal/compiled_queries.py) where it is not read with the session (accounts/sessions.py): the
same SQL and the same answers as the ORM's, without building and compiling a queryset on every
request (issue 17, the fixed cost of a signed-in request); and the session engine answers as
Django's database sessions."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.sessions import SessionStore
from portal import compiled_queries as prepared
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PAGE = "council:calendar"


@contextmanager
def _orm_only():
    prepared.enabled = False
    try:
        yield
    finally:
        prepared.enabled = True


def _sql_and_answer(call):
    with CaptureQueriesContext(connection) as captured:
        try:
            answer = call()
        except Exception as error:  # the error is the answer compared
            answer = (type(error), str(error))
    return [q["sql"] for q in captured.captured_queries], answer


def _fields(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_user_by_key_is_the_orms_statement_and_instance():
    user = make_user("council_member")
    for key in (user.pk, str(user.pk)):
        with _orm_only():
            orm_sql, orm_user = _sql_and_answer(lambda key=key: User.objects.get(pk=key))
        sql, found = _sql_and_answer(lambda key=key: User.objects.get(pk=key))
        assert sql == orm_sql
        assert len(sql) == 1
        assert type(found) is User
        assert _fields(found) == _fields(orm_user)
        assert found._state.db == orm_user._state.db == "default"
        assert found._state.adding is orm_user._state.adding is False


@pytest.mark.parametrize("key", [987654, "987654", "junk", 2**40, None])
def test_a_missing_or_wrong_key_answers_as_the_orm_does(key):
    make_user("council_member")
    with _orm_only():
        orm_sql, orm_answer = _sql_and_answer(lambda: User.objects.get(pk=key))
    sql, answer = _sql_and_answer(lambda: User.objects.get(pk=key))
    assert answer == orm_answer
    assert isinstance(answer, tuple)  # an error: DoesNotExist or ValueError
    assert sql == orm_sql


def test_other_lookups_are_left_to_the_orm():
    user = make_user("council_member")
    assert User.objects.get(email=user.email) == user
    assert User.objects.get(pk=user.pk, is_active=True) == user
    assert User.objects.db_manager("default").get(pk=user.pk) == user


def test_the_session_reads_as_djangos_database_sessions(client, member):
    """The session engine (accounts/sessions.py) answers as Django's own database engine."""
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    client.force_login(member)
    key = client.session.session_key
    with CaptureQueriesContext(connection) as captured:
        data = SessionStore(key).load()
    assert data == DjangoStore(key).load()
    assert data["_auth_user_id"] == str(member.pk)
    assert len(captured.captured_queries) == 1
    assert "expire_date" in captured.captured_queries[0]["sql"]


def test_an_expired_or_unknown_session_is_not_read(client, member):
    client.force_login(member)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None
    # As Django's own engine.
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    assert DjangoStore(key).load() == {}


def test_the_portal_uses_its_session_engine():
    assert settings.SESSION_ENGINE == "accounts.sessions"


@pytest.mark.postgres
def test_a_signed_in_request_builds_no_query_for_its_session_and_user(client, member):
    """Fails with Django's own session store and user lookup: each compiles its SELECT on
    every request."""
    client.force_login(member)
    assert client.get(reverse(PAGE)).status_code == 200
    compiled = []
    original = SQLCompiler.as_sql

    def noting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    with (
        mock.patch.object(SQLCompiler, "as_sql", noting),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.get(reverse(PAGE))
    assert response.status_code == 200
    assert response.wsgi_request.user == member
    statements = [q["sql"] for q in captured.captured_queries]
    assert any('"django_session"' in sql for sql in statements)
    assert any('FROM "accounts_user"' in sql for sql in statements)
    assert Session not in compiled, statements
    assert User not in compiled


def test_a_changed_password_still_ends_other_sessions(client, member):
    """The user read this way still carries the password hash the session is checked with."""
    client.force_login(member)
    assert client.get(reverse(PAGE)).status_code == 200
    member.set_password("a whole new passphrase 42")
    member.save(update_fields=["password"])
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deactivated_user_is_signed_out(client, member):
    client.force_login(member)
    assert client.get(reverse(PAGE)).status_code == 200
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
