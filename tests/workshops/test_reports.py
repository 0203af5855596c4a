import pytest

from reports import services as report_services
from reports.models import ReportJob
from tests.reports.pdf import pdf_catalogue, pdf_text
from tests.workshops.test_demo import demo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_follow_up_report_reads_back_with_the_figures(demo, secretariat, tmp_path):  # noqa: F811
    workshop = demo["Har vi råd att (inte) samverka?"]
    job = report_services.report_job_request(
        kind="workshop_follow_up",
        subject_id=str(workshop.pk),
        requested_by=secretariat,
        language="sv",
    )
    report_services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE, job.error
    data = job.file.read()
    (tmp_path / "workshop.pdf").write_bytes(data)
    text = " ".join(pdf_text(data).split())
    assert "Har vi råd att (inte) samverka?" in text
    assert "Anmälda: 49. Deltog: 49." in text
    assert "Kvinnor 25 51 %" in text
    assert "Män 24 49 %" in text
    assert "färre än 5" in text  # one person from business, one from academia
    assert "Strukturen för medfinansiering i projekt" in text
    assert "Avslutat" in text
    assert "Medfinansieringen av projekt är krånglig" in text
    assert "/StructTreeRoot" in pdf_catalogue(data)


def test_follow_up_report_for_missing_workshop_fails_with_reason(secretariat):
    job = report_services.report_job_request(
        kind="workshop_follow_up", subject_id="9999", requested_by=secretariat
    )
    report_services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED


def test_council_year_report_has_the_years_workshops(secretariat):
    from accounts.demo import load_accounts
    from council import demo as council_demo
    from council.models import Council
    from directory import demo as directory_demo
    from reports import services as report_services
    from reports.models import ReportJob
    from tests.reports.pdf import pdf_text
    from workshops import demo as workshops_demo

    load_accounts()
    directory_demo.load()
    council_demo.load()
    workshops_demo.load()
    council = Council.objects.get(slug=council_demo.SLUG)
    job = report_services.report_job_request(
        kind="council_year",
        subject_id=f"{council.pk}:2014",
        requested_by=secretariat,
        language="sv",
    )
    report_services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE, job.error
    text = " ".join(pdf_text(job.file.read()).split())
    assert "Rådet höll 2 workshoppar under 2014." in text
    assert "49 (deltog)" in text
    assert "44 (deltog)" in text
    assert "Har vi råd att (inte) samverka?" in text
