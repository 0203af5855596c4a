"""The agreement follow-up report: parties and anchoring, phase timeline, checklist status,
principle health from both sides with the trend, action plan and documentation log."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from agreements import charts, selectors
from agreements.enums import GAP_THRESHOLD
from reports.registry import ReportKind, register


def follow_up_context(job) -> dict:
    agreement = selectors.agreement_for_page(int(job.subject_id))
    # The request view checks this too; a job made some other way must not leak an agreement.
    if job.requested_by is None or not selectors.agreement_can_edit(job.requested_by, agreement):
        raise PermissionError("The requester may not read this agreement's follow-up.")
    principle_list = selectors.principles()
    # The report is for the process leaders: small sides are shown, with the note that the
    # public page does not show them; comments carry their sector, never a name.
    health = selectors.principle_health(agreement, principle_list, audience=selectors.LEADER)
    checklist = selectors.checklist_for(agreement)
    return {
        "agreement": agreement,
        "timeline": selectors.phase_timeline(agreement, checklist=checklist),
        "checklist": checklist,
        "answered": [
            (
                group,
                [
                    row
                    for row in group.rows
                    if row.answer
                    and (row.answer.note or row.answer.evidence or row.answer.evidence_name)
                ],
            )
            for group in checklist
        ],
        "health": health,
        "sides_chart": charts.sides_chart(health),
        "trend_chart": charts.trend_chart(health),
        "gap_threshold": GAP_THRESHOLD,
        "today": timezone.localdate(),
        "weak": [row for row in health.principles if row.weak],
        "participation": selectors.latest_participation(agreement, audience=selectors.LEADER),
    }


def _agreement(subject_id: str):
    from agreements.models import Agreement

    try:
        return Agreement.objects.select_related("municipality", "region").get(pk=int(subject_id))
    except (Agreement.DoesNotExist, TypeError, ValueError):
        return None


def follow_up_title(subject_id: str) -> str:
    agreement = _agreement(subject_id)
    label = str(_("Agreement follow-up"))
    return f"{label}: {agreement.title}" if agreement else label


def follow_up_file_stem(job) -> str:
    """uppfoljning-lund: the kind in the job's language and the agreement's place."""
    agreement = _agreement(job.subject_id)
    word = slugify(pgettext("file name", "follow-up"))
    if agreement is None:
        return word
    place = agreement.place
    return f"{word}-{slugify(place.name if place else agreement.title)}"


AGREEMENT_FOLLOW_UP = register(
    ReportKind(
        code="agreement_follow_up",
        label=_("Agreement follow-up"),
        description=_(
            "Parties and anchoring, phase timeline, checklist status, principle health from both "
            "sides with the trend, action plan and documentation log."
        ),
        template="agreements/reports/follow_up.html",
        build_context=follow_up_context,
        permission="reports.add_reportjob",
        needs_subject=True,
        title_for=follow_up_title,
        file_stem=follow_up_file_stem,
    )
)
