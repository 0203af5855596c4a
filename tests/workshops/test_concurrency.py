"""Issue 10, finding 2 for workshops: two people editing the same workshop."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_user
from tests.integrity.pages import form_on
from tests.workshops.conftest import make_workshop
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_workshop_second_concurrent_save_is_refused_then_merged(db):
    a, b = Client(), Client()
    a.force_login(make_user("secretariat"))
    b.force_login(make_user("secretariat"))
    workshop = make_workshop(venue="Folkets hus")
    page = reverse("workshops:edit", args=[workshop.pk])
    action, data_a = form_on(a, page, "workshops:edit")
    _action, data_b = form_on(b, page, "workshops:edit")
    data_a["venue"] = ["Stadsbiblioteket"]
    data_b["theme_question"] = ["Vad hindrar oss?"]
    assert a.post(action, data_a).status_code == 302
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    workshop = Workshop.objects.get(pk=workshop.pk)
    assert workshop.venue == "Stadsbiblioteket"
    assert workshop.theme_question != "Vad hindrar oss?"
    assert "Stadsbiblioteket" in refused.content.decode()
    _action, again = form_on(b, page, "workshops:edit", response=refused)
    assert again["venue"] == ["Stadsbiblioteket"]
    assert b.post(action, again).status_code == 302
    workshop = Workshop.objects.get(pk=workshop.pk)
    assert (workshop.venue, workshop.theme_question) == ("Stadsbiblioteket", "Vad hindrar oss?")


def test_contribution_theme_too_long_is_refused_not_cut(db):
    from workshops import services
    from workshops.models import Contribution

    client = Client()
    client.force_login(make_user("secretariat"))
    workshop = make_workshop()
    item = services.contribution_add(
        workshop=workshop,
        kind="idea",
        text="Gemensam lokal",
        source=Contribution.Source.STAFF,
        theme="Lokaler",
    )
    url = reverse("workshops:contribution_edit", args=[workshop.pk, item.pk])
    response = client.post(url, {"theme": "x" * 101}, follow=True)
    assert "högst 100 tecken" in response.content.decode()
    assert Contribution.objects.get(pk=item.pk).theme == "Lokaler"
