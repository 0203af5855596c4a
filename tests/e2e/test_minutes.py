"""Issue 12 end to end in a browser: the record of a held meeting -> minutes -> approval by
two adjusters from their own accounts -> published, printed as PDF; emails in the outbox."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from council import services
from council.models import MinutesRecord
from tests.council.conftest import make_council, make_person, seat
from tests.e2e.conftest import serious_violations
from tests.e2e.test_council import _log_in, _log_out
from tests.factories import make_user
from tests.reports.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_meeting():
    from directory import services as directory_services
    from directory.models import Sector

    if not Sector.objects.exists():
        directory_services.taxonomy_sync()
    council = make_council("Samverkansrådet i Skåne")
    adjusters = []
    for name in ("Anna Justerare", "Bo Justerare"):
        user = make_user("council_member", full_name=name)
        person = make_person(name, user=user, email="")
        seat(council, person=person, start=date(2024, 1, 1))
        adjusters.append(user)
    starts = timezone.now().replace(microsecond=0) - timedelta(days=1)
    meeting = services.meeting_schedule(
        council=council,
        title="Rådsmöte i Malmö",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="Malmö",
        notify=False,
    )
    item = services.agenda_item_propose(meeting=meeting, title="Medfinansiering", backfill=True)
    services.agenda_item_accept(agenda_item=item)
    services.attendance_record(
        meeting=meeting, statuses={a.pk: "present" for a in meeting.attendances.all()}
    )
    return {"meeting": meeting, "item": item, "adjusters": adjusters}


def test_minutes_are_written_approved_by_two_adjusters_and_printed(page, live_server, held_meeting):
    meeting, item = held_meeting["meeting"], held_meeting["item"]
    anna, bo = held_meeting["adjusters"]
    meeting_url = f"{live_server.url}/council/meetings/{meeting.pk}/"
    minutes_url = f"{meeting_url}minutes/"
    mail.outbox.clear()

    secretary = make_user("secretariat", full_name="Sami Haddad")
    _log_in(page, live_server, secretary.email)
    page.goto(meeting_url)
    page.locator("details.item-menu > summary").first.click()  # the item's menu (issue 16)
    page.locator(f"#decision-{item.pk}").fill("att utreda medfinansieringen")
    page.locator(f"form[action$='/items/{item.pk}/decisions/'] button").click()
    expect(page.locator(".decisions li").first).to_contain_text("att utreda medfinansieringen")
    page.goto(f"{live_server.url}/council/items/{item.pk}/minutes/")
    page.locator("#id_text").fill("Rådet diskuterade medfinansieringen.")
    page.get_by_role("button", name="Spara protokollet").click()

    page.goto(minutes_url)
    page.get_by_label("Anna Justerare").check()
    page.get_by_label("Bo Justerare").check()
    page.locator("form[action$='/minutes/roles/'] button").click()
    expect(page.get_by_text("Protokollförare och justerare är sparade.")).to_be_visible()
    page.get_by_role("button", name="Skicka för justering").click()
    expect(page.get_by_text("Protokollet är skickat till justerarna.")).to_be_visible()
    assert serious_violations(page) == []
    _log_out(page)

    for adjuster in (anna, bo):
        _log_in(page, live_server, adjuster.email)
        page.goto(minutes_url)
        expect(page.get_by_text("§1")).to_be_visible()
        page.get_by_label("Jag justerar protokollet").check()
        page.get_by_role("button", name="Skicka mitt svar").click()
        expect(page.get_by_text("Tack: din justering är registrerad.")).to_be_visible()
        _log_out(page)

    assert MinutesRecord.objects.get(meeting=meeting).state == "approved"
    # Published: any member reads it and prints it.
    _log_in(page, live_server, anna.email)
    page.goto(minutes_url)
    expect(page.get_by_text(re.compile("Protokollet justerat den"))).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Protokollet som PDF").click()
    download_link = page.get_by_role("link", name=re.compile("Ladda ner"))
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download_link.click()
    text = " ".join(pdf_text(Path(info.value.path()).read_bytes()).split())
    assert "§1" in text and "att utreda medfinansieringen" in text
    assert "Anna Justerare" in text and "Bo Justerare" in text
    assert "Protokollet justerat" in text

    subjects = [m.subject for m in mail.outbox]
    assert sum("Protokoll att justera" in s for s in subjects) == 2
    assert sum("Protokollet är justerat" in s for s in subjects) == 1
    assert sum("Justerat protokoll" in s for s in subjects) == 2
