"""Issue 12: everyone is told what concerns them, by email in their own language, and can
turn each kind off on the Notifications page (accounts.notifications)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationOptOut
from council import services
from tests.council.conftest import make_meeting, make_person, seat
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _member(council, name, *, language=""):
    user = make_user("council_member", full_name=name)
    if language:
        user.language = language
        user.save(update_fields=["language"])
    person = make_person(name, user=user, email="")
    seat(council, person=person, start=date(2014, 1, 1))
    return user, person


@pytest.fixture
def meeting(council):
    return make_meeting(council, starts=timezone.now() + timedelta(days=10))


def test_notifications_page_lists_kinds_and_saves_opt_outs(client, member):
    url = reverse("notifications:settings")
    assert Client().get(url).status_code == 302  # login required
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "Aviseringar" in html
    assert 'value="council.action_assigned" checked' in html
    everything_but = [
        "council.agenda_published",
        "council.meeting_changed",
        "council.action_due",
        "council.minutes_to_approve",
        "council.minutes_published",
        "council.agenda_proposed",
        "council.minutes_answered",
    ]
    response = client.post(url, {"kind": everything_but}, follow=True)
    assert "Dina val är sparade." in response.content.decode()
    assert list(NotificationOptOut.objects.filter(user=member).values_list("kind", flat=True)) == [
        "council.action_assigned"
    ]
    assert 'value="council.action_assigned">' in client.get(url).content.decode()
    # Ticking it again turns it back on.
    client.post(url, {"kind": [*everything_but, "council.action_assigned"]})
    assert not NotificationOptOut.objects.filter(user=member).exists()


def test_unknown_kind_is_refused_with_a_message(client, member):
    client.force_login(member)
    url = reverse("notifications:settings")
    # Unticked unknown values are ignored; the page never offers them, so nothing breaks.
    response = client.post(url, {"kind": ["no.such.kind"]}, follow=True)
    assert response.status_code == 200


def test_action_item_assigned_in_the_owners_language_and_opt_out_respected(
    council, meeting, django_capture_on_commit_callbacks
):
    en_user, en_person = _member(council, "Edith English", language="en")
    sv_user, sv_person = _member(council, "Sven Svensk")
    off_user, off_person = _member(council, "Olle Avstängd")
    NotificationOptOut.objects.create(user=off_user, kind="council.action_assigned")
    with django_capture_on_commit_callbacks(execute=True):
        for person in (en_person, sv_person, off_person):
            services.action_item_create(
                meeting=meeting, title="Skriv underlag", owner=person, due_date=date(2040, 1, 1)
            )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {en_user.email, sv_user.email}  # the opted-out gets nothing
    assert "Action item for you: Skriv underlag" in by_address[en_user.email].subject
    assert "Åtgärdspunkt till dig: Skriv underlag" in by_address[sv_user.email].subject


def test_action_item_changed_tells_the_owner(
    council, meeting, secretariat, django_capture_on_commit_callbacks
):
    user, person = _member(council, "Ägare Ägarsson")
    item = services.action_item_create(
        meeting=meeting, title="Punkt", owner=person, due_date=date(2040, 1, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.action_item_update(
            action_item=item, due_date=date(2040, 2, 1), changed_by=secretariat
        )
    assert [m.to[0] for m in mail.outbox] == [user.email]
    assert "Åtgärdspunkt ändrad" in mail.outbox[0].subject


def test_member_proposal_tells_the_secretariat(
    client, council, secretariat, django_capture_on_commit_callbacks
):
    user, _person = _member(council, "Mia Medlem")
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("council:agenda_item_propose", args=[meeting.pk]),
            {"title": "Lokala överenskommelser", "summary": ""},
        )
    assert response.status_code == 302
    assert [m.to[0] for m in mail.outbox] == [secretariat.email]
    assert "Nytt förslag till dagordningen: Lokala överenskommelser" in mail.outbox[0].subject
    assert "Mia Medlem" in mail.outbox[0].body


def test_due_soon_and_overdue_reminders(council, meeting):
    user, person = _member(council, "Påminda Person")
    off_user, off_person = _member(council, "Tyst Person")
    NotificationOptOut.objects.create(user=off_user, kind="council.action_due")
    for owner in (person, off_person):
        services.action_item_create(
            meeting=meeting, title="Rapport", owner=owner, due_date=date(2031, 4, 10)
        )
    mail.outbox.clear()
    assert services.action_item_due_soon_reminders_send(today=date(2031, 4, 1)) == 0
    assert services.action_item_due_soon_reminders_send(today=date(2031, 4, 8)) == 1
    assert [m.to[0] for m in mail.outbox] == [user.email]
    assert "Snart dags: Rapport" in mail.outbox[0].subject
    assert services.action_item_due_soon_reminders_send(today=date(2031, 4, 9)) == 0  # once
    mail.outbox.clear()
    assert services.action_item_overdue_reminders_send(today=date(2031, 4, 11)) == 1
    assert [m.to[0] for m in mail.outbox] == [user.email]
    assert "Försenad åtgärdspunkt: Rapport" in mail.outbox[0].subject


def test_agenda_published_skips_who_turned_it_off_and_each_gets_own_language(
    council, django_capture_on_commit_callbacks
):
    en_user, _ = _member(council, "Edith English", language="en")
    sv_user, _ = _member(council, "Sven Svensk")
    off_user, _ = _member(council, "Olle Avstängd")
    NotificationOptOut.objects.create(user=off_user, kind="council.agenda_published")
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    item = services.agenda_item_propose(meeting=meeting, title="Budget")
    services.agenda_item_accept(agenda_item=item)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_publish(meeting=meeting)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {en_user.email, sv_user.email}
    assert "Agenda published" in by_address[en_user.email].subject
    assert "Dagordning" in by_address[sv_user.email].subject
    assert all(m.attachments for m in mail.outbox)  # the calendar file stays


def test_opted_out_of_meeting_changes_gets_no_cancellation(
    council, django_capture_on_commit_callbacks
):
    on_user, _ = _member(council, "Nina Notis")
    off_user, _ = _member(council, "Olle Avstängd")
    NotificationOptOut.objects.create(user=off_user, kind="council.meeting_changed")
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting)
    assert [m.to[0] for m in mail.outbox] == [on_user.email]
