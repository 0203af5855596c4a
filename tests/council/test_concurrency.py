"""Issue 10, finding 2 for the council: two people editing the same meeting or the same
minutes never overwrite each other silently; the second sees both and saves again."""

import pytest
from django.test import Client
from django.urls import reverse

from council import services
from council.models import AgendaItem, Meeting, MinutesRevision
from tests.council.conftest import make_meeting
from tests.factories import make_user
from tests.integrity.pages import form_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_staff(db):
    a, b = Client(), Client()
    a.force_login(make_user("secretariat"))
    b.force_login(make_user("secretariat"))
    return a, b


def test_meeting_second_concurrent_save_is_refused_then_merged(council, two_staff):
    a, b = two_staff
    meeting = make_meeting(council, place="Rådhuset")
    page = reverse("council:meeting_edit", args=[meeting.pk])
    action, data_a = form_on(a, page, "council:meeting_edit")
    _action, data_b = form_on(b, page, "council:meeting_edit")
    data_a["place"] = ["Stadshuset, sal 2"]
    data_b["title"] = ["Rådsmöte i mars"]
    assert a.post(action, data_a).status_code == 302
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.place, meeting.title) == ("Stadshuset, sal 2", "Rådsmöte")
    assert "Stadshuset, sal 2" in refused.content.decode()
    _action, again = form_on(b, page, "council:meeting_edit", response=refused)
    assert again["title"] == ["Rådsmöte i mars"]
    assert again["place"] == ["Stadshuset, sal 2"]  # B had not touched it: A's place
    assert b.post(action, again).status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.place, meeting.title) == ("Stadshuset, sal 2", "Rådsmöte i mars")


def test_minutes_second_concurrent_save_is_refused_and_kept(council, two_staff):
    a, b = two_staff
    meeting = make_meeting(council)
    item = services.agenda_item_propose(meeting=meeting, title="Punkt")
    services.minutes_save(agenda_item=item, text="Utkast")
    page = reverse("council:minutes_edit", args=[item.pk])
    action, data_a = form_on(a, page, "council:minutes_edit")
    _action, data_b = form_on(b, page, "council:minutes_edit")
    data_a["text"] = ["A:s text"]
    data_b["text"] = ["B:s text"]
    assert a.post(action, data_a).status_code == 302
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    assert AgendaItem.objects.get(pk=item.pk).minutes == "A:s text"
    rows = refused.context["conflict"]["rows"]
    assert [(r["theirs"], r["yours"], r["merged"]) for r in rows] == [
        ("A:s text", "B:s text", False)
    ]
    _action, again = form_on(b, page, "council:minutes_edit", response=refused)
    assert again["text"] == ["B:s text"]  # B's text is kept in the form
    assert b.post(action, again).status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).minutes == "B:s text"
    assert list(
        MinutesRevision.objects.filter(agenda_item=item).values_list("text", flat=True)
    ) == [
        "B:s text",
        "A:s text",
        "Utkast",
    ]


def test_action_item_status_from_a_stale_list_is_refused(council, two_staff):
    from council.models import ActionItem
    from tests.council.conftest import make_person

    a, _b = two_staff
    meeting = make_meeting(council)
    owner = make_person()
    item = services.action_item_create(
        meeting=meeting, title="Skicka protokollet", owner=owner, due_date=meeting.starts_at.date()
    )
    action, data = form_on(a, reverse("council:action_list"), "council:action_item_status")
    services.action_item_status_set(action_item=item, status=ActionItem.Status.DONE)
    data["status"] = [ActionItem.Status.IN_PROGRESS]
    # Issue 12: refused with both choices side by side (was a redirect with a message).
    refused = a.post(action, data)
    assert refused.status_code == 409
    assert "<td>Klar</td><td>Pågår</td>" in refused.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.DONE
