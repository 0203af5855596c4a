"""The council in a real browser: a member proposes, the secretariat publishes and logs
speaking turns, and the council-year report is produced and downloaded; axe checks pages."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from council import services
from council.models import SpeakingTurn
from tests.council.conftest import make_council, make_person, seat
from tests.e2e.conftest import serious_violations
from tests.factories import PASSWORD, make_user
from tests.reports.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def _log_out(page):
    page.get_by_role("button", name="Logga ut").click()


@pytest.fixture
def council_setup():
    from directory import services as directory_services
    from directory.models import Sector

    if not Sector.objects.exists():
        directory_services.taxonomy_sync()
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
    starts = timezone.now().replace(microsecond=0) + timedelta(days=10)
    meeting = services.meeting_schedule(
        council=council,
        title="Rådsmöte i Malmö",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="Ängelholmsgatan 1 A, Malmö",
        notify=False,
    )
    return {"council": council, "member": member_user, "meeting": meeting}


def test_member_proposes_secretariat_publishes_logs_speaking_and_gets_report(
    page, live_server, council_setup
):
    meeting = council_setup["meeting"]
    meeting_url = f"{live_server.url}/council/meetings/{meeting.pk}/"

    _log_in(page, live_server, council_setup["member"].email)
    page.goto(meeting_url)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Föreslå en punkt").click()
    page.get_by_label("Rubrik").fill("Medfinansiering i ESF-projekt")
    page.get_by_label("Kort beskrivning").fill("Hinder som föreningarna möter.")
    page.get_by_role("button", name="Skicka förslaget").click()
    expect(page.get_by_text("Tack. Sekretariatet tar ställning till ditt förslag.")).to_be_visible()
    _log_out(page)

    secretary = make_user("secretariat", full_name="Sami Haddad")
    _log_in(page, live_server, secretary.email)
    page.goto(meeting_url)
    # The item's controls are in its menu (issue 16).
    page.locator("details.item-menu > summary").first.click()
    page.get_by_role("button", name=re.compile("^(Godkänn|Godta)")).click()
    page.get_by_role("button", name="Publicera dagordningen").click()
    expect(page.get_by_text("Dagordningen är publicerad")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Talartid").last.click()
    expect(page.get_by_text("Ingen talar.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name=re.compile("Maja Ekholm")).click()
    expect(page.get_by_role("button", name=re.compile("Maja Ekholm"))).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name=re.compile("Henrik Nord")).click()
    expect(page.get_by_role("button", name=re.compile("Henrik Nord"))).to_have_attribute(
        "aria-pressed", "true"
    )
    page.reload()
    expect(page.get_by_text(re.compile("Talar nu: Henrik Nord"))).to_be_visible()
    page.get_by_role("button", name="Avsluta pågående inlägg").click()
    expect(page.get_by_text("Ingen talar.")).to_be_visible()
    assert SpeakingTurn.objects.filter(meeting=meeting).count() == 2
    assert not SpeakingTurn.objects.filter(ended_at=None).exists()

    page.goto(f"{live_server.url}/council/")
    assert serious_violations(page) == []
    page.get_by_label("År", exact=True).select_option(str(meeting.starts_at.year))
    page.get_by_role("button", name="Ta fram rapporten (PDF)").click()
    download_link = page.get_by_role("link", name=re.compile("Ladda ner"))
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download_link.click()
    text = " ".join(pdf_text(Path(info.value.path()).read_bytes()).split())
    assert "Samverkansrådet i Skåne" in text
    assert "Rådsmöte i Malmö" in text
    assert "Medfinansiering i ESF-projekt" not in text or "Rådsmöte" in text


@pytest.mark.parametrize(
    "path",
    [
        "/council/",
        "/council/members/",
        "/council/meetings/",
        "/council/actions/",
        "/council/speaking-time/",
        "/council/calendar/",
    ],
)
def test_council_pages_have_no_serious_accessibility_violations(
    page, live_server, path, council_setup
):
    _log_in(page, live_server, council_setup["member"].email)
    page.goto(f"{live_server.url}{path}")
    assert serious_violations(page) == []
