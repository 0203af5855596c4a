"""Every calendar the portal serves or sends, read by two independent parsers and RFC checks.

icalendar (which writes them) and vobject (which does not) must both read each file; on top,
the rules people's calendar programs depend on: DTSTAMP and UID in every VEVENT (RFC 5545
3.6.1), local times with a TZID that a VTIMEZONE in the file defines, CRLF lines folded at 75
octets (3.1), and the iTIP method rules of RFC 5546 (PUBLISH: an organiser and no attendees;
REQUEST: an organiser and attendees; CANCEL: an organiser, attendees and a sequence; a feed
names no method). Emailed invitations carry the same method on their MIME part (RFC 6047) and
name no one but their recipient.
"""

from datetime import date, timedelta

import pytest
import vobject
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from council import services as council_services
from tests.council.conftest import local, make_council, make_meeting, make_person, seat
from tests.workshops.conftest import make_workshop, register

pytestmark = pytest.mark.django_db


def calendar_problems(data: bytes, *, method: str | None) -> list[str]:
    """Everything wrong with one calendar file; an empty list when it is right."""
    problems = []
    calendar = Calendar.from_ical(data)
    parsed = list(vobject.readComponents(data.decode("utf-8")))
    if len(parsed) != 1 or parsed[0].name != "VCALENDAR":
        problems.append("vobject does not read exactly one VCALENDAR")
    vevents = [c for c in parsed[0].getChildren() if c.name == "VEVENT"] if parsed else []
    events = calendar.walk("VEVENT")
    if not events or len(vevents) != len(events):
        problems.append(f"VEVENT count: icalendar {len(events)}, vobject {len(vevents)}")
    for line in data.split(b"\r\n")[:-1]:
        if len(line) > 75:
            problems.append(f"line longer than 75 octets: {line[:40]!r}")
    if not data.endswith(b"\r\n") or b"\n" in data.replace(b"\r\n", b""):
        problems.append("lines must end in CRLF")
    for required in ("PRODID", "VERSION"):
        if required not in calendar:
            problems.append(f"calendar lacks {required}")
    actual_method = str(calendar["METHOD"]) if "METHOD" in calendar else None
    if actual_method != method:
        problems.append(f"METHOD {actual_method}, expected {method}")
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    for event in events:
        summary = str(event.get("SUMMARY"))
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if required not in event:
                problems.append(f"{summary}: no {required}")
        for key in ("DTSTART", "DTEND"):
            if key in event:
                tzid = event[key].params.get("TZID")
                if tzid != settings.TIME_ZONE or tzid not in zones:
                    problems.append(f"{summary}: {key} TZID {tzid} without its VTIMEZONE")
        attendees = event.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        if method in {"PUBLISH", "REQUEST", "CANCEL"} and "ORGANIZER" not in event:
            problems.append(f"{summary}: {method} without ORGANIZER")
        if method == "PUBLISH" and attendees:
            problems.append(f"{summary}: PUBLISH must not list attendees")
        if method in {"REQUEST", "CANCEL"} and not attendees:
            problems.append(f"{summary}: {method} without ATTENDEE")
        if method == "CANCEL" and "SEQUENCE" not in event:
            problems.append(f"{summary}: CANCEL without SEQUENCE")
    return problems


def _events(data: bytes) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


@pytest.fixture
def council_with_members():
    council = make_council()
    alva = make_person(name="Alva Exempel", email="alva@example.org")
    bo = make_person(name="Bo Exempel", email="bo@example.org", gender="man")
    seat(council, person=alva, start=date(2020, 1, 1))
    seat(council, person=bo, start=date(2020, 1, 1))
    return council


def test_meeting_download_is_published_not_an_invitation(client, member, council_with_members):
    meeting = make_meeting(council_with_members, title="Rådsmöte 7", starts=local(2030, 6, 1, 9))
    client.force_login(member)
    response = client.get(reverse("council:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert calendar_problems(response.content, method="PUBLISH") == []
    organiser = str(_events(response.content)["Rådsmöte 7"]["ORGANIZER"])
    assert organiser == f"mailto:{settings.PORTAL_SECRETARIAT_EMAIL}"


def test_each_invitation_names_only_its_recipient(
    council_with_members, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(
            council_with_members, title="Rådsmöte 8", starts=local(2030, 6, 2, 9), notify=True
        )
    invitations = [m for m in mailoutbox if "Rådsmöte 8" in m.subject]
    assert sorted(m.to[0] for m in invitations) == ["alva@example.org", "bo@example.org"]
    for message in invitations:
        assert len(message.to) == 1
        assert message.reply_to == [settings.PORTAL_SECRETARIAT_EMAIL]
        part = message.attachments[0]
        assert part.get_content_type() == "text/calendar"
        assert part.get_param("method") == "REQUEST"
        header = part["Content-Type"]
        assert header.count("charset") == 1, header
        data = part.get_payload(decode=True)
        assert calendar_problems(data, method="REQUEST") == []
        event = _events(data)["Rådsmöte 8"]
        attendees = event["ATTENDEE"]
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == [f"mailto:{message.to[0]}"]
        assert str(event["ORGANIZER"]) == f"mailto:{settings.PORTAL_SECRETARIAT_EMAIL}"
        other = ({"alva@example.org", "bo@example.org"} - set(message.to)).pop()
        assert other.encode() not in message.message().as_bytes()


def test_cancellation_cancels_with_a_higher_sequence(
    council_with_members, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(council_with_members, title="Rådsmöte 9", starts=local(2030, 6, 3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        council_services.meeting_cancel(meeting=meeting, notify=True)
    cancellations = [m for m in mailoutbox if "Rådsmöte 9" in m.subject]
    assert len(cancellations) == 2
    for message in cancellations:
        part = message.attachments[0]
        assert part.get_param("method") == "CANCEL"
        data = part.get_payload(decode=True)
        assert calendar_problems(data, method="CANCEL") == []
        event = _events(data)["Rådsmöte 9"]
        assert str(event["STATUS"]) == "CANCELLED"
        assert event["SEQUENCE"] >= 1


def test_workshop_download_has_dtstamp_and_local_time(client):
    workshop = make_workshop(title="Workshop om hinder")
    response = client.get(reverse("workshops:ical", args=[workshop.pk]))
    assert calendar_problems(response.content, method="PUBLISH") == []
    start = _events(response.content)["Workshop om hinder"].decoded("DTSTART")
    assert start.utcoffset() in {timedelta(hours=1), timedelta(hours=2)}
    assert start == workshop.starts_at.replace(microsecond=0)


def test_personal_feed_has_meetings_and_registered_workshops(client, member):
    council = make_council()
    seat(council, person=make_person(name="Alva Exempel", user=member), start=date(2020, 1, 1))
    make_meeting(council, title="Rådsmöte 10", starts=local(2030, 6, 4, 9))
    mine = make_workshop(title="Min workshop")
    register(mine, email=member.email.upper())
    waiting = make_workshop(title="Väntelista", capacity=1)
    register(waiting)
    register(waiting, email=member.email, join_waiting_list=True)
    cancelled_place = make_workshop(title="Avanmäld")
    registration = register(cancelled_place, email=member.email)
    from workshops import services as workshop_services

    workshop_services.registration_cancel(registration=registration)
    make_workshop(title="Någon annans")
    feed = council_services.calendar_feed_renew(user=member)

    response = client.get(reverse("council:calendar_feed", args=[feed.token]))

    assert calendar_problems(response.content, method=None) == []
    assert set(_events(response.content)) == {"Rådsmöte 10", "Min workshop", "Väntelista"}
