"""The meeting page in three parts (issue 16) and its cost per request (issue 17).

Preparing (agenda, papers, replies), running (attendance, speakers) and closing (minutes,
decisions, action items) each have their own address; the page's own address shows the part
the meeting's state calls for. Item controls sit in one menu per item, cancelling the meeting
apart at the bottom. Each part costs at most 12 SQL statements for a member and for the
secretariat, with ten times the rows too, and the parts that are the same for every member come
from the fragment cache without mixing up people's own replies and action items.
"""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import AgendaItem, Role
from tests.council.conftest import make_meeting, make_person, seat
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SECTIONS = ["preparing", "running", "closing"]
MAX_STATEMENTS = 12


def _section(meeting, section):
    return reverse("council:meeting_section", args=[meeting.pk, section])


def _current_part(html) -> str:
    nav = html[html.index('class="subnav subnav--tabs meeting-parts"') :]
    return re.search(r'href="/council/meetings/\d+/(\w+)/" aria-current="page"', nav).group(1)


@pytest.fixture
def member_person(member, council):
    person = make_person("Maja Ekholm", user=member, email="")
    seat(council, person=person, start=date(2014, 1, 1))
    return person


def test_each_part_has_its_own_address_for_members_and_the_secretariat(
    client, member, secretariat, council, member_person
):
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    for user in (member, secretariat):
        client.force_login(user)
        for section in SECTIONS:
            response = client.get(_section(meeting, section))
            assert response.status_code == 200, (user, section)
            assert _current_part(response.content.decode()) == section
    assert client.get(f"/council/meetings/{meeting.pk}/elsewhere/").status_code == 404


@pytest.mark.parametrize(
    ("starts", "expected"),
    [
        (timedelta(days=10), "preparing"),
        (timedelta(minutes=-30), "running"),
        (timedelta(days=-10), "closing"),
    ],
)
def test_the_page_opens_on_the_part_the_meetings_state_calls_for(
    client, member, council, member_person, starts, expected
):
    meeting = make_meeting(council, starts=timezone.now() + starts, hours=2)
    client.force_login(member)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert _current_part(html) == expected


def test_item_controls_are_in_one_menu_per_item_and_cancelling_is_apart(
    client, secretariat, council, member_person
):
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    for title in ("Medfinansiering", "Lokaler", "Uppföljning"):
        services.agenda_item_propose(meeting=meeting, title=title)
    client.force_login(secretariat)
    html = client.get(_section(meeting, "preparing")).content.decode()
    menus = re.findall(r'<details class="item-menu">.*?</details>', html, re.S)
    assert len(menus) == 3
    outside = re.sub(r'<details class="item-menu">.*?</details>', "", html, flags=re.S)
    for control in ('value="accept"', 'value="decline"', 'value="up"', 'value="down"'):
        assert control not in outside, control
    assert "council/items/" not in outside  # no upload form outside the menus
    # Cancelling is in the danger zone at the bottom, styled as destructive, not in the tools.
    tools = re.search(r'<nav class="toolbar".*?</nav>', html, re.S).group(0)
    assert "Ändra mötet" in tools and "/cancel/" not in tools
    zone = html[html.index('class="danger-zone"') :]
    assert f'class="button button--danger" href="/council/meetings/{meeting.pk}/cancel/"' in zone
    assert html.index('class="danger-zone"') > html.index('id="agenda"')


def test_closing_part_puts_minutes_and_decisions_in_a_menu_per_item(
    client, secretariat, council, member_person
):
    meeting = make_meeting(council, starts=timezone.now() - timedelta(days=3))
    item = services.agenda_item_propose(meeting=meeting, title="Medfinansiering", backfill=True)
    services.agenda_item_accept(agenda_item=item)
    decision = services.decision_record(agenda_item=item, text="Rådet ställer sig bakom")
    client.force_login(secretariat)
    html = client.get(meeting.get_absolute_url()).content.decode()
    menu = re.search(r'<details class="item-menu">.*?</details>', html, re.S).group(0)
    assert reverse("council:minutes_edit", args=[item.pk]) in menu
    assert reverse("council:decision_add", args=[item.pk]) in menu
    assert reverse("council:decision_withdraw", args=[decision.pk]) in menu
    outside = html.replace(menu, "")
    assert reverse("council:decision_add", args=[item.pk]) not in outside
    assert "Rådet ställer sig bakom" in outside  # the decision itself is shown to everyone


