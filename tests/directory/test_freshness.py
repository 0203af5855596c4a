"""Keeping entries fresh with people in the loop: the secretariat links editors from the
organisation page, sees what needs attention, and whoever suggested a change hears back."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_roles
from directory import selectors, services
from directory.models import Organisation, Suggestion
from tests.directory.conftest import make_org
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_secretariat_links_an_editor_from_the_organisation_page(client, secretariat, org):
    person = make_user(email="kim@example.org")
    client.force_login(secretariat)
    detail = client.get(reverse("directory:detail", args=[org.slug])).content.decode()
    assert reverse("directory:editors", args=[org.slug]) in detail
    response = client.post(
        reverse("directory:editors", args=[org.slug]), {"email": "KIM@example.org"}
    )
    assert response.status_code == 302
    assert list(org.editors.all()) == [person]
    assert Role.ORGANISATION_EDITOR in user_roles(person)
    client.force_login(person)
    mine = client.get(reverse("directory:mine")).content.decode()
    assert org.name in mine


def test_editor_link_for_an_unknown_address_says_what_to_do(client, secretariat, org):
    client.force_login(secretariat)
    response = client.post(
        reverse("directory:editors", args=[org.slug]), {"email": "nobody@example.org"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert org.editors.count() == 0


@pytest.mark.parametrize("role", ["organisation_editor", None])
def test_only_the_secretariat_manages_editors(client, org, role):
    if role:
        client.force_login(make_user(role))
    for url in [
        reverse("directory:editors", args=[org.slug]),
        reverse("directory:attention"),
    ]:
        response = client.get(url)
        assert response.status_code in {302, 403}
        assert response.status_code == (403 if role else 302)


def test_removing_an_editor_asks_first(client, secretariat, org, editor):
    services.organisation_editor_add(organisation=org, user=editor)
    client.force_login(secretariat)
    url = reverse("directory:editor_remove", args=[org.slug, editor.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert org.editors.count() == 1
    response = client.post(url, follow=True)
    assert org.editors.count() == 0
    assert [str(m) for m in response.context["messages"]]


def test_needs_attention_lists_each_reason(client, secretariat, editor):
    old = make_org("Föreningen Gammal", confirmed_at=timezone.now() - timedelta(days=400))
    looked_after = make_org("Föreningen Omhändertagen")
    services.organisation_editor_add(organisation=looked_after, user=editor)
    services.suggestion_submit(kind="new", name="Foreningen Gamal", message="Ny förening")
    counts = selectors.needs_attention_counts()
    assert counts == {
        "unconfirmed": 1,
        "without_editor": 1,
        "suggestions": 1,
        "duplicates": 1,
        "total": 4,
    }
    client.force_login(secretariat)
    html = client.get(reverse("directory:attention")).content.decode()
    assert html.count(old.name) >= 3  # not confirmed, no editor, looks like the suggestion
    assert "Foreningen Gamal" in html
    assert looked_after.name not in html


def test_moderator_sees_a_likely_duplicate_beside_a_new_suggestion(client, secretariat, org):
    services.suggestion_submit(kind="new", name="Emaus Bjorka", message="Second hand")
    client.force_login(secretariat)
    response = client.get(reverse("directory:moderation"))
    (suggestion,) = response.context["page"].object_list
    assert [other.name for other in suggestion.similar] == ["Emmaus Björkå"]
    assert reverse("directory:edit", args=[org.slug]) in response.content.decode()


@pytest.mark.parametrize("decision,word", [("approve", "accepted"), ("reject", "declined")])
def test_submitter_hears_back_with_the_note(
    client, secretariat, org, decision, word, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(
        reverse("directory:suggest_correction", args=[org.slug]),
        {"message": "Ny adress", "submitter_email": "a@example.org"},
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.submitter_language == "en"
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:suggestion_decide", args=[suggestion.pk]),
            {"decision": decision, "note": "Tack, vi har ändrat adressen.", "confirmed": "yes"},
        )
    (message,) = mail.outbox
    assert message.to == ["a@example.org"]
    assert word in message.subject
    assert "Tack, vi har ändrat adressen." in message.body


def test_editors_are_told_of_a_suggestion_about_their_organisation(
    client, org, editor, django_capture_on_commit_callbacks
):
    services.organisation_editor_add(organisation=org, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:suggest_correction", args=[org.slug]),
            {"message": "Telefonnumret är fel"},
        )
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert "Telefonnumret är fel" in message.body
    assert org.name in message.subject


def test_hidden_entries_are_not_counted_as_unconfirmed():
    make_org(
        "Dold",
        state=Organisation.State.HIDDEN,
        confirmed_at=timezone.now() - timedelta(days=400),
    )
    assert selectors.needs_attention_counts()["unconfirmed"] == 0


def test_a_new_organisation_like_an_existing_one_is_flagged(client, secretariat, org):
    client.force_login(secretariat)
    response = client.post(
        reverse("directory:create"),
        {"name": "Emmaus Björka", "sector": "civil_society", "state": "draft"},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("Emmaus Björkå" in text for text in texts), texts


def test_attention_and_moderation_pages_have_a_fixed_number_of_queries(
    client, secretariat, django_assert_max_num_queries
):
    for number in range(6):
        make_org(f"Föreningen Solrosen {number}")
        services.suggestion_submit(
            kind="new", name=f"Foreningen Solrosen {number}", message="Ny förening"
        )
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        attention = client.get(reverse("directory:attention"))
    assert attention.status_code == 200
    assert len(attention.context["duplicates"]) == 12
    with django_assert_max_num_queries(7):
        moderation = client.get(reverse("directory:moderation"))
    assert all(s.similar for s in moderation.context["page"].object_list)
