"""Issue 10: staff taking someone off a workshop ask first and tell the person; lowering the
capacity below the number registered names who moves to the waiting list and asks first."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.integrity.pages import form_on
from tests.workshops.conftest import make_workshop, register
from workshops.consent import CURRENT_CONSENT_VERSION
from workshops.models import Registration

pytestmark = pytest.mark.django_db


def _cancel_url(registration):
    return reverse(
        "workshops:registration_cancel_staff", args=[registration.workshop_id, registration.pk]
    )


def test_staff_cancel_without_confirmation_changes_nothing_and_asks(client, secretariat):
    workshop = make_workshop(capacity=1)
    person = register(workshop, name="Aino Lund")
    waiting = register(workshop, name="Bo Ek", join_waiting_list=True)
    client.force_login(secretariat)
    mail.outbox.clear()
    for response in (client.get(_cancel_url(person)), client.post(_cancel_url(person))):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Aino Lund" in html and workshop.title in html
        assert person.email in html  # who gets the email
        assert "Bo Ek" in html  # who gets the place
        assert 'name="confirmed" value="yes"' in html
    person.refresh_from_db()
    waiting.refresh_from_db()
    assert (person.status, waiting.status) == ("registered", "waiting")
    assert mail.outbox == []


def test_staff_cancel_confirmed_cancels_and_emails_the_person_in_their_language(
    client, secretariat, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=5)
    person = register(workshop, name="Aino Lund", language="en")
    client.force_login(secretariat)
    mail.outbox.clear()
    page = reverse("workshops:manage_section", args=[workshop.pk, "registrations"])
    # The button on the manage page leads to the question; its form confirms.
    action, data = form_on(client, page, "workshops:registration_cancel_staff")
    question = client.post(action, data)
    _action, confirm = form_on(
        client, action, "workshops:registration_cancel_staff", response=question
    )
    assert confirm["confirmed"] == ["yes"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, confirm, follow=True)
    person.refresh_from_db()
    assert person.status == "cancelled"
    assert "Anmälan för Aino Lund är avbokad." in [str(m) for m in response.context["messages"]]
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "is cancelled" in mail.outbox[0].subject
    assert workshop.title in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"


def test_staff_cancel_of_a_swedish_registration_writes_swedish(
    client, secretariat, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=5)
    person = register(workshop, name="Aino Lund", language="sv")
    client.force_login(secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_cancel_url(person), {"confirmed": "yes"})
    assert mail.outbox[0].extra_headers["Content-Language"] == "sv"
    assert "avbokad" in mail.outbox[0].subject


def test_registration_remembers_the_language_used_on_the_page(client):
    workshop = make_workshop(capacity=5)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(
        reverse("workshops:detail", args=[workshop.pk]),
        {
            "name": "Eve Moss",
            "email": "eve@example.org",
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
    )
    assert response.status_code == 302
    assert Registration.objects.get(email="eve@example.org").language == "en"


def test_staff_cancel_needs_permission(client, member):
    workshop = make_workshop(capacity=5)
    person = register(workshop)
    client.force_login(member)
    assert client.post(_cancel_url(person), {"confirmed": "yes"}).status_code == 403
    person.refresh_from_db()
    assert person.status == "registered"


# --- Lowering the capacity -------------------------------------------------------------------


def _edit(client, workshop):
    page = reverse("workshops:edit", args=[workshop.pk])
    return form_on(client, page, "workshops:edit")


def test_lowering_capacity_below_registered_names_who_moves_and_saves_nothing_unconfirmed(
    client, secretariat
):
    workshop = make_workshop(capacity=4)
    first, second, third = (register(workshop, name=n) for n in ("Anna A", "Bertil B", "Cecilia C"))
    fourth = register(workshop, name="David D")
    client.force_login(secretariat)
    action, data = _edit(client, workshop)
    data["capacity"] = ["2"]
    mail.outbox.clear()
    response = client.post(action, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "David D" in html and "Cecilia C" in html  # the last two registered move
    assert "Anna A" not in html and "Bertil B" not in html
    assert response.context["form"].errors["confirm_capacity"]
    workshop.refresh_from_db()
    assert workshop.capacity == 4
    assert set(workshop.registrations.values_list("status", flat=True)) == {"registered"}
    assert mail.outbox == []
    del first, second, third, fourth


def test_lowering_capacity_confirmed_moves_the_named_people_and_tells_them(
    client, secretariat, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=4)
    people = [register(workshop, name=n) for n in ("Anna A", "Bertil B", "Cecilia C", "David D")]
    client.force_login(secretariat)
    action, data = _edit(client, workshop)
    data["capacity"] = ["2"]
    warned = client.post(action, data)
    _action, again = form_on(client, action, "workshops:edit", response=warned)
    assert again["capacity"] == ["2"]
    again["confirm_capacity"] = ["on"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action, again).status_code == 302
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {
        "Anna A": "registered",
        "Bertil B": "registered",
        "Cecilia C": "waiting",
        "David D": "waiting",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people[2].email, people[3].email])
    assert all("väntelista" in m.subject for m in mail.outbox)


def test_checked_in_people_keep_their_place_when_capacity_drops(client, secretariat):
    from workshops import services

    workshop = make_workshop(capacity=3)
    people = [register(workshop, name=n) for n in ("Anna A", "Bertil B", "Cecilia C")]
    services.registration_check_in(registration=people[2])
    client.force_login(secretariat)
    action, data = _edit(client, workshop)
    data["capacity"] = ["2"]
    warned = client.post(action, data)
    assert [r.name for r in warned.context["form"].capacity_moves] == ["Bertil B"]
    data["confirm_capacity"] = ["on"]
    assert client.post(action, data).status_code == 302
    assert dict(Registration.objects.values_list("name", "status")) == {
        "Anna A": "registered",
        "Bertil B": "waiting",
        "Cecilia C": "registered",
    }


def test_lowering_capacity_with_room_to_spare_asks_nothing(client, secretariat):
    workshop = make_workshop(capacity=10)
    register(workshop)
    client.force_login(secretariat)
    action, data = _edit(client, workshop)
    data["capacity"] = ["5"]
    assert client.post(action, data).status_code == 302
    workshop.refresh_from_db()
    assert workshop.capacity == 5


# --- Cancelling the workshop ------------------------------------------------------------------


def test_cancelling_a_workshop_asks_first_and_names_who_is_told(client, secretariat):
    workshop = make_workshop(capacity=1)
    register(workshop, name="Anna A")
    register(workshop, name="Bertil B", join_waiting_list=True)
    client.force_login(secretariat)
    action, data = _edit(client, workshop)
    data["state"] = ["cancelled"]
    mail.outbox.clear()
    response = client.post(action, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna A" in html and "Bertil B" in html
    assert response.context["form"].errors["confirm_cancel"]
    workshop.refresh_from_db()
    assert workshop.state == "published"
    assert mail.outbox == []


def test_cancelling_a_workshop_confirmed_tells_everyone_registered_or_waiting(
    client, secretariat, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1)
    held = register(workshop, name="Anna A", language="en")
    waiting = register(workshop, name="Bertil B", join_waiting_list=True)
    gone = register(workshop, name="Cilla C", join_waiting_list=True)
    from workshops import services

    services.registration_cancel(registration=gone)
    client.force_login(secretariat)
    action, data = _edit(client, workshop)
    data["state"] = ["cancelled"]
    data["confirm_cancel"] = ["on"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action, data).status_code == 302
    workshop.refresh_from_db()
    assert workshop.state == "cancelled"
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {held.email, waiting.email}
    assert "is cancelled" in sent[held.email].subject
    assert "är inställd" in sent[waiting.email].subject
