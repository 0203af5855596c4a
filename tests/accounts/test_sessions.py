"""Logged-in requests: the inactivity timeout holds without a session write on every request."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = "council:calendar"


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


def test_a_page_within_the_minute_writes_nothing(client, member, settings):
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 60
    client.force_login(member)
    client.get(reverse(PAGE))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(PAGE)).status_code == 200
    assert _writes(queries.captured_queries) == []
    # Session, user, the user's and the groups' permissions, the page's own query.
    assert len(queries.captured_queries) <= 5, [q["sql"][:80] for q in queries.captured_queries]


def test_activity_after_the_interval_renews_expiry_and_last_seen(client, member, settings):
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 60
    client.force_login(member)
    client.get(reverse(PAGE))
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    UserSession.objects.filter(session_key=session.pk).update(
        last_seen_at=timezone.now() - timedelta(minutes=55)
    )
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 0
    assert client.get(reverse(PAGE)).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + timedelta(minutes=50)
    seen = UserSession.objects.get(session_key=session.pk).last_seen_at
    assert seen > timezone.now() - timedelta(minutes=1)


def test_inactivity_still_logs_out(client, member):
    client.force_login(member)
    client.get(reverse(PAGE))
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