def test_member_sees_agenda_papers_reply_and_own_proposal_without_secretariat_tools(
    client, member, council, member_person
):
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    accepted = services.agenda_item_propose(meeting=meeting, title="Medfinansiering")
    services.agenda_item_accept(agenda_item=accepted)
    services.agenda_item_propose(meeting=meeting, title="Någon annans förslag")
    services.agenda_item_propose(meeting=meeting, title="Mitt förslag", proposed_by=member)
    client.force_login(member)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Medfinansiering" in html and "Ditt svar" in html
    assert "Mitt förslag" in html and "Dina förslag" in html
    assert "Någon annans förslag" not in html
    for tool in ("item-menu", "Publicera dagordningen", "danger-zone", "Ändra mötet"):
        assert tool not in html, tool


def test_forms_send_people_back_to_the_part_they_came_from(
    client, secretariat, council, member_person
):
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    item = services.agenda_item_propose(meeting=meeting, title="Punkt")
    client.force_login(secretariat)
    response = client.post(
        reverse("council:agenda_item_action", args=[item.pk]), {"action": "accept"}
    )
    assert response.headers["Location"] == _section(meeting, "preparing") + "#agenda"
    response = client.post(reverse("council:decision_add", args=[item.pk]), {"text": "Beslut"})
    assert response.headers["Location"] == _section(meeting, "closing") + "#decisions"
    response = client.post(reverse("council:attendance_record", args=[meeting.pk]), {})
    assert response.headers["Location"] == _section(meeting, "running") + "#attendance"


# --- Cost per request ----------------------------------------------------------------------


def _meeting_with_rows(council, member_person, scale):
    """A meeting held now with `scale` times the rows: other meetings, agenda items with
    documents and decisions, people invited, action items and speaking turns."""
    for number in range(2 * scale):
        make_meeting(council, starts=timezone.now() - timedelta(days=30 + number), title="Förr")
    people = [seat(council, start=date(2014, 1, 1)).person for _ in range(3 * scale)]
    for _ in range(scale):  # deputies: the member's reply offers them
        seat(council, role=Role.DEPUTY, start=date(2014, 1, 1))
    meeting = make_meeting(council, starts=timezone.now() - timedelta(minutes=90), hours=3)
    items = []
    for number in range(3 * scale):
        item = services.agenda_item_propose(meeting=meeting, title=f"Punkt {number}", backfill=True)
        services.agenda_item_accept(agenda_item=item)
        services.decision_record(agenda_item=item, text=f"Beslut {number}")
        services.minutes_save(agenda_item=item, text=f"Protokoll {number}")
        items.append(item)
    services.agenda_item_propose(meeting=meeting, title="Förslag", backfill=True)
    services.agenda_item_propose(
        meeting=meeting, title="Mitt förslag", proposed_by=member_person.user
    )
    services.attendance_reply(meeting=meeting, person=member_person, reply="yes")
    for number, person in enumerate(people):
        services.action_item_create(
            meeting=meeting, title=f"Åtgärd {number}", owner=person, due_date=date(2030, 1, 1)
        )
    services.action_item_create(
        meeting=meeting, title="Min åtgärd", owner=member_person, due_date=date(2030, 1, 1)
    )
    services.meeting_live_item_set(meeting=meeting, agenda_item=items[0])
    start = timezone.now() - timedelta(minutes=80)
    for number, person in enumerate(people):
        services.speaking_turn_start(
            meeting=meeting, person=person, now=start + timedelta(minutes=number)
        )
    services.speaking_turn_stop(meeting=meeting, now=start + timedelta(minutes=len(people)))
    meeting.refresh_from_db()
    return meeting


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_each_part_costs_at_most_12_statements_with_ten_times_the_rows(
    member, secretariat, council, member_person, django_assert_max_num_queries, role, scale
):
    meeting = _meeting_with_rows(council, member_person, scale)
    client = Client()
    client.force_login(member if role == "member" else secretariat)
    for section in SECTIONS:
        url = _section(meeting, section)
        cache.clear()  # the first member after a write: nothing shared is cached yet
        with django_assert_max_num_queries(MAX_STATEMENTS):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(MAX_STATEMENTS):
            assert client.get(url).status_code == 200  # shared parts from the cache


