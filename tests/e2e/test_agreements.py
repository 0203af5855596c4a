import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from agreements import services
from agreements.models import ChecklistItem
from tests.agreements.conftest import make_agreement
from tests.e2e.conftest import serious_violations
from tests.factories import PASSWORD, make_user
from tests.reports.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRINCIPLES_SV = [
    "Självständighet och oberoende",
    "Dialog",
    "Kvalitet",
    "Långsiktighet",
    "Öppenhet och insyn",
    "Mångfald",
]


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def _rate(page, live_server, agreement, side, scores):
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/assessments/new/")
    page.get_by_label(re.compile("^Omgångens datum")).fill("2026-03-02")
    page.get_by_label(re.compile("^Vilken sida skattar")).select_option(label=side)
    for name, score in zip(PRINCIPLES_SV, scores, strict=False):
        page.get_by_label(re.compile("^" + re.escape(name) + r"\b")).select_option(str(score))
    page.get_by_role("button", name="Registrera skattningarna").click()
    expect(page.get_by_text("Skattningarna har registrerats.")).to_be_visible()


def test_process_leader_runs_an_agreement_and_downloads_follow_up(page, live_server):
    services.content_sync()
    leader = make_user("process_leader", full_name="Ingrid Sjöholm")
    agreement = make_agreement(leaders=[leader], title="Överenskommelse i Höör")
    _log_in(page, live_server, leader.email)

    page.goto(f"{live_server.url}/agreements/{agreement.pk}/manage/")
    assert serious_violations(page) == []
    page.get_by_label("Varför (sparas i historiken)").fill("Parterna är identifierade.")
    page.get_by_role("button", name="Gå vidare till Insamling och dialog").click()
    expect(
        page.get_by_text("Överenskommelsen är nu i fasen ”Insamling och dialog”.")
    ).to_be_visible()
    expect(page.get_by_text("frågor i den förra fasen var inte besvarade")).to_be_visible()

    page.get_by_role("link", name="Checklista").first.click()
    assert serious_violations(page) == []
    for item in ChecklistItem.objects.filter(phase="gathering").order_by("position")[:2]:
        form = page.locator(f"#q{item.pk}")
        form.get_by_label("Besvarad").check()
        form.get_by_label("Information").fill("Klart på dialogmötet.")
        form.get_by_role("button", name=re.compile("Spara svaret")).click()
        # The answer is saved on its own (htmx): only its question is replaced, with a status.
        saved = page.locator(f"#q{item.pk}").get_by_role("status")
        expect(saved).to_have_text("Svaret är sparat.")
    assert agreement.answers.filter(state="answered").count() == 2

    _rate(page, live_server, agreement, "Idéburen sektor", [2, 3, 3, 3, 4, 3])
    _rate(page, live_server, agreement, "Offentlig sektor", [4, 4, 3, 3, 4, 3])
    expect(page.get_by_text("sidorna ser olika")).to_be_visible()
    assert page.locator("svg[role=img] title").count() >= 1
    assert serious_violations(page) == []

    page.get_by_role("button", name="Ta fram uppföljningsrapporten (PDF)").click()
    download_link = page.get_by_role("link", name=re.compile("Ladda ner"))
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        download_link.click()
    text = " ".join(pdf_text(Path(info.value.path()).read_bytes()).split())
    assert "Överenskommelse i Höör" in text
    assert "Insamling och dialog" in text
    assert "Självständighet och oberoende svag 2 4 2 sidorna ser olika" in text


def test_public_agreement_page_has_no_serious_violations_in_both_languages(page, live_server):
    services.content_sync()
    leader = make_user("process_leader")
    agreement = make_agreement(leaders=[leader], internal_notes="Hemlig anteckning")
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(agreement.title)
    expect(page.get_by_text("Hemlig anteckning")).to_have_count(0)
    assert serious_violations(page) == []
    page.locator(".language-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert serious_violations(page) == []
    for path in ["/agreements/", "/agreements/principles/"]:
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == []
