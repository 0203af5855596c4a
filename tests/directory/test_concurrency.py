"""Issue 10, findings 1 and 2 for the directory: the organisation form shows (and so keeps)
the stored sector and legal form; two people editing the same entry or offer never overwrite
each other silently, and the second can save again without retyping."""

import pytest
from django.urls import reverse

from directory import services
from directory.models import Offer, OrganisationChange
from tests.directory.conftest import make_org
from tests.factories import make_user
from tests.integrity.pages import form_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_with_editors(db):
    org = make_org(
        "Emmaus Björkå",
        legal_form="non_profit_association",
        municipalities=["1280"],
        description="Second hand i Malmö.",
        phone="040-11 11 11",
    )
    first, second = make_user("organisation_editor"), make_user("organisation_editor")
    for user in (first, second):
        services.organisation_editor_add(organisation=org, user=user)
    return org, first, second


def test_organisation_form_shows_stored_sector_and_legal_form(client, org_with_editors):
    org, editor, _other = org_with_editors
    client.force_login(editor)
    page = reverse("directory:edit", args=[org.slug])
    action, data = form_on(client, page, "directory:edit")
    assert data["sector"] == ["civil_society"]
    assert data["legal_form"] == ["non_profit_association"]
    data["description"] = ["Second hand och arbetsträning i Malmö."]
    assert client.post(action, data).status_code == 302
    org.refresh_from_db()
    assert (org.sector.code, org.legal_form.code) == ("civil_society", "non_profit_association")
    assert org.description == "Second hand och arbetsträning i Malmö."
    assert list(OrganisationChange.objects.filter(organisation=org).latest("id").diff) == [
        "description"
    ]


def test_organisation_second_concurrent_save_is_refused_then_merged(
    client, org_with_editors, django_user_model
):
    from django.test import Client

    org, first, second = org_with_editors
    a, b = client, Client()
    a.force_login(first)
    b.force_login(second)
    page = reverse("directory:edit", args=[org.slug])
    action, data_a = form_on(a, page, "directory:edit")
    _action, data_b = form_on(b, page, "directory:edit")
    data_a["description"] = ["A:s nya beskrivning."]
    data_b["phone"] = ["040-22 22 22"]
    assert a.post(action, data_a).status_code == 302

    refused = b.post(action, data_b)
    assert refused.status_code == 409
    org.refresh_from_db()
    assert (org.description, org.phone) == ("A:s nya beskrivning.", "040-11 11 11")
    html = refused.content.decode()
    assert "A:s nya beskrivning." in html  # what the other person saved, side by side
    rows = {row["label"]: row for row in refused.context["conflict"]["rows"]}
    assert rows["Beskrivning"]["theirs"] == "A:s nya beskrivning."
    assert rows["Beskrivning"]["merged"] is True  # B had not touched it
    assert rows["Telefon"]["yours"] == "040-22 22 22"
    assert rows["Telefon"]["merged"] is False

    # B saves the form as it is shown now: no retyping, A's change is kept.
    _action, again = form_on(b, page, "directory:edit", response=refused)
    assert again["phone"] == ["040-22 22 22"]
    assert b.post(action, again).status_code == 302
    org.refresh_from_db()
    assert (org.description, org.phone) == ("A:s nya beskrivning.", "040-22 22 22")
    assert org.version == 3


def test_organisation_stale_version_posted_twice_is_refused(client, org_with_editors):
    org, editor, _other = org_with_editors
    client.force_login(editor)
    page = reverse("directory:edit", args=[org.slug])
    action, data = form_on(client, page, "directory:edit")
    services.organisation_update(organisation=org, phone="040-33 33 33")
    assert client.post(action, data).status_code == 409
    assert client.post(action, data).status_code == 409
    org.refresh_from_db()
    assert org.phone == "040-33 33 33"


