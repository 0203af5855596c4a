"""iCalendar (RFC 5545) for meetings: one event per meeting, local times in Europe/Stockholm.

Times are written with TZID=Europe/Stockholm and a VTIMEZONE block, so calendar programs show
the meeting at the right local hour on both sides of a daylight-saving change.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

PRODID = "-//Samverkansradet//Council portal//SV"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _calendar(*, method: str | None = None, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(meeting, *, base_url: str = "") -> Event:
    zone = _zone()
    event = Event()
    event.add("uid", f"{meeting.uid}@council-portal")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    location = ", ".join(part for part in (meeting.place, meeting.address) if part)
    if not location and meeting.online_url:
        location = meeting.online_url
    if location:
        event.add("location", location)
    description = []
    if meeting.accessibility:
        description.append(meeting.accessibility)
    if meeting.online_url:
        description.append(meeting.online_url)
    if base_url:
        link = base_url.rstrip("/") + meeting.get_absolute_url()
        event.add("url", link)
        description.append(link)
    if description:
        event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def _add_timezone(calendar: Calendar, meetings) -> None:
    starts = [meeting.starts_at for meeting in meetings]
    if not starts:
        return
    first = min(starts) - timedelta(days=366)
    last = max(starts) + timedelta(days=366)
    calendar.add_component(
        Timezone.from_tzinfo(
            _zone(), tzid=settings.TIME_ZONE, first_date=first.date(), last_date=last.date()
        )
    )


def meeting_ics(meeting, *, base_url: str = "", attendee_emails=()) -> bytes:
    """One meeting as an invitation (METHOD:REQUEST, or CANCEL once it is cancelled)."""
    calendar = _calendar(method="CANCEL" if meeting.is_cancelled else "REQUEST")
    _add_timezone(calendar, [meeting])
    event = _event(meeting, base_url=base_url)
    organiser = vCalAddress("mailto:" + settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">"))
    organiser.params["cn"] = vText(meeting.council.name)
    event.add("organizer", organiser)
    for email in attendee_emails:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def feed_ics(meetings, *, name: str, base_url: str = "") -> bytes:
    """A subscribable feed (no METHOD): every meeting the person is invited to."""
    meetings = list(meetings)
    calendar = _calendar(name=name)
    _add_timezone(calendar, meetings)
    for meeting in meetings:
        calendar.add_component(_event(meeting, base_url=base_url))
    return calendar.to_ical()
