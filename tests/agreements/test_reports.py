import io
from datetime import date

import pytest
from pypdf import PdfReader

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
    # Latest Malmö round: civil society 3 3 4 2 3 4, public sector 4 4 4 4 4 4 (pooled means
    # of three respondents each, with their spread); long-term perspective differs by 2.
    assert "Långsiktighet svag 2 ±0,8 4 ±0,8 2 sidorna ser olika" in text
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


def _page_fill(data: bytes) -> list[float]:
    """How much of each page's text area holds text: from the highest to the lowest line,
    against the height inside the page margins (the running page number is left out)."""
    reader = PdfReader(io.BytesIO(data))
    fills = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        margin = 22 / 25.4 * 72  # report.css: 22 mm top and bottom
        ys = []

        def visit(text, cm, tm, font_dict, font_size, ys=ys):
            if text.strip():
                ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        inside = [y for y in ys if margin < y < height - margin]
        area = height - 2 * margin
        fills.append((max(inside) - min(inside)) / area if inside else 0.0)
    return fills


@pytest.fixture
def lund_report(secretariat, django_capture_on_commit_callbacks):
    make_user("process_leader", email="leader@example.org", full_name="Jonas Rydberg")
    make_user("secretariat", email="secretariat@example.org", full_name="Sami Haddad")
    directory_demo.load()
    demo.load()
    agreement = Agreement.objects.get(title="Lokal överenskommelse i Lund")
    job = _render(agreement, secretariat, django_capture_on_commit_callbacks)
    assert job.state == ReportJob.State.DONE, job.error
    return job


def test_follow_up_names_the_agreement_in_title_job_and_file(lund_report):
    data = lund_report.file.read()
    title = PdfReader(io.BytesIO(data)).metadata.title
    assert "Lokal överenskommelse i Lund" in title
    assert lund_report.title == "Uppföljning av överenskommelse: Lokal överenskommelse i Lund"
    stamp = lund_report.created_at.astimezone().date()
    assert lund_report.filename == f"uppfoljning-lund-{stamp.isoformat()}.pdf"
    assert isinstance(stamp, date)


def test_follow_up_has_counts_notes_and_anonymous_comments(lund_report):
    text = " ".join(pdf_text(lund_report.file.read()).split())
    assert "Svar: idéburen sektor 4, offentlig sektor 3." in text
    assert "Anteckningar och underlag: Förfas" in text
    assert "Diskuterat på dialogmöte (exempel)." in text
    assert "Kommentarer från omgången (utan namn, per sektor)" in text
    assert "Idéburen sektor Små föreningar orkar inte delta på dagtid." in text
    assert "example.org" not in text  # no respondent's address (nor name) in the report
    # Lund's latest round also asked the Code of Good Practice questionnaire.
    assert "Det civila samhällets delaktighet i besluten" in text
    assert "Dagordning Konsultation (2,0)" in text


def test_no_page_of_the_lund_report_is_less_than_half_full(lund_report):
    fills = _page_fill(lund_report.file.read())
    assert len(fills) > 2
    assert [round(f, 2) for f in fills[:-1] if f < 0.5] == [], fills