# --- Shared fragments and personal parts ---------------------------------------------------


def test_cached_shared_parts_never_show_another_members_reply_or_actions(
    member, council, member_person, settings
):
    assert settings.PORTAL_FRAGMENT_CACHE_SECONDS > 0
    other_user = make_user("council_member")
    other = make_person("Henrik Nord", gender="man", user=other_user, email="")
    seat(council, person=other, start=date(2014, 1, 1))
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    item = services.agenda_item_propose(meeting=meeting, title="Medfinansiering")
    services.agenda_item_accept(agenda_item=item)
    services.attendance_reply(meeting=meeting, person=member_person, reply="yes")
    services.attendance_reply(meeting=meeting, person=other, reply="no")
    services.action_item_create(
        meeting=meeting, title="Majas åtgärd", owner=member_person, due_date=date(2030, 1, 1)
    )
    services.action_item_create(
        meeting=meeting, title="Henriks åtgärd", owner=other, due_date=date(2030, 1, 1)
    )
    maja, henrik = Client(), Client()
    maja.force_login(member)
    henrik.force_login(other_user)
    preparing, closing = _section(meeting, "preparing"), _section(meeting, "closing")

    def reply(html):
        return re.search(r"Nu: <strong>([^<]*)</strong>", html).group(1)

    def own_actions(html):
        start = html.index('id="my-actions"')
        return html[start : html.index("</section>", start)]

    first = maja.get(preparing).content.decode()
    assert "Medfinansiering" in first and reply(first) == "Kommer"
    with CaptureQueriesContext(connection) as queries:
        second = henrik.get(preparing).content.decode()
    assert "Medfinansiering" in second and reply(second) == "Kommer inte"
    # The agenda and the papers came from the cache: no statement read their documents.
    assert not [q for q in queries.captured_queries if '"council_document"' in q["sql"]]
    mine = own_actions(maja.get(closing).content.decode())
    theirs = own_actions(henrik.get(closing).content.decode())
    assert "Majas åtgärd" in mine and "Henriks åtgärd" not in mine
    assert "Henriks åtgärd" in theirs and "Majas åtgärd" not in theirs
    assert 'name="status"' in mine  # each member sets the status of their own items only
    # Both see every action item of the meeting in the shared table, without status forms.
    shared = henrik.get(closing).content.decode()
    table = shared[shared.index('id="actions"') :]
    assert "Majas åtgärd" in table and "Henriks åtgärd" in table
    assert 'name="status"' not in table

    # A write is on the next render, for everyone.
    services.agenda_item_accept(
        agenda_item=services.agenda_item_propose(meeting=meeting, title="Ny punkt om lokaler")
    )
    assert "Ny punkt om lokaler" in maja.get(preparing).content.decode()
    assert "Ny punkt om lokaler" in henrik.get(preparing).content.decode()


