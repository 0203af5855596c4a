"""Meetings as iCalendar events, written with the portal's one calendar writer (portal/ical.py).

A download is `PUBLISH`; an emailed invitation is `REQUEST` (or `CANCEL`) addressed to its one
recipient, so no member's address reaches another member's calendar.
"""

from portal.ical import CalendarEntry, add_attendee, calendar_bytes, new_event, register_feed_source


def _event(meeting, *, base_url: str = ""):
    location = ", ".join(part for part in (meeting.place, meeting.address) if part)
    if not location and meeting.online_url:
        location = meeting.online_url
    description = []
    if meeting.accessibility:
        description.append(meeting.accessibility)
    if meeting.online_url:
        description.append(meeting.online_url)
    link = ""
    if base_url:
        link = base_url.rstrip("/") + meeting.get_absolute_url()
        description.append(link)
    return new_event(
        uid=f"{meeting.uid}@council-portal",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        sequence=meeting.sequence,
        location=location,
        description="\n\n".join(description),
        url=link,
        cancelled=meeting.is_cancelled,
        organiser_name=meeting.council.name,
    )


def meeting_entry(meeting, *, base_url: str = "") -> CalendarEntry:
    return CalendarEntry(event=_event(meeting, base_url=base_url), starts_at=meeting.starts_at)


def invitation_method(meeting) -> str:
    return "CANCEL" if meeting.is_cancelled else "REQUEST"


def meeting_ics(meeting, *, base_url: str = "") -> bytes:
    """One meeting to download into one's own calendar (METHOD:PUBLISH)."""
    return calendar_bytes([meeting_entry(meeting, base_url=base_url)], method="PUBLISH")


def meeting_invitation_ics(meeting, *, email: str, name: str = "", base_url: str = "") -> bytes:
    """One recipient's invitation: REQUEST (CANCEL once cancelled), they the only ATTENDEE."""
    entry = meeting_entry(meeting, base_url=base_url)
    add_attendee(entry.event, email, name=name)
    return calendar_bytes([entry], method=invitation_method(meeting))


@register_feed_source
def feed_entries(user, *, base_url: str = "") -> list[CalendarEntry]:
    """The personal feed's meetings (portal.ical.personal_feed asks every registered source)."""
    from council.selectors import calendar_meetings_for

    return [meeting_entry(m, base_url=base_url) for m in calendar_meetings_for(user)]
