"""Finding 5 of issue 11: retention deletes suggestions, invitations, login sessions and
expired Django sessions on a schedule (Celery beat), each job also a plain function."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import Invitation
from directory import services as directory_services
from directory.models import Suggestion
from portal import personal_data
from portal.celery import app
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _suggestion(name, *, decided_days_ago=None, decided_by=None):
    suggestion = directory_services.suggestion_submit(
        kind=Suggestion.Kind.NEW,
        name=name,
        message="Ett förslag.",
        submitter_name="Lina Holm",
        submitter_email="lina@example.org",
    )
    if decided_days_ago is not None:
        suggestion = directory_services.suggestion_reject(
            suggestion=suggestion, decided_by=decided_by, note="Finns redan."
        )
        Suggestion.objects.filter(pk=suggestion.pk).update(
            decided_at=timezone.now() - timedelta(days=decided_days_ago)
        )
    return suggestion


def _invitation(email, *, expired_days_ago, inviter):
    now = timezone.now()
    return Invitation.objects.create(
        email=email,
        full_name="Inbjuden Person",
        role="council_member",
        token_hash=email,
        invited_by=inviter,
        created_at=now - timedelta(days=expired_days_ago + 14),
        expires_at=now - timedelta(days=expired_days_ago),
    )


def _session(user, *, expired: bool) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    if expired:
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() - timedelta(minutes=1)
        )
    UserSession.objects.create(
        user=user, session_key=store.session_key, ip="192.0.2.10", user_agent="Firefox"
    )
    return store.session_key


def _run_scheduled_retention():
    """Run every retention job the way beat does: its task, by name, from the schedule."""
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for job in personal_data.retention_jobs():
        assert job.task in scheduled, f"{job.task} is not in CELERY_BEAT_SCHEDULE"
        app.tasks[job.task].apply().get()


def test_retention_deletes_expired_personal_data_on_schedule(secretariat):
    old = _suggestion("Gammal förening", decided_days_ago=400, decided_by=secretariat)
    recent = _suggestion("Ny förening", decided_days_ago=100, decided_by=secretariat)
    pending = _suggestion("Väntande förening")
    gone = _invitation("gammal@example.org", expired_days_ago=31, inviter=secretariat)
    kept = _invitation("ny@example.org", expired_days_ago=10, inviter=secretariat)
    member = make_user("council_member")
    expired_key = _session(member, expired=True)
    live_key = _session(member, expired=False)
    stray = SessionStore()
    stray["x"] = 1
    stray.create()
    Session.objects.filter(session_key=stray.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    _run_scheduled_retention()

    assert not Suggestion.objects.filter(pk=old.pk).exists()
    assert set(Suggestion.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not Invitation.objects.filter(pk=gone.pk).exists()
    assert Invitation.objects.filter(pk=kept.pk).exists()
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {live_key}
    assert not Session.objects.filter(session_key__in=[expired_key, stray.session_key]).exists()
    assert Session.objects.filter(session_key=live_key).exists()


def test_retention_periods_come_from_settings(settings, secretariat):
    settings.SUGGESTION_RETENTION_MONTHS = 2
    settings.INVITATION_RETENTION_DAYS = 5
    suggestion = _suggestion("Förening", decided_days_ago=70, decided_by=secretariat)
    invitation = _invitation("x@example.org", expired_days_ago=6, inviter=secretariat)
    counts = personal_data.retention_run()
    assert counts["directory.suggestions"] == 1
    assert counts["accounts.invitations"] == 1
    assert not Suggestion.objects.filter(pk=suggestion.pk).exists()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_every_kind_of_personal_data_has_a_retention_job():
    codes = {job.code for job in personal_data.retention_jobs()}
    assert codes >= {
        "workshops.registrations",
        "directory.suggestions",
        "accounts.invitations",
        "accounts.sessions",
        "reports.files",
    }
