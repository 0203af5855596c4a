import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_violations
from tests.factories import PASSWORD, make_user
from tests.reports.pdf import pdf_catalogue, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_secretariat_requests_overview_and_downloads_it(page, live_server):
    user = make_user("secretariat", full_name="Saga Holm")
    _log_in(page, live_server, user.email)
    page.get_by_role("link", name="Sekretariatets översikt").click()
    page.get_by_role("button", name="Ta fram översikten (PDF)").click()
    expect(page.get_by_role("heading", name="Portalöversikt")).to_be_visible()
    download_link = page.get_by_role("link", name=re.compile("Ladda ner"))
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        download_link.click()
    data = Path(info.value.path()).read_bytes()
    assert "Portalöversikt" in pdf_text(data)
    assert "/StructTreeRoot" in pdf_catalogue(data)


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_pages_have_no_serious_accessibility_violations_in_both_languages(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert serious_violations(page) == []
    page.locator(".language-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert serious_violations(page) == []


def test_home_works_at_320_px_without_horizontal_scroll(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
