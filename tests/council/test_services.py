from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from council import services
from council.models import ActionItem, AgendaItem, Attendance, Meeting, Membership, SpeakingTurn
from tests.council.conftest import STOCKHOLM, local, make_meeting, make_person, seat

pytestmark = pytest.mark.django_db


def test_meeting_schedule_invites_everyone_on_the_council_that_day(council):
    present = seat(council, gender="woman", start=date(2030, 1, 1))
    seat(council, gender="man", start=date(2030, 8, 1))  # joins after the meeting
    seat(council, gender="man", start=date(2029, 1, 1), end=date(2029, 12, 31))  # left before
    meeting = make_meeting(council, starts=local(2030, 3, 12, 13, 0))
    assert list(meeting.attendances.values_list("person_id", flat=True)) == [present.person_id]
    assert meeting.attendances.get().organisation == present.organisation


def test_meeting_schedule_emails_an_ics_after_commit(council, django_capture_on_commit_callbacks):
    seat(council, start=date(2030, 1, 1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        meeting = make_meeting(council, starts=local(2030, 3, 12, 13, 0), notify=True)
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert meeting.title in message.subject
    part = message.attachments[0]
    assert part.get_filename() == "meeting.ics"
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == local(2030, 3, 12, 13, 0)
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=1)


def test_meeting_schedule_rejects_end_before_start_and_changes_nothing(council):
    with pytest.raises(ValidationError):
        services.meeting_schedule(
            council=council,
            title="Fel",
            starts_at=local(2030, 1, 1, 13),
            ends_at=local(2030, 1, 1, 12),
            place="Malmö",
        )
    assert Meeting.objects.count() == 0


def test_meeting_needs_place_or_link(council):
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            council=council,
            title="Utan plats",
            starts_at=local(2030, 1, 1, 13),
            ends_at=local(2030, 1, 1, 15),
        )
    assert "place" in error.value.message_dict


def test_agenda_propose_accept_order_and_publish(council, member):
    meeting = make_meeting(council)
    first = services.agenda_item_propose(meeting=meeting, title="IOP", proposed_by=member)
    second = services.agenda_item_propose(meeting=meeting, title="Medfinansiering")
    assert (first.position, second.position) == (1, 2)
    assert first.state == AgendaItem.State.PROPOSED
    with pytest.raises(ValidationError):
        services.agenda_publish(meeting=meeting, notify=False)
    services.agenda_item_accept(agenda_item=second)
    services.agenda_item_move(agenda_item=second, offset=-1)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Medfinansiering", "IOP"]
    services.agenda_publish(meeting=meeting, notify=False)
    meeting.refresh_from_db()
    assert meeting.is_published


def test_document_limits(council):
    meeting = make_meeting(council)
    item = services.agenda_item_propose(meeting=meeting, title="Underlag")
    pdf = SimpleUploadedFile("underlag.pdf", b"%PDF-1.7 test", content_type="application/pdf")
    document = services.document_attach(agenda_item=item, uploaded=pdf)
    assert document.size == 13
    assert document.content_type == "application/pdf"
    with pytest.raises(ValidationError):
        services.document_attach(
            agenda_item=item, uploaded=SimpleUploadedFile("virus.exe", b"MZ...")
        )
    with pytest.raises(ValidationError):
        services.document_attach(
            agenda_item=item, uploaded=SimpleUploadedFile("fake.pdf", b"not a pdf")
        )
    big = SimpleUploadedFile("stor.txt", b"x" * (services.DOCUMENT_MAX_BYTES + 1))
    with pytest.raises(ValidationError):
        services.document_attach(agenda_item=item, uploaded=big)
    assert item.documents.count() == 1


def test_rsvp_only_for_invited(council):
    membership = seat(council, start=date(2030, 1, 1))
    meeting = make_meeting(council)
    services.attendance_reply(meeting=meeting, person=membership.person, reply="yes")
    assert meeting.attendances.get().reply == Attendance.Reply.YES
    with pytest.raises(ValidationError):
        services.attendance_reply(meeting=meeting, person=make_person(), reply="yes")


