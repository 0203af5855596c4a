"""Finding 2 of issue 11 (the export holds everything) and the pages around it: the
secretariat's person page, erasure with confirmation and re-authentication, and My data."""

import json

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import ErasureRecord, ErasureRequest
from directory import services as directory_services
from directory.models import Person, Suggestion
from tests.personal_data.conftest import authenticated_just_now
from tests.workshops.conftest import make_workshop, register
from workshops.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def maja(demo_council):
    """The demo council member with a login, a workshop place and a suggestion she sent."""
    person = Person.objects.get(name="Maja Ekholm")
    register(
        make_workshop(),
        name="Maja Ekholm",
        email="Member@Example.org",
        dietary_needs="glutenfri (celiaki)",
    )
    directory_services.suggestion_submit(
        kind=Suggestion.Kind.NEW,
        name="Läxhjälpen i Lund",
        message="En ny förening.",
        submitter_name="Maja Ekholm",
        submitter_email="member@example.org",
    )
    return person


def _codes(export: dict) -> dict[str, list]:
    return {
        holding["code"]: holding["rows"]
        for app in export["apps"].values()
        for holding in app["holdings"]
    }


def test_export_holds_everything_about_a_council_member(client, secretariat, maja):
    client.force_login(secretariat)
    response = client.get(reverse("directory:person_export", args=[maja.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{maja.pk}.json"'
    rows = _codes(json.loads(response.content))
    assert rows["directory.Person"][0]["name"] == "Maja Ekholm"
    assert len(rows["council.Membership"]) == 1
    assert rows["council.Membership"][0]["role"]["code"] == "member"
    assert len(rows["council.Attendance"]) == 3  # meetings 3 and 4 of 2014, and the next one
    assert len(rows["council.SpeakingTurn"]) == 2
    assert rows["workshops.Registration"][0]["dietary_needs"] == "glutenfri (celiaki)"
    assert rows["directory.Suggestion"][0]["submitter_email"] == "member@example.org"
    assert rows["accounts.User"][0]["email"] == "member@example.org"
    assert rows["account.EmailAddress"][0]["email"] == "member@example.org"
    # Only her rows: nobody else's registration or membership.
    assert all(row["name"] == "Maja Ekholm" for row in rows["workshops.Registration"])


def test_readable_export_and_person_page(client, secretariat, maja):
    client.force_login(secretariat)
    secretariat_home = client.get(reverse("secretariat")).content.decode()
    assert reverse("directory:people") in secretariat_home
    people = client.get(reverse("directory:people")).content.decode()
    assert reverse("directory:person", args=[maja.pk]) in people
    page = client.get(reverse("directory:person", args=[maja.pk])).content.decode()
    for text in ("Rådsuppdrag", "Talarturer", "Anmälningar till workshoppar", "glutenfri"):
        assert text in page, text
    readable = client.get(reverse("directory:person_export_html", args=[maja.pk]))
    assert readable.status_code == 200
    assert readable["Content-Disposition"] == f'attachment; filename="person-{maja.pk}.html"'
    body = readable.content.decode()
    assert "Maja Ekholm" in body and "glutenfri (celiaki)" in body and "<table>" in body


def test_person_list_query_count(client, secretariat, demo_council, django_assert_max_num_queries):
    """A fixed number of queries, however many people and erasure requests there are."""
    from accounts.services import erasure_request_create
    from tests.factories import make_user

    client.force_login(secretariat)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("directory:people")).status_code == 200
    for number in range(8):
        user = make_user("council_member")
        directory_services.person_create(name=f"Ny Person {number}", user=user)
        erasure_request_create(user=user, message=f"Radera mig {number}")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("directory:people"))
    assert response.content.decode().count("Radera mig") == 8


def test_erasure_needs_the_typed_name(client, secretariat, maja):
    authenticated_just_now(client, secretariat)
    url = reverse("directory:person_erase", args=[maja.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Maja Ekholm" in page.content.decode()
    for typed in ("", "Maja", "Helena Sjöberg", "Maja Ekholmsson"):
        response = client.post(url, {"confirm_name": typed})
        assert response.status_code == 200
        assert "field-error" in response.content.decode()
    maja.refresh_from_db()
    assert maja.erased_at is None
    assert ErasureRecord.objects.count() == 0


def test_erasure_asks_for_the_password_after_15_minutes(client, secretariat, maja):
    authenticated_just_now(client, secretariat, seconds_ago=16 * 60)
    url = reverse("directory:person_erase", args=[maja.pk])
    response = client.post(url, {"confirm_name": "Maja Ekholm"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    maja.refresh_from_db()
    assert maja.erased_at is None
    # Re-authenticating replays the confirmed request.
    response = client.post(
        response["Location"], {"password": "correct-horse-battery-7"}, follow=True
    )
    maja.refresh_from_db()
    assert maja.erased_at is not None
    assert ErasureRecord.objects.get().erased_by == secretariat


def test_erasure_with_a_recent_login_erases_at_once(client, secretariat, maja):
    authenticated_just_now(client, secretariat, seconds_ago=5 * 60)
    response = client.post(
        reverse("directory:person_erase", args=[maja.pk]), {"confirm_name": " maja  ekholm "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:people")
    maja.refresh_from_db()
    assert (maja.name, maja.email, maja.user_id) == ("", "", None)
    registration = Registration.objects.get(dietary_needs="", erased_at__isnull=False)
    assert registration.name == ""
    suggestion = Suggestion.objects.get(name="Läxhjälpen i Lund")
    assert (suggestion.submitter_name, suggestion.submitter_email) == ("", "")
    # The erased member cannot log in any more.
    client.logout()
    assert not client.login(email="member@example.org", password=DEMO_PASSWORD)


@pytest.mark.parametrize("role", ["member", "editor", "leader"])
def test_person_pages_are_for_the_secretariat(client, request, role, demo_council):
    user = request.getfixturevalue(role)
    person = Person.objects.get(name="Helena Sjöberg")
    client.force_login(user)
    for name in ("person", "person_export", "person_export_html", "person_erase"):
        assert client.get(reverse(f"directory:{name}", args=[person.pk])).status_code == 403
    response = client.post(
        reverse("directory:person_erase", args=[person.pk]), {"confirm_name": "Helena Sjöberg"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.erased_at is None


def test_my_data_shows_and_exports_only_my_own_data(client, maja):
    assert client.login(email="member@example.org", password=DEMO_PASSWORD)
    page = client.get(reverse("my_data:page"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "glutenfri (celiaki)" in body and "Rådsuppdrag" in body
    assert "Helena" not in body
    exported = client.get(reverse("my_data:export"))
    assert exported["Content-Disposition"] == 'attachment; filename="my-data.json"'
    rows = _codes(json.loads(exported.content))
    assert rows["council.Membership"][0]["organisation"] == "Kommunförbundet Skåne"
    assert rows["accounts.User"][0]["email"] == "member@example.org"
    assert all(row["name"] == "Maja Ekholm" for row in rows["directory.Person"])
    readable = client.get(reverse("my_data:export_html"))
    assert "glutenfri (celiaki)" in readable.content.decode()


def test_my_data_erasure_request_reaches_the_secretariat(client, maja, secretariat):
    assert client.login(email="member@example.org", password=DEMO_PASSWORD)
    response = client.post(reverse("my_data:page"), {"message": "Jag har slutat i rådet."})
    assert response.status_code == 302
    request = ErasureRequest.objects.get()
    assert request.user.email == "member@example.org" and request.handled_at is None
    # Asking twice keeps one open request.
    client.post(reverse("my_data:page"), {"message": "Igen"})
    assert ErasureRequest.objects.count() == 1
    assert "Du bad om radering" in client.get(reverse("my_data:page")).content.decode()

    client.logout()
    authenticated_just_now(client, secretariat)
    people = client.get(reverse("directory:people")).content.decode()
    assert "Jag har slutat i rådet." in people
    assert reverse("directory:person", args=[maja.pk]) in people
    client.post(reverse("directory:person_erase", args=[maja.pk]), {"confirm_name": "Maja Ekholm"})
    request.refresh_from_db()
    assert request.handled_at is not None and request.message == ""


def test_my_data_needs_a_login(client):
    for name in ("page", "export", "export_html"):
        response = client.get(reverse(f"my_data:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_rows_found_only_by_name_are_for_the_secretariat_to_check(client, maja, secretariat):
    from datetime import time

    from workshops import services as workshop_services

    workshop_services.programme_item_add(
        workshop=make_workshop(),
        starts_at=time(10, 0),
        kind="talk",
        title="Inledning",
        contributor_name="Maja Ekholm",  # perhaps a namesake
        contributor_gender="woman",
    )
    assert client.login(email="member@example.org", password=DEMO_PASSWORD)
    mine = _codes(json.loads(client.get(reverse("my_data:export")).content))
    assert "workshops.ProgrammeItem" not in mine
    assert "Inledning" not in client.get(reverse("my_data:page")).content.decode()
    client.logout()
    client.force_login(secretariat)
    page = client.get(reverse("directory:person", args=[maja.pk])).content.decode()
    assert "Inledning" in page
    assert "Hittat enbart genom namnet" in page
