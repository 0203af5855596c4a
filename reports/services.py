import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import registry
from reports.models import ReportJob
from reports.rendering import render_pdf

logger = logging.getLogger(__name__)


class TransientReportError(Exception):
    """Worth trying again later: the database or the file store was briefly out of reach."""


def _enqueue(job_id) -> None:
    from reports.tasks import report_job_render

    report_job_render.delay(job_id=str(job_id))


@transaction.atomic
def report_job_request(
    *, kind: str, requested_by, subject_id: str = "", language: str | None = None
) -> ReportJob:
    report_kind = registry.get(kind)
    if report_kind is None:
        raise ValidationError(_("There is no report of that kind."))
    # One person's requests are counted one at a time (two tabs cannot both slip under the cap).
    get_user_model().objects.select_for_update().filter(pk=requested_by.pk).first()
    in_progress = ReportJob.objects.filter(
        requested_by=requested_by, state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING]
    )
    # Asking again for a report that is still being produced returns that one (a double
    # click, an impatient reload); a handful at once per person is the most the queue takes.
    duplicate = in_progress.filter(kind=kind, subject_id=subject_id).order_by("created_at").first()
    if duplicate is not None:
        return duplicate
    if in_progress.count() >= settings.REPORT_QUEUED_PER_USER:
        raise ValidationError(
            _(
                "You already have %(count)d reports being produced. Ask for more when one "
                "of them is finished."
            )
            % {"count": settings.REPORT_QUEUED_PER_USER},
            code="too_many_queued",
        )
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        title = str(report_kind.label)
    job = ReportJob.objects.create(
        kind=kind,
        subject_id=subject_id,
        title=title,
        language=language,
        requested_by=requested_by,
    )
    # The worker must find the row: send the task only once it is committed.
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


@transaction.atomic
def report_job_retry(*, job: ReportJob) -> ReportJob:
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ReportJob.State.FAILED:
        raise ValidationError(_("Only a failed report can be tried again."))
    job.state = ReportJob.State.QUEUED
    job.progress = 0
    job.error = ""
    job.finished_at = None
    job.save(update_fields=["state", "progress", "error", "finished_at"])
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _progress(job_id, progress: int) -> None:
    # Outside any transaction on purpose: the status page must see each step as it happens.
    ReportJob.objects.filter(pk=job_id).update(progress=progress)


def report_job_fail(*, job_id, error: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        state=ReportJob.State.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def report_job_run(*, job_id) -> None:
    """Render one job to PDF and store it on the job.

    Safe to run twice (acks_late redelivers after a lost worker): a job that is already done
    keeps its one file. Transient errors raise TransientReportError for the task to retry;
    anything else marks the job failed with the reason, for the status page to show.
    """
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.state == ReportJob.State.DONE and job.file:
            return
        job.state = ReportJob.State.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.progress = 5
        job.error = ""
        job.save(update_fields=["state", "started_at", "attempts", "progress", "error"])

    report_kind = registry.get(job.kind)
    if report_kind is None:
        report_job_fail(job_id=job_id, error=_("This kind of report no longer exists."))
        return
    try:
        with translation.override(job.language):
            context = report_kind.build_context(job)
            _progress(job_id, 25)
            html = render_to_string(
                report_kind.template,
                {**context, "job": job, "generated_at": timezone.now()},
            )
            _progress(job_id, 40)
            pdf = render_pdf(html)
            _progress(job_id, 90)
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().get(pk=job_id)
            if job.file:
                job.file.delete(save=False)
            job.file.save(job.filename, ContentFile(pdf), save=False)
            job.state = ReportJob.State.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "state", "progress", "finished_at"])
    except (OperationalError, InterfaceError, ConnectionError, TimeoutError) as exc:
        ReportJob.objects.filter(pk=job_id).update(state=ReportJob.State.QUEUED, progress=0)
        raise TransientReportError(str(exc)) from exc
    except DatabaseError:
        raise
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        report_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")


@transaction.atomic
def report_job_purge_expired(*, now=None) -> int:
    """Delete jobs (and their files) older than REPORT_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REPORT_RETENTION_DAYS)
    expired = list(ReportJob.objects.filter(created_at__lt=cutoff))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    ReportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)