def test_the_shared_record_gives_each_member_their_own_reply_deputy_and_proposals(
    member, council, member_person, settings, tmp_path
):
    """The meeting and every member's reply, proposals and deputies are one shared value
    (issue 17): each member is shown their own, a write reaches the next render, and the
    second member's page reads none of it from the database."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    deputy = seat(council, person=make_person("Dana Ersättare"), role=Role.DEPUTY).person
    other_user = make_user("council_member")
    other = make_person("Henrik Nord", gender="man", user=other_user, email="")
    seat(council, person=other, start=date(2014, 1, 1))
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    services.attendance_reply(meeting=meeting, person=member_person, reply="deputy", deputy=deputy)
    services.attendance_reply(meeting=meeting, person=other, reply="no")
    paper = SimpleUploadedFile("underlag.pdf", b"%PDF-1.7 test", content_type="application/pdf")
    services.agenda_item_propose(
        meeting=meeting, title="Majas förslag", proposed_by=member, documents=[paper]
    )
    services.agenda_item_propose(meeting=meeting, title="Henriks förslag", proposed_by=other_user)
    maja, henrik = Client(), Client()
    maja.force_login(member)
    henrik.force_login(other_user)
    page = _section(meeting, "preparing")

    def reply(html):
        return re.search(r"Nu: <strong>([^<]*)</strong>([^<]*)</p>", html).groups()

    def proposals(html):
        start = html.index('id="my-proposals"')
        return html[start : html.index("</section>", start)]

    first = maja.get(page).content.decode()
    assert reply(first) == ("En ersättare kommer i stället", " (Dana Ersättare)")
    assert "Majas förslag" in proposals(first) and "underlag.pdf" in proposals(first)
    assert "Henriks förslag" not in proposals(first)
    with CaptureQueriesContext(connection) as queries:
        second = henrik.get(page).content.decode()
    assert len(queries) == 3  # the session, the user and their permissions
    assert reply(second) == ("Kommer inte", "")
    assert "Henriks förslag" in proposals(second)
    assert "Majas förslag" not in proposals(second) and "underlag.pdf" not in proposals(second)
    assert "Dana Ersättare" in second  # offered in the reply form

    services.attendance_reply(meeting=meeting, person=other, reply="yes")
    services.agenda_item_propose(meeting=meeting, title="Henriks andra", proposed_by=other_user)
    third = henrik.get(page).content.decode()
    assert reply(third) == ("Kommer", "")
    assert "Henriks andra" in proposals(third)
    assert "Henriks andra" not in maja.get(page).content.decode()


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_the_preparing_and_closing_parts_cost_three_statements_once_shared(
    member, secretariat, council, member_person, django_assert_num_queries, role, scale
):
    """Issue 17: after the first visit since a write, the meeting, its agenda, papers, replies,
    proposals and action items all come from the shared cache: the page pays only the
    session, the user and their permissions (7 statements before, 11 at the closing part)."""
    held = _meeting_with_rows(council, member_person, scale)
    upcoming = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    services.attendance_reply(meeting=upcoming, person=member_person, reply="yes")
    services.agenda_item_propose(meeting=upcoming, title="Förslag", proposed_by=member)
    client = Client()
    client.force_login(member if role == "member" else secretariat)
    for meeting in (held, upcoming):
        for section in ("preparing", "closing"):
            url = _section(meeting, section)
            assert client.get(url).status_code == 200
            with django_assert_num_queries(3):
                assert client.get(url).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(reverse("council:meeting_detail", args=[upcoming.pk])).status_code == 200


def test_the_shared_head_follows_writes_the_clock_and_the_variant(
    member, secretariat, council, member_person, monkeypatch
):
    """The facts, the secretariat's tools and the parts' tabs are one shared fragment (issue
    17), keyed by the variant, the part shown and the part the meeting's state calls for."""
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10), place="Malmö")
    maja, staff = Client(), Client()
    maja.force_login(member)
    staff.force_login(secretariat)
    page = reverse("council:meeting_detail", args=[meeting.pk])

    def now_tag(html):
        nav = html[html.index('class="subnav subnav--tabs meeting-parts"') :]
        return re.search(r'/(\w+)/"[^>]*>[^<]*<span class="tag">', nav).group(1)

    tools = f'href="/council/meetings/{meeting.pk}/edit/"'
    assert tools in staff.get(page).content.decode()
    html = maja.get(page).content.decode()
    assert tools not in html and now_tag(html) == "preparing" and "Malmö" in html
    services.meeting_update(meeting=meeting, place="Lund")
    html = maja.get(page).content.decode()
    assert "Lund" in html and "Malmö" not in html
    later = meeting.starts_at + timedelta(minutes=30)
    monkeypatch.setattr(timezone, "now", lambda: later)
    maja.force_login(member)  # the session of ten days ago has lapsed
    html = maja.get(page).content.decode()
    assert now_tag(html) == "running" and _current_part(html) == "running"
    html = maja.get(_section(meeting, "preparing")).content.decode()
    assert now_tag(html) == "running" and _current_part(html) == "preparing"


