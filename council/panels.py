"""The council's panels on a signed-in person's home page (portal/panels.py)."""

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.permissions import can
from council.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    MinutesApproval,
    MinutesRecord,
)
from council.selectors import person_for
from portal.panels import Panel, register

OPEN = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
TERMS_ENDING_WITHIN = timedelta(days=90)


def _next_meetings(request):
    user = request.user
    if not can(user, "council.view_meeting"):
        return None
    person = person_for(user)
    meetings = Meeting.objects.filter(ends_at__gte=timezone.now(), cancelled_at=None).order_by(
        "starts_at"
    )
    if person is not None:
        # The person's reply in the same statement (one invitation per meeting and person).
        meetings = meetings.annotate(
            my_reply_code=Subquery(
                Attendance.objects.filter(meeting=OuterRef("pk"), person=person)
                .order_by()
                .values("reply")[:1]
            )
        )
    meetings = list(meetings[:4])
    replies = dict(Attendance.Reply.choices)
    for meeting in meetings:
        code = getattr(meeting, "my_reply_code", None)
        meeting.my_reply = str(replies.get(code, code)) if code is not None else None
    return {
        "meetings": meetings,
        "can_schedule": can(user, "council.add_meeting"),
        "is_participant": person is not None,
    }


def _my_actions(request):
    person = person_for(request.user)
    if person is None or not can(request.user, "council.view_meeting"):
        return None
    today = timezone.localdate()
    actions = list(
        ActionItem.objects.filter(owner=person, status__in=OPEN)
        .select_related("meeting")
        .order_by("due_date", "id")[:8]
    )
    return {"actions": actions, "today": today}


def _minutes_to_approve(request):
    person = person_for(request.user)
    if person is None or not can(request.user, "council.view_meeting"):
        return None
    waiting = list(
        MinutesApproval.objects.filter(
            adjuster=person,
            state=MinutesApproval.State.PENDING,
            record__state=MinutesRecord.State.CIRCULATING,
        )
        .select_related("record__meeting")
        .order_by("record__circulated_at", "pk")
    )
    if not waiting:
        return None  # only adjusters with minutes to approve see this panel
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
