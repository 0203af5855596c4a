import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory import services
from directory.models import Offer, Organisation, Person, Suggestion
from tests.directory.conftest import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(db):
    for number in range(30):
        make_org(
            f"Förening {number:02d}",
            municipalities=["1280", "1281"],
            areas=["sport"],
            target_groups=["children"],
        )


def test_list_shows_published_with_count(client, org):
    make_org("Hemlig", state=Organisation.State.HIDDEN)
    response = client.get(reverse("directory:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emmaus Björkå" in html
    assert "Hemlig" not in html
    assert "1 organisation" in html


def test_list_query_count_is_fixed(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:list"), {"q": "förening", "municipality": "1280"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30
    assert len(response.context["page"].object_list) == 20


def test_list_pagination_keeps_filters(client, many):
    response = client.get(reverse("directory:list"), {"area": "sport", "page": "2"})
    assert response.context["page"].object_list[0].name == "Förening 20"
    assert 'href="?area=sport&amp;page=1"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "999999999999"},
        {"page": "-3"},
        {"page": "abc"},
        {"sector": "x" * 500},
        {"municipality": "9999"},
        {"q": "ö" * 5000},
        {"q": "\x00nul"},
        {"q": "'; DROP TABLE directory_organisation; --"},
        {"q": "&|!:*()<>"},
    ],
)
def test_list_bad_input_never_fails(client, org, params):
    response = client.get(reverse("directory:list"), params)
    assert response.status_code == 200


def test_list_unknown_code_explains(client, org):
    response = client.get(reverse("directory:list"), {"municipality": "9999"})
    assert "There is no such value" in response.content.decode() or "Det finns inget" in (
        response.content.decode()
    )
    assert response.context["page"].paginator.count == 0


def test_list_overlong_query_shows_error(client, org):
    response = client.get(reverse("directory:list"), {"q": "a" * 201})
    assert response.context["form"].errors["q"]
    assert response.context["page"].paginator.count == 0


def test_detail_shows_offers_and_consented_contacts_only(client, org):
    services.offer_create(organisation=org, title="Arbetsträning i butik")
    shown = services.person_create(name="Lina Holm")
    hidden = services.person_create(name="Tove Ström")
    services.contact_role_add(
        organisation=org, person=shown, title="Kontaktperson", consent_given_at=timezone.now()
    )
    services.contact_role_add(organisation=org, person=hidden, title="Handläggare")
    response = client.get(org.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Arbetsträning i butik" in html
    assert "Lina Holm" in html
    assert "Tove Ström" not in html


def test_detail_query_count_is_fixed(client, org, django_assert_max_num_queries):
    network = make_org("Paraply", is_umbrella=True)
    services.organisation_update(organisation=org, member_of=[network])
    for number in range(5):
        services.offer_create(organisation=org, title=f"Erbjudande {number}")
    with django_assert_max_num_queries(14):
        response = client.get(org.get_absolute_url())
    assert response.status_code == 200
    assert "Paraply" in response.content.decode()


def test_detail_marks_stale_entry(client):
    old = make_org("Gammal", confirmed_at=timezone.now() - timedelta_days(400))
    html = client.get(old.get_absolute_url()).content.decode()
    assert "mer än ett år" in html or "more than a year" in html


def timedelta_days(days):
    from datetime import timedelta

    return timedelta(days=days)


def test_detail_of_hidden_is_404(client):
    hidden = make_org("Dold", state=Organisation.State.HIDDEN)
    assert client.get(reverse("directory:detail", args=[hidden.slug])).status_code == 404


def test_export_csv_follows_search(client, org):
    make_org("Lunds kommun", sector="public", legal_form="municipality")
    response = client.get(reverse("directory:export_csv"), {"sector": "civil_society"})
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("name,url,sector")
    assert len(lines) == 2
    assert lines[1].startswith("Emmaus Björkå,http://testserver/directory/emmaus-bjorka/")


def test_export_csv_neutralises_formulas(client):
    make_org("=HYPERLINK(1)")
    body = b"".join(client.get(reverse("directory:export_csv")).streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_suggest_new_lands_in_queue(client):
    response = client.post(
        reverse("directory:suggest"),
        {
            "name": "Läxhjälpen",
            "sector": "civil_society",
            "municipality": "1280",
            "message": "Läxhjälp för barn.",
            "submitter_email": "a@example.org",
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.name, suggestion.municipality.code) == ("Läxhjälpen", "1280")


@pytest.mark.parametrize(
    "field,value",
    [
        ("website", "not a url"),
        ("submitter_email", "nope"),
        ("message", "x" * 4001),
        ("name", "n" * 201),
        ("sector", "pirates"),
    ],
)
def test_suggest_bad_input_shows_error(client, field, value):
    data = {"name": "Läxhjälpen", "message": "Hej", field: value}
    response = client.post(reverse("directory:suggest"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Suggestion.objects.count() == 0


def test_suggest_honeypot_is_silently_dropped(client):
    response = client.post(
        reverse("directory:suggest"),
        {"name": "Spam", "message": "Köp", "website_confirm": "http://spam.example"},
    )
    assert response.status_code == 302
    assert Suggestion.objects.count() == 0


def test_suggest_correction(client, org):
    response = client.post(
        reverse("directory:suggest_correction", args=[org.slug]), {"message": "Ny adress"}
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().organisation == org


def test_moderation_approve_new_redirects_to_draft(client, secretariat):
    suggestion = services.suggestion_submit(kind="new", name="Nytt", message="Text")
    client.force_login(secretariat)
    assert client.get(reverse("directory:moderation")).status_code == 200
    response = client.post(
        reverse("directory:suggestion_decide", args=[suggestion.pk]), {"decision": "approve"}
    )
    created = Organisation.objects.get(name="Nytt")
    assert response.headers["Location"] == reverse("directory:edit", args=[created.slug])


def test_moderation_forbidden_for_editor(client, editor):
    client.force_login(editor)
    assert client.get(reverse("directory:moderation")).status_code == 403


def test_editor_edits_own_organisation_only(client, editor, org):
    other = make_org("Annan förening")
    services.organisation_editor_add(organisation=org, user=editor)
    client.force_login(editor)
    assert client.get(reverse("directory:edit", args=[other.slug])).status_code == 403
    page = client.get(reverse("directory:edit", args=[org.slug]))
    assert page.status_code == 200
    assert "state" not in page.context["form"].fields
    response = client.post(
        reverse("directory:edit", args=[org.slug]),
        {
            "name": "Emmaus Björkå",
            "sector": "civil_society",
            "legal_form": "cooperative",
            "description": "Ny text",
            "municipalities": [],
            "email": "info@emmaus.example",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.description, org.legal_form.code, org.email) == (
        "Ny text",
        "cooperative",
        "info@emmaus.example",
    )
    change = org.changes.latest("id")
    assert change.changed_by == editor


def test_editor_invalid_input_shows_errors(client, editor, org):
    services.organisation_editor_add(organisation=org, user=editor)
    client.force_login(editor)
    response = client.post(
        reverse("directory:edit", args=[org.slug]),
        {"name": "", "sector": "nope", "website": "javascript:alert(1)", "email": "x"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "sector", "website", "email"}


def test_editor_manages_offers(client, editor, org):
    services.organisation_editor_add(organisation=org, user=editor)
    client.force_login(editor)
    response = client.post(
        reverse("directory:offer_create", args=[org.slug]),
        {"title": "Läxhjälp", "target_groups": ["children"], "is_active": "on"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert [t.code for t in offer.target_groups.all()] == ["children"]
    client.post(
        reverse("directory:offer_edit", args=[org.slug, offer.pk]),
        {"title": "Läxhjälp tisdagar", "is_active": "on"},
    )
    offer.refresh_from_db()
    assert offer.title == "Läxhjälp tisdagar"
    client.post(reverse("directory:offer_delete", args=[org.slug, offer.pk]))
    assert Offer.objects.count() == 0


def test_other_editor_cannot_touch_offer(client, editor, org):
    offer = services.offer_create(organisation=org, title="Låst")
    client.force_login(editor)
    response = client.post(reverse("directory:offer_delete", args=[org.slug, offer.pk]))
    assert response.status_code == 403
    assert Offer.objects.count() == 1


def test_reminder_link_confirms_with_one_click(client, editor):
    organisation = make_org("Gammal förening", confirmed_at=timezone.now() - timedelta_days(340))
    services.organisation_editor_add(organisation=organisation, user=editor)
    services.confirmation_reminders_send(base_url="http://testserver")
    link = re.search(r"http://testserver(/directory/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert not organisation.is_stale
    assert organisation.last_confirmed_at > timezone.now() - timedelta_days(1)


def test_confirm_bad_token_is_400(client):
    assert client.get(reverse("directory:confirm", args=["bad-token"])).status_code == 400
    assert client.post(reverse("directory:confirm", args=["bad-token"])).status_code == 400


def test_secretariat_exports_and_erases_person(client, secretariat, org):
    person = services.person_create(name="Lina Holm", email="lina@example.org")
    services.contact_role_add(
        organisation=org, person=person, title="Kontakt", consent_given_at=timezone.now()
    )
    client.force_login(secretariat)
    assert "Lina Holm" in client.get(reverse("directory:people")).content.decode()
    exported = client.get(reverse("directory:person_export", args=[person.pk]))
    assert json.loads(exported.content)["email"] == "lina@example.org"
    response = client.post(reverse("directory:person_erase", args=[person.pk]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == ""
    assert "Lina Holm" not in client.get(org.get_absolute_url()).content.decode()
    assert Person.objects.filter(erased_at__isnull=True).count() == 0


def test_person_pages_forbidden_for_editor(client, editor):
    person = services.person_create(name="Lina Holm")
    client.force_login(editor)
    assert client.get(reverse("directory:people")).status_code == 403
    assert client.get(reverse("directory:person_export", args=[person.pk])).status_code == 403
    assert client.post(reverse("directory:person_erase", args=[person.pk])).status_code == 403


@pytest.mark.parametrize(
    "name,args",
    [
        ("mine", []),
        ("moderation", []),
        ("people", []),
        ("edit", ["x"]),
        ("history", ["x"]),
        ("offer_create", ["x"]),
        ("person_export", [1]),
        ("suggestion_decide", [1]),
    ],
)
def test_protected_views_send_anonymous_to_login(client, name, args):
    response = client.get(reverse(f"directory:{name}", args=args))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/accounts/login/")
