"""Statements per members' page, with the demo data and with ten times its rows (issue 17).

Every page a member or the secretariat uses daily stays at or under 12 SQL statements, and
the count does not grow with the rows: the same tests run on the demo and on the demo with
nine more copies of its meetings (items, attendance, action items, speaking turns),
registrations, memberships and agreement actions (bench/member_pages.py `scale_rows`, the
rows the benchmark measures). The live list of speakers is measured with 30 people waiting.
Times are the benchmark's business (bench/README.md), never asserted here.
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bench.member_pages import scale_rows
from council.models import Meeting

pytestmark = pytest.mark.django_db

LIMIT = 12


@pytest.fixture(scope="module", params=[1, 10], ids=["demo", "demo-x10"])
def rows(request, demo_portal, django_db_blocker):
    """The demo, or the demo with ten times its rows (rolled back after the module's tests)."""
    with django_db_blocker.unblock():
        savepoint = transaction.savepoint()
        scale_rows(request.param)
    yield request.param
    with django_db_blocker.unblock():
        transaction.savepoint_rollback(savepoint)


def _signed_in(client, email):
    client.force_login(User.objects.get(email=email))
    return client


def _meeting():
    return Meeting.objects.filter(agenda_items__isnull=False).order_by("-starts_at").first()


PAGES = [
    ("member@example.org", "council overview", lambda: "/council/"),
    ("member@example.org", "members", lambda: "/council/members/"),
    ("member@example.org", "workplace", lambda: "/"),
    ("secretariat@example.org", "members", lambda: "/council/members/"),
    (
        "secretariat@example.org",
        "speaking",
        lambda: f"/council/meetings/{_meeting().pk}/speaking/",
    ),
    ("secretariat@example.org", "report list", lambda: "/reports/"),
    ("member@example.org", "report list", lambda: "/reports/"),
]


@pytest.mark.parametrize(
    ("email", "label", "url"), PAGES, ids=[f"{e.split('@')[0]}-{label}" for e, label, _u in PAGES]
)
def test_page_statements_stay_fixed(rows, client, email, label, url, django_assert_max_num_queries):
    _signed_in(client, email)
    address = url()
    assert client.get(address).status_code == 200  # the session's first page starts its clock
    with django_assert_max_num_queries(LIMIT):
        response = client.get(address)
    assert response.status_code == 200


def test_the_secretariats_workplace_stays_fixed(rows, client, django_assert_max_num_queries):
    """Eight panels across the apps (the needs-attention list): 21 statements before
    (directory counts beside their lists, the agreements panel prefetching parties and
    leaders it does not show), 17 after those, 11 now that the directory's attention figures
    (six statements, the same for every moderator) are shared until the directory changes."""
    _signed_in(client, "secretariat@example.org")
    client.get("/")
    with django_assert_max_num_queries(LIMIT):
        text = client.get("/").content.decode()
    assert "1 förslag att granska" in text or "1 suggestion to moderate" in text


def test_a_members_workplace_costs_five_statements(rows, client, django_assert_num_queries):
    """Issue 17: the session, the user, their permissions, then one hand-written statement for
    the council panels' person (with their replies to the next meetings and whether minutes
    or action items wait for them) and one for their open action items; the next meetings
    are shared. Seven statements before, four of them the ORM's."""
    _signed_in(client, "member@example.org")
    client.get("/")
    with django_assert_num_queries(5):
        text = client.get("/").content.decode()
    assert "Föreslå hur rådet kan bli jämnare sammansatt" in text


def test_a_members_meeting_page_costs_three_statements(rows, client, django_assert_num_queries):
    """Issue 17: the meeting and the member's own reply and proposals come from the shared
    record, the agenda and papers from shared fragments (seven statements before)."""
    _signed_in(client, "member@example.org")
    address = f"/council/meetings/{_meeting().pk}/"
    client.get(address)
    with django_assert_num_queries(3):
        text = client.get(address).content.decode()
    assert 'id="rsvp"' in text and 'id="my-proposals"' in text


def test_the_council_overview_costs_five_statements(rows, client, django_assert_num_queries):
    """Issue 17: the session, the user, their permissions, the member's person and their open
    action items; the council, its coming meetings and the composition are shared under the
    content version (seven statements before)."""
    _signed_in(client, "member@example.org")
    client.get("/council/")
    with django_assert_num_queries(5):
        text = client.get("/council/").content.decode()
    assert "Kommande möten" in text


def test_the_shared_attention_figures_follow_a_new_suggestion(rows, client):
    from directory.models import Suggestion
    from directory.services import suggestion_submit

    _signed_in(client, "secretariat@example.org")
    assert "1 förslag att granska" in client.get("/").content.decode()
    suggestion_submit(kind=Suggestion.Kind.NEW, name="Föreningen Nytt Hopp", message="Ny.")
    assert "2 förslag att granska" in client.get("/").content.decode()


def test_the_overview_does_not_grow_with_meetings(rows, client, django_assert_max_num_queries):
    """Issue 17: `council.meetings.only("starts_at")` read the deferred council_id once per
    meeting (24 statements with the demo, 70 at 10x, 520 at 100x)."""
    _signed_in(client, "member@example.org")
    assert Meeting.objects.count() >= 5 * rows
    client.get("/council/")
    with django_assert_max_num_queries(LIMIT):
        text = client.get("/council/").content.decode()
    assert "Kommande möten" in text or "Coming meetings" in text


@pytest.fixture
def live_meeting(rows):
    """A meeting held now with 30 people waiting to speak, balanced order on and a turn
    running (the benchmark's set-up, bench/live_queue.py)."""
    from accounts.roles import Role as AccountRole
    from accounts.services import user_create
    from council import services
    from council.models import Role, SpeakerListEntry
    from directory import services as directory_services
    from directory.models import Organisation, Sector

    council = services.council_create(name="Live council", slug="live-council")
    sectors = [Sector.objects.get(code="civil_society"), Sector.objects.get(code="public")]
    persons = []
    for number in range(31):
        user = user_create(
            email=f"live.{number}@example.org",
            password="live-password-1234",
            full_name=f"Live {number}",
            roles=[AccountRole.COUNCIL_MEMBER],
        )
        person = directory_services.person_create(
            name=f"Talare {number:02d}",
            gender="woman" if number % 3 else "man",
            user=user,
            email=f"live.{number}@example.org",
        )
        services.membership_create(
            council=council,
            person=person,
            organisation=directory_services.organisation_create(
                name=f"Live organisation {number}",
                sector=sectors[number % 2],
                state=Organisation.State.PUBLISHED,
            ),
            role=Role.MEMBER,
            start_date=date(2020, 1, 1),
        )
        persons.append(person)
    now = timezone.now()
    meeting = services.meeting_schedule(
        council=council,
        title="Live meeting",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=2),
        place="Malmö",
        notify=False,
    )
    item = services.agenda_item_propose(meeting=meeting, title="Punkt", backfill=True)
    services.agenda_item_accept(agenda_item=item)
    services.meeting_live_item_set(meeting=meeting, agenda_item=item)
    for person in persons[:30]:
        services.speaker_request(agenda_item=item, person=person)
    services.meeting_speaker_rules_set(meeting=meeting, balanced=True, time_limit=120)
    services.speaker_give_floor(entry=SpeakerListEntry.objects.filter(state="waiting").first())
    services.speaker_request(agenda_item=item, person=persons[0])
    assert SpeakerListEntry.objects.filter(state="waiting", agenda_item=item).count() == 30
    return meeting, persons[30].user


