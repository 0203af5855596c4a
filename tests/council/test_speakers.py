"""The live list of speakers (issue 12): asking from one's phone, the chair's controls, the
clock and its limit, the balanced order, the polled fragment, and who may do what."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from council import selectors, services
from council.models import Attendance, Role, SpeakerListEntry, SpeakingTurn
from tests.council.conftest import local, make_meeting, make_person, seat
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_person(member, council):
    person = make_person("Maja Ekholm", user=member, email="")
    seat(council, person=person, start=date(2014, 1, 1))
    return person


@pytest.fixture
def today_meeting(council, member_person):
    """A meeting running now, with one accepted item chosen as the item now discussed."""
    meeting = make_meeting(council, starts=timezone.now() - timedelta(minutes=30), hours=2)
    item = services.agenda_item_propose(meeting=meeting, title="Medfinansiering", backfill=True)
    services.agenda_item_accept(agenda_item=item)
    services.meeting_live_item_set(meeting=meeting, agenda_item=item)
    meeting.refresh_from_db()
    return meeting


def _fragment(client, meeting):
    return client.get(reverse("council:speakers_live", args=[meeting.pk])).content.decode()


def _post(client, name, pk, data=None):
    return client.post(reverse(name, args=[pk]), data or {}, HTTP_HX_REQUEST="true")


def _place(client, entry, action):
    url = reverse("council:speakers_place", args=[entry.agenda_item.meeting_id])
    return client.post(url, {"entry": entry.pk, "action": action}, HTTP_HX_REQUEST="true")


def test_member_asks_to_speak_and_everyone_sees_it(client, member, today_meeting, member_person):
    client.force_login(member)
    page = client.get(reverse("council:meeting_detail", args=[today_meeting.pk])).content.decode()
    assert "Be om ordet" in page
    response = _post(client, "council:speakers_ask", today_meeting.pk)
    assert response.status_code == 200
    entry = SpeakerListEntry.objects.get()
    assert entry.person == member_person and entry.state == "waiting"
    html = response.content.decode()
    assert "Maja Ekholm" in html and "Ta tillbaka min begäran" in html
    # Asking twice is refused with a message, not a second place.
    again = _post(client, "council:speakers_ask", today_meeting.pk).content.decode()
    assert "redan på listan" in again
    assert SpeakerListEntry.objects.count() == 1
    # The secretariat's page shows the member in the queue.
    client.force_login(make_user("secretariat"))
    assert "Maja Ekholm" in _fragment(client, today_meeting)


def test_member_cannot_ask_on_another_day(client, member, council, member_person):
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=3))
    item = services.agenda_item_propose(meeting=meeting, title="Punkt")
    services.agenda_item_accept(agenda_item=item)
    services.meeting_live_item_set(meeting=meeting, agenda_item=item)
    client.force_login(member)
    html = _post(client, "council:speakers_ask", meeting.pk).content.decode()
    assert "medan mötet pågår" in html
    assert not SpeakerListEntry.objects.exists()


def test_member_withdraws_only_their_own_place(client, member, today_meeting, member_person):
    other = make_person("Henrik Nord", gender="man")
    services.attendance_invite(meeting=today_meeting, person=other)
    theirs = services.speaker_request(agenda_item=today_meeting.live_item, person=other)
    client.force_login(member)
    assert _place(client, theirs, "withdraw").status_code == 403
    mine = services.speaker_request(agenda_item=today_meeting.live_item, person=member_person)
    assert _place(client, mine, "withdraw").status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.state, theirs.state) == ("withdrawn", "waiting")


def test_member_cannot_manage_the_list(client, member, today_meeting, member_person):
    entry = services.speaker_request(agenda_item=today_meeting.live_item, person=member_person)
    client.force_login(member)
    pk = today_meeting.pk
    assert _place(client, entry, "start").status_code == 403
    assert _place(client, entry, "up").status_code == 403
    assert (
        _post(client, "council:speakers_add", pk, {"person": member_person.pk}).status_code == 403
    )
    assert _post(client, "council:speakers_turn", pk, {"action": "end"}).status_code == 403
    assert _post(client, "council:speakers_topic", pk, {"item": ""}).status_code == 403
    assert _post(client, "council:speakers_rules", pk, {"balanced": "on"}).status_code == 403
    limit = _post(client, "council:speakers_item_limit", pk, {"time_limit": "60"})
    assert limit.status_code == 403
    assert not SpeakingTurn.objects.exists()
    # The member's own page shows no chair controls.
    assert "Ge ordet" not in _fragment(client, today_meeting)


def test_anonymous_and_outsiders_are_kept_out(client, editor, today_meeting):
    url = reverse("council:speakers_live", args=[today_meeting.pk])
    assert client.get(url).status_code == 302
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert _post(client, "council:speakers_ask", today_meeting.pk).status_code == 403


def test_council_chair_manages_the_list_without_secretariat_rights(
    client, council, today_meeting, member_person
):
    chair_user = make_user("council_member")
    chair = make_person("Birgitta Holmqvist", user=chair_user)
    seat(council, person=chair, role=Role.CHAIR)
    services.attendance_invite(meeting=today_meeting, person=chair)
    entry = services.speaker_request(agenda_item=today_meeting.live_item, person=member_person)
    client.force_login(chair_user)
    html = _place(client, entry, "start").content.decode()
    assert "Har ordet: <strong>Maja Ekholm</strong>" in html
    turn = SpeakingTurn.objects.get()
    assert turn.agenda_item == today_meeting.live_item
    assert _post(client, "council:speakers_turn", today_meeting.pk, {"action": "end"}).status_code
    turn.refresh_from_db()
    entry.refresh_from_db()
    assert turn.ended_at is not None and entry.state == "done"


def test_chair_adds_reorders_removes_and_runs_turns(
    client, secretariat, today_meeting, member_person
):
    henrik = make_person("Henrik Nord", gender="man")
    services.attendance_invite(meeting=today_meeting, person=henrik)
    client.force_login(secretariat)
    pk = today_meeting.pk
    _post(client, "council:speakers_add", pk, {"person": member_person.pk})
    _post(client, "council:speakers_add", pk, {"person": henrik.pk})
    maja, hen = SpeakerListEntry.objects.order_by("position")
    html = _place(client, hen, "up").content.decode()
    assert html.index("Henrik Nord") < html.index("Maja Ekholm")
    # Someone not invited cannot be added: a clear message, no place.
    stranger = make_person("Okänd Gäst")
    bad = _post(client, "council:speakers_add", pk, {"person": stranger.pk}).content.decode()
    assert "närvarande" in bad
    _place(client, maja, "remove")
    maja.refresh_from_db()
    assert maja.state == "withdrawn"
    html = _place(client, hen, "start").content.decode()
    assert "Har ordet: <strong>Henrik Nord</strong>" in html
    html = _post(client, "council:speakers_turn", pk, {"action": "pause"}).content.decode()
    assert "(pausad)" in html and "data-paused" in html
    assert 'id="live-pause"' in html  # the same control, now "Resume", keeps focus
    _post(client, "council:speakers_turn", pk, {"action": "resume"})
    _post(client, "council:speakers_turn", pk, {"action": "end"})
    assert SpeakingTurn.objects.get().ended_at is not None
    assert "Ingen har ordet." in _fragment(client, today_meeting)


def test_pause_is_left_out_of_the_turn(today_meeting, member_person):
    start = timezone.now() - timedelta(minutes=5)
    entry = services.speaker_request(agenda_item=today_meeting.live_item, person=member_person)
    services.speaker_give_floor(entry=entry, now=start)
    services.speaking_turn_pause(meeting=today_meeting, now=start + timedelta(seconds=30))
    services.speaking_turn_resume(meeting=today_meeting, now=start + timedelta(seconds=90))
    turn = services.speaking_turn_stop(meeting=today_meeting, now=start + timedelta(seconds=100))
    assert turn.seconds == 40


def test_clock_turns_red_with_words_past_the_limit(
    client, secretariat, today_meeting, member_person
):
    services.meeting_speaker_rules_set(meeting=today_meeting, balanced=False, time_limit=60)
    entry = services.speaker_request(agenda_item=today_meeting.live_item, person=member_person)
    services.speaker_give_floor(entry=entry, now=timezone.now() - timedelta(seconds=30))
    client.force_login(secretariat)
    html = _fragment(client, today_meeting)
    assert 'data-limit="60"' in html and "clock--over" not in html
    assert re.search(r'class="clock__over" hidden>Över tiden<', html)
    # An item's own limit, set on the meeting page, wins over the meeting's.
    limit_url = reverse("council:speakers_item_limit", args=[today_meeting.pk])
    response = client.post(limit_url, {"time_limit": "5"}, follow=True)
    assert "större än eller lika med 10" in response.content.decode()
    client.post(limit_url, {"time_limit": "20"})
    html = _fragment(client, today_meeting)
    assert 'data-limit="20"' in html and 'class="clock clock--over"' in html
    assert re.search(r'class="clock__over">Över tiden<', html)


def test_fragment_answers_204_when_nothing_changed(client, member, today_meeting, member_person):
    client.force_login(member)
    url = reverse("council:speakers_live", args=[today_meeting.pk])
    html = client.get(url).content.decode()
    version = re.search(r"\?v=([^\"]+)", html).group(1)
    assert client.get(url, {"v": version}).status_code == 204
    services.speaker_request(agenda_item=today_meeting.live_item, person=member_person)
    changed = client.get(url, {"v": version})
    assert changed.status_code == 200 and "Maja Ekholm" in changed.content.decode()


def test_live_fragment_query_count_with_thirty_people(
    client, secretariat, council, today_meeting, django_assert_max_num_queries
):
    people = []
    for number in range(30):
        person = make_person(f"Talare {number:02d}", gender="woman" if number % 2 else "man")
        seat(council, person=person, sector="public" if number % 3 else "civil_society")
        services.attendance_invite(meeting=today_meeting, person=person)
        people.append(person)
    item = today_meeting.live_item
    for person in people[:5]:
        entry = services.speaker_request(agenda_item=item, person=person)
        services.speaker_give_floor(entry=entry)
    services.speaking_turn_stop(meeting=today_meeting)
    for person in people:
        services.speaker_request(agenda_item=item, person=person)
    services.meeting_speaker_rules_set(meeting=today_meeting, balanced=True, time_limit=120)
    services.speaker_give_floor(entry=SpeakerListEntry.objects.filter(state="waiting").first())
    client.force_login(secretariat)
    url = reverse("council:speakers_live", args=[today_meeting.pk])
    client.get(url)  # the session and permission caches are warm, as when polling
    with django_assert_max_num_queries(8) as queries:
        html = client.get(url).content.decode()
    print(f"live fragment, 30 waiting: {len(queries.captured_queries)} queries")
    assert html.count('id="live-start-') == 29
    # Polling when nothing changed is answered from the cache: session, user, and one
    # statement for the roles and permissions (accounts.permissions.load_access; was two).
    version = re.search(r"\?v=([^\"]+)", html).group(1)
    with django_assert_max_num_queries(3) as queries:
        assert client.get(url, {"v": version}).status_code == 204
    print(f"unchanged poll: {len(queries.captured_queries)} queries")
    # A member's phone polls with the same fixed number of queries.
    client.force_login(people[7].user or _linked(people[7]))
    client.get(url)
    with django_assert_max_num_queries(8) as queries:
        html = client.get(url).content.decode()
    print(f"live fragment for a member, 30 waiting: {len(queries.captured_queries)} queries")
    assert "live-start-" not in html and "Ta tillbaka min begäran" in html


def _linked(person):
    from directory.models import Person

    user = make_user("council_member")
    Person.objects.filter(pk=person.pk).update(user=user)
    return user


def test_balanced_order_says_why(council, today_meeting):
    """Men and the public sector have had all the time: a woman from civil society who has not
    spoken goes first, then a woman, then the man who has spoken before."""
    item = today_meeting.live_item
    man_public = make_person("Stefan Ljung", gender="man")
    seat(council, person=man_public, sector="public")
    woman_public = make_person("Sofia Rask", gender="woman")
    seat(council, person=woman_public, sector="public")
    woman_civil = make_person("Helena Sjöberg", gender="woman")
    seat(council, person=woman_civil, sector="civil_society")
    man_civil = make_person("Lars Åkesson", gender="man")
    seat(council, person=man_civil, sector="civil_society")
    for person in (man_public, woman_public, woman_civil, man_civil):
        services.attendance_invite(
            meeting=today_meeting,
            person=person,
            organisation=person.memberships.get().organisation,
        )
    start = timezone.now() - timedelta(minutes=10)
    entry = services.speaker_request(agenda_item=item, person=man_public)
    services.speaker_give_floor(entry=entry, now=start)
    services.speaking_turn_stop(meeting=today_meeting, now=start + timedelta(seconds=120))
    for person in (man_public, man_civil, woman_public, woman_civil):
        services.speaker_request(agenda_item=item, person=person)
    today_meeting.refresh_from_db()
    plain = selectors.live_queue(today_meeting)
    assert [p.entry.person.name for p in plain.places] == [
        "Stefan Ljung",
        "Lars Åkesson",
        "Sofia Rask",
        "Helena Sjöberg",
    ]
    services.meeting_speaker_rules_set(meeting=today_meeting, balanced=True, time_limit=None)
    today_meeting.refresh_from_db()
    places = selectors.live_queue(today_meeting).places
    assert [p.entry.person.name for p in places] == [
        "Helena Sjöberg",  # new, under-represented gender and sector
        "Lars Åkesson",  # new, under-represented sector
        "Sofia Rask",  # new, under-represented gender (asked after Lars)
        "Stefan Ljung",  # has spoken already
    ]
    assert "Har inte talat i den här punkten än." in places[0].reasons
    assert any("Kvinnor har haft 0 %" in r for r in places[0].reasons)
    assert sum("har haft 0 %" in r for r in places[0].reasons) == 2
    assert "Har redan talat i den här punkten." in places[-1].reasons


def test_deputy_speaks_for_the_member_and_counts_among_those_present(
    client, member, council, today_meeting, member_person
):
    deputy = make_person("Amir Begović", gender="man")
    seat(council, person=deputy, role=Role.DEPUTY)
    client.force_login(member)
    client.post(
        reverse("council:meeting_rsvp", args=[today_meeting.pk]),
        {"reply": "deputy", "deputy": deputy.pk},
    )
    attendance = Attendance.objects.get(meeting=today_meeting, person=member_person)
    assert (attendance.reply, attendance.deputy) == ("deputy", deputy)
    entry = services.speaker_request(agenda_item=today_meeting.live_item, person=deputy)
    assert entry.organisation == attendance.organisation
    services.attendance_record(meeting=today_meeting, statuses={attendance.pk: "present"})
    stats = selectors.speaking_time([today_meeting])
    assert stats.present_gender.counts["man"] == 1
    assert stats.present_gender.counts["woman"] == 0


def test_speaking_totals_add_up_to_the_turns_shown(client, secretariat, council, member_person):
    """Two turns of 5.6 s and 3.6 s show as 6 s and 4 s: the total is 10 s, not "0 min 09 s"."""
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=2))
    other = make_person("Henrik Nord", gender="man")
    services.attendance_invite(meeting=meeting, person=other)
    start = meeting.starts_at + timedelta(minutes=10, milliseconds=400)
    services.speaking_turn_start(meeting=meeting, person=member_person, now=start)
    services.speaking_turn_start(
        meeting=meeting, person=other, now=start + timedelta(milliseconds=5600)
    )
    services.speaking_turn_stop(meeting=meeting, now=start + timedelta(milliseconds=9200))
    client.force_login(secretariat)
    panel = client.get(reverse("council:speaking", args=[meeting.pk])).content.decode()
    assert "0:06 ·" in panel and "0:04 ·" in panel
    page = client.get(
        reverse("council:meeting_section", args=[meeting.pk, "running"])
    ).content.decode()
    assert "2 inlägg, totalt 0 min 10 s." in page
    assert "0 min 09 s" not in page
    assert selectors.speaking_time([meeting]).seconds == 10


def test_speaking_page_keeps_keyboard_focus_on_the_speaker_tapped(
    client, secretariat, council, member_person
):
    """After a turn is started (htmx swaps the panel) the tapped button and "End the current
    turn" keep their ids, so htmx puts focus back on them (issue 12: it fell to the body)."""
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=2))
    client.force_login(secretariat)
    html = client.post(
        reverse("council:speaking_start", args=[meeting.pk]),
        {"person": member_person.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert re.search(rf'id="speaker-{member_person.pk}"[^>]*aria-pressed="true"', html)
    html = client.post(
        reverse("council:speaking_stop", args=[meeting.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    # The stop button stays focusable (aria-disabled, not disabled) so focus is not dropped.
    assert re.search(r'id="speaking-stop"[^>]*aria-disabled="true"', html)
    assert " disabled>" not in html


def test_turns_belong_to_items_and_statistics_compare_with_seats_and_present(
    client, secretariat, council, today_meeting, member_person
):
    man = make_person("Henrik Nord", gender="man")
    seat(council, person=man, sector="public")
    services.attendance_invite(
        meeting=today_meeting, person=man, organisation=man.memberships.get().organisation
    )
    # A third seat holder is not at the meeting: seats and present differ.
    seat(council, gender="woman", sector="civil_society")
    item = today_meeting.live_item
    start = timezone.now() - timedelta(minutes=20)
    entry = services.speaker_request(agenda_item=item, person=man)
    services.speaker_give_floor(entry=entry, now=start)
    entry = services.speaker_request(agenda_item=item, person=member_person)
    services.speaker_give_floor(entry=entry, now=start + timedelta(seconds=90))
    services.speaking_turn_stop(meeting=today_meeting, now=start + timedelta(seconds=120))
    assert set(SpeakingTurn.objects.values_list("agenda_item", flat=True)) == {item.pk}
    stats = selectors.speaking_time([today_meeting], agenda_item=item)
    assert stats.seconds == 120
    assert round(stats.by_gender.shares["man"] * 100) == 75
    assert stats.present_gender.counts["woman"] == 1 and stats.present_gender.counts["man"] == 1
    assert stats.council_gender.counts["woman"] == 2 and stats.council_gender.counts["man"] == 1
    client.force_login(secretariat)
    page = client.get(reverse("council:meeting_detail", args=[today_meeting.pk])).content.decode()
    assert "Talartid per punkt" in page and "Andel av rådets platser" in page
    table = page[page.index("Andel av talartiden per kön") :]
    row = re.search(r"<th scope=\"row\">Män</th>(.*?)</tr>", table, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["1 min 30 s", "75 %", "50 %", "33 %"]
    year = client.get(reverse("council:speaking_time"), {"year": timezone.localdate().year})
    assert "Andel av de närvarande" in year.content.decode()


def test_attendance_is_prefilled_from_replies(client, secretariat, member, council, member_person):
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=2))
    other = make_person("Henrik Nord", gender="man")
    seat(council, person=other)
    services.attendance_invite(meeting=meeting, person=other)
    services.attendance_reply(meeting=meeting, person=member_person, reply="yes")
    services.attendance_reply(meeting=meeting, person=other, reply="no")
    client.force_login(secretariat)
    page = client.get(
        reverse("council:meeting_section", args=[meeting.pk, "running"])
    ).content.decode()
    mine = Attendance.objects.get(meeting=meeting, person=member_person)
    theirs = Attendance.objects.get(meeting=meeting, person=other)
    assert re.search(rf'name="a{mine.pk}"[^>]*>.*?<option value="present" selected', page, re.S)
    assert re.search(rf'name="a{theirs.pk}"[^>]*>.*?<option value="excused" selected', page, re.S)


def test_deputy_must_be_a_deputy_of_the_council(client, member, council, member_person):
    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=2))
    seat(council, person=make_person("Amir Begović", gender="man"), role=Role.DEPUTY)
    stranger = make_person("Okänd Person")
    client.force_login(member)
    response = client.post(
        reverse("council:meeting_rsvp", args=[meeting.pk]),
        {"reply": "deputy", "deputy": stranger.pk},
        follow=True,
    )
    assert "Välj ett giltigt alternativ" in response.content.decode()
    response = client.post(
        reverse("council:meeting_rsvp", args=[meeting.pk]), {"reply": "deputy"}, follow=True
    )
    assert "Välj den ersättare som kommer i ditt ställe." in response.content.decode()
    assert Attendance.objects.get(meeting=meeting, person=member_person).reply == "none"


def test_meeting_materials_and_papers_deadline(client, secretariat, member, council, member_person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = make_meeting(council, starts=timezone.now() + timedelta(days=5))
    client.force_login(secretariat)
    client.post(
        reverse("council:papers_deadline", args=[meeting.pk]),
        {"day": (timezone.localdate() + timedelta(days=2)).isoformat(), "time": "12:00"},
    )
    meeting.refresh_from_db()
    assert meeting.papers_deadline is not None
    client.force_login(member)
    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    client.post(reverse("council:material_add", args=[meeting.pk]), {"document": pdf})
    page = client.get(reverse("council:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Sista dag för handlingar:" in page and "budget.pdf" in page
    # A member cannot set the deadline, nor add papers once it has passed.
    deadline = reverse("council:papers_deadline", args=[meeting.pk])
    assert client.post(deadline, {"day": ""}).status_code == 403
    services.meeting_papers_deadline_set(
        meeting=meeting, deadline=timezone.now() - timedelta(hours=1)
    )
    late = SimpleUploadedFile("sent.pdf", b"%PDF-1.4 late", content_type="application/pdf")
    response = client.post(reverse("council:material_add", args=[meeting.pk]), {"document": late})
    assert response.status_code == 403
    assert list(meeting.materials.values_list("name", flat=True)) == ["budget.pdf"]
    # A deadline after the meeting starts is refused with a message.
    client.force_login(secretariat)
    after = (timezone.localdate() + timedelta(days=9)).isoformat()
    response = client.post(deadline, {"day": after}, follow=True)
    assert "Sista dag för handlingar måste ligga före mötet." in response.content.decode()


def test_year_compares_speaking_time_with_seat_days_not_the_last_meeting_day(
    client, member, council
):
    """Anna sits all year; Bo (public sector) until 30 November; Cecilia takes his place on 1
    December. On the last meeting's day only women from civil society sit, but over the year
    the seats were shared in seat-days: women 396 of 699, civil society 396 of 699."""
    anna = make_person("Anna Året", gender="woman")
    bo = make_person("Bo Halvår", gender="man")
    cecilia = make_person("Cecilia Ny", gender="woman")
    seat(council, person=anna, start=date(2025, 1, 1))
    seat(council, person=bo, sector="public", start=date(2025, 1, 1), end=date(2025, 11, 30))
    seat(council, person=cecilia, start=date(2025, 12, 1))
    march = make_meeting(council, starts=local(2025, 3, 12, 13, 0))
    december = make_meeting(council, starts=local(2025, 12, 10, 13, 0))
    for meeting, people in ((march, (anna, bo)), (december, (anna, cecilia))):
        start = meeting.starts_at + timedelta(minutes=5)
        for number, person in enumerate(people):
            services.speaking_turn_start(
                meeting=meeting, person=person, now=start + timedelta(minutes=2 * number)
            )
        services.speaking_turn_stop(meeting=meeting, now=start + timedelta(minutes=4))
    stats = selectors.speaking_time(
        [march, december], period=selectors.year_so_far(2025), council=council
    )
    # 365 + 31 woman seat-days against 334 man seat-days (Bo until 30 November).
    assert (stats.council_gender.counts["woman"], stats.council_gender.counts["man"]) == (396, 334)
    sectors = stats.council_sector.counts
    assert (sectors["civil_society"], sectors["public"]) == (396, 334)
    client.force_login(member)
    page = client.get(reverse("council:speaking_time"), {"year": 2025}).content.decode()
    gender_table = page.split("Andel av talartiden per kön")[1].split("</table>")[0]
    women = gender_table.split("Kvinnor")[1].split("</tr>")[0]
    men = gender_table.split("Män")[1].split("</tr>")[0]
    # Shares of speaking time (75 %, 25 %), of those present, of seat-days (54 %, 46 %).
    assert re.findall(r"(\d+) %", women) == ["75", "67", "54"]
    assert re.findall(r"(\d+) %", men) == ["25", "33", "46"]
    assert "räknas rådets platser i platsdagar" in page


def test_who_said_they_would_not_come_is_not_counted_among_those_present(client, member, council):
    """Attendance not recorded yet counts the replies: someone who answered "not coming" is
    not among those present (it counted them, so the share of those present was wrong)."""
    anna = make_person("Anna Kommer", gender="woman")
    bo = make_person("Bo Kommer", gender="man")
    cecilia = make_person("Cecilia Kommer Inte", gender="woman")
    for person in (anna, bo, cecilia):
        seat(council, person=person, start=date(2025, 1, 1))
    meeting = make_meeting(council, starts=local(2025, 3, 12, 13, 0))
    services.attendance_reply(meeting=meeting, person=cecilia, reply="no")
    start = meeting.starts_at + timedelta(minutes=5)
    services.speaking_turn_start(meeting=meeting, person=anna, now=start)
    services.speaking_turn_start(meeting=meeting, person=bo, now=start + timedelta(minutes=1))
    services.speaking_turn_stop(meeting=meeting, now=start + timedelta(minutes=2))
    client.force_login(member)
    page = client.get(reverse("council:speaking_time"), {"year": 2025}).content.decode()
    gender_table = page.split("Andel av talartiden per kön")[1].split("</table>")[0]
    women = gender_table.split("Kvinnor")[1].split("</tr>")[0]
    # Speaking time 50 %, those present 50 % (Anna and Bo), seats 67 % (Cecilia has one).
    assert re.findall(r"(\d+) %", women) == ["50", "50", "67"]


def test_live_rows_match_the_models(council, today_meeting, member_person):
    """The live list reads its rows with hand-written SQL into light objects (issue 17): each
    place, its person, organisation and sector, and each turn's clock are what the models
    say, also for a person without an organisation, an erased person and a paused turn."""
    item = today_meeting.live_item
    spoke = make_person("Stefan Ljung", gender="man")
    seat(council, person=spoke, sector="public")
    erased = make_person("Till radering", gender="non_binary")
    seat(council, person=erased)
    loose = make_person("Utan organisation", gender="man")
    for invited in (spoke, erased):
        services.attendance_invite(
            meeting=today_meeting,
            person=invited,
            organisation=invited.memberships.get().organisation,
        )
    start = timezone.now() - timedelta(minutes=5)
    services.speaker_give_floor(
        entry=services.speaker_request(agenda_item=item, person=spoke), now=start
    )
    services.speaking_turn_stop(meeting=today_meeting, now=start + timedelta(seconds=75))
    for person in (spoke, erased, member_person):
        services.speaker_request(agenda_item=item, person=person)
    SpeakerListEntry.objects.create(agenda_item=item, person=loose, position=99)
    erased.name = ""
    erased.save(update_fields=["name"])
    services.speaker_give_floor(entry=SpeakerListEntry.objects.get(person=member_person))
    services.speaking_turn_pause(meeting=today_meeting)
    services.speaker_request(agenda_item=item, person=member_person)
    services.meeting_speaker_rules_set(meeting=today_meeting, balanced=True, time_limit=None)
    today_meeting.refresh_from_db()

    queue = selectors.live_queue(today_meeting)

    def person(p):
        return (p.pk, str(p), p.gender)

    def organisation(o):
        return None if o is None else (o.pk, str(o))

    models = {
        e.pk: e for e in SpeakerListEntry.objects.select_related("person", "organisation__sector")
    }
    assert len(queue.places) == 4
    assert any(p.entry.organisation is None for p in queue.places)
    assert any(str(p.entry.person) == "Raderad person" for p in queue.places)
    for place in queue.places:
        model = models[place.entry.pk]
        assert person(place.entry.person) == person(model.person)
        assert place.entry.person_id == model.person_id
        assert organisation(place.entry.organisation) == organisation(model.organisation)
        sector = place.entry.organisation and place.entry.organisation.sector_code
        assert sector == (model.organisation and model.organisation.sector.code)
        assert (place.entry.state, place.entry.position) == (model.state, model.position)
    assert (
        queue.done == SpeakerListEntry.objects.filter(agenda_item=item, state="done").count() == 1
    )
    turn = SpeakingTurn.objects.select_related("person", "organisation").get(ended_at=None)
    current = queue.current
    assert (current.pk, current.person_id, person(current.person)) == (
        turn.pk,
        turn.person_id,
        person(turn.person),
    )
    assert organisation(current.organisation) == organisation(turn.organisation)
    assert current.is_paused and turn.is_paused
    assert current.seconds == turn.seconds
    assert queue.spoken == {spoke.pk: 75}


def test_live_meeting_read_matches_the_orm(today_meeting):
    """meeting_for_live builds the meeting and its item from one hand-written row: every
    field is what the ORM reads, which holds while no field of either model converts its
    database value (a JSON or custom field would need the ORM's converters)."""
    from django.db import connection

    from council.models import AgendaItem, Meeting

    for model in (Meeting, AgendaItem):
        for model_field in model._meta.concrete_fields:
            assert not model_field.get_db_converters(connection), model_field
    live = selectors.meeting_for_live(today_meeting.pk)
    orm = Meeting.objects.select_related("live_item").get(pk=today_meeting.pk)
    for model_field in Meeting._meta.concrete_fields:
        name = model_field.attname
        assert getattr(live, name) == getattr(orm, name), name
    for model_field in AgendaItem._meta.concrete_fields:
        name = model_field.attname
        assert getattr(live.live_item, name) == getattr(orm.live_item, name), name
    assert not live._state.adding and live.live_item.pk == orm.live_item_id
    services.meeting_live_item_set(meeting=today_meeting, agenda_item=None)
    assert selectors.meeting_for_live(today_meeting.pk).live_item is None
    with pytest.raises(Meeting.DoesNotExist):
        selectors.meeting_for_live(today_meeting.pk + 1000)
