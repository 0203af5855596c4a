"""A signed-in person's home page: what needs them now, by role, on the demo data."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from council.models import ActionItem, Meeting
from directory.models import Organisation, Suggestion

pytestmark = pytest.mark.django_db


def _home(client, email, language="en"):
    client.force_login(User.objects.get(email=email))
    client.cookies["django_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    return response


def _text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_a_member_sees_the_next_meeting_with_their_reply_and_their_overdue_action(
    demo_portal, client
):
    text = _text(_home(client, "member@example.org"))
    assert "Next council meetings" in text
    assert "Your reply:" in text
    assert "My action items" in text
    # The demo's member owns an action item from 2015 that is still open.
    assert re.search(r"Overdue: .*Föreslå hur rådet kan bli jämnare sammansatt", text)
    assert "Needs attention" not in text


def test_the_secretariat_sees_what_needs_attention_across_apps(demo_portal, client):
    text = _text(_home(client, "secretariat@example.org"))
    assert "Needs attention" in text
    assert "1 suggestion to moderate" in text
    assert "NÄTVERKET - Idéburen sektor Skåne" in text  # the waiting correction
    assert "1 entry not confirmed for a year" in text
    assert "Emmaus Björkå" in text
    assert "agenda proposal to handle" in text


def test_the_secretariat_is_told_when_nothing_needs_attention(demo_portal, client):
    Suggestion.objects.update(state=Suggestion.State.APPROVED)
    # Confirmed lately, and created long ago (so no new entry is a likely duplicate).
    Organisation.objects.update(
        last_confirmed_at=timezone.now(), created_at=timezone.now() - timedelta(days=400)
    )
    Meeting.objects.all().delete()
    text = _text(_home(client, "secretariat@example.org"))
    assert "Nothing needs your attention now" in text


def test_a_process_leader_sees_their_agreements_with_phase_and_days(demo_portal, client):
    leader = User.objects.get(email="leader@example.org")
    text = _text(_home(client, leader.email))
    assert "My agreements" in text
    for agreement in leader.led_agreements.all():
        assert agreement.title in text
    assert re.search(r"\d+ days in this phase", text)
    assert "overdue action" in text


def test_an_editor_sees_their_organisation_and_the_suggestion_about_it(demo_portal, client):
    text = _text(_home(client, "editor@example.org"))
    assert "My organisations" in text
    assert "NÄTVERKET - Idéburen sektor Skåne" in text
    assert "1 suggestion waiting" in text
    assert "Needs attention" not in text


def test_an_editor_without_organisations_is_told_what_to_do(client, editor):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    text = _text(client.get("/"))
    assert "No organisation is linked to your account yet" in text


def test_a_person_without_a_role_is_told_how_to_get_one(client, db):
    user = User.objects.create_user("nobody@example.org", "x")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    text = _text(client.get("/"))
    assert "Your account has no role yet" in text


def test_the_workplace_is_swedish_by_default(demo_portal, client):
    text = _text(_home(client, "secretariat@example.org", language="sv"))
    assert "Behöver åtgärdas" in text
    assert "Dina verktyg" in text


def test_visitors_still_get_the_public_home_page(demo_portal, client):
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert "Collaboration council for civil society and the public sector" in _text(response)
    assert "Your tools" not in _text(response)


def _count_queries(client, email) -> int:
    with CaptureQueriesContext(connection) as queries:
        _home(client, email)
    return len(queries)


@pytest.mark.parametrize(
    "email", ["secretariat@example.org", "member@example.org", "leader@example.org"]
)
def test_the_workplace_does_not_grow_queries_with_rows(demo_portal, client, email):
    before = _count_queries(client, email)
    member = User.objects.get(email="member@example.org").person
    meeting = Meeting.objects.filter(cancelled_at=None).order_by("-starts_at").first()
    start = timezone.now() + timedelta(days=3)
    for n in range(10):
        extra = Meeting.objects.create(
            council=meeting.council,
            title=f"Extra {n}",
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=2),
        )
        ActionItem.objects.create(
            meeting=extra, title=f"Task {n}", owner=member, due_date=start.date()
        )
        Suggestion.objects.create(kind=Suggestion.Kind.NEW, name=f"Förening {n}", message="x")
    after = _count_queries(client, email)
    assert after <= before
    assert after <= 40


def test_an_adjuster_sees_the_minutes_waiting_for_their_approval(demo_portal, client):
    from council.models import MinutesApproval, MinutesRecord

    member = User.objects.get(email="member@example.org")
    meeting = Meeting.objects.filter(cancelled_at=None).order_by("-starts_at").first()
    record = MinutesRecord.objects.create(
        meeting=meeting,
        revision=MinutesRecord.objects.filter(meeting=meeting).count() + 1,
        state=MinutesRecord.State.CIRCULATING,
        circulated_at=timezone.now(),
    )
    MinutesApproval.objects.create(record=record, adjuster=member.person)
    text = _text(_home(client, member.email))
    assert "Minutes waiting for your approval" in text
    assert meeting.title in text
    # Someone else's approval is not theirs to see.
    text = _text(_home(client, "secretariat@example.org"))
    assert "Minutes waiting for your approval" not in text


def test_a_process_leader_sees_the_open_round_and_its_responses(demo_portal, client):
    from agreements.enums import RoundStatus

    leader = User.objects.get(email="leader@example.org")
    opened = [
        agreement
        for agreement in leader.led_agreements.all()
        if agreement.assessment_rounds.filter(status=RoundStatus.OPEN).exists()
    ]
    text = _text(_home(client, leader.email))
    if opened:
        assert re.search(r"Open round: \d+ of \d+ answered", text)
    else:
        assert "Open round:" not in text


def test_a_member_sees_when_papers_are_due_for_the_next_meeting(demo_portal, client):
    meeting = (
        Meeting.objects.filter(cancelled_at=None, ends_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    meeting.papers_deadline = meeting.starts_at - timedelta(days=7)
    meeting.save()
    text = _text(_home(client, "member@example.org"))
    assert "papers by" in text


def test_the_next_meetings_panel_shows_each_members_own_reply(demo_portal, client):
    """The reply is read in the meetings' statement (issue 17): each member sees their own."""
    from council import services
    from council.models import Attendance
    from tests.factories import make_user

    meeting = (
        Meeting.objects.filter(ends_at__gte=timezone.now(), cancelled_at=None)
        .order_by("starts_at")
        .first()
    )
    mine = Attendance.objects.get(meeting=meeting, person__user__email="member@example.org")
    other = Attendance.objects.filter(meeting=meeting, person__user=None).first()
    other.person.user = make_user("council_member")
    other.person.save(update_fields=["user"])
    services.attendance_reply(meeting=meeting, person=mine.person, reply="no")
    services.attendance_reply(meeting=meeting, person=other.person, reply="yes")
    text = _text(_home(client, "member@example.org"))
    assert f"{meeting.title}" in text
    assert "Your reply: Not coming" in text and "Your reply: Coming" not in text
    text = _text(_home(client, other.person.user.email))
    assert "Your reply: Coming" in text and "Your reply: Not coming" not in text


