"""Finding 7: text PostgreSQL cannot store (NUL and other control characters) is refused at
the edge with one clear 400 in the visitor's language, whatever view it was aimed at."""

import pytest
from django.conf import settings
from django.urls import reverse

from directory.models import Suggestion
from tests.workshops.conftest import make_workshop
from workshops import services as workshop_services

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SWEDISH = "Förfrågan innehöll ett kontrolltecken"
ENGLISH = "The request contained a control character"


@pytest.fixture
def contribution(db):
    workshop = make_workshop(contributions_open=True)
    return workshop_services.contribution_add(workshop=workshop, kind="idea", text="En idé")


def test_nul_in_a_contribution_theme_is_a_400_not_a_database_error(
    client, secretariat, contribution
):
    client.force_login(secretariat)
    url = reverse("workshops:contribution_edit", args=[contribution.workshop_id, contribution.pk])
    response = client.post(url, {"kind": "idea", "theme": "Tema\x00", "version": "1"})
    assert response.status_code == 400
    assert SWEDISH in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.theme == ""


def test_nul_in_the_check_in_search_is_a_400(client, secretariat, contribution):
    client.force_login(secretariat)
    url = reverse("workshops:check_in", args=[contribution.workshop_id])
    response = client.get(url + "?q=%00")
    assert response.status_code == 400
    assert SWEDISH in response.content.decode()


def test_nul_in_the_path_is_a_400(client):
    response = client.get("/council/calendar/%00.ics")
    assert response.status_code == 400
    assert SWEDISH in response.content.decode()


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85"])
def test_control_character_in_a_public_form_changes_nothing(client, character):
    response = client.post(
        reverse("directory:suggest"),
        {"name": f"Förening{character}", "message": "Vi gör saker"},
    )
    assert response.status_code == 400
    assert SWEDISH in response.content.decode()
    assert Suggestion.objects.count() == 0


def test_message_follows_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/directory/?q=%00")
    assert response.status_code == 400
    assert ENGLISH in response.content.decode()


def test_json_api_gets_a_json_400(client):
    response = client.get("/api/directory/organisations?q=%00")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert ENGLISH in response.json()["error"] or SWEDISH in response.json()["error"]


def test_tab_and_newlines_are_ordinary_text(client):
    response = client.post(
        reverse("directory:suggest"),
        {"name": "Förening\tHöör", "message": "Rad ett\r\nRad två\n"},
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().message == "Rad ett\r\nRad två"
