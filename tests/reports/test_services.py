import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from reports import registry, services
from reports.models import ReportJob
from reports.registry import ReportKind
from tests.factories import make_user
from tests.reports.pdf import pdf_catalogue, pdf_text


def _run(job):
    services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


@pytest.mark.django_db(transaction=True)
def test_report_job_request_renders_tagged_overview_pdf():
    user = make_user("secretariat")
    make_user("council_member")
    job = services.report_job_request(kind="portal_overview", requested_by=user, language="sv")
    job.refresh_from_db()  # the task ran on commit, in-process
    assert job.state == ReportJob.State.DONE
    assert job.progress == 100
    assert job.attempts == 1
    data = job.file.read()
    text = pdf_text(data)
    assert "Portalöversikt" in text
    assert "Användare" in text
    assert "2" in text
    catalogue = pdf_catalogue(data)
    assert catalogue["/Lang"] == "sv"
    assert "/StructTreeRoot" in catalogue
    assert bool(catalogue["/MarkInfo"]["/Marked"])


@pytest.mark.django_db(transaction=True)
def test_report_job_request_in_english_renders_english():
    user = make_user("secretariat")
    job = services.report_job_request(kind="portal_overview", requested_by=user, language="en")
    job.refresh_from_db()
    data = job.file.read()
    assert "Portal overview" in pdf_text(data)
    assert pdf_catalogue(data)["/Lang"] == "en"


@pytest.mark.django_db(transaction=True)
def test_report_job_run_twice_keeps_one_file():
    user = make_user("secretariat")
    job = services.report_job_request(kind="portal_overview", requested_by=user)
    job.refresh_from_db()
    first_name = job.file.name
    job = _run(job)
    assert job.file.name == first_name
    assert job.attempts == 1
    assert default_storage.listdir(first_name.rsplit("/", 1)[0])[1] == [
        first_name.rsplit("/", 1)[1]
    ]


def _broken_context(job):
    raise ValueError("the subject is gone")


@pytest.mark.django_db
def test_report_job_run_failure_is_recorded_and_retry_succeeds(django_capture_on_commit_callbacks):
    kind = ReportKind(
        code="test_flaky",
        label="Flaky",
        template="reports/portal_overview.html",
        build_context=_broken_context,
    )
    registry.register(kind)
    try:
        user = make_user("secretariat")
        with django_capture_on_commit_callbacks(execute=True):
            job = services.report_job_request(kind="test_flaky", requested_by=user)
        job.refresh_from_db()
        assert job.state == ReportJob.State.FAILED
        assert job.error == "ValueError: the subject is gone"
        assert not job.file

        object.__setattr__(kind, "build_context", lambda job: {"sections": [], "total": 0})
        with django_capture_on_commit_callbacks(execute=True):
            services.report_job_retry(job=job)
        job.refresh_from_db()
        assert job.state == ReportJob.State.DONE
        assert job.error == ""
        assert job.attempts == 2
    finally:
        registry._KINDS.pop("test_flaky")


@pytest.mark.django_db
def test_report_job_retry_refuses_unfailed_job():
    user = make_user("secretariat")
    job = ReportJob.objects.create(kind="portal_overview", title="x", requested_by=user)
    with pytest.raises(ValidationError):
        services.report_job_retry(job=job)


@pytest.mark.django_db
def test_report_job_request_unknown_kind_is_refused():
    user = make_user("secretariat")
    with pytest.raises(ValidationError):
        services.report_job_request(kind="nonexistent", requested_by=user)
    assert ReportJob.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_report_job_purge_expired_deletes_old_jobs_and_files():
    user = make_user("secretariat")
    job = services.report_job_request(kind="portal_overview", requested_by=user)
    job.refresh_from_db()
    path = job.file.name
    assert services.report_job_purge_expired(now=timezone.now()) == 0
    later = timezone.now() + timezone.timedelta(days=91)
    assert services.report_job_purge_expired(now=later) == 1
    assert not default_storage.exists(path)
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.png", "https://example.org/x.css", "file:///etc/passwd"]
)
def test_report_fetcher_refuses_anything_but_static_files(url):
    from reports.rendering import _local_only_fetcher

    with pytest.raises(ValueError):
        _local_only_fetcher().fetch(url)


def test_report_fetcher_serves_static_css():
    from django.conf import settings

    from reports.rendering import _local_only_fetcher

    response = _local_only_fetcher().fetch((settings.BASE_DIR / "static/css/report.css").as_uri())
    assert b"DejaVu Sans" in response.read()


def _database_gone(job):
    from django.db import OperationalError

    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_report_task_retries_transient_errors_then_fails_with_reason():
    from reports.tasks import MAX_RETRIES, report_job_render

    registry.register(
        ReportKind(
            code="test_transient",
            label="Transient",
            template="reports/portal_overview.html",
            build_context=_database_gone,
        )
    )
    try:
        job = ReportJob.objects.create(
            kind="test_transient", title="t", requested_by=make_user("secretariat")
        )
        report_job_render.apply(kwargs={"job_id": str(job.pk)})
        job.refresh_from_db()
        assert job.attempts == MAX_RETRIES + 1
        assert job.state == ReportJob.State.FAILED
        assert job.error == "server closed the connection unexpectedly"
    finally:
        registry._KINDS.pop("test_transient")