def _meetings_panel(response) -> str:
    html = response.content.decode()
    start = html.index('aria-labelledby="panel-meetings"')
    return html[start : html.index("</section>", start)]


def test_shared_next_meetings_leave_the_panel_when_they_end(demo_portal, client, monkeypatch):
    """The next meetings are shared under the content version (issue 17) and cut by the
    clock on each request: a meeting that ends is gone without any write, also when every
    meeting kept in the shared list has ended since (the list is then read afresh)."""
    council = Meeting.objects.order_by("pk").first().council
    now = timezone.now()
    soon = [
        Meeting.objects.create(
            council=council,
            title=f"Kort möte {n}",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(minutes=30 + n),
        )
        for n in range(9)
    ]
    later = (
        Meeting.objects.filter(cancelled_at=None, starts_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )
    panel = _meetings_panel(_home(client, "member@example.org"))
    assert "Kort möte 0" in panel and later.title not in panel
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    panel = _meetings_panel(_home(client, "member@example.org"))
    assert not [m for m in soon if m.title in panel]
    assert later.title in panel


def test_my_action_items_panel_lists_the_first_eight_open_ones_by_due_date(demo_portal, client):
    member = User.objects.get(email="member@example.org").person
    meeting = Meeting.objects.filter(cancelled_at=None).order_by("-starts_at").first()
    day = timezone.localdate() + timedelta(days=30)
    ActionItem.objects.filter(owner=member).update(status=ActionItem.Status.DONE)
    for n in range(10):
        ActionItem.objects.create(
            meeting=meeting,
            title=f"Uppgift {n}",
            owner=member,
            due_date=day - timedelta(days=n),
            status=ActionItem.Status.IN_PROGRESS if n % 2 else ActionItem.Status.OPEN,
        )
    ActionItem.objects.create(
        meeting=meeting,
        title="Klar uppgift",
        owner=member,
        due_date=day - timedelta(days=99),
        status=ActionItem.Status.DONE,
    )
    html = _home(client, member.user.email).content.decode()
    start = html.index('aria-labelledby="panel-actions"')
    panel = html[start : html.index("</section>", start)]
    shown = re.findall(r"Uppgift (\d)", panel)
    assert shown == ["9", "8", "7", "6", "5", "4", "3", "2"]
    assert "Klar uppgift" not in panel
    assert f'<a href="/council/meetings/{meeting.pk}/">{meeting.title}</a>' in panel
