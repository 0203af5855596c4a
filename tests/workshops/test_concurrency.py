"""Issue 10, finding 2 for workshops: two people editing the same workshop, programme item
or contribution."""

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
    page = reverse("workshops:contribution_edit", args=[workshop.pk, item.pk])
    action, data = form_on(client, page, "workshops:contribution_edit")
    data["theme"] = ["x" * 101]
    response = client.post(action, data)
    assert response.status_code == 200
    assert response.context["form"].errors["theme"]  # refused at the form, with a message
    assert Contribution.objects.get(pk=item.pk).theme == "Lokaler"


def _two_sessions():
    a, b = Client(), Client()
    a.force_login(make_user("secretariat"))
    b.force_login(make_user("secretariat"))
    return a, b


def test_programme_item_second_concurrent_save_is_refused_then_merged(db):
    from workshops import services
    from workshops.models import ProgrammeItem

    a, b = _two_sessions()
    workshop = make_workshop()
    item = services.programme_item_add(
        workshop=workshop,
        starts_at="10:00",
        kind="talk",
        title="Välkommen",
        contributor_name="Maja Ek",
    )
    page = reverse("workshops:programme_edit", args=[workshop.pk, item.pk])
    action, data_a = form_on(a, page, "workshops:programme_edit")
    _action, data_b = form_on(b, page, "workshops:programme_edit")
    data_a["title"] = ["Välkommen och inledning"]
    data_b["starts_at"] = ["10:15"]
    data_b["contributor_organisation"] = ["Region Skåne"]
    assert a.post(action, data_a).status_code == 302

    refused = b.post(action, data_b)
    assert refused.status_code == 409
    item = ProgrammeItem.objects.get(pk=item.pk)
    assert (item.title, item.contributor_organisation) == ("Välkommen och inledning", "")
    html = refused.content.decode()
    assert "Välkommen och inledning" in html  # what A saved, side by side
    rows = {str(row["label"]): row for row in refused.context["conflict"]["rows"]}
    assert rows["Rubrik"]["merged"] is True  # B had not touched it
    assert rows["Den medverkandes organisation"]["yours"] == "Region Skåne"

    _action, again = form_on(b, page, "workshops:programme_edit", response=refused)
    assert again["contributor_organisation"] == ["Region Skåne"]  # B's input kept
    assert b.post(action, again).status_code == 302
    item = ProgrammeItem.objects.get(pk=item.pk)
    assert (item.title, item.starts_at.strftime("%H:%M"), item.contributor_organisation) == (
        "Välkommen och inledning",
        "10:15",
        "Region Skåne",
    )
    assert item.version == 3


def test_contribution_second_concurrent_save_is_refused_then_merged(db):
    from workshops import services
    from workshops.models import Contribution

    a, b = _two_sessions()
    workshop = make_workshop()
    item = services.contribution_add(workshop=workshop, kind="idea", text="Gemensam lokal")
    page = reverse("workshops:contribution_edit", args=[workshop.pk, item.pk])
    action, data_a = form_on(a, page, "workshops:contribution_edit")
    _action, data_b = form_on(b, page, "workshops:contribution_edit")
    data_a["theme"] = ["Lokaler"]
    data_b["kind"] = ["need"]
    assert a.post(action, data_a).status_code == 302

    refused = b.post(action, data_b)
    assert refused.status_code == 409
    item = Contribution.objects.get(pk=item.pk)
    assert (item.kind, item.theme) == ("idea", "Lokaler")
    assert "Lokaler" in refused.content.decode()
    _action, again = form_on(b, page, "workshops:contribution_edit", response=refused)
    assert (again["kind"], again["theme"]) == (["need"], ["Lokaler"])
    assert b.post(action, again).status_code == 302
    item = Contribution.objects.get(pk=item.pk)
    assert (item.kind, item.theme, item.version) == ("need", "Lokaler", 3)


def test_hiding_a_contribution_makes_an_open_edit_form_stale(db):
    """The one-click hide on the manage page counts as a save: a form opened before it is
    refused, so it cannot show the contribution again without the editor seeing it."""
    from workshops import services
    from workshops.models import Contribution

    a, b = _two_sessions()
    workshop = make_workshop()
    item = services.contribution_add(workshop=workshop, kind="idea", text="Gemensam lokal")
    page = reverse("workshops:contribution_edit", args=[workshop.pk, item.pk])
    action, data_b = form_on(b, page, "workshops:contribution_edit")
    hide = reverse("workshops:contribution_visibility", args=[workshop.pk, item.pk])
    assert a.post(hide, {"is_hidden": "1"}).status_code == 302
    data_b["theme"] = ["Lokaler"]
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    _action, again = form_on(b, page, "workshops:contribution_edit", response=refused)
    assert again.get("is_hidden") == ["on"]  # the hide B had not touched is taken over
    assert b.post(action, again).status_code == 302
    item = Contribution.objects.get(pk=item.pk)
    assert (item.is_hidden, item.theme) == (True, "Lokaler")
