"""Issue 12 (and 10 for the council): decisions, action items and minutes can be corrected
and withdrawn by the secretariat, with a history of who changed what and when; the status
lists show a side-by-side conflict instead of overwriting silently."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import ActionItem, AgendaItem, Decision, RecordChange
from tests.council.conftest import make_meeting, make_person, seat
from tests.factories import make_user
from tests.integrity.pages import form_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(council):
    return make_meeting(council, starts=timezone.now() + timedelta(days=10))


@pytest.fixture
def items(meeting):
    first = services.agenda_item_propose(meeting=meeting, title="Budget")
    second = services.agenda_item_propose(meeting=meeting, title="Lokaler")
    for item in (first, second):
        services.agenda_item_accept(agenda_item=item)
    return first, second


@pytest.fixture
def staff_client(db):
    client = Client()
    user = make_user("secretariat", full_name="Sara Sekreterare")
    client.force_login(user)
    client.user = user
    return client


def test_secretariat_corrects_decision_text_and_item_with_history(staff_client, items):
    first, second = items
    decision = services.decision_record(agenda_item=first, text="Rådet beslutar att")
    page = reverse("council:decision_edit", args=[decision.pk])
    action, data = form_on(staff_client, page, "council:decision_edit")
    data["text"] = ["Rådet beslutar att anta budgeten."]
    data["agenda_item"] = [str(second.pk)]
    data["reason"] = ["Skrivfel"]
    response = staff_client.post(action, data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.text, decision.agenda_item_id, decision.version) == (
        "Rådet beslutar att anta budgeten.",
        second.pk,
        2,
    )
    change = RecordChange.objects.get(decision=decision)
    assert change.changed_by == staff_client.user
    assert change.reason == "Skrivfel"
    assert set(change.changes) == {"beslut", "dagordningspunkt"}
    assert change.changes["beslut"] == ["Rådet beslutar att", "Rådet beslutar att anta budgeten."]
    assert change.changes["dagordningspunkt"] == ["Budget", "Lokaler"]
    html = staff_client.get(page).content.decode()
    assert "Sara Sekreterare" in html and "Skrivfel" in html
    assert "dagordningspunkt: ”Budget” → ”Lokaler”" in html


def test_decision_concurrent_correction_is_refused_side_by_side(items):
    first, _second = items
    decision = services.decision_record(agenda_item=first, text="Ursprunglig")
    a, b = Client(), Client()
    a.force_login(make_user("secretariat"))
    b.force_login(make_user("secretariat"))
    page = reverse("council:decision_edit", args=[decision.pk])
    action, data_a = form_on(a, page, "council:decision_edit")
    _action, data_b = form_on(b, page, "council:decision_edit")
    data_a["text"] = ["A:s text"]
    data_b["text"] = ["B:s text"]
    assert a.post(action, data_a).status_code == 302
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    rows = refused.context["conflict"]["rows"]
    assert [(r["theirs"], r["yours"]) for r in rows] == [("A:s text", "B:s text")]
    assert Decision.objects.get(pk=decision.pk).text == "A:s text"
    _action, again = form_on(b, page, "council:decision_edit", response=refused)
    assert b.post(action, again).status_code == 302
    assert Decision.objects.get(pk=decision.pk).text == "B:s text"
    assert RecordChange.objects.filter(decision=decision).count() == 2


def test_withdraw_decision_asks_first_and_stays_visible_as_withdrawn(staff_client, items, meeting):
    first, _second = items
    decision = services.decision_record(agenda_item=first, text="Ett beslut av misstag")
    url = reverse("council:decision_withdraw", args=[decision.pk])
    confirm = staff_client.get(url)
    assert confirm.status_code == 200
    assert Decision.objects.get(pk=decision.pk).withdrawn_at is None  # asking changes nothing
    action, data = form_on(staff_client, url, "council:decision_withdraw")
    data["reason"] = ["Fel möte"]
    response = staff_client.post(action, data, follow=True)
    assert "Beslutet är återkallat." in response.content.decode()
    decision.refresh_from_db()
    assert decision.is_withdrawn
    change = RecordChange.objects.get(decision=decision)
    assert (change.kind, change.reason) == ("withdrawn", "Fel möte")
    html = staff_client.get(
        reverse("council:meeting_section", args=[meeting.pk, "closing"])
    ).content.decode()
    assert "<del>Ett beslut av misstag</del>" in html
    assert "Återkallad" in html
    # A withdrawn decision no longer blocks declining the item.
    services.agenda_item_decline(agenda_item=first)


def test_secretariat_edits_action_item_owner_due_text_status_with_history(
    staff_client, meeting, council
):
    anna = make_person("Anna Ägare")
    bo = make_person("Bo Byte")
    for person in (anna, bo):
        services.attendance_invite(meeting=meeting, person=person)
    item = services.action_item_create(
        meeting=meeting, title="Skicka inbjudan", owner=anna, due_date=date(2030, 4, 1)
    )
    page = reverse("council:action_item_edit", args=[item.pk])
    action, data = form_on(staff_client, page, "council:action_item_edit")
    data.update(
        title=["Skicka inbjudan till alla"],
        owner=[str(bo.pk)],
        due_date=["2030-04-15"],
        status=["in_progress"],
    )
    assert staff_client.post(action, data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.owner, item.due_date, item.status) == (
        "Skicka inbjudan till alla",
        bo,
        date(2030, 4, 15),
        "in_progress",
    )
    change = RecordChange.objects.get(action_item=item)
    assert change.changes == {
        "vad": ["Skicka inbjudan", "Skicka inbjudan till alla"],
        "ansvarig": ["Anna Ägare", "Bo Byte"],
        "klart senast": ["2030-04-01", "2030-04-15"],
        "status": ["Öppen", "Pågår"],
    }
    html = staff_client.get(page).content.decode()
    assert "Anna Ägare" in html and "Bo Byte" in html


def test_secretariat_can_own_an_action_item(staff_client, meeting):
    form_action = reverse("council:action_item_add", args=[meeting.pk])
    response = staff_client.post(
        form_action,
        {"action-title": "Boka lokal", "action-owner": "", "action-due_date": "2030-05-01"},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(title="Boka lokal")
    assert item.owner is None
    html = staff_client.get(
        reverse("council:meeting_section", args=[meeting.pk, "closing"])
    ).content.decode()
    assert "Sekretariatet" in html
    # And an item can be handed over to the secretariat.
    page = reverse("council:action_item_edit", args=[item.pk])
    assert "Sekretariatet" in staff_client.get(page).content.decode()


def test_withdraw_action_item_asks_first(staff_client, meeting):
    owner = make_person("Ola Ägare")
    item = services.action_item_create(
        meeting=meeting, title="Felaktig punkt", owner=owner, due_date=date(2020, 1, 1)
    )
    url = reverse("council:action_item_withdraw", args=[item.pk])
    assert staff_client.get(url).status_code == 200
    assert ActionItem.objects.get(pk=item.pk).withdrawn_at is None
    action, data = form_on(staff_client, url, "council:action_item_withdraw")
    assert staff_client.post(action, data).status_code == 302
    item.refresh_from_db()
    assert item.is_withdrawn and not item.is_overdue
    assert RecordChange.objects.get(action_item=item).kind == "withdrawn"
    # No reminders for a withdrawn item.
    assert services.action_item_overdue_reminders_send(today=date(2020, 3, 1)) == 0
    html = staff_client.get(
        reverse("council:meeting_section", args=[meeting.pk, "closing"])
    ).content.decode()
    assert "<del>Felaktig punkt</del>" in html


def test_withdraw_minutes_asks_first_and_keeps_history(staff_client, items):
    first, _second = items
    services.minutes_save(agenda_item=first, text="Fel text")
    url = reverse("council:minutes_withdraw", args=[first.pk])
    assert staff_client.get(url).status_code == 200
    assert AgendaItem.objects.get(pk=first.pk).minutes == "Fel text"
    action, data = form_on(staff_client, url, "council:minutes_withdraw")
    assert staff_client.post(action, data).status_code == 302
    first.refresh_from_db()
    assert first.minutes == ""
    assert list(first.minutes_revisions.values_list("text", flat=True)) == ["", "Fel text"]


@pytest.mark.parametrize("back", ["", "meeting"])
def test_action_status_conflict_shows_both_side_by_side(meeting, back):
    owner = make_person()
    item = services.action_item_create(
        meeting=meeting, title="Skriv rapport", owner=owner, due_date=date(2030, 1, 1)
    )
    a, b = Client(), Client()
    a.force_login(make_user("secretariat"))
    b.force_login(make_user("secretariat"))
    page = (
        reverse("council:meeting_section", args=[meeting.pk, "closing"])
        if back
        else reverse("council:action_list")
    )
    action, data_a = form_on(a, page, "council:action_item_status")
    _action, data_b = form_on(b, page, "council:action_item_status")
    data_a["status"] = ["done"]
    data_b["status"] = ["in_progress"]
    assert a.post(action, data_a).status_code == 302
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "<td>Klar</td><td>Pågår</td>" in html
    assert ActionItem.objects.get(pk=item.pk).status == "done"
    # B decides to save their own choice on top, from the conflict page.
    action, again = form_on(b, page, "council:action_item_status", response=refused)
    assert again["status"] == ["in_progress"]
    assert b.post(action, again).status_code == 302
    assert ActionItem.objects.get(pk=item.pk).status == "in_progress"


def test_members_cannot_correct_or_withdraw(client, member, items, meeting):
    first, _second = items
    decision = services.decision_record(agenda_item=first, text="Beslut")
    item = services.action_item_create(
        meeting=meeting, title="Gör", owner=make_person(), due_date=date(2030, 1, 1)
    )
    client.force_login(member)
    for name, pk in (
        ("council:decision_edit", decision.pk),
        ("council:decision_withdraw", decision.pk),
        ("council:action_item_edit", item.pk),
        ("council:action_item_withdraw", item.pk),
        ("council:minutes_withdraw", first.pk),
    ):
        url = reverse(name, args=[pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"reason": "x"}).status_code == 403, name
    assert Decision.objects.get(pk=decision.pk).withdrawn_at is None
    assert ActionItem.objects.get(pk=item.pk).withdrawn_at is None


def test_anonymous_is_sent_to_login_for_corrections(client, items):
    decision = services.decision_record(agenda_item=items[0], text="Beslut")
    response = client.get(reverse("council:decision_edit", args=[decision.pk]))
    assert response.status_code == 302


def test_member_owner_sets_status_on_meeting_page(client, member, council, meeting):
    person = make_person("Mia Medlem", user=member, email="")
    seat(council, person=person)
    services.attendance_invite(meeting=meeting, person=person)
    item = services.action_item_create(
        meeting=meeting, title="Min punkt", owner=person, due_date=date(2030, 1, 1)
    )
    client.force_login(member)
    page = reverse("council:meeting_section", args=[meeting.pk, "closing"])
    action, data = form_on(client, page, "council:action_item_status")
    data["status"] = ["done"]
    assert client.post(action, data).status_code == 302
    assert ActionItem.objects.get(pk=item.pk).status == "done"
    assert "council:action_item_edit" not in client.get(page).content.decode()
