"""Issue 10: withdrawing, declining, cancelling and removing ask first, everywhere outside the
council app (its own tests cover it).

Each action is tried at the request level as the role that uses it: a GET and a POST without
confirmation show the question and change nothing; the question page's own form (posted as a
browser would) does it and the next page shows a success message.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import constants
from django.urls import resolve, reverse

from tests.factories import make_user
from tests.integrity.htmlforms import page_forms

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    user: object
    url: str
    data: dict
    state: Callable[[], object]  # what the action changes, read from the database
    # False where the question depends on what the form posts (a status, a decision).
    get_asks: bool = True


def _programme_remove():
    from tests.workshops.conftest import make_workshop
    from workshops import services
    from workshops.models import ProgrammeItem

    workshop = make_workshop()
    item = services.programme_item_add(
        workshop=workshop, starts_at="10:00", kind="talk", title="Välkommen"
    )
    return Case(
        make_user("secretariat"),
        reverse("workshops:programme_remove", args=[workshop.pk, item.pk]),
        {},
        lambda: ProgrammeItem.objects.filter(pk=item.pk).exists(),
    )


def _input_key_renew():
    from tests.workshops.conftest import make_workshop
    from workshops.models import Workshop

    workshop = make_workshop()
    return Case(
        make_user("secretariat"),
        reverse("workshops:input_key_renew", args=[workshop.pk]),
        {},
        lambda: Workshop.objects.get(pk=workshop.pk).input_key,
    )


def _registration_cancel_staff():
    from tests.workshops.conftest import make_workshop, register
    from workshops.models import Registration

    workshop = make_workshop()
    registration = register(workshop)
    return Case(
        make_user("secretariat"),
        reverse("workshops:registration_cancel_staff", args=[workshop.pk, registration.pk]),
        {},
        lambda: Registration.objects.get(pk=registration.pk).status,
    )


def _groups_remade():
    from tests.workshops.conftest import make_workshop, register
    from workshops import services

    workshop = make_workshop()
    for _n in range(4):
        register(workshop)
    services.groups_make(workshop=workshop, size=2)
    return Case(
        make_user("secretariat"),
        reverse("workshops:groups_make", args=[workshop.pk]),
        {"size": "2", "mix_sectors": "on"},
        lambda: sorted(workshop.groups.values_list("pk", flat=True)),
        get_asks=False,
    )


def _contact(organisation):
    from directory import services

    return services.contact_role_create(
        organisation=organisation,
        title="Kontaktperson för civilsamhället",
        person_name="Kim Lindqvist",
        person_email="kim@example.org",
        consent_given_at="2026-01-01T10:00:00+01:00",
    )


def _offer_delete():
    from directory import services
    from directory.models import Offer
    from tests.directory.conftest import make_org

    organisation = make_org()
    offer = services.offer_create(organisation=organisation, title="Läxhjälp")
    return Case(
        make_user("secretariat"),
        reverse("directory:offer_delete", args=[organisation.slug, offer.pk]),
        {},
        lambda: Offer.objects.filter(pk=offer.pk).exists(),
    )


def _contact_consent_withdraw():
    from directory.models import ContactRole
    from tests.directory.conftest import make_org

    organisation = make_org()
    role = _contact(organisation)
    return Case(
        make_user("secretariat"),
        reverse("directory:contact_consent_withdraw", args=[organisation.slug, role.pk]),
        {},
        lambda: ContactRole.objects.get(pk=role.pk).consent_given_at is not None,
    )


def _contact_remove():
    from directory.models import ContactRole
    from tests.directory.conftest import make_org

    organisation = make_org()
    role = _contact(organisation)
    return Case(
        make_user("secretariat"),
        reverse("directory:contact_remove", args=[organisation.slug, role.pk]),
        {},
        lambda: ContactRole.objects.filter(pk=role.pk).exists(),
    )


def _suggestion_decline():
    from directory import services
    from directory.models import Suggestion

    suggestion = services.suggestion_submit(
        kind=Suggestion.Kind.NEW, name="Byalaget Norra", message="En förening i Höör."
    )
    return Case(
        make_user("secretariat"),
        reverse("directory:suggestion_decide", args=[suggestion.pk]),
        {"decision": "reject", "note": "Finns redan som Byalaget."},
        lambda: Suggestion.objects.get(pk=suggestion.pk).state,
        get_asks=False,
    )


def _invitation_revoke():
    from accounts import services
    from accounts.models import Invitation
    from accounts.roles import Role

    secretariat = make_user("secretariat")
    invitation, _token = services.invitation_create(
        email="ny@example.org",
        full_name="Ny Person",
        role=Role("organisation_editor"),
        invited_by=secretariat,
        base_url="http://testserver/",
    )
    return Case(
        secretariat,
        reverse("accounts:invitation_revoke", args=[invitation.pk]),
        {},
        lambda: Invitation.objects.get(pk=invitation.pk).revoked_at,
    )


def _action_cancel():
    from agreements import services
    from agreements.enums import Side
    from agreements.models import ActionPlanItem
    from tests.agreements.conftest import make_agreement

    services.content_sync()
    leader = make_user("process_leader")
    agreement = make_agreement(leaders=[leader])
    action = services.action_create(
        agreement=agreement, title="Gemensam utbildning", owner_side=Side.PUBLIC
    )
    return Case(
        leader,
        reverse("agreements:action_status", args=[agreement.pk, action.pk]),
        {"status": "cancelled", "version": str(action.version)},
        lambda: ActionPlanItem.objects.get(pk=action.pk).status,
        get_asks=False,
    )


CASES = {
    "workshop programme item removed": _programme_remove,
    "workshop input link renewed": _input_key_renew,
    "workshop groups made again": _groups_remade,
    "workshop registration cancelled by staff": _registration_cancel_staff,
    "directory offer removed": _offer_delete,
    "directory contact consent withdrawn": _contact_consent_withdraw,
    "directory contact point removed": _contact_remove,
    "directory suggestion declined": _suggestion_decline,
    "accounts invitation revoked": _invitation_revoke,
    "agreements action cancelled": _action_cancel,
}


def _url_name(path):
    match = resolve(path)
    return f"{match.namespace}:{match.url_name}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_action_asks_first_then_acts_with_a_success_message(client, name):
    case = CASES[name]()
    client.force_login(case.user)
    before = case.state()

    asked = [client.post(case.url, case.data)]
    if case.get_asks:
        asked.insert(0, client.get(case.url))
    for response in asked:
        assert response.status_code == 200, name
        assert response.templates[0].name == "includes/confirm_page.html"
        assert case.state() == before, f"{name}: changed without confirmation"

    # The question page's own form, as a browser posts it.
    forms = [
        form
        for form in page_forms(response.content.decode(), case.url)
        if form.method == "post" and _url_name(form.action) == _url_name(case.url)
    ]
    assert len(forms) == 1
    assert forms[0].data()["confirmed"] == ["yes"]
    done = client.post(forms[0].action, forms[0].data(), follow=True)
    assert done.status_code == 200
    assert case.state() != before, f"{name}: not done after confirmation"
    levels = [message.level for message in done.context["messages"]]
    assert levels == [constants.SUCCESS], name
