import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import registry
from reports.models import ReportJob
from reports.rendering import render_pdf

logger = logging.getLogger(__name__)


class TransientReportError(Exception):
    """Worth trying again later: the database or the file store was briefly out of reach."""


# A job whose worker vanished this many times (killed, out of memory) is failed for a person to
# look at instead of being sent round again.
MAX_WORKER_LOSSES = 3


def _send(job_id) -> bool:
    """Put the render task on the queue; False when the broker cannot be reached."""
    from reports.tasks import report_job_render

    try:
        report_job_render.apply_async(kwargs={"job_id": str(job_id)})
    except Exception:
        # kombu's OperationalError, a refused or timed-out socket, Redis out of memory: in every
        # case the message is not on the queue and the job must say so, not a 500.
        logger.warning("Report job %s could not be sent to the queue", job_id, exc_info=True)
        return False
    return True


def _enqueue(job_id) -> None:
    """Send the job once its row is committed; a broker error fails it with "try again"."""
    if not _send(job_id):
        report_job_fail(
            job_id=job_id,
            error="The task queue (broker) did not answer.",
            failure=ReportJob.Failure.QUEUE_UNREACHABLE,
        )


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
        if report_kind.title_for is not None:
            title = report_kind.title_for(subject_id)[:200] or title
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
    """Produce a failed job again, or a done one whose file is gone from the store."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ReportJob.State.FAILED and not job.file_missing:
        raise ValidationError(_("Only a failed report can be tried again."))
    job.state = ReportJob.State.QUEUED
    job.progress = 0
    job.error = ""
    job.failure = ""
    job.finished_at = None
    job.task_id = ""
    job.enqueued_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "progress",
            "error",
            "failure",
            "finished_at",
            "task_id",
            "enqueued_at",
        ]
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _progress(job_id, task_id: str, progress: int) -> None:
    # Outside any transaction on purpose: the status page must see each step as it happens.
    # Each step is also the worker's sign of life for the sweep.
    ReportJob.objects.filter(pk=job_id, task_id=task_id).update(
        progress=progress, heartbeat_at=timezone.now()
    )


def report_job_fail(*, job_id, error: str, failure: str = ReportJob.Failure.ERROR) -> None:
    # A job that is done stays done: a late failure (a duplicate message) must not hide it.
    ReportJob.objects.filter(pk=job_id).exclude(state=ReportJob.State.DONE).update(
        state=ReportJob.State.FAILED,
        error=error[:2000],
        failure=failure,
        finished_at=timezone.now(),
    )


def _fail_worker_lost(job: ReportJob) -> None:
    # In the language of the report: the person who asked for it reads this.
    with translation.override(job.language):
        error = _("The worker stopped during each of %(count)d attempts.") % {"count": job.attempts}
    report_job_fail(job_id=job.pk, error=error, failure=ReportJob.Failure.WORKER_LOST)


def _stale_before(now) -> timezone.datetime:
    return now - timedelta(seconds=settings.REPORT_STALE_AFTER)


def _claim(job_id, task_id: str) -> ReportJob | None:
    """Take the job for this task message, or None when the message has nothing to do.

    Exactly one message produces a job at a time: a duplicate (the sweep sent the job again
    while the first message was still in the queue) finds the job running with a fresh
    heartbeat, or done, and leaves it. The same message handed out again by the broker (its
    worker was lost) takes the job over.
    """
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.state in {ReportJob.State.DONE, ReportJob.State.FAILED}:
            return None
        if job.state == ReportJob.State.RUNNING:
            alive = job.heartbeat_at and job.heartbeat_at >= _stale_before(timezone.now())
            if job.task_id != task_id and alive:
                return None
            if job.attempts >= MAX_WORKER_LOSSES:
                _fail_worker_lost(job)
                return None
        now = timezone.now()
        job.state = ReportJob.State.RUNNING
        job.task_id = task_id
        job.started_at = now
        job.heartbeat_at = now
        job.attempts += 1
        job.progress = 5
        job.error = ""
        job.failure = ""
        job.save(
            update_fields=[
                "state",
                "task_id",
                "started_at",
                "heartbeat_at",
                "attempts",
                "progress",
                "error",
                "failure",
            ]
        )
        return job


def report_job_run(*, job_id, task_id: str = "") -> None:
    """Render one job to PDF and store it on the job.

    Safe to run twice (acks_late redelivers after a lost worker; the sweep sends again what
    looks lost): the job is produced by one message at a time and keeps one file. Transient
    errors raise TransientReportError for the task to retry; anything else marks the job
    failed with the reason, for the status page to show.
    """
    job = _claim(job_id, task_id)
    if job is None:
        return
    report_kind = registry.get(job.kind)
    if report_kind is None:
        report_job_fail(job_id=job_id, error=_("This kind of report no longer exists."))
        return
    try:
        with translation.override(job.language):
            context = report_kind.build_context(job)
            _progress(job_id, task_id, 25)
            html = render_to_string(
                report_kind.template,
                {**context, "job": job, "generated_at": timezone.now()},
            )
            _progress(job_id, task_id, 40)
            pdf = render_pdf(html)
            _progress(job_id, task_id, 90)
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().get(pk=job_id)
            if job.state != ReportJob.State.RUNNING or job.task_id != task_id:
                # The sweep gave this job to another message meanwhile: that one stores it.
                logger.warning("Report job %s taken over; result of %s dropped", job_id, task_id)
                return
            if job.file:
                job.file.delete(save=False)
            job.file.save(job.filename, ContentFile(pdf), save=False)
            job.state = ReportJob.State.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.heartbeat_at = job.finished_at
            job.save(update_fields=["file", "state", "progress", "finished_at", "heartbeat_at"])
    except (OperationalError, InterfaceError, ConnectionError, TimeoutError) as exc:
        ReportJob.objects.filter(pk=job_id, task_id=task_id).update(
            state=ReportJob.State.QUEUED, progress=0, enqueued_at=timezone.now()
        )
        raise TransientReportError(str(exc)) from exc
    except DatabaseError:
        raise
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        report_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")


def report_job_sweep(*, now=None) -> dict[str, int]:
    """Make every job end: send again what looks lost, fail what keeps losing its worker.

    * queued longer than REPORT_REQUEUE_AFTER since it was last sent: the message was lost (a
      broker restarted without persistence, or the send failed). Sent again; should the first
      message turn up after all, the one that comes second finds the job taken and leaves it.
    * running without a sign of life for REPORT_STALE_AFTER (the time limit plus a margin):
      no live worker can still hold it, since the time limit has stopped it by then. Sent
      again, or marked failed (with the retry button) after MAX_WORKER_LOSSES attempts.

    Runs from beat every REPORT_SWEEP_SECONDS and, throttled, when a report page is viewed (so
    the embedded run, which has no beat, recovers too).
    """
    now = now or timezone.now()
    requeue_before = now - timedelta(seconds=settings.REPORT_REQUEUE_AFTER)
    resend, failed = [], 0
    with transaction.atomic():
        lost = ReportJob.objects.select_for_update(skip_locked=True).filter(
            state=ReportJob.State.QUEUED, enqueued_at__lt=requeue_before
        )
        for job in lost:
            resend.append(job.pk)
        ReportJob.objects.filter(pk__in=resend).update(enqueued_at=now)
        stale = ReportJob.objects.select_for_update(skip_locked=True).filter(
            Q(heartbeat_at__lt=_stale_before(now))
            | Q(heartbeat_at__isnull=True, started_at__lt=_stale_before(now)),
            state=ReportJob.State.RUNNING,
        )
        for job in stale:
            if job.attempts >= MAX_WORKER_LOSSES:
                _fail_worker_lost(job)
                failed += 1
                continue
            job.state = ReportJob.State.QUEUED
            job.progress = 0
            job.task_id = ""
            job.enqueued_at = now
            job.save(update_fields=["state", "progress", "task_id", "enqueued_at"])
            resend.append(job.pk)
    # Sent after the commit; a send that fails leaves the job queued for the next sweep.
    sent = sum(_send(pk) for pk in resend)
    if resend:
        logger.info("Report sweep: sent %d of %d again, failed %d", sent, len(resend), failed)
    return {"resent": sent, "failed": failed}


SWEEP_LOCK_KEY = "reports:sweep-lock"


def report_job_sweep_if_due() -> None:
    """The sweep at most once per REPORT_SWEEP_SECONDS, from whichever process comes first."""
    try:
        due = cache.add(SWEEP_LOCK_KEY, 1, settings.REPORT_SWEEP_SECONDS)
    except Exception:
        logger.warning("Cache unreachable; report sweep left to beat", exc_info=True)
        return
    if due:
        report_job_sweep()


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