def test_organisation_form_without_version_is_refused(client, org_with_editors):
    org, editor, _other = org_with_editors
    client.force_login(editor)
    page = reverse("directory:edit", args=[org.slug])
    action, data = form_on(client, page, "directory:edit")
    del data["version"]
    data["phone"] = ["040-44 44 44"]
    response = client.post(action, data)
    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    org.refresh_from_db()
    assert org.phone == "040-11 11 11"


def test_offer_second_concurrent_save_is_refused(client, org_with_editors):
    from django.test import Client

    org, first, second = org_with_editors
    offer = services.offer_create(organisation=org, title="Läxhjälp", location="Malmö")
    a, b = client, Client()
    a.force_login(first)
    b.force_login(second)
    page = reverse("directory:offer_edit", args=[org.slug, offer.pk])
    action, data_a = form_on(a, page, "directory:offer_edit")
    _action, data_b = form_on(b, page, "directory:offer_edit")
    data_a["title"] = ["Läxhjälp tisdagar"]
    data_b["location"] = ["Lund"]
    assert a.post(action, data_a).status_code == 302
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    offer.refresh_from_db()
    assert (offer.title, offer.location) == ("Läxhjälp tisdagar", "Malmö")
    _action, again = form_on(b, page, "directory:offer_edit", response=refused)
    assert b.post(action, again).status_code == 302
    offer = Offer.objects.get(pk=offer.pk)
    assert (offer.title, offer.location) == ("Läxhjälp tisdagar", "Lund")


def test_contact_point_second_concurrent_save_is_refused_then_merged(client, org_with_editors):
    from django.test import Client

    from directory.models import ContactRole

    org, first, second = org_with_editors
    role = services.contact_role_create(
        organisation=org,
        title="Kontakt för frivilliga",
        person_name="Lina Holm",
        public_email="lina@emmaus.example.org",
        consent_note="Per mejl",
    )
    a, b = client, Client()
    a.force_login(first)
    b.force_login(second)
    page = reverse("directory:contact_edit", args=[org.slug, role.pk])
    action, data_a = form_on(a, page, "directory:contact_edit")
    _action, data_b = form_on(b, page, "directory:contact_edit")
    data_a["title"] = ["Volontärsamordnare"]
    data_b["public_phone"] = ["040-55 55 55"]
    assert a.post(action, data_a).status_code == 302

    refused = b.post(action, data_b)
    assert refused.status_code == 409
    role = ContactRole.objects.get(pk=role.pk)
    assert (role.title, role.public_phone) == ("Volontärsamordnare", "")
    assert "Volontärsamordnare" in refused.content.decode()  # A's value, side by side
    rows = {str(row["label"]): row for row in refused.context["conflict"]["rows"]}
    assert rows["Roll"]["merged"] is True
    assert rows["Telefonnummer som visas publikt"]["yours"] == "040-55 55 55"

    _action, again = form_on(b, page, "directory:contact_edit", response=refused)
    assert again["public_phone"] == ["040-55 55 55"]  # B's input kept
    assert b.post(action, again).status_code == 302
    role = ContactRole.objects.get(pk=role.pk)
    assert (role.title, role.public_phone, role.version) == (
        "Volontärsamordnare",
        "040-55 55 55",
        3,
    )
    change = OrganisationChange.objects.filter(organisation=org).latest("id")
    assert change.action == "contact_updated"
    assert change.diff["public_phone"] == ["", "040-55 55 55"]


def test_contact_point_edit_is_forbidden_to_other_editors(client, org_with_editors):
    org, _first, _second = org_with_editors
    role = services.contact_role_create(organisation=org, title="Kontakt", person_name="Lina Holm")
    outsider = make_user("organisation_editor")
    services.organisation_editor_add(organisation=make_org("Annan förening"), user=outsider)
    client.force_login(outsider)
    url = reverse("directory:contact_edit", args=[org.slug, role.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Kapad", "version": "1"}).status_code == 403
    role.refresh_from_db()
    assert role.title == "Kontakt"
