"""The council's panels on a signed-in person's home page (portal/panels.py)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.permissions import can
from council import selectors
from council.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    MinutesApproval,
    MinutesRecord,
)
from portal.panels import Panel, register

OPEN = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
TERMS_ENDING_WITHIN = timedelta(days=90)


# The next meetings are the same for everyone (only the reply beside each is personal): read
# once per write to the council's tables, with a few more than shown, and cut by the clock on
# each request.
NEXT_MEETINGS = 4
NEXT_MEETINGS_KEPT = 8


@dataclass(frozen=True)
class _Mine:
    """What the council's panels show a person of their own (selectors.workplace_person, one
    statement per request) and the next meetings, each with `my_reply`."""

    person: selectors.WorkplacePerson | None
    meetings: list


def _upcoming(request) -> list[Meeting]:
    return selectors.meetings_ahead(request, show=NEXT_MEETINGS, keep=NEXT_MEETINGS_KEPT)


def _mine(request) -> _Mine:
    found = getattr(request, "_council_panels_mine", None)
    if found is not None:
        return found
    meetings = _upcoming(request)
    person = selectors.workplace_person(request.user, [meeting.pk for meeting in meetings])
    if person is not None:
        replies = dict(Attendance.Reply.choices)
        for meeting in meetings:
            code = person.replies[meeting.pk]
            meeting.my_reply = str(replies.get(code, code)) if code is not None else None
    found = request._council_panels_mine = _Mine(person, meetings)
    return found


def _next_meetings(request):
    user = request.user
    if not can(user, "council.view_meeting"):
        return None
    mine = _mine(request)
    return {
        "meetings": mine.meetings,
        "can_schedule": can(user, "council.add_meeting"),
        "is_participant": mine.person is not None,
    }


def _my_actions(request):
    if not can(request.user, "council.view_meeting"):
        return None
    person = _mine(request).person
    if person is None:
        return None
    actions = selectors.open_actions_of(person.id) if person.open_actions else []
    return {"actions": actions, "today": timezone.localdate()}


def _minutes_to_approve(request):
    if not can(request.user, "council.view_meeting"):
        return None
    person = _mine(request).person
    if person is None or not person.minutes_waiting:
        return None  # only adjusters with minutes to approve see this panel
    waiting = list(
        MinutesApproval.objects.filter(
            adjuster_id=person.id,
            state=MinutesApproval.State.PENDING,
            record__state=MinutesRecord.State.CIRCULATING,
        )
        .select_related("record__meeting")
        .order_by("record__circulated_at", "pk")
    )
    return {"approvals": waiting}


def _council_attention(request):
    if not can(request.user, "council.change_meeting"):
        return None
    today = timezone.localdate()
    proposals = list(
        AgendaItem.objects.filter(
            state=AgendaItem.State.PROPOSED,
            meeting__cancelled_at=None,
            meeting__ends_at__gte=timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "position", "id")[:8]
    )
    terms_ending = list(
        Membership.objects.filter(end_date__gte=today, end_date__lte=today + TERMS_ENDING_WITHIN)
        .select_related("person", "organisation")
        .order_by("end_date", "id")[:8]
    )
    return {
        "proposals": proposals,
        "terms_ending": terms_ending,
        "count": len(proposals) + len(terms_ending),
    }


register(Panel("council_meetings", "council/panels/meetings.html", _next_meetings, order=10))
register(Panel("council_actions", "council/panels/actions.html", _my_actions, order=11))
register(Panel("council_minutes", "council/panels/minutes.html", _minutes_to_approve, order=9))
register(
    Panel(
        "council_attention",
        "council/panels/attention.html",
        _council_attention,
        order=1,
        attention=True,
    )
)
