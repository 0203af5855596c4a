"""Finding 6: nothing shown to a logged-in user may be kept by a browser or a proxy.

Walks every GET route as each demo role (the same walk as test_no_server_errors) and asserts
`Cache-Control: private, no-store` on every answer, including the person export and report
downloads."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.cache import get_max_age

from accounts.demo import DEMO_PASSWORD
from tests.security.test_no_server_errors import _paths


def _private_no_store(response) -> bool:
    value = response.headers.get("Cache-Control", "")
    directives = {part.strip().split("=")[0] for part in value.split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.mark.django_db
def test_every_logged_in_get_is_private_and_not_stored(client):
    call_command("load_demo", stdout=io.StringIO())
    failures = []
    for email in ("secretariat@example.org", "member@example.org", "editor@example.org"):
        assert client.login(email=email, password=DEMO_PASSWORD)
        for path in _paths():
            response = client.get(path)
            if response.status_code < 500 and not _private_no_store(response):
                failures.append(f"{email} {path}: {response.headers.get('Cache-Control')}")
        client.logout()
    assert failures == []


@pytest.mark.django_db
def test_person_export_is_private_and_not_stored(client, administrator):
    from directory.models import Person

    call_command("load_demo", stdout=io.StringIO())
    client.force_login(administrator)
    person = Person.objects.first()
    response = client.get(reverse("directory:person_export", args=[person.pk]))
    assert response.status_code == 200
    assert _private_no_store(response)
    assert get_max_age(response) in (None, 0)


@pytest.mark.django_db
def test_report_download_is_private_and_not_stored(client, secretariat):
    from reports.services import report_job_request

    job = report_job_request(kind="portal_overview", requested_by=secretariat)
    from reports.services import report_job_run

    report_job_run(job_id=job.pk)
    client.force_login(secretariat)
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    assert _private_no_store(response)


@pytest.mark.django_db
def test_anonymous_public_pages_stay_cacheable(client):
    response = client.get("/")
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_messages_are_kept_in_the_session_not_a_plain_cookie(client):
    """The `messages` cookie had no __Host- prefix: messages now live in the session."""
    from tests.workshops.conftest import make_workshop

    workshop = make_workshop(contributions_open=True)
    url = reverse("workshops:contribute", args=[workshop.pk, workshop.input_key])
    response = client.post(url, {"kind": "idea", "text": "Mer samverkan", "is_anonymous": "on"})
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(url)
    assert "Ditt inspel är sparat" in page.content.decode()