def test_speaking_turn_start_ends_the_previous_turn(council):
    one = seat(council, start=date(2030, 1, 1), gender="woman")
    two = seat(council, start=date(2030, 1, 1), gender="man", sector="public")
    meeting = make_meeting(council)
    start = local(2030, 3, 12, 13, 5)
    services.speaking_turn_start(meeting=meeting, person=one.person, now=start)
    services.speaking_turn_start(
        meeting=meeting, person=two.person, now=start + timedelta(seconds=90)
    )
    # A double tap on the same speaker keeps the turn running.
    services.speaking_turn_start(
        meeting=meeting, person=two.person, now=start + timedelta(seconds=95)
    )
    turns = list(SpeakingTurn.objects.order_by("started_at"))
    assert len(turns) == 2
    assert turns[0].seconds == 90
    assert turns[1].ended_at is None
    assert turns[1].organisation == two.organisation
    services.speaking_turn_stop(meeting=meeting, now=start + timedelta(seconds=120))
    assert SpeakingTurn.objects.filter(ended_at=None).count() == 0


def test_speaking_turn_only_for_invited(council):
    meeting = make_meeting(council)
    with pytest.raises(ValidationError):
        services.speaking_turn_start(meeting=meeting, person=make_person())


def test_minutes_keep_revision_history(council, secretariat):
    meeting = make_meeting(council)
    item = services.agenda_item_propose(meeting=meeting, title="Punkt")
    services.minutes_save(agenda_item=item, text="Första utkast", written_by=secretariat)
    services.minutes_save(agenda_item=item, text="Justerat", written_by=secretariat)
    item.refresh_from_db()
    assert item.minutes == "Justerat"
    assert [r.text for r in item.minutes_revisions.all()] == ["Justerat", "Första utkast"]
    with pytest.raises(ValidationError):
        services.minutes_save(agenda_item=item, text="Justerat")


def test_decision_needs_accepted_item(council):
    meeting = make_meeting(council)
    item = services.agenda_item_propose(meeting=meeting, title="Punkt")
    with pytest.raises(ValidationError):
        services.decision_record(agenda_item=item, text="Beslut")
    services.agenda_item_accept(agenda_item=item)
    decision = services.decision_record(agenda_item=item, text="Rådet beslutar")
    assert decision.meeting == meeting


def test_membership_change_splits_the_period(council):
    first = seat(council, start=date(2014, 1, 1), end=date(2014, 12, 31), work_share=20)
    second = services.membership_change(membership=first, on=date(2014, 9, 1), work_share=10)
    first.refresh_from_db()
    assert first.end_date == date(2014, 8, 31)
    assert (second.start_date, second.end_date, second.work_share) == (
        date(2014, 9, 1),
        date(2014, 12, 31),
        10,
    )
    with pytest.raises(ValidationError):
        services.membership_change(membership=second, on=date(2015, 2, 1), work_share=5)


def test_overlapping_same_role_is_refused(council):
    membership = seat(council, start=date(2014, 1, 1))
    with pytest.raises(ValidationError):
        seat(council, person=membership.person, start=date(2014, 6, 1))
    assert Membership.objects.count() == 1


def test_meeting_reminders_go_once(council):
    seat(council, start=date(2030, 1, 1))
    meeting = make_meeting(council, starts=local(2030, 3, 12, 13, 0))
    now = local(2030, 3, 10, 9, 0)
    assert services.meeting_reminders_send(now=now) == 1
    assert services.meeting_reminders_send(now=now) == 0
    assert "Påminnelse" in mail.outbox[-1].subject or "Reminder" in mail.outbox[-1].subject
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at == now


def test_overdue_action_reminders_weekly(council):
    owner = make_person(email="agare@example.org")
    meeting = make_meeting(council)
    services.action_item_create(
        meeting=meeting, title="Skicka underlag", owner=owner, due_date=date(2030, 4, 1)
    )
    services.action_item_create(
        meeting=meeting,
        title="Klar",
        owner=owner,
        due_date=date(2030, 4, 1),
        status=ActionItem.Status.DONE,
    )
    assert services.action_item_overdue_reminders_send(today=date(2030, 4, 1)) == 0
    assert services.action_item_overdue_reminders_send(today=date(2030, 4, 2)) == 1
    assert mail.outbox[-1].to == ["agare@example.org"]
    assert services.action_item_overdue_reminders_send(today=date(2030, 4, 5)) == 0
    assert services.action_item_overdue_reminders_send(today=date(2030, 4, 9)) == 1


def test_calendar_feed_renew_replaces_token(member):
    first = services.calendar_feed_renew(user=member).token
    second = services.calendar_feed_renew(user=member).token
    assert first != second
    services.calendar_feed_revoke(user=member)
    assert not type(services.calendar_feed_renew(user=member)).objects.filter(token=second).exists()


def test_times_are_aware_and_stockholm(council):
    meeting = make_meeting(council, starts=local(2030, 7, 1, 9, 0))
    assert meeting.starts_at.astimezone(STOCKHOLM).hour == 9
