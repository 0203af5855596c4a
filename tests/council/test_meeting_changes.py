"""Issue 12: cancelling asks first and can be undone; declining an item asks first (with a
reason); a meeting created in the past warns and invites nobody; invitations name one
recipient each and keep their calendar file."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import AgendaItem, Meeting
from tests.council.conftest import local, make_meeting, make_person, seat
from tests.integrity.pages import form_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(council):
    people = [make_person(f"Inbjuden {n}") for n in range(3)]
    for person in people:
        seat(council, person=person, start=date(2014, 1, 1))
    return people


@pytest.fixture
def meeting(council, invited):
    return make_meeting(council, starts=timezone.now() + timedelta(days=14))


def test_cancel_asks_first_then_cancels_and_can_be_reinstated(
    client, secretariat, meeting, invited, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    page = reverse("council:meeting_detail", args=[meeting.pk])
    assert f'href="/council/meetings/{meeting.pk}/cancel/"' in client.get(page).content.decode()
    url = reverse("council:meeting_cancel", args=[meeting.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ja, ställ in mötet" in confirm.content.decode()
    assert not Meeting.objects.get(pk=meeting.pk).is_cancelled
    action, data = form_on(client, url, "council:meeting_cancel")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action, data).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).is_cancelled
    assert len(mail.outbox) == 3
    mail.outbox.clear()
    # Undo: the meeting is on again and everyone gets a new invitation.
    action, data = form_on(client, page, "council:meeting_reinstate")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data, follow=True)
    assert "Mötet blir av igen" in response.content.decode()
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert not meeting.is_cancelled
    assert len(mail.outbox) == 3
    assert all("Kallelse:" in m.subject for m in mail.outbox)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert {m.to[0] for m in mail.outbox} == {p.email for p in invited}
    for message in mail.outbox:
        calendars = [a for a in message.attachments if "calendar" in str(a)]
        assert calendars, "the new invitation carries its calendar file"
        ics = calendars[0].get_payload(decode=True).decode()
        assert message.to[0] in ics
        assert all(p.email not in ics for p in invited if p.email != message.to[0])


def test_member_cannot_cancel_or_reinstate(client, member, meeting):
    client.force_login(member)
    assert client.get(reverse("council:meeting_cancel", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("council:meeting_cancel", args=[meeting.pk])).status_code == 403
    services.meeting_cancel(meeting=meeting, notify=False)
    assert client.post(reverse("council:meeting_reinstate", args=[meeting.pk])).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).is_cancelled


def test_decline_asks_first_and_shows_the_reason(client, secretariat, member, meeting):
    item = services.agenda_item_propose(meeting=meeting, title="Nytt kansli")
    client.force_login(secretariat)
    page = reverse("council:meeting_detail", args=[meeting.pk])
    response = client.post(
        reverse("council:agenda_item_action", args=[item.pk]), {"action": "decline"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("council:agenda_item_decline", args=[item.pk])
    assert AgendaItem.objects.get(pk=item.pk).state == "proposed"  # not yet
    url = reverse("council:agenda_item_decline", args=[item.pk])
    action, data = form_on(client, url, "council:agenda_item_decline")
    data["reason"] = ["Frågan hör hemma i kommunstyrelsen."]
    assert client.post(action, data).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.decline_reason) == ("declined", "Frågan hör hemma i kommunstyrelsen.")
    assert "Frågan hör hemma i kommunstyrelsen." in client.get(page).content.decode()
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_meeting_in_the_past_warns_and_sends_no_invitations(
    client, secretariat, council, invited, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    url = reverse("council:meeting_create")
    data = {
        "title": "Efterhandsregistrerat möte",
        "day": "2020-03-12",
        "start_time": "13:00",
        "end_time": "16:00",
        "place": "Malmö",
    }
    warned = client.post(url, data)
    assert warned.status_code == 200
    assert "Mötet ligger i det förflutna" in warned.content.decode()
    assert not Meeting.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**data, "confirm_past": "1"}, follow=True)
    assert "inga inbjudningar skickades" in done.content.decode()
    assert Meeting.objects.count() == 1
    assert mail.outbox == []


def test_future_meeting_invitations_one_per_person(
    client, secretariat, council, invited, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("council:meeting_create"),
            {
                "title": "Rådsmöte",
                "day": day,
                "start_time": "13:00",
                "end_time": "16:00",
                "place": "Malmö",
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in invited)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)


def test_correcting_a_meeting_already_held_emails_nobody(
    client, secretariat, council, invited, django_capture_on_commit_callbacks
):
    """A typo fixed in last month's meeting is a correction of the record, not news for
    everyone invited: no "Changed" email with a calendar file for a meeting long over."""
    held = make_meeting(council, starts=timezone.now() - timedelta(days=30), place="Malmö")
    client.force_login(secretariat)
    page = reverse("council:meeting_edit", args=[held.pk])
    action, data = form_on(client, page, "council:meeting_edit")
    data["place"] = ["Malmö, Stadshuset"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data, follow=True)
    assert Meeting.objects.get(pk=held.pk).place == "Malmö, Stadshuset"
    assert mail.outbox == []
    assert "Det har redan hållits, så ingen fick något meddelande om ändringen." in (
        response.content.decode()
    )
    # A meeting still to come is news: everyone invited is told.
    coming = make_meeting(council, starts=timezone.now() + timedelta(days=30), place="Malmö")
    action, data = form_on(
        client, reverse("council:meeting_edit", args=[coming.pk]), "council:meeting_edit"
    )
    data["place"] = ["Lund"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action, data)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in invited)


def test_publishing_the_agenda_of_a_meeting_already_held_emails_nobody(
    client, secretariat, council, invited, django_capture_on_commit_callbacks
):
    held = make_meeting(council, starts=timezone.now() - timedelta(days=30))
    item = services.agenda_item_propose(meeting=held, title="Budget", backfill=True)
    services.agenda_item_accept(agenda_item=item)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("council:agenda_publish", args=[held.pk]), follow=True)
    assert Meeting.objects.get(pk=held.pk).agenda_published_at is not None
    assert mail.outbox == []
    assert "Mötet har redan hållits, så ingen fick e-post." in response.content.decode()


def test_a_meeting_past_midnight_saves_back_unchanged(client, secretariat, council, invited):
    """An evening meeting that ends after midnight used to fail its own edit form ("must end
    after it starts"), so nothing about it could be corrected; the edit form now shows the
    end date and an untouched save stores the same times."""
    evening = make_meeting(council, starts=local(2030, 3, 12, 19, 0), hours=6, place="Malmö")
    client.force_login(secretariat)
    page = reverse("council:meeting_edit", args=[evening.pk])
    action, data = form_on(client, page, "council:meeting_edit")
    assert data["end_day"] == ["2030-03-13"]
    data["place"] = ["Malmö, Stadshuset"]
    assert client.post(action, data).status_code == 302
    saved = Meeting.objects.get(pk=evening.pk)
    assert saved.place == "Malmö, Stadshuset"
    assert (saved.starts_at, saved.ends_at) == (evening.starts_at, evening.ends_at)


def test_an_ordinary_meeting_moved_to_another_day_keeps_its_length(
    client, secretariat, council, invited
):
    meeting = make_meeting(council, starts=local(2030, 3, 12, 13, 0), hours=3)
    client.force_login(secretariat)
    page = reverse("council:meeting_edit", args=[meeting.pk])
    action, data = form_on(client, page, "council:meeting_edit")
    assert data["end_day"] == [""]
    data["day"] = ["2030-03-19"]
    assert client.post(action, data).status_code == 302
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.starts_at, saved.ends_at) == (
        local(2030, 3, 19, 13, 0),
        local(2030, 3, 19, 16, 0),
    )


def test_an_end_date_before_the_start_is_refused_at_the_field(
    client, secretariat, council, invited
):
    client.force_login(secretariat)
    response = client.post(
        reverse("council:meeting_create"),
        {
            "title": "Rådsmöte",
            "day": "2030-03-12",
            "start_time": "13:00",
            "end_day": "2030-03-11",
            "end_time": "16:00",
            "place": "Malmö",
        },
    )
    assert response.status_code == 200
    assert "id_end_time_error" in response.content.decode()
    assert not Meeting.objects.exists()
