"""The checklist as a working tool: phases folded once past, evidence as a document (checked
like agenda documents) or a link, saved per question with htmx, progress per phase."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import ChecklistAnswer, ChecklistItem

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, agreement, item, *, upload=None, htmx=True, **extra):
    prefix = f"q{item.pk}"
    data = {f"{prefix}-version": extra.pop("version", 0), f"{prefix}-state": "answered"}
    data[f"{prefix}-note"] = extra.pop("note", "Beslut i KS")
    data[f"{prefix}-evidence"] = extra.pop("evidence", "")
    if upload is not None:
        data[f"{prefix}-evidence_file"] = upload
    for key, value in extra.items():
        data[f"{prefix}-{key}"] = value
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("agreements:answer", args=[agreement.pk, item.pk]), data, **headers)


def test_pdf_evidence_is_stored_and_served_to_leaders_only(client, agreement, leader, other_leader):
    item = ChecklistItem.objects.filter(phase="pre").first()
    client.force_login(leader)
    response = _post(
        client, agreement, item, upload=SimpleUploadedFile("protokoll.pdf", PDF, "application/pdf")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Svaret är sparat" in html
    assert "protokoll.pdf" in html
    answer = ChecklistAnswer.objects.get(agreement=agreement, item=item)
    assert answer.evidence_name == "protokoll.pdf"
    url = reverse("agreements:evidence", args=[agreement.pk, item.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(other_leader)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "Filer av den här typen kan inte läggas till"),
        ("bild.png", b"\x89PNG....", "Filer av den här typen kan inte läggas till"),
        ("fake.pdf", b"<html>not a pdf</html>", "ser inte ut att vara en PDF"),
        ("empty.docx", b"", "Den skickade filen är tom"),
    ],
)
def test_bad_evidence_files_are_refused_with_a_message(
    client, agreement, leader, name, content, message
):
    item = ChecklistItem.objects.filter(phase="pre").first()
    client.force_login(leader)
    response = _post(client, agreement, item, upload=SimpleUploadedFile(name, content))
    assert response.status_code == 200  # htmx swaps only 2xx: the row shows the error
    assert message in response.content.decode()
    assert not ChecklistAnswer.objects.filter(agreement=agreement, item=item).exists()


def test_evidence_link_and_document_removed_again(client, agreement, leader):
    item = ChecklistItem.objects.filter(phase="pre").first()
    client.force_login(leader)
    _post(client, agreement, item, upload=SimpleUploadedFile("a.pdf", PDF))
    answer = ChecklistAnswer.objects.get(agreement=agreement, item=item)
    _post(
        client,
        agreement,
        item,
        version=answer.version,
        evidence="https://example.org/protokoll",
        remove_file="on",
    )
    answer.refresh_from_db()
    assert answer.evidence == "https://example.org/protokoll"
    assert not answer.evidence_file
    url = reverse("agreements:evidence", args=[agreement.pk, item.pk])
    assert client.get(url).status_code == 404


def test_past_phases_are_folded_and_progress_shows_in_the_timeline(client, leader):
    from tests.agreements.conftest import make_agreement

    agreement = make_agreement(leaders=[leader], phase="formulation")
    item = ChecklistItem.objects.filter(phase="pre").first()
    services.checklist_answer_update(agreement=agreement, item=item, state="answered")
    client.force_login(leader)
    html = client.get(reverse("agreements:checklist", args=[agreement.pk])).content.decode()
    details = re.findall(r"<details( open)?>\s*<summary><h2 id=\"phase-(\w+)\"", html)
    assert details == [
        ("", "pre"),
        ("", "gathering"),
        (" open", "formulation"),
        ("", "anchoring"),
        ("", "implementation"),
        ("", "follow_up"),
    ]
    total = ChecklistItem.objects.filter(phase="pre", agreement=None).count()
    manage = " ".join(
        re.sub(
            r"<[^>]+>",
            " ",
            client.get(reverse("agreements:manage", args=[agreement.pk])).content.decode(),
        ).split()
    )
    assert f"1 av {total}" in manage
