"""The reports' panel on a signed-in person's home page (portal/panels.py)."""

from datetime import timedelta

from django.utils import timezone

from accounts.permissions import can
from portal.panels import Panel, register
from reports.models import ReportJob
from reports.selectors import report_job_list_for

FAILED_WITHIN = timedelta(days=30)


def _failed(request):
    """Reports that failed lately: one's own, or everyone's for those who oversee reports."""
    if not can(request.user, "reports.add_reportjob"):
        return None
    jobs = list(
        report_job_list_for(request.user)
        .filter(state=ReportJob.State.FAILED, created_at__gte=timezone.now() - FAILED_WITHIN)
        .order_by("-created_at")[:5]
    )
    if not jobs:
        return None  # an attention item only when there is something to see to
    return {"jobs": jobs, "count": len(jobs)}


register(Panel("reports_failed", "reports/panels/failed.html", _failed, order=4, attention=True))
