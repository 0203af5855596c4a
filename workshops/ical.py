"""A workshop as an iCalendar file, for the visitor's own calendar."""

from icalendar import Calendar, Event


def workshop_calendar(workshop, url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Samverkansradet//workshops//SV")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"workshop-{workshop.pk}@samverkansradet")
    event.add("summary", workshop.title)
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.ends_at)
    event.add(
        "location", ", ".join(p for p in (workshop.venue, workshop.address, workshop.city) if p)
    )
    event.add("description", f"{workshop.theme_question}\n{url}")
    event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
