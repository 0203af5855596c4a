"""iCalendar (RFC 5545) for every calendar the portal serves or sends, and the personal feed.

One way to write an event: local times with TZID=Europe/Stockholm and a VTIMEZONE block (so
calendar programs keep the local hour across a daylight-saving change), DTSTAMP and a stable
UID on every event, and the iTIP method (RFC 5546) that fits how the file travels:
- a download or a subscribed feed: `PUBLISH` (a feed may leave METHOD out; ours does not
  name one, as subscribed calendars expect);
- an emailed invitation: `REQUEST` with the recipient as the only ATTENDEE and the
  secretariat as ORGANIZER, or `CANCEL` once the meeting is called off; the MIME part says the
  same method (RFC 6047), so mail clients offer accept/decline.

The personal feed is a registry like the report kinds: each app registers a function giving
a user's events (`register_feed_source`), and the council's feed view asks this module, so
council (which serves the feed) never imports workshops (which adds registered workshops).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

PRODID = "-//Samverkansradet//Council portal//SV"


@dataclass(frozen=True)
class CalendarEntry:
    """What an app gives the personal feed: an event and when it starts (for the VTIMEZONE)."""

    event: Event
    starts_at: datetime


_FEED_SOURCES: list[Callable[..., Iterable[CalendarEntry]]] = []


def register_feed_source(source: Callable[..., Iterable[CalendarEntry]]):
    """`source(user, *, base_url)` returns the user's entries. Usable as a decorator."""
    if source not in _FEED_SOURCES:
        _FEED_SOURCES.append(source)
    return source


def feed_sources() -> list[Callable[..., Iterable[CalendarEntry]]]:
    return list(_FEED_SOURCES)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def organiser(*, name: str = "") -> vCalAddress:
    """The secretariat's real mailbox: calendar replies to an invitation reach people."""
    address = vCalAddress("mailto:" + settings.PORTAL_SECRETARIAT_EMAIL)
    address.params["cn"] = vText(name or settings.PORTAL_NAME)
    return address


def new_calendar(*, method: str | None = None, name: str = "") -> Calendar:
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


def new_event(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    sequence: int = 0,
    location: str = "",
    description: str = "",
    url: str = "",
    cancelled: bool = False,
    organiser_name: str = "",
) -> Event:
    local = zone()
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at.astimezone(local))
    event.add("dtend", ends_at.astimezone(local))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("organizer", organiser(name=organiser_name))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def add_attendee(event: Event, email: str, *, name: str = "") -> None:
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    if name:
        attendee.params["cn"] = vText(name)
    event.add("attendee", attendee, encode=0)


def add_timezone(calendar: Calendar, starts: Iterable[datetime]) -> None:
    """The VTIMEZONE for the span of the events (a year either side), once per calendar."""
    starts = list(starts)
    if not starts:
        return
    first = min(starts) - timedelta(days=366)
    last = max(starts) + timedelta(days=366)
    calendar.add_component(
        Timezone.from_tzinfo(
            zone(), tzid=settings.TIME_ZONE, first_date=first.date(), last_date=last.date()
        )
    )


def calendar_bytes(
    entries: Iterable[CalendarEntry], *, method: str | None, name: str = ""
) -> bytes:
    entries = list(entries)
    calendar = new_calendar(method=method, name=name)
    add_timezone(calendar, [entry.starts_at for entry in entries])
    for entry in entries:
        calendar.add_component(entry.event)
    return calendar.to_ical()


def personal_feed(user, *, name: str, base_url: str) -> bytes:
    """Everything a person's calendar should hold: every registered source's entries."""
    entries = [entry for source in _FEED_SOURCES for entry in source(user, base_url=base_url)]
    entries.sort(key=lambda entry: entry.starts_at)
    return calendar_bytes(entries, method=None, name=name)


def email_part(data: bytes, *, method: str, filename: str) -> MIMEText:
    """The calendar as an email part with the iTIP method in its Content-Type (RFC 6047)."""
    part = MIMEText(data.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
