"""What reports hold about people, for the personal-data registry (portal.personal_data).

A report job belongs to whoever requested it; the PDF may name people (the council-year
report names members), so the job and its file are deleted with the requester's data, and
after REPORT_RETENTION_DAYS in any case.
"""

from django.utils.translation import gettext_lazy as _

from portal.personal_data import DELETE, Holding, RetentionJob, register, register_retention
from reports.models import ReportJob


def _jobs_delete(queryset, now, subject) -> int:
    count = 0
    for job in queryset:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


register(
    Holding(
        code="reports.ReportJob",
        model="reports.ReportJob",
        label=_("Reports requested"),
        find=lambda s: ReportJob.objects.filter(requested_by__in=s.user_ids),
        fields=("kind", "title", "state", "created_at", "file"),
        treatment=DELETE,
        erase=_jobs_delete,
    )
)


def _reports_purge(now) -> int:
    from reports.services import report_job_purge_expired

    return report_job_purge_expired(now=now)


register_retention(
    RetentionJob(
        code="reports.files",
        label=_("Report files"),
        setting="REPORT_RETENTION_DAYS",
        task="reports.purge_expired",
        run=_reports_purge,
    )
)
