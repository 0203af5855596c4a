"""The report sweep and the claim that lets one message at a time produce a job.

Tasks run in-process here, as in the embedded run (`make run`), which has no beat: there the
sweep runs when someone looks at a report page.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ReportJob
from tests.factories import make_user


def _stale_running_job(user, *, attempts=1, **fields) -> ReportJob:
    long_ago = timezone.now() - timedelta(seconds=settings.REPORT_STALE_AFTER + 5)
    return ReportJob.objects.create(
        kind="portal_overview",
        title="Portalöversikt",
        requested_by=user,
        state=ReportJob.State.RUNNING,
        progress=25,
        attempts=attempts,
        task_id="lost-worker-task",
        started_at=long_ago,
        heartbeat_at=long_ago,
        enqueued_at=long_ago,
        **fields,
    )


@pytest.mark.django_db(transaction=True)
def test_report_page_sweeps_a_job_whose_worker_is_gone_in_the_embedded_run(client):
    secretariat = make_user("secretariat")
    job = _stale_running_job(secretariat)
    client.force_login(secretariat)
    page = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.attempts == 2
    assert job.file
    assert "Rapporten är klar." in page


@pytest.mark.django_db(transaction=True)
def test_sweep_runs_once_per_interval_from_the_pages(client):
    secretariat = make_user("secretariat")
    client.force_login(secretariat)
    first = _stale_running_job(secretariat)
    client.get(reverse("reports:status", args=[first.pk]))
    second = _stale_running_job(secretariat)
    client.get(reverse("reports:status", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == ReportJob.State.DONE
    assert second.state == ReportJob.State.RUNNING  # the next sweep, within the interval
    assert services.report_job_sweep() == {"resent": 1, "failed": 0}
    second.refresh_from_db()
    assert second.state == ReportJob.State.DONE


@pytest.mark.django_db
def test_sweep_fails_a_job_that_keeps_losing_its_worker_and_offers_a_retry(client):
    secretariat = make_user("secretariat")
    job = _stale_running_job(secretariat, attempts=services.MAX_WORKER_LOSSES)
    assert services.report_job_sweep() == {"resent": 0, "failed": 1}
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert job.failure == ReportJob.Failure.WORKER_LOST
    assert job.error == "Arbetsprocessen stannade under vart och ett av 3 försök."
    client.force_login(secretariat)
    page = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    assert "Processen som tog fram rapporten stannade flera gånger. Försök igen." in page
    assert reverse("reports:retry", args=[job.pk]) in page


@pytest.mark.django_db
def test_sweep_leaves_fresh_jobs_alone():
    user = make_user("secretariat")
    queued = ReportJob.objects.create(kind="portal_overview", title="x", requested_by=user)
    running = ReportJob.objects.create(
        kind="portal_overview",
        title="x",
        requested_by=user,
        state=ReportJob.State.RUNNING,
        task_id="busy",
        heartbeat_at=timezone.now(),
    )
    assert services.report_job_sweep() == {"resent": 0, "failed": 0}
    queued.refresh_from_db()
    running.refresh_from_db()
    assert (queued.state, running.state) == (ReportJob.State.QUEUED, ReportJob.State.RUNNING)


@pytest.mark.django_db
def test_a_second_message_leaves_a_job_another_worker_is_producing():
    user = make_user("secretariat")
    job = ReportJob.objects.create(
        kind="portal_overview",
        title="x",
        requested_by=user,
        state=ReportJob.State.RUNNING,
        task_id="first-message",
        heartbeat_at=timezone.now(),
        attempts=1,
        progress=40,
    )
    services.report_job_run(job_id=job.pk, task_id="second-message")
    job.refresh_from_db()
    assert (job.state, job.task_id, job.attempts, job.progress) == (
        ReportJob.State.RUNNING,
        "first-message",
        1,
        40,
    )
    assert not job.file


@pytest.mark.django_db
def test_the_same_message_handed_out_again_takes_the_job_over():
    """acks_late: a prefork child killed mid-render gives its message back at once."""
    user = make_user("secretariat")
    job = ReportJob.objects.create(
        kind="portal_overview",
        title="x",
        requested_by=user,
        state=ReportJob.State.RUNNING,
        task_id="the-message",
        heartbeat_at=timezone.now(),
        attempts=1,
    )
    services.report_job_run(job_id=job.pk, task_id="the-message")
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.attempts == 2


@pytest.mark.django_db
def test_a_message_that_kills_its_worker_every_time_ends_failed():
    user = make_user("secretariat")
    job = ReportJob.objects.create(
        kind="portal_overview",
        title="x",
        requested_by=user,
        state=ReportJob.State.RUNNING,
        task_id="poison",
        heartbeat_at=timezone.now(),
        attempts=services.MAX_WORKER_LOSSES,
    )
    services.report_job_run(job_id=job.pk, task_id="poison")
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert job.failure == ReportJob.Failure.WORKER_LOST
