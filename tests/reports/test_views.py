import pytest
from django.urls import reverse

from reports.models import ReportJob
from tests.factories import make_user
from tests.reports.pdf import pdf_text


@pytest.mark.django_db(transaction=True)
def test_secretariat_requests_overview_and_downloads_pdf(client):
    secretariat = make_user("secretariat")
    client.force_login(secretariat)
    page = client.get(reverse("secretariat"))
    assert page.status_code == 200
    assert "Ta fram översikten (PDF)" in page.content.decode()

    response = client.post(reverse("reports:request"), {"kind": "portal_overview"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("reports:detail", args=[job.pk])

    detail = client.get(response.headers["Location"]).content.decode()
    assert "Rapporten är klar." in detail
    assert "hx-get" not in detail  # finished: the page stops polling

    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert "Portalöversikt" in pdf_text(b"".join(download.streaming_content))


@pytest.mark.django_db
def test_status_fragment_polls_while_queued(client):
    secretariat = make_user("secretariat")
    job = ReportJob.objects.create(
        kind="portal_overview",
        title="Portalöversikt",
        requested_by=secretariat,
        progress=40,
        state=ReportJob.State.RUNNING,
    )
    client.force_login(secretariat)
    fragment = client.get(reverse("reports:status", args=[job.pk])).content.decode()
    assert f'data-hx-get="{reverse("reports:status", args=[job.pk])}"' in fragment
    assert 'value="40"' in fragment
    assert "Förlopp: 40 %" in fragment


@pytest.mark.django_db
def test_failed_job_shows_error_and_retry_button(client):
    secretariat = make_user("secretariat")
    job = ReportJob.objects.create(
        kind="portal_overview",
        title="Portalöversikt",
        requested_by=secretariat,
        state=ReportJob.State.FAILED,
        error="OSError: disk full",
    )
    client.force_login(secretariat)
    page = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    assert "OSError: disk full" in page
    assert reverse("reports:retry", args=[job.pk]) in page


@pytest.mark.django_db
def test_download_of_unfinished_job_is_404(client):
    secretariat = make_user("secretariat")
    job = ReportJob.objects.create(kind="portal_overview", title="x", requested_by=secretariat)
    client.force_login(secretariat)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_other_users_job_is_invisible(client):
    owner = make_user("process_leader")
    other = make_user("process_leader")
    job = ReportJob.objects.create(kind="portal_overview", title="x", requested_by=owner)
    client.force_login(other)
    for name in ["detail", "status", "download"]:
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:retry", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_secretariat_sees_every_job(client):
    owner = make_user("process_leader")
    job = ReportJob.objects.create(kind="portal_overview", title="x", requested_by=owner)
    client.force_login(make_user("secretariat"))
    assert client.get(reverse("reports:detail", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_member_may_not_request_overview(client):
    client.force_login(make_user("council_member"))
    response = client.post(reverse("reports:request"), {"kind": "portal_overview"})
    assert response.status_code == 403
    assert ReportJob.objects.count() == 0
    assert client.get(reverse("secretariat")).status_code == 403


@pytest.mark.django_db
def test_request_unknown_kind_explains_and_changes_nothing(client):
    client.force_login(make_user("secretariat"))
    response = client.post(reverse("reports:request"), {"kind": "x" * 500}, follow=True)
    assert response.status_code == 200
    assert "Den rapporten kan inte beställas." in response.content.decode()
    assert ReportJob.objects.count() == 0


@pytest.mark.django_db
def test_report_list_queries_do_not_grow_with_jobs(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secretariat = make_user("secretariat")
    client.force_login(secretariat)
    ReportJob.objects.create(kind="portal_overview", title="x", requested_by=make_user())
    client.get(reverse("reports:list"))  # the first request records the user session
    with CaptureQueriesContext(connection) as one_job:
        client.get(reverse("reports:list"))
    for _ in range(30):
        ReportJob.objects.create(kind="portal_overview", title="x", requested_by=make_user())
    with django_assert_max_num_queries(len(one_job)):
        response = client.get(reverse("reports:list"))
    assert response.status_code == 200
    assert len(response.context["jobs"]) == 31


@pytest.mark.django_db(transaction=True)
def test_report_whose_file_is_gone_answers_404_page_and_can_be_produced_again(client):
    """A restore without the media folder: no 500, a clear page, and a way to a new file."""
    secretariat = make_user("secretariat")
    client.force_login(secretariat)
    client.post(reverse("reports:request"), {"kind": "portal_overview"})
    job = ReportJob.objects.get()
    job.file.storage.delete(job.file.name)

    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 404
    html = download.content.decode()
    assert "Rapportfilen saknas" in html
    assert reverse("reports:retry", args=[job.pk]) in html

    detail = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    assert "Rapporten togs fram, men filen finns inte längre kvar." in detail
    assert reverse("reports:download", args=[job.pk]) not in detail
    assert reverse("reports:retry", args=[job.pk]) in detail

    assert client.post(reverse("reports:retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.attempts == 2
    again = client.get(reverse("reports:download", args=[job.pk]))
    assert again.status_code == 200
    assert "Portalöversikt" in pdf_text(b"".join(again.streaming_content))
