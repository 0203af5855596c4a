"""The organisation history reads as sentences in the reader's language."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from directory import services
from directory.models import LegalForm, Municipality
from tests.directory.conftest import make_org

pytestmark = pytest.mark.django_db


def _history(client, user, org, language="sv") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("directory:history", args=[org.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_history_says_what_changed_in_words(client, secretariat):
    org = make_org("Föreningen Ängen")
    services.organisation_update(organisation=org, legal_form=None, description="Ny text")
    assert LegalForm.objects.get(code="non_profit_association").label_sv == "Ideell förening"
    html = _history(client, secretariat, org)
    assert "Juridisk form ändrades från Ideell förening till –" in html
    assert "None" not in html
    assert "legal_form" not in html
    english = _history(client, secretariat, org, language="en")
    assert "Legal form changed from Non-profit association to –" in english


def test_history_names_taxonomy_labels_not_codes(client, secretariat):
    org = make_org("Föreningen Hamnen", municipalities=["1280"])
    services.organisation_update(
        organisation=org,
        municipalities=[*org.municipalities.all(), Municipality.objects.get(code="0180")],
    )
    html = _history(client, secretariat, org)
    assert "Stockholm" in html
    assert "0180" not in html


def test_history_shows_consent_withdrawal_as_such(client, secretariat):
    org = make_org("Föreningen Bryggan")
    person = services.person_create(name="Kim Testsson", email="kim@example.org")
    role = services.contact_role_create(
        organisation=org, person=person, title="Kontaktperson", consent_given_at=timezone.now()
    )
    services.contact_role_consent_withdraw(contact_role=role)
    html = _history(client, secretariat, org, language="en")
    assert "Kontaktperson withdrew consent to be shown publicly" in html
