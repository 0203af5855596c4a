"""Each role lands on its own workplace after signing in (issue 16), on the demo data."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the demo data should put on each role's landing page.
EXPECTED = {
    "member@example.org": [
        "Mina åtgärdspunkter",
        "Försenad:",
        "Föreslå hur rådet kan bli jämnare sammansatt",
    ],
    "secretariat@example.org": [
        "Behöver åtgärdas",
        "1 förslag att granska",
        "Emmaus Björkå",
    ],
    "leader@example.org": ["Mina överenskommelser", "dagar i denna fas"],
    "editor@example.org": ["Mina organisationer", "NÄTVERKET - Idéburen sektor Skåne"],
    "admin@example.org": ["Behöver åtgärdas", "Dina verktyg"],
}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_every_role_lands_on_its_workplace_on_a_desk_and_a_phone(browser, live_server, demo):
    for email, expected in EXPECTED.items():
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        _sign_in(page, live_server, email)
        expect(page).to_have_url(re.compile(rf"{re.escape(live_server.url)}/$"))
        main = page.locator("main")
        for text in expected:
            expect(main).to_contain_text(text)
        # The header is one line at 1280 px, whatever the role's number of sections.
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 80, (email, header)
        assert serious_violations(page) == [], email
        assert page.evaluate("document.documentElement.scrollHeight") <= 4000, email

        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 70, (email, header)  # brand and a Menu button
        menu = page.get_by_role("button", name="Meny")
        expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        navigation = page.get_by_role("navigation", name="Huvudmeny")
        expect(navigation.get_by_role("link", name="Katalog")).to_be_visible()
        page.keyboard.press("Escape")
        expect(menu).to_be_focused()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert serious_violations(page) == [], email
        context.close()


def test_the_favicon_is_found(page, live_server, transactional_db):
    response = page.request.get(f"{live_server.url}/favicon.ico")
    assert response.status == 200
