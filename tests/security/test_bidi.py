"""Finding 8: the right-to-left override (U+202E) in public input no longer turns the text
around it backwards where staff read it (the moderation queue, registrations, input)."""

import pytest
from django.urls import reverse

from directory.models import Suggestion
from tests.workshops.conftest import make_workshop
from workshops.consent import CURRENT_CONSENT_VERSION

pytestmark = pytest.mark.django_db

RLO = "\u202e"
CONTROLS = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_suggestion_with_bidi_control_reaches_the_queue_without_it(client, administrator, control):
    response = client.post(
        reverse("directory:suggest"),
        {"name": f"Föreningen {control}exe.txt", "message": f"Vi {control}gör saker"},
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.name == "Föreningen exe.txt"
    assert suggestion.message == "Vi gör saker"
    client.force_login(administrator)
    page = client.get(reverse("directory:moderation")).content.decode()
    assert "Föreningen exe.txt" in page
    assert control not in page


def test_name_made_only_of_bidi_controls_is_empty_and_refused(client):
    response = client.post(
        reverse("directory:suggest"), {"name": RLO * 3, "message": "Vi gör saker"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Suggestion.objects.count() == 0


def test_workshop_registration_name_loses_the_override(client):
    workshop = make_workshop()
    response = client.post(
        reverse("workshops:detail", args=[workshop.pk]),
        {
            "name": f"Ada {RLO}greB",
            "email": "ada@example.org",
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
    )
    assert response.status_code == 302
    assert workshop.registrations.get().name == "Ada greB"


def test_contribution_text_loses_the_override(client):
    workshop = make_workshop(contributions_open=True)
    url = reverse("workshops:contribute", args=[workshop.pk, workshop.input_key])
    response = client.post(
        url, {"kind": "idea", "text": f"Mer {RLO}samverkan", "is_anonymous": "on"}
    )
    assert response.status_code == 302
    assert workshop.contributions.get().text == "Mer samverkan"


def test_right_to_left_letters_are_kept(client):
    response = client.post(
        reverse("directory:suggest"), {"name": "جمعية الأمل", "message": "نحن نساعد"}
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().name == "جمعية الأمل"
