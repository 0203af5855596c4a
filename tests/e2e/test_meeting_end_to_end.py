"""Issue 12, "done when": one council meeting run end to end in browsers.

The secretariat builds and publishes the agenda; a member asks to speak from a phone and the
chair's page shows it within two seconds; the chair gives the floor and the phone shows the
running clock; minutes and a decision are written; the minutes go to two adjusters, who
approve them from their own accounts; a member prints the published minutes as PDF through
the report pipeline. Every step's emails are asserted in the outbox. Locators use roles and
labels, so the test survives a change of the meeting page's layout.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from council import services
from council.models import Decision, Meeting, MinutesRecord, SpeakingTurn
from tests.council.conftest import make_council, make_person, seat
from tests.e2e.conftest import expect_signed_in
from tests.factories import PASSWORD, make_user
from tests.reports.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "Medfinansiering i ESF-projekt"
MINUTES = "Rådet diskuterade medfinansieringen. Maja Ekholm inledde."
DECISION = "att utreda medfinansieringen tillsammans med Region Skåne"


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect_signed_in(page)


def _context(browser, *, phone=False):
    if phone:
        return browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="sv-SE"
        )
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")


def _subjects(outbox, needle):
    return sorted(m.to[0] for m in outbox if needle in m.subject)


@pytest.fixture
def council_people():
    from directory import services as directory_services
    from directory.models import Sector

    if not Sector.objects.exists():
        directory_services.taxonomy_sync()
    council = make_council("Samverkansrådet i Skåne")
    users = {}
    for key, name, gender, sector in (
        ("maja", "Maja Ekholm", "woman", "civil_society"),
        ("anna", "Anna Justerare", "woman", "public"),
        ("bo", "Bo Justerare", "man", "civil_society"),
    ):
        user = make_user("council_member", full_name=name)
        person = make_person(name, gender=gender, user=user, email="")
        seat(council, person=person, sector=sector, start=date(2024, 1, 1))
        users[key] = user
    seat(
        council,
        person=make_person("Henrik Nord", gender="man", email="henrik.nord@example.org"),
        sector="public",
        start=date(2024, 1, 1),
    )
    users["sami"] = make_user("secretariat", full_name="Sami Haddad")
    now = timezone.now().replace(microsecond=0)
    meeting = services.meeting_schedule(
        council=council,
        title="Rådsmöte i Malmö",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
        place="Ängelholmsgatan 1 A, Malmö",
        notify=False,
    )
    return {"meeting": meeting, "users": users}


def test_a_meeting_is_run_from_agenda_to_published_minutes(browser, live_server, council_people):
    meeting, users = council_people["meeting"], council_people["users"]
    meeting_url = f"{live_server.url}/council/meetings/{meeting.pk}/"
    minutes_url = f"{meeting_url}minutes/"
    mail.outbox.clear()

    # 1. The secretariat builds the agenda and publishes it: every invitee is emailed.
    desk = _context(browser)
    chair = desk.new_page()
    _log_in(chair, live_server, users["sami"].email)
    chair.goto(meeting_url)
    chair.get_by_role("link", name="Föreslå en punkt").click()
    chair.get_by_label("Rubrik").fill(ITEM)
    chair.get_by_role("button", name="Skicka förslaget").click()
    chair.goto(meeting_url)
    chair.get_by_role("button", name=re.compile(f"^Godkänn ?: {ITEM}$")).click()
    chair.get_by_role("button", name="Publicera dagordningen").click()
    expect(chair.get_by_text("Dagordningen är publicerad")).to_be_visible()
    _wait_for(lambda: len(_subjects(mail.outbox, "Dagordningen publicerad")) == 4)
    assert _subjects(mail.outbox, "Dagordningen publicerad") == sorted(
        [users[k].email for k in ("maja", "anna", "bo")] + ["henrik.nord@example.org"]
    )
    # One message per person: nobody sees another invitee's address.
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)

    # 2. The chair opens the item for speakers; a member asks to speak from a phone.
    speakers = chair.get_by_role("region", name="Talarlista")
    speakers.get_by_text("Led talarlistan").click()
    speakers.get_by_label("Punkt som behandlas nu").select_option(label=ITEM)
    speakers.get_by_role("button", name="Visa den här punkten").click()
    expect(speakers.get_by_text("Ingen väntar på ordet.")).to_be_visible()

    phone = _context(browser, phone=True)
    member = phone.new_page()
    _log_in(member, live_server, users["maja"].email)
    member.goto(meeting_url)
    member.get_by_role("button", name="Be om ordet").click()
    expect(member.get_by_role("button", name="Ta tillbaka min begäran om ordet")).to_be_visible()
    # The chair's page polls: Maja is on the list within two seconds, without a reload.
    waiting = speakers.get_by_role("list", name="Väntar på ordet")
    expect(waiting.get_by_text("Maja Ekholm", exact=True)).to_be_visible(timeout=2000)

    # 3. The chair gives the floor; the member's phone shows the running clock.
    speakers.get_by_role("button", name=re.compile("^Ge ordet ?: Maja Ekholm$")).click()
    expect(speakers.get_by_text(re.compile("Har ordet: Maja Ekholm"))).to_be_visible()
    clock = member.locator("[data-clock]")
    expect(clock).to_be_visible(timeout=2000)
    expect(clock).to_contain_text(re.compile(r"\d+:\d\d"))
    member.wait_for_timeout(1100)
    speakers.get_by_role("button", name="Avsluta inlägget").click()
    expect(member.get_by_text("Ingen har ordet.")).to_be_visible(timeout=2000)
    turn = SpeakingTurn.objects.get(meeting=meeting)
    assert turn.person.name == "Maja Ekholm" and turn.agenda_item.title == ITEM
    assert turn.ended_at is not None and turn.seconds >= 1

    # 4. Minutes per item and a decision, attendance recorded.
    chair.get_by_label(re.compile(f"^Registrera ett beslut ?: {ITEM}$")).fill(DECISION)
    chair.get_by_role("button", name="Registrera", exact=True).click()
    expect(chair.get_by_text(DECISION)).to_be_visible()
    chair.get_by_role("link", name=re.compile(f"^Skriv protokoll ?: {ITEM}$")).click()
    chair.get_by_label("Protokoll").fill(MINUTES)
    chair.get_by_role("button", name="Spara protokollet").click()
    expect(chair.get_by_text("Protokollet är sparat.")).to_be_visible()
    # The meeting is over (the clock moves on: the test does not wait two hours).
    Meeting.objects.filter(pk=meeting.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    chair.goto(meeting_url)
    for name in ("Maja Ekholm", "Anna Justerare", "Bo Justerare"):
        chair.get_by_label(f"Närvaro: {name}").select_option(label="Närvarande")
    chair.get_by_label("Närvaro: Henrik Nord").select_option(label="Anmält förhinder")
    chair.get_by_role("button", name="Spara närvaron").click()
    expect(chair.get_by_text(re.compile("3 av 4 kallade var närvarande"))).to_be_visible()

    # 5. The minute-taker names the adjusters and sends the minutes for approval.
    chair.goto(minutes_url)
    chair.get_by_label("Anna Justerare").check()
    chair.get_by_label("Bo Justerare").check()
    chair.get_by_role("button", name="Spara", exact=True).click()
    expect(chair.get_by_text("Protokollförare och justerare är sparade.")).to_be_visible()
    chair.get_by_role("button", name="Skicka för justering").click()
    expect(chair.get_by_text("Protokollet är skickat till justerarna.")).to_be_visible()
    _wait_for(lambda: len(_subjects(mail.outbox, "Protokoll att justera")) == 2)
    assert _subjects(mail.outbox, "Protokoll att justera") == sorted(
        [users["anna"].email, users["bo"].email]
    )
    desk.close()

    # 6. Each adjuster approves from their own account, in their own browser.
    for key in ("anna", "bo"):
        context = _context(browser)
        page = context.new_page()
        _log_in(page, live_server, users[key].email)
        page.goto(minutes_url)
        expect(page.get_by_text(f"§1 Rådet beslutade {DECISION}")).to_be_visible()
        page.get_by_label("Jag justerar protokollet").check()
        page.get_by_role("button", name="Skicka mitt svar").click()
        expect(page.get_by_text("Tack: din justering är registrerad.")).to_be_visible()
        context.close()
    record = MinutesRecord.objects.get(meeting=meeting)
    assert record.state == MinutesRecord.State.APPROVED
    _wait_for(lambda: len(_subjects(mail.outbox, "Protokollet är justerat")) == 1)
    assert _subjects(mail.outbox, "Protokollet är justerat") == [users["sami"].email]
    _wait_for(lambda: len(_subjects(mail.outbox, "Justerat protokoll")) == 4)

    # 7. Published: the member reads the minutes and prints them through the report pipeline.
    member.goto(minutes_url)
    expect(member.get_by_text(re.compile("Protokollet justerat den"))).to_be_visible()
    member.get_by_role("button", name="Protokollet som PDF").click()
    download = member.get_by_role("link", name=re.compile("Ladda ner"))
    expect(download).to_be_visible(timeout=60_000)
    with member.expect_download() as info:
        download.click()
    text = " ".join(pdf_text(Path(info.value.path()).read_bytes()).split())
    number = Decision.objects.get(meeting=meeting).number
    assert number == 1
    assert f"§1 Rådet beslutade {DECISION}" in text
    assert "Närvarande: Anna Justerare" in text and "Maja Ekholm" in text
    assert "Frånvarande: Henrik Nord (anmält förhinder)" in text
    approval = r"Protokollet justerat den \d+ \w+ \d{4} av Anna Justerare och Bo Justerare"
    assert re.search(approval, text)
    assert MINUTES in text
    phone.close()


def _wait_for(condition, *, seconds=10.0):
    """Emails go out after the commit, in the server's thread: wait for them a moment."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the outbox")
        time.sleep(0.1)
