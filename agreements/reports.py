"""The agreement follow-up report: parties and anchoring, phase timeline, checklist status,
principle health from both sides with the trend, action plan and documentation log."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import charts, selectors
from agreements.enums import GAP_THRESHOLD
from reports.registry import ReportKind, register


def follow_up_context(job) -> dict:
    agreement = selectors.agreement_for_page(int(job.subject_id))
    # The request view checks this too; a job made some other way must not leak an agreement.
    if job.requested_by is None or not selectors.agreement_can_edit(job.requested_by, agreement):
        raise PermissionError("The requester may not read this agreement's follow-up.")
    principle_list = selectors.principles()
    health = selectors.principle_health(agreement, principle_list)
    return {
        "agreement": agreement,
        "timeline": selectors.phase_timeline(agreement),
        "checklist": selectors.checklist_for(agreement),
        "health": health,
        "sides_chart": charts.sides_chart(health),
        "trend_chart": charts.trend_chart(health),
        "gap_threshold": GAP_THRESHOLD,
        "today": timezone.localdate(),
        "weak": [row for row in health.principles if row.weak],
    }


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
    )
)
