from django.db.models import QuerySet

from accounts.permissions import can
from reports.models import ReportJob


def report_job_list_for(user) -> QuerySet[ReportJob]:
    """The jobs a user may see: their own, or every job for those who oversee reports."""
    jobs = ReportJob.objects.select_related("requested_by")
    if can(user, "reports.view_reportjob"):
        return jobs
    return jobs.filter(requested_by=user)
