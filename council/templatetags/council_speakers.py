"""The live list of speakers on the meeting page, as one tag: {% speakers_live_section %}."""

from django import template

from council import selectors
from council.models import AgendaItem

register = template.Library()


@register.inclusion_tag("council/_speakers_live.html", takes_context=True)
def speakers_live_section(context):
    """Uses what the meeting page has loaded (meeting, items, attendances) where it can."""
    from council.speakers import live_context

    request = context["request"]
    meeting = context["meeting"]
    data = live_context(request, meeting)
    viewer = data["viewer"]
    data.update(
        request=request,
        csrf_token=context.get("csrf_token"),
        show=not meeting.is_cancelled and (viewer.running or viewer.manages),
    )
    if viewer.manages:
        items = context.get("items")
        if items is None:
            items = meeting.agenda_items.all()
        data["items"] = [item for item in items if item.state == AgendaItem.State.ACCEPTED]
        data["candidates"] = selectors.speaker_candidates(meeting, context.get("attendances"))
    return data


def _share(balance, code):
    if balance is None or code not in balance.shares:
        return None
    return round(balance.shares[code] * 100)


@register.inclusion_tag("council/includes/speaking_compare.html")
def speaking_compare(stats, title_id):
    """Each gender's and sector's share of speaking time beside its share of those present
    and of the council's seats, as two tables."""
    from council.templatetags.council_tags import GENDER_LABELS, SECTOR_LABELS, duration

    def rows(kind):
        spoken = stats.by_gender if kind == "gender" else stats.by_sector
        present = stats.seats_gender if kind == "gender" else stats.seats_sector
        seats = stats.council_gender if kind == "gender" else stats.council_sector
        labels = GENDER_LABELS if kind == "gender" else SECTOR_LABELS
        result = []
        for code, label in labels.items():
            counts = [b.counts.get(code, 0) for b in (spoken, present, seats) if b is not None]
            if code not in spoken.pair and not any(counts):
                continue
            result.append(
                {
                    "label": label,
                    "time": duration(spoken.counts.get(code, 0)),
                    "spoken": _share(spoken, code),
                    "present": _share(present, code),
                    "seats": _share(seats, code),
                }
            )
        return result

    return {
        "title_id": title_id,
        "gender_rows": rows("gender"),
        "sector_rows": rows("sector"),
        "has_seats": stats.council_gender is not None,
    }