@pytest.mark.parametrize("email", ["secretariat@example.org", None], ids=["secretariat", "member"])
def test_live_speakers_fragment_with_30_waiting(
    live_meeting, client, email, django_assert_max_num_queries
):
    meeting, member = live_meeting
    client.force_login(User.objects.get(email=email) if email else member)
    url = f"/council/meetings/{meeting.pk}/speakers/"
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Talare ") >= 30
    version = response.content.decode().split("?v=", 1)[1].split('"', 1)[0]
    with django_assert_max_num_queries(3):
        assert client.get(f"{url}?v={version}").status_code == 204


WORKSHOP_PAGES = [
    "manage/",
    "manage/programme/",
    "manage/groups/",
    "manage/follow-up/",
    "check-in/",
]


@pytest.mark.parametrize("part", WORKSHOP_PAGES)
def test_the_workshop_pages_stay_fixed(rows, client, part, django_assert_max_num_queries):
    """The secretariat's workshop pages: rendered after a write within the limit, and from
    their shared fragments (the same for all the secretariat until the next write) only the
    session, the user and the permissions are read."""
    from workshops.models import Workshop

    _signed_in(client, "secretariat@example.org")
    address = f"/workshops/{Workshop.objects.order_by('pk').first().pk}/{part}"
    with django_assert_max_num_queries(LIMIT):
        assert client.get(address).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(address).status_code == 200
