from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from directory import services
from directory.models import (
    ContactRole,
    Organisation,
    OrganisationChange,
    Person,
    Sector,
    Suggestion,
    TargetGroup,
)
from tests.directory.conftest import make_org, term

pytestmark = pytest.mark.django_db


def test_normalise_folds_swedish_letters():
    assert services.normalise("  Malmö  Stad ÅÄÖ ") == "malmo stad aao"
    assert services.normalise("Ærø Søndergård") == "aro sondergard"


def test_organisation_create_sets_slug_normalised_name_and_history(secretariat):
    organisation = make_org("Föreningen Idrott för Handikappade", created_by=secretariat)
    assert organisation.slug == "foreningen-idrott-for-handikappade"
    assert organisation.name_normalised == "foreningen idrott for handikappade"
    assert organisation.last_confirmed_at is not None
    change = organisation.changes.get()
    assert change.action == OrganisationChange.Action.CREATED
    assert change.changed_by == secretariat
    assert change.diff["name"] == [None, "Föreningen Idrott för Handikappade"]


def test_organisation_create_same_name_gets_unique_slug():
    first = make_org("ABF Malmö")
    second = make_org("ABF Malmö")
    assert (first.slug, second.slug) == ("abf-malmo", "abf-malmo-2")


def test_organisation_create_reserved_slug_is_avoided():
    assert make_org("Suggest").slug == "suggest-org"


def test_organisation_create_invalid_email_is_rejected():
    with pytest.raises(ValidationError) as error:
        make_org("Trasig", email="not-an-address")
    assert "email" in error.value.message_dict


def test_organisation_update_records_diff_and_confirms(org, editor):
    before = org.last_confirmed_at
    updated = services.organisation_update(
        organisation=org,
        changed_by=editor,
        name="Emmaus Björkå Malmö",
        municipalities=[],
        phone="040-123 45",
    )
    assert updated.name_normalised == "emmaus bjorka malmo"
    assert updated.last_confirmed_at > before
    change = updated.changes.filter(action=OrganisationChange.Action.UPDATED).get()
    assert change.changed_by == editor
    assert change.diff == {
        "name": ["Emmaus Björkå", "Emmaus Björkå Malmö"],
        "phone": ["", "040-123 45"],
        "municipalities": [["1280"], []],
    }


def test_organisation_update_without_changes_writes_no_history(org):
    services.organisation_update(organisation=org, name="Emmaus Björkå")
    assert org.changes.count() == 1


def test_organisation_update_state_needs_staff(org):
    with pytest.raises(ValueError):
        services.organisation_update(organisation=org, state=Organisation.State.HIDDEN)
    updated = services.organisation_update(
        organisation=org, staff=True, state=Organisation.State.HIDDEN
    )
    assert updated.state == Organisation.State.HIDDEN


def test_organisation_update_member_of_itself_is_rejected(org):
    with pytest.raises(ValidationError):
        services.organisation_update(organisation=org, member_of=[org])


def test_organisation_is_stale_after_a_year():
    fresh = make_org()
    old = make_org(confirmed_at=timezone.now() - timedelta(days=366))
    assert (fresh.is_stale, old.is_stale) == (False, True)


def test_confirmation_token_round_trip(org):
    token = services.confirmation_token_make(organisation=org)
    assert services.confirmation_token_organisation(token=token) == org
    assert services.confirmation_token_organisation(token=token + "x") is None
    assert services.confirmation_token_organisation(token="garbage") is None


def test_confirmation_reminders_send_due_once(editor):
    due = make_org("Gammal förening", confirmed_at=timezone.now() - timedelta(days=340))
    services.organisation_editor_add(organisation=due, user=editor)
    make_org("Ny förening")
    make_org(
        "Dold förening",
        state=Organisation.State.HIDDEN,
        confirmed_at=timezone.now() - timedelta(days=400),
    )
    assert services.confirmation_reminders_send(base_url="https://portal.example") == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor.email]
    assert "Gammal förening" in message.subject
    assert "https://portal.example/directory/confirm/" in message.body
    # Not again within the month.
    assert services.confirmation_reminders_send(base_url="https://portal.example") == 0
    assert len(mail.outbox) == 1


def test_confirmation_reminders_send_falls_back_to_organisation_email():
    make_org(
        "Utan redaktör",
        email="info@forening.example",
        confirmed_at=timezone.now() - timedelta(days=340),
    )
    assert services.confirmation_reminders_send() == 1
    assert mail.outbox[0].to == ["info@forening.example"]


def test_organisation_confirm_records_history(org, editor):
    services.organisation_confirm(organisation=org, confirmed_by=editor)
    assert org.changes.filter(action=OrganisationChange.Action.CONFIRMED).count() == 1


def test_offer_create_update_delete_keep_history(org, editor):
    offer = services.offer_create(
        organisation=org,
        title="Arbetsträning",
        created_by=editor,
        target_groups=[term(TargetGroup, "adults")],
    )
    services.offer_update(offer=offer, changed_by=editor, location="Björkå")
    services.offer_delete(offer=offer, deleted_by=editor)
    actions = list(org.changes.order_by("id").values_list("action", flat=True))
    assert actions == ["created", "offer_added", "offer_updated", "offer_removed"]
    assert org.offers.count() == 0


def _person_with_role(org, *, consent=True):
    person = services.person_create(name="Lina Holm", email="Lina@Example.org", gender="woman")
    role = services.contact_role_create(
        organisation=org,
        person=person,
        title="Kontaktperson",
        public_email="lina@example.org",
        consent_given_at=timezone.now() if consent else None,
    )
    return person, role


