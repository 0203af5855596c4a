"""The council-year report: the year's members, balance, meetings, speaking time and record.

subject_id is "<council id>:<year>". The context is built from the selectors; the reports
app renders it like every other report.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from council import selectors
from council.models import LEADERSHIP_ROLES, ActionItem, Attendance, Council, Role
from reports.registry import ReportKind, register


@dataclass(frozen=True)
class YearSection:
    """A chapter another app adds to the council-year report (workshops add theirs).

    Apps that depend on the council register one from their own reports.py; the council
    imports none of them. `build(council, year)` returns the section's context, or None
    when it has nothing to say for that year.
    """

    code: str
    template: str
    build: Callable


_YEAR_SECTIONS: dict[str, YearSection] = {}


def register_year_section(section: YearSection) -> YearSection:
    _YEAR_SECTIONS[section.code] = section
    return section


def parse_subject(subject_id: str) -> tuple[int, int]:
    council_id, year = subject_id.split(":", 1)
    return int(council_id), int(year)


def council_year_context(job) -> dict:
    council_id, year = parse_subject(job.subject_id)
    council = Council.objects.get(pk=council_id)
    first, last = date(year, 1, 1), date(year, 12, 31)
    memberships = list(
        selectors.memberships_between(council, first, last).order_by(
            "role", "person__name", "start_date"
        )
    )
    representatives = [
        m for m in memberships if m.role not in LEADERSHIP_ROLES or m.role == Role.CHAIR
    ]
    representatives = [m for m in representatives if m.is_representative]
    leadership = [m for m in memberships if m.role in LEADERSHIP_ROLES]
    meetings = list(
        council.meetings.filter(starts_at__date__gte=first, starts_at__date__lte=last)
        .filter(cancelled_at=None)
        .annotate(
            invited_count=Count("attendances", distinct=True),
            present_count=Count(
                "attendances",
                filter=Q(attendances__status=Attendance.Status.PRESENT),
                distinct=True,
            ),
            item_count=Count(
                "agenda_items", filter=Q(agenda_items__state="accepted"), distinct=True
            ),
        )
        .order_by("starts_at")
    )
    invited = sum(m.invited_count for m in meetings)
    present = sum(m.present_count for m in meetings)
    actions = list(
        selectors.action_item_list(council)
        .filter(meeting__in=meetings)
        .order_by("meeting__starts_at", "due_date", "id")
    )
    status_counts = {
        label: sum(1 for a in actions if a.status == value)
        for value, label in ActionItem.Status.choices
    }
    # Two snapshots show how the leadership's shares moved during the year.
    snapshots = [
        selectors.composition_on(council, date(year, 6, 1)),
        selectors.composition_on(council, date(year, 10, 1)),
    ]
    sections = []
    for section in _YEAR_SECTIONS.values():
        context = section.build(council, year)
        if context is not None:
            sections.append({"template": section.template, "context": context})
    return {
        "council": council,
        "year": year,
        "sections": sections,
        "composition": selectors.composition_for_year(council, year),
        "representatives": representatives,
        "leadership": leadership,
        "snapshots": snapshots,
        "meetings": meetings,
        "attendance_rate": round(100 * present / invited) if invited else None,
        "present": present,
        "invited": invited,
        "speaking": selectors.speaking_time(
            meetings, period=selectors.year_so_far(year), council=council
        ),
        "decisions": list(selectors.decisions_between(council, first, last)),
        "actions": actions,
        "action_status_counts": [(label, count) for label, count in status_counts.items() if count],
    }


COUNCIL_YEAR = register(
    ReportKind(
        code="council_year",
        label=_("Council year"),
        description=_(
            "The council's year: members and roles, balance, meetings with attendance, speaking "
            "time, decisions and action items."
        ),
        template="council/reports/council_year.html",
        build_context=council_year_context,
        permission="council.request_council_report",
        needs_subject=True,
    )
)


def council_minutes_context(job) -> dict:
    """The minutes of one meeting (subject_id: the meeting's id) as one document.

    The job may come through the generic report request too, so the rule of the minutes
    page is applied here: approved minutes for members; drafts only for the secretariat
    and the meeting's minute-taker and adjusters.
    """
    from django.core.exceptions import PermissionDenied

    from accounts.permissions import can
    from council.models import Meeting

    meeting = Meeting.objects.select_related("council", "minute_taker").get(pk=int(job.subject_id))
    user = job.requested_by
    person = selectors.person_for(user) if user is not None else None
    involved = user is not None and (
        can(user, "council.change_meeting")
        or (person is not None and meeting.adjusters.filter(pk=person.pk).exists())
        or (person is not None and meeting.minute_taker_id == person.pk)
    )
    document = selectors.minutes_document(meeting, working_copy=involved)
    if not involved and document["approved"] is None:
        raise PermissionDenied("These minutes are not approved yet.")
    return document


COUNCIL_MINUTES = register(
    ReportKind(
        code="council_minutes",
        label=_("Minutes"),
        description=_("The minutes of one council meeting, with their approval."),
        template="council/reports/minutes.html",
        build_context=council_minutes_context,
        permission="council.view_meeting",
        needs_subject=True,
    )
)
