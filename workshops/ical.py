"""A workshop as an iCalendar event, written with the portal's calendar writer (portal/ical.py)."""

from portal.ical import CalendarEntry, calendar_bytes, new_event, register_feed_source


def workshop_entry(workshop, url: str) -> CalendarEntry:
    description = "\n".join(part for part in (workshop.theme_question, url) if part)
    event = new_event(
        uid=f"workshop-{workshop.pk}@samverkansradet",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=workshop.title,
        location=", ".join(p for p in (workshop.venue, workshop.address, workshop.city) if p),
        description=description,
        url=url,
        cancelled=workshop.state == workshop.State.CANCELLED,
    )
    return CalendarEntry(event=event, starts_at=workshop.starts_at)


def workshop_calendar(workshop, url: str) -> bytes:
    """One workshop to download (METHOD:PUBLISH)."""
    return calendar_bytes([workshop_entry(workshop, url)], method="PUBLISH")


@register_feed_source
def feed_entries(user, *, base_url: str = "") -> list[CalendarEntry]:
    """Workshops the person holds a place at (or waits for), matched by their login address."""
    from workshops.selectors import registrations_for_calendar

    return [
        workshop_entry(
            registration.workshop,
            base_url.rstrip("/") + registration.workshop.get_absolute_url(),
        )
        for registration in registrations_for_calendar(user)
    ]
