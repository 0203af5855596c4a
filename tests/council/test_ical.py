from datetime import date, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from council import ical, services
from tests.council.conftest import STOCKHOLM, local, make_meeting, make_person, seat

pytestmark = pytest.mark.django_db


def _events(data: bytes):
    return {str(e["summary"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_feed_shows_local_times_across_daylight_saving_change(client, member, council):
    person = make_person(user=member)
    seat(council, person=person, start=date(2014, 1, 1))
    # Sweden moved to summer time on 2014-03-30 and back on 2014-10-26.
    make_meeting(council, title="Före sommartid", starts=local(2014, 3, 26, 13, 0))
    make_meeting(council, title="Efter sommartid", starts=local(2014, 4, 2, 13, 0))
    make_meeting(council, title="Efter vintertid", starts=local(2014, 10, 29, 13, 0))
    feed = services.calendar_feed_renew(user=member)

    response = client.get(reverse("council:calendar_feed", args=[feed.token]))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    events = _events(response.content)
    for title, offset in [("Före sommartid", 1), ("Efter sommartid", 2), ("Efter vintertid", 1)]:
        start = events[title].decoded("dtstart")
        assert start.tzinfo is not None
        assert (start.hour, start.minute) == (13, 0), title
        assert start.utcoffset() == timedelta(hours=offset), title
        assert events[title]["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert start.astimezone(STOCKHOLM).hour == 13


def test_meeting_ics_download_for_member(client, member, council):
    meeting = make_meeting(
        council,
        title="Rådsmöte 4",
        starts=local(2014, 12, 3, 13, 0),
        accessibility="Hörslinga finns.",
    )
    client.force_login(member)
    response = client.get(reverse("council:meeting_ics", args=[meeting.pk]))
    event = _events(response.content)["Rådsmöte 4"]
    assert event.decoded("dtend") == local(2014, 12, 3, 16, 0)
    assert "Hörslinga" in str(event["description"])
    assert str(event["uid"]).startswith(str(meeting.uid))


def test_cancelled_meeting_ics_says_cancel(council):
    meeting = make_meeting(council)
    services.meeting_cancel(meeting=meeting, notify=False)
    meeting.refresh_from_db()
    invitation = Calendar.from_ical(ical.meeting_invitation_ics(meeting, email="alva@example.org"))
    assert str(invitation["method"]) == "CANCEL"
    assert str(invitation.walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert invitation.walk("VEVENT")[0]["sequence"] == 1
    # A download is never an iTIP message: it publishes the event, marked cancelled.
    download = Calendar.from_ical(ical.meeting_ics(meeting))
    assert str(download["method"]) == "PUBLISH"
    assert str(download.walk("VEVENT")[0]["status"]) == "CANCELLED"