def test_the_shared_agenda_part_follows_the_papers_deadline_and_the_variant(
    member, secretariat, council, member_person, monkeypatch
):
    """The agenda part (heading, tools, papers and their forms, items) is one shared fragment
    (issue 17) keyed by the variant and what the clock decides: whether the member may still
    propose and add papers, and whether the deadline has passed."""
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=5))
    services.meeting_papers_deadline_set(
        meeting=meeting, deadline=timezone.now() + timedelta(minutes=30)
    )
    maja, staff = Client(), Client()
    maja.force_login(member)
    staff.force_login(secretariat)
    page = _section(meeting, "preparing")
    upload = f'action="/council/meetings/{meeting.pk}/materials/"'
    publish = f'action="/council/meetings/{meeting.pk}/publish/"'
    html = staff.get(page).content.decode()
    assert upload in html and publish in html
    html = maja.get(page).content.decode()
    assert upload in html and publish not in html and "deadline--passed" not in html
    later = timezone.now() + timedelta(minutes=45)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = maja.get(page).content.decode()
    assert upload not in html and "deadline--passed" in html
    html = staff.get(page).content.decode()
    assert upload in html and publish in html and "deadline--passed" in html


def test_a_cached_form_works_for_the_next_secretary(secretariat, council, member_person):
    """The secretariat's variant holds forms: the CSRF token in the cached copy is each
    request's own, so the second secretary's form is accepted."""
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    item = services.agenda_item_propose(meeting=meeting, title="Punkt")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(secretariat)
    second.force_login(make_user("secretariat"))
    page = _section(meeting, "preparing")
    first.get(page)
    html = second.get(page).content.decode()
    menu = re.search(r'<details class="item-menu">.*?</details>', html, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu).group(1)
    response = second.post(
        reverse("council:agenda_item_action", args=[item.pk]),
        {"csrfmiddlewaretoken": token, "action": "accept"},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).state == AgendaItem.State.ACCEPTED


def test_the_rsvp_deputies_are_shared_and_follow_new_seats(member, council, member_person):
    """The deputies offered in the reply form are the same for every member: read once and
    shared under the content version (issue 17); a new deputy seat is offered at once."""
    seat(council, person=make_person("Dana Ersättare", gender="woman"), role=Role.DEPUTY)
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=10))
    other_user = make_user("council_member")
    other = make_person("Henrik Nord", gender="man", user=other_user, email="")
    seat(council, person=other, start=date(2014, 1, 1))
    services.attendance_invite(meeting=meeting, person=other)
    maja, henrik = Client(), Client()
    maja.force_login(member)
    henrik.force_login(other_user)
    page = _section(meeting, "preparing")
    assert "Dana Ersättare" in maja.get(page).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = henrik.get(page).content.decode()
    assert "Dana Ersättare" in html
    assert not [q for q in queries.captured_queries if '"council_membership"' in q["sql"]]
    seat(council, person=make_person("Erik Ersättare", gender="man"), role=Role.DEPUTY)
    html = henrik.get(page).content.decode()
    assert "Dana Ersättare" in html and "Erik Ersättare" in html
