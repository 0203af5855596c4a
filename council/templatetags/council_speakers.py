"""The live list of speakers on the meeting page, as one tag: {% speakers_live_section %}."""

from django import template

from council import selectors
from council.models import AgendaItem

register = template.Library()


@register.inclusion_tag("council/_speakers_live.html", takes_context=True)
def speakers_live_section(context):
    from council.speakers import live_context

    request = context["request"]
    meeting = selectors.meeting_for_live(context["meeting"].pk)
    data = live_context(request, meeting)
    viewer = data["viewer"]
    data.update(
        request=request,
        csrf_token=context.get("csrf_token"),
        show=not meeting.is_cancelled and (viewer.running or viewer.manages),
    )
    if viewer.manages:
        data["items"] = list(meeting.agenda_items.filter(state=AgendaItem.State.ACCEPTED))
        data["candidates"] = selectors.speaker_candidates(meeting)
    return data
