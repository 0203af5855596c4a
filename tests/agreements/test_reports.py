import pytest

from agreements import demo
from agreements.models import Agreement
from directory import demo as directory_demo
from reports.models import ReportJob
from reports.services import report_job_request
from tests.factories import make_user
from tests.reports.pdf import pdf_catalogue, pdf_text

pytestmark = pytest.mark.django_db


def _render(agreement, user, django_capture_on_commit_callbacks, language="sv") -> ReportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_request(
            kind="agreement_follow_up",
            subject_id=str(agreement.pk),
            requested_by=user,
            language=language,
        )
    job.refresh_from_db()
    return job


def test_follow_up_pdf_of_demo_agreement_reads_back_with_phases_and_scores(
    secretariat, django_capture_on_commit_callbacks
):
    make_user("process_leader", email="leader@example.org", full_name="Jonas Rydberg")
    make_user("secretariat", email="secretariat@example.org", full_name="Sami Haddad")
    directory_demo.load()
    demo.load()
    agreement = Agreement.objects.get(title="Lokal överenskommelse i Malmö")
    job = _render(agreement, secretariat, django_capture_on_commit_callbacks)
    assert job.state == ReportJob.State.DONE, job.error
    data = job.file.read()
    text = " ".join(pdf_text(data).split())
    assert "Uppföljning av överenskommelse" in text
    assert "Lokal överenskommelse i Malmö" in text
    for phase in [
        "Förfas",
        "Insamling och dialog",
        "Formulering",
        "Förankring och beslut",
        "Genomförande",
        "Uppföljning",
    ]:
        assert phase in text
    for principle in [
        "Självständighet och oberoende",
        "Dialog",
        "Kvalitet",
        "Långsiktighet",
        "Öppenhet och insyn",
        "Mångfald",
    ]:
        assert principle in text
    # Latest Malmö round: civil society 3 3 4 2 3 4, public sector 4 4 4 4 4 4;
    # long-term perspective differs by 2 and is flagged.
    assert "Långsiktighet 2 4 2 sidorna ser olika" in text
    assert "Exempeldata" in text
    assert "/StructTreeRoot" in pdf_catalogue(data)


def test_follow_up_in_english(secretariat, leader, django_capture_on_commit_callbacks):
    from tests.agreements.conftest import make_agreement

    agreement = make_agreement(leaders=[leader])
    job = _render(agreement, secretariat, django_capture_on_commit_callbacks, language="en")
    assert job.state == ReportJob.State.DONE, job.error
    text = pdf_text(job.file.read())
    assert "Agreement follow-up" in text
    assert "Pre-phase" in text


def test_follow_up_refused_for_another_leaders_agreement(
    other_leader, leader, django_capture_on_commit_callbacks
):
    from tests.agreements.conftest import make_agreement

    agreement = make_agreement(leaders=[leader])
    job = _render(agreement, other_leader, django_capture_on_commit_callbacks)
    assert job.state == ReportJob.State.FAILED
    assert not job.file
