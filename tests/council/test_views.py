from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import AgendaItem, Attendance, Meeting, SpeakingTurn
from directory import services as directory_services
from tests.council.conftest import local, make_meeting, make_org, make_person, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_person(member, council):
    person = make_person("Maja Ekholm", user=member, email="")
    seat(council, person=person, start=date(2014, 1, 1))
    return person


@pytest.fixture
def future_meeting(council, member_person):
    return make_meeting(council, starts=timezone.now() + timedelta(days=20))


def test_member_sees_overview_members_and_meetings(client, member, future_meeting):
    client.force_login(member)
    for name in (
        "council:home",
        "council:member_list",
        "council:meeting_list",
        "council:action_list",
        "council:speaking_time",
        "council:calendar",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    html = client.get(reverse("council:meeting_detail", args=[future_meeting.pk])).content.decode()
    assert "Föreslå en punkt" in html or "Propose an agenda item" in html


@pytest.mark.parametrize("name", ["council:meeting_create", "council:membership_create"])
def test_member_cannot_use_secretariat_tools(client, member, council, name):
    client.force_login(member)
    assert client.get(reverse(name)).status_code == 403


def test_member_cannot_publish_accept_or_log_speaking(client, member, future_meeting):
    client.force_login(member)
    item = services.agenda_item_propose(meeting=future_meeting, title="Punkt")
    assert (
        client.post(reverse("council:agenda_publish", args=[future_meeting.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("council:agenda_item_action", args=[item.pk]), {"action": "accept"}
        ).status_code
        == 403
    )
    assert client.get(reverse("council:speaking", args=[future_meeting.pk])).status_code == 403


def test_user_without_council_role_gets_403(client, editor, council):
    client.force_login(editor)
    assert client.get(reverse("council:home")).status_code == 403


def test_anonymous_is_sent_to_login(client, council):
    response = client.get(reverse("council:home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_member_proposes_item_with_document(client, member, future_meeting):
    client.force_login(member)
    pdf = SimpleUploadedFile("underlag.pdf", b"%PDF-1.4 underlag", content_type="application/pdf")
    response = client.post(
        reverse("council:agenda_item_propose", args=[future_meeting.pk]),
        {"title": "Medfinansiering i ESF-projekt", "summary": "Hinder vi ser", "document": pdf},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert item.proposed_by == member
    assert item.documents.get().name == "underlag.pdf"
    document = item.documents.get()
    download = client.get(reverse("council:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 underlag"


def test_bad_upload_shows_message_at_field_and_saves_nothing(client, member, future_meeting):
    client.force_login(member)
    response = client.post(
        reverse("council:agenda_item_propose", args=[future_meeting.pk]),
        {"title": "Punkt", "document": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "id_document_error" in response.content.decode()
    assert AgendaItem.objects.count() == 0


def test_secretariat_schedules_meeting_with_clear_errors(client, secretariat, council):
    client.force_login(secretariat)
    url = reverse("council:meeting_create")
    bad = client.post(
        url, {"title": "Rådsmöte", "day": "2030-03-12", "start_time": "15:00", "end_time": "13:00"}
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "id_end_time_error" in html and "id_place_error" in html
    assert Meeting.objects.count() == 0
    good = client.post(
        url,
        {
            "title": "Rådsmöte",
            "day": "2030-03-12",
            "start_time": "13:00",
            "end_time": "16:00",
            "place": "Malmö",
        },
    )
    assert good.status_code == 302
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).hour == 13


def test_secretariat_accepts_and_publishes(
    client, secretariat, future_meeting, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    item = services.agenda_item_propose(meeting=future_meeting, title="IOP")
    client.post(reverse("council:agenda_item_action", args=[item.pk]), {"action": "accept"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("council:agenda_publish", args=[future_meeting.pk]))
    assert response.status_code == 302
    future_meeting.refresh_from_db()
    assert future_meeting.is_published
    assert any("IOP" in message.body for message in mail.outbox)


def test_rsvp_by_member(client, member, future_meeting, member_person):
    client.force_login(member)
    client.post(reverse("council:meeting_rsvp", args=[future_meeting.pk]), {"reply": "yes"})
    assert Attendance.objects.get(person=member_person).reply == "yes"


def test_speaking_page_htmx_start_and_reload(client, secretariat, future_meeting, member_person):
    client.force_login(secretariat)
    url = reverse("council:speaking_start", args=[future_meeting.pk])
    response = client.post(url, {"person": member_person.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    page = client.get(reverse("council:speaking", args=[future_meeting.pk])).content.decode()
    assert "Maja Ekholm" in page and 'aria-pressed="true"' in page
    bad = client.post(url, {"person": "abc"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert SpeakingTurn.objects.count() == 1


def test_member_marks_own_action_item_done_but_not_others(
    client, member, member_person, future_meeting
):
    other = make_person()
    mine = services.action_item_create(
        meeting=future_meeting, title="Min", owner=member_person, due_date=date(2030, 1, 1)
    )
    theirs = services.action_item_create(
        meeting=future_meeting, title="Annans", owner=other, due_date=date(2030, 1, 1)
    )
    client.force_login(member)
    url = "council:action_item_status"
    assert client.post(reverse(url, args=[mine.pk]), {"status": "done"}).status_code == 302
    assert client.post(reverse(url, args=[theirs.pk]), {"status": "done"}).status_code == 403
    mine.refresh_from_db()
    assert mine.status == "done"


def test_meeting_list_query_count_is_fixed(
    client, member, council, member_person, django_assert_max_num_queries
):
    def add(n):
        for number in range(n):
            make_meeting(council, starts=local(2014, 2, 1 + number, 13, 0), title=f"Möte {number}")

    client.force_login(member)
    add(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("council:meeting_list")).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("council:meeting_list"))
    assert len(response.context["past"]) == 12


def test_council_home_query_count_does_not_grow_with_meetings(
    client, secretariat, council, member_person, django_assert_max_num_queries
):
    """The report-year list read each meeting's deferred council_id: 500 meetings, 500 queries.
    (The list is the report form's, shown to those who may ask for the report.)"""

    def add(n, year):
        for number in range(n):
            make_meeting(council, starts=local(year, 2, 1 + number, 13, 0), title=f"Möte {number}")

    client.force_login(secretariat)
    add(2, 2014)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("council:home")).status_code == 200
    add(12, 2015)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("council:home"))
    years = response.context["report_years"]
    assert {2014, 2015} <= set(years) and years == sorted(years, reverse=True)


def test_member_list_query_count_is_fixed(client, member, council, django_assert_max_num_queries):
    client.force_login(member)
    for _ in range(2):
        seat(council)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("council:member_list")).status_code == 200
    for _ in range(15):
        seat(council, sector="public", gender="man")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("council:member_list"))
    assert len(response.context["memberships"]) == 17


def test_meeting_detail_query_count_is_fixed(
    client, secretariat, council, django_assert_max_num_queries
):
    for _ in range(3):
        seat(council, start=date(2029, 1, 1))
    meeting = make_meeting(council)
    client.force_login(secretariat)

    def add(count):
        # Items, decisions and invitees: each kind present once before the first count, so
        # the prefetches that run only when rows exist are in both counts.
        for number in range(count):
            item = services.agenda_item_propose(meeting=meeting, title=f"Punkt {number}")
            services.agenda_item_accept(agenda_item=item)
            services.decision_record(agenda_item=item, text="Beslut")
            services.attendance_invite(meeting=meeting, person=make_person())

    add(1)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("council:meeting_detail", args=[meeting.pk])).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("council:meeting_detail", args=[meeting.pk])).status_code == 200


def test_calendar_feed_token_and_revocation(client, member, future_meeting, member_person):
    feed = services.calendar_feed_renew(user=member)
    url = reverse("council:calendar_feed", args=[feed.token])
    response = client.get(url)
    assert response.status_code == 200
    assert future_meeting.title.encode() in response.content
    services.calendar_feed_revoke(user=member)
    assert client.get(url).status_code == 403


def test_erased_person_stays_counted(client, member, council):
    person = make_person(gender="woman")
    seat(council, person=person)
    directory_services.person_erase(person=person)
    client.force_login(member)
    response = client.get(reverse("council:home"), {"on": "2014-06-01"})
    composition = response.context["composition"]
    assert composition.representatives.gender.counts["woman"] == 1


def test_home_shows_next_meetings_linked_only_for_members(client, member, future_meeting):
    anonymous = client.get("/").content.decode()
    assert future_meeting.title in anonymous
    assert future_meeting.get_absolute_url() not in anonymous
    client.force_login(member)
    assert future_meeting.get_absolute_url() in client.get("/").content.decode()


def test_overview_composition_is_shared_and_follows_writes(
    client, member, council, member_person, settings
):
    """The composition and the ending terms are the same for every member on a day: kept as a
    shared fragment (issue 17), the HTML is what a fresh render gives, a new seat is on the
    next render for everyone, and another day is another copy."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_user

    assert settings.PORTAL_FRAGMENT_CACHE_SECONDS > 0
    seat(
        council,
        person=make_person("Lena Berg", gender="woman"),
        start=date(2020, 1, 1),
        end=timezone.localdate() + timedelta(days=30),
    )
    other = Client()
    other.force_login(make_user("council_member"))
    client.force_login(member)
    url = reverse("council:home")

    def composition(response):
        html = response.content.decode()
        start = html.index('id="composition-heading"')
        return html[html.index("</form>", start) :]

    cache.clear()
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    fresh = composition(client.get(url))
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    assert composition(client.get(url)) == fresh  # rendered and stored
    with CaptureQueriesContext(connection) as queries:
        assert composition(other.get(url)) == fresh  # from the shared copy
    assert not [q for q in queries.captured_queries if '"council_membership"' in q["sql"]]
    assert "Lena Berg" in fresh and "2 ledamöter." in fresh
    seat(council, person=make_person("Omar Haddad", gender="man"))
    after = composition(other.get(url))
    assert "3 ledamöter." in after and after != fresh
    earlier = composition(client.get(url, {"on": "2014-06-01"}))
    assert "2 ledamöter." in earlier and "Lena Berg" not in earlier  # Lena sits from 2020


# The speaking-time page's buttons as the template loop wrote them before {% speaker_buttons %}.
SPEAKER_LOOP = """{% load i18n council_tags %}<ul class="speakers">
    {% for speaker in speakers %}
    <li>
      <form method="post" action="{{ start_url }}" data-hx-post="{{ start_url }}">
        {% csrf_token %}
        <input type="hidden" name="person" value="{{ speaker.person.pk }}">
        <button type="submit" id="speaker-{{ speaker.person.pk }}" class="speaker{% if speaker.is_current %} speaker--current{% endif %}" aria-pressed="{% if speaker.is_current %}true{% else %}false{% endif %}">
          <span class="speaker__name">{{ speaker.person }}</span>
          <span class="speaker__org">{{ speaker.attendance.organisation|default:"" }}</span>
          <span class="speaker__time">{{ speaker.seconds|clock }} · {% blocktranslate count n=speaker.turns %}{{ n }} turn{% plural %}{{ n }} turns{% endblocktranslate %}</span>
        </button>
      </form>
    </li>
    {% empty %}
    <li class="empty">{% translate "Nobody is invited to this meeting." %}</li>
    {% endfor %}
  </ul>"""  # noqa: E501
SPEAKER_TAG = """{% load council_tags %}<ul class="speakers">
    {% speaker_buttons speakers start_url %}
  </ul>"""


@pytest.mark.parametrize("language", ["sv", "en"])
def test_speaker_buttons_are_the_template_loops_markup(
    rf, council, future_meeting, member_person, language
):
    """{% speaker_buttons %} (issue 17) writes what the loop wrote: names and organisations
    escaped, the current speaker pressed, one and several turns, nobody invited."""
    from django.template import engines
    from django.utils import translation

    from council import selectors

    odd = make_person('Åsa "Ö" <Lind> & Co', gender="woman")
    seat(council, person=odd, org=None)
    for person in (odd, make_person("Utan organisation", gender="man")):
        services.attendance_invite(meeting=future_meeting, person=person, organisation=None)
    services.attendance_invite(
        meeting=future_meeting, person=member_person, organisation=make_org('Förening "A&B"')
    )
    start = timezone.now() - timedelta(minutes=3)
    for number, person in enumerate((odd, member_person, odd)):
        services.speaking_turn_start(
            meeting=future_meeting, person=person, now=start + timedelta(seconds=40 * number)
        )
    state = selectors.speaking_state(future_meeting)
    assert len(state["speakers"]) == 3 and state["current"] is not None
    engine = engines["django"]
    request = rf.get("/")
    rendered = []
    with translation.override(language):
        for speakers in (state["speakers"], []):
            context = {
                "speakers": speakers,
                "start_url": '/council/meetings/1/speaking/start/?a=1&b="2"',
                "csrf_token": "token-1234",
            }
            old = engine.from_string(SPEAKER_LOOP).render(context, request)
            new = engine.from_string(SPEAKER_TAG).render(context, request)
            assert new == old
            rendered.append(new)
    full, empty = rendered
    assert full.count("<li>") == 3 and "speaker--current" in full and "&lt;Lind&gt;" in full
    assert "token-1234" in full and 'class="empty"' in empty


@pytest.mark.parametrize("language", ["sv", "en"])
def test_council_subnav_is_written_as_the_template_wrote_it(rf, language):
    """{% council_subnav_links %} (issue 17) against base_council.html's links as they were
    written with {% url %} and {% translate %} (tests/council/markup_before/), on each page
    of the subnav (aria-current) and on one outside it."""
    from pathlib import Path

    from django.template import Context, Template
    from django.urls import resolve
    from django.utils import translation

    def nav(source: str) -> str:
        start = source.index('<nav class="subnav"')
        return source[start : source.index("</nav>", start) + len("</nav>")]

    before = Path(__file__).parent / "markup_before" / "base_council.html"
    old = Template("{% load i18n %}" + nav(before.read_text()))
    current = Path(__file__).parents[2] / "council/templates/council/base_council.html"
    new = Template("{% load i18n council_tags %}" + nav(current.read_text()))
    assert "council_subnav_links" in new.source
    pages = [
        reverse(f"council:{name}")
        for name in ("home", "member_list", "meeting_list", "action_list", "speaking_time")
    ]
    pages += [reverse("council:calendar"), reverse("council:meeting_detail", args=[1])]
    for path in pages:
        request = rf.get(path)
        request.resolver_match = resolve(path)
        with translation.override(language):
            html = new.render(Context({"request": request}))
            assert html == old.render(Context({"request": request})), path
        assert html.count('aria-current="page"') == (0 if "meetings/1" in path else 1)


def test_overview_coming_meetings_are_shared_and_follow_writes_and_the_clock(
    client, member, council, member_person, settings
):
    """The council and its coming meetings are the same for every member: kept under the
    content version (issue 17), read on neither a second view nor another member's, and still
    right after a write (a new meeting, a cancelled one) and when a meeting ends."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert settings.PORTAL_FRAGMENT_CACHE_SECONDS > 0
    cache.clear()
    now = timezone.now()
    make_meeting(council, starts=now - timedelta(hours=2), hours=3, title="Pågår nu")
    later = [
        make_meeting(council, starts=now + timedelta(days=day), title=f"Möte dag {day}")
        for day in range(1, 8)
    ]
    client.force_login(member)
    url = reverse("council:home")

    def coming(response) -> list[str]:
        return [meeting.title for meeting in response.context["upcoming"]]

    assert coming(client.get(url)) == ["Pågår nu"] + [m.title for m in later[:4]]
    with CaptureQueriesContext(connection) as queries:
        assert coming(client.get(url)) == ["Pågår nu"] + [m.title for m in later[:4]]
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"council_meeting"' not in read and '"council_council"' not in read

    services.meeting_cancel(meeting=later[0], notify=False)
    first = make_meeting(council, starts=now + timedelta(hours=12), title="Extra möte")
    assert coming(client.get(url)) == ["Pågår nu", "Extra möte"] + [m.title for m in later[1:4]]

    # An hour and a half on, the meeting that was going on has ended: off the list at once,
    # with no write in between (the kept list is cut by the clock).
    # (Signed in again at each moment: the inactivity logout follows the same clock.)
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(minutes=90)):
        client.force_login(member)
        assert coming(client.get(url)) == ["Extra möte"] + [m.title for m in later[1:5]]
    # Once more have ended than were kept, the list is read afresh rather than cut short.
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=5, hours=4)):
        client.force_login(member)
        assert coming(client.get(url)) == [m.title for m in later[5:]]
    assert first.pk