def test_person_export_contains_roles(org):
    person, _role = _person_with_role(org)
    data = services.person_export(person=person)
    holdings = {h["code"]: h["rows"] for h in data["apps"]["directory"]["holdings"]}
    assert holdings["directory.Person"][0]["name"] == "Lina Holm"
    assert holdings["directory.Person"][0]["email"] == "lina@example.org"
    assert holdings["directory.ContactRole"][0]["organisation"] == "Emmaus Björkå"
    assert holdings["directory.ContactRole"][0]["title"] == "Kontaktperson"


def test_person_erase_removes_roles_and_identity_keeps_gender(org, secretariat):
    person, _role = _person_with_role(org)
    services.person_erase(person=person, erased_by=secretariat)
    person.refresh_from_db()
    assert (person.name, person.email, person.phone, person.user) == ("", "", "", None)
    assert person.gender == Person.Gender.WOMAN
    assert person.erased_at is not None
    assert ContactRole.objects.filter(person=person).count() == 0
    # The history names nobody: only the person's id.
    for change in org.changes.all():
        assert "Lina" not in str(change.diff)


def test_contact_role_create_for_erased_person_is_rejected(org):
    person, _role = _person_with_role(org)
    services.person_erase(person=person)
    with pytest.raises(ValidationError):
        services.contact_role_create(organisation=org, person=person, title="Igen")


def test_suggestion_approve_new_creates_draft(secretariat):
    suggestion = services.suggestion_submit(
        kind=Suggestion.Kind.NEW,
        name="Kvarterets läxhjälp",
        sector=Sector.objects.get(code="civil_society"),
        message="Läxhjälp för barn i Rosengård.",
    )
    approved = services.suggestion_approve(suggestion=suggestion, decided_by=secretariat)
    assert approved.state == Suggestion.State.APPROVED
    created = approved.created_organisation
    assert (created.name, created.state) == ("Kvarterets läxhjälp", Organisation.State.DRAFT)
    assert created.description == "Läxhjälp för barn i Rosengård."


def test_suggestion_decided_twice_is_rejected(org, secretariat):
    suggestion = services.suggestion_submit(
        kind=Suggestion.Kind.CORRECTION, organisation=org, message="Fel telefonnummer."
    )
    services.suggestion_reject(suggestion=suggestion, decided_by=secretariat)
    with pytest.raises(ValidationError):
        services.suggestion_approve(suggestion=suggestion, decided_by=secretariat)


def test_suggestion_correction_approve_is_kept_in_history(org, secretariat):
    suggestion = services.suggestion_submit(
        kind=Suggestion.Kind.CORRECTION, organisation=org, message="Ny adress."
    )
    services.suggestion_approve(suggestion=suggestion, decided_by=secretariat)
    change = org.changes.get(action=OrganisationChange.Action.SUGGESTION_APPLIED)
    assert change.diff == {"suggestion": suggestion.pk}


def test_suggestion_submit_new_without_name_is_rejected():
    with pytest.raises(ValidationError):
        services.suggestion_submit(kind=Suggestion.Kind.NEW, message="x")


def test_contact_role_create_with_new_person_records_history_by_id(org, secretariat):
    role = services.contact_role_create(
        organisation=org,
        title="Kontaktperson",
        person_name=" Lina Holm ",
        person_email="Lina@Example.org",
        person_phone="040-12 34 56",
        public_email="Info@Emmaus.example",
        consent_given_at=timezone.now(),
        consent_note="Per e-post",
        added_by=secretariat,
    )
    person = role.person
    assert (person.name, person.email, person.phone) == (
        "Lina Holm",
        "lina@example.org",
        "040-12 34 56",
    )
    assert role.public_email == "info@emmaus.example"
    change = org.changes.latest("id")
    assert (change.action, change.changed_by) == ("contact_added", secretariat)
    assert change.diff["contact"] == [None, {"person_id": person.pk, "title": "Kontaktperson"}]
    assert "Lina" not in str(change.diff)


def test_contact_role_create_refused_leaves_no_new_person(org):
    _person_with_role(org)
    with pytest.raises(ValidationError):
        services.contact_role_create(organisation=org, title="t" * 201, person_name="Ny Person")
    assert Person.objects.count() == 1
    assert ContactRole.objects.count() == 1


def test_contact_role_consent_withdraw_hides_and_records(org, secretariat):
    _person, role = _person_with_role(org)
    given_at = role.consent_given_at
    services.contact_role_consent_withdraw(contact_role=role, withdrawn_by=secretariat)
    role.refresh_from_db()
    assert (role.consent_given_at, role.consent_note, role.is_public) == (None, "", False)
    change = org.changes.latest("id")
    assert (change.action, change.changed_by) == ("consent_withdrawn", secretariat)
    assert change.diff["consent_given_at"] == [str(given_at), None]
    assert change.diff["contact"] == {"person_id": role.person_id, "title": "Kontaktperson"}


def test_contact_role_remove_records_history(org, secretariat):
    person, role = _person_with_role(org)
    services.contact_role_remove(contact_role=role, removed_by=secretariat)
    assert ContactRole.objects.count() == 0
    change = org.changes.latest("id")
    assert (change.action, change.changed_by) == ("contact_removed", secretariat)
    assert change.diff == {"contact": [{"person_id": person.pk, "title": "Kontaktperson"}, None]}
