"""The live list of speakers in two browsers at once (issue 12): a member on a phone asks to
speak and the chair's page shows it within two seconds; the chair gives the floor and the
member's phone shows the running clock; focus stays on the chair's controls; axe is clean."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from council import services
from council.models import SpeakingTurn
from tests.council.conftest import make_council, make_person, seat
from tests.e2e.conftest import expect_signed_in, serious_violations
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect_signed_in(page)


@pytest.fixture
def running_meeting():
    council = make_council("Samverkansrådet i Skåne")
    member_user = make_user("council_member", full_name="Maja Ekholm")
    maja = make_person("Maja Ekholm", gender="woman", user=member_user)
    seat(council, person=maja, start=date(2024, 1, 1))
    seat(
        council,
        person=make_person("Henrik Nord", gender="man"),
        sector="public",
        start=date(2024, 1, 1),
    )
    now = timezone.now().replace(microsecond=0)
    meeting = services.meeting_schedule(
        council=council,
        title="Rådsmöte i Malmö",
        starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(hours=2),
        place="Ängelholmsgatan 1 A, Malmö",
        notify=False,
    )
    item = services.agenda_item_propose(
        meeting=meeting, title="Medfinansiering i ESF-projekt", backfill=True
    )
    services.agenda_item_accept(agenda_item=item)
    services.meeting_live_item_set(meeting=meeting, agenda_item=item)
    services.meeting_speaker_rules_set(meeting=meeting, balanced=True, time_limit=120)
    meeting.refresh_from_db()
    return {"meeting": meeting, "member": member_user}


def test_member_asks_on_a_phone_and_the_chair_gives_the_floor(
    browser, live_server, running_meeting
):
    meeting = running_meeting["meeting"]
    url = f"{live_server.url}/council/meetings/{meeting.pk}/"
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    member, chair = phone.new_page(), desk.new_page()
    _log_in(member, live_server, running_meeting["member"].email)
    _log_in(chair, live_server, make_user("secretariat", full_name="Sami Haddad").email)
    member.goto(url)
    chair.goto(url)
    expect(chair.get_by_text("Ingen väntar på ordet.")).to_be_visible()
    assert serious_violations(member) == []

    member.get_by_role("button", name="Be om ordet").click()
    expect(member.get_by_role("button", name="Ta tillbaka min begäran om ordet")).to_be_visible()
    # The chair's page polls: the member appears within two seconds, without a reload.
    queue = chair.locator("#speakers-queue .live__name", has_text="Maja Ekholm")
    expect(queue).to_be_visible(timeout=2000)
    expect(chair.locator(".live__why")).to_contain_text("Har inte talat i den här punkten än.")

    give = chair.locator("#speakers-queue button[value=start]")
    expect(give).to_contain_text("Ge ordet")
    give.focus()
    chair.keyboard.press("Enter")
    expect(chair.get_by_text(re.compile("Har ordet: Maja Ekholm"))).to_be_visible()
    # Focus did not fall to the page body: it is on the turn's controls.
    expect(chair.locator("#live-pause")).to_be_focused()
    # The member's phone shows the running clock within two seconds, and it ticks.
    clock = member.locator("[data-clock] .clock__time")
    expect(clock).to_be_visible(timeout=2000)
    first = clock.text_content()
    member.wait_for_timeout(1300)
    assert clock.text_content() != first
    expect(member.locator("[data-clock]")).to_contain_text("av 2:00")
    assert serious_violations(member) == []
    assert serious_violations(chair) == []

    # Pause with the keyboard: the same control (now "Resume") keeps focus after the swap.
    chair.keyboard.press("Enter")
    expect(chair.get_by_role("button", name="Fortsätt")).to_be_focused()
    chair.get_by_role("button", name="Avsluta inlägget").click()
    expect(member.get_by_text("Ingen har ordet.")).to_be_visible(timeout=2000)
    turn = SpeakingTurn.objects.get(meeting=meeting)
    meeting.refresh_from_db()
    assert turn.ended_at is not None and turn.agenda_item_id == meeting.live_item_id
    phone.close()
    desk.close()


def test_clock_over_the_limit_is_red_and_says_so(browser, live_server, running_meeting):
    meeting = running_meeting["meeting"]
    services.meeting_speaker_rules_set(meeting=meeting, balanced=False, time_limit=10)
    maja = running_meeting["member"].person
    entry = services.speaker_request(agenda_item=meeting.live_item, person=maja)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    _log_in(page, live_server, running_meeting["member"].email)
    services.speaker_give_floor(entry=entry, now=timezone.now() - timedelta(seconds=5))
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/")
    over = page.locator(".clock__over")
    expect(over).to_be_hidden()
    # The clock ticks in the browser and passes the limit without a change on the server.
    expect(over).to_be_visible(timeout=10_000)
    expect(over).to_have_text("Över tiden")
    expect(page.locator("[data-clock]")).to_have_class(re.compile("clock--over"))
    assert serious_violations(page) == []
    context.close()
