from celery import shared_task

from reports import services

MAX_RETRIES = 5


@shared_task(
    name="reports.render",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def report_job_render(self, *, job_id: str) -> None:
    try:
        services.report_job_run(job_id=job_id, task_id=self.request.id or "")
    except services.TransientReportError as exc:
        if self.request.retries >= MAX_RETRIES:
            services.report_job_fail(job_id=job_id, error=str(exc))
            return
        # Exponential backoff: 10 s, 20 s, 40 s, ... up to 5 minutes.
        raise self.retry(exc=exc, countdown=min(10 * 2**self.request.retries, 300)) from exc


@shared_task(name="reports.purge_expired")
def report_job_purge_expired() -> int:
    return services.report_job_purge_expired()


@shared_task(name="reports.sweep")
def report_job_sweep() -> dict:
    return services.report_job_sweep()
