"""Report jobs that always end: a killed worker, a stopped broker, a lost queue.

Real parts only: PostgreSQL, `celery worker` processes, and a redis-server that the test starts
and stops itself (never the shared one).
"""

import os
import signal
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ReportJob
from tests.factories import make_user
from tests.reports.pdf import pdf_text
from tests.reports.processes import RedisServer, broker, celery_worker, read_log, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _report_files() -> list[str]:
    root = settings.MEDIA_ROOT / "reports"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.pdf")) if root.exists() else []


def _finished(job):
    def check():
        job.refresh_from_db()
        return job.is_finished

    return check


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_killed_worker_job_ends_done_with_one_file_after_the_sweep(tmp_path, own_redis):
    user = make_user("secretariat")
    with broker(own_redis.url):
        with celery_worker(tmp_path / "first.log", broker_url=own_redis.url) as (process, log):
            job = services.report_job_request(kind="portal_overview", requested_by=user)

            def running():
                job.refresh_from_db()
                return job.state == ReportJob.State.RUNNING

            wait_for(running, timeout=60, interval=0.01, message="the job never started")
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        job.refresh_from_db()
        killed_task_id = job.task_id
        assert job.state == ReportJob.State.RUNNING, "killed too late: the job had ended"
        assert not job.file
        assert killed_task_id

        with celery_worker(tmp_path / "second.log", broker_url=own_redis.url) as (_p, log):
            # The message is unacknowledged in the broker until the visibility timeout; the
            # sweep sees the heartbeat older than the time limit and sends the job again.
            later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER + 1)
            assert services.report_job_sweep(now=later) == {"resent": 1, "failed": 0}
            wait_for(_finished(job), timeout=90, message="the job did not end after the sweep")
            assert job.state == ReportJob.State.DONE, f"{job.error}\n{read_log(log)[-3000:]}"
            assert job.attempts == 2
            files = _report_files()
            assert len(files) == 1
            first_bytes = job.file.read()
            assert "Portalöversikt" in pdf_text(first_bytes)

            # The broker hands the killed message out again after its visibility timeout:
            # the job is done, so it ends at once and writes nothing.
            from reports.tasks import report_job_render

            report_job_render.apply_async(kwargs={"job_id": str(job.pk)}, task_id=killed_task_id)
            wait_for(
                lambda: f"reports.render[{killed_task_id}] succeeded" in read_log(log),
                timeout=60,
                message="the redelivered message was not handled",
            )
        job.refresh_from_db()
        assert job.state == ReportJob.State.DONE
        assert job.attempts == 2
        assert _report_files() == files
        assert job.file.read() == first_bytes


def test_request_while_the_broker_is_down_is_answered_and_can_be_tried_again(client, own_redis):
    client.force_login(make_user("secretariat"))
    with broker(own_redis.url):
        own_redis.stop()
        response = client.post(reverse("reports:request"), {"kind": "portal_overview"})
        assert response.status_code == 302
        job = ReportJob.objects.get()
        assert response.headers["Location"] == reverse("reports:detail", args=[job.pk])
        assert job.state == ReportJob.State.FAILED
        assert job.failure == ReportJob.Failure.QUEUE_UNREACHABLE
        page = client.get(response.headers["Location"]).content.decode()
        assert "Rapportkön gick inte att nå. Försök igen om en stund." in page
        assert "Din rapport tas fram." not in page
        assert reverse("reports:retry", args=[job.pk]) in page

        own_redis.start()  # empty: nothing survived
        retried = client.post(reverse("reports:retry", args=[job.pk]))
        assert retried.status_code == 302
        job.refresh_from_db()
        assert job.state == ReportJob.State.QUEUED
        assert job.failure == ""
        assert own_redis.llen("celery") == 1


def test_queued_job_lost_with_the_broker_is_sent_again_by_the_sweep(tmp_path, own_redis):
    user = make_user("secretariat")
    with broker(own_redis.url):
        job = services.report_job_request(kind="portal_overview", requested_by=user)
        assert own_redis.llen("celery") == 1
        # Redis restarts without persistence: the queue is gone, the job still says queued.
        own_redis.stop()
        own_redis.start()
        assert own_redis.llen("celery") == 0
        with celery_worker(tmp_path / "worker.log", broker_url=own_redis.url) as (_p, log):
            assert services.report_job_sweep() == {"resent": 0, "failed": 0}  # not yet overdue
            later = timezone.now() + timedelta(seconds=settings.REPORT_REQUEUE_AFTER + 1)
            assert services.report_job_sweep(now=later) == {"resent": 1, "failed": 0}
            wait_for(_finished(job), timeout=90, message="the re-sent job did not end")
            assert job.state == ReportJob.State.DONE, f"{job.error}\n{read_log(log)[-3000:]}"
        assert len(_report_files()) == 1
