import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.directory.conftest import make_org
from tests.e2e.conftest import serious_violations
from tests.factories import PASSWORD, make_user
from tests.workshops.conftest import make_workshop
from workshops.models import Contribution, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _register(page, url, name, email, *, waiting=False):
    page.goto(url)
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_sector").select_option("public")
    page.locator("#id_gender").select_option("woman")
    page.get_by_label("Jag godkänner").check()
    button = "Sätt upp mig på väntelistan" if waiting else "Anmäl mig"
    page.get_by_role("button", name=button).click()


def test_register_wait_cancel_promote_check_in_and_contribute_on_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    workshop = make_workshop(capacity=1)
    url = f"{live_server.url}/workshops/{workshop.pk}/"

    # The organisation field suggests names from the directory as one types.
    make_org("Emmaus Björkå")
    page.goto(url)
    page.locator("#id_organisation_name").press_sequentially("emmaus")
    expect(page.locator('#organisation-suggestions option[value="Emmaus Björkå"]')).to_have_count(1)

    _register(page, url, "Karin Lund", "karin@example.org")
    expect(page.get_by_role("heading", name="Du är anmäld")).to_be_visible()

    # Full now: the form says so and offers the waiting list; nothing is saved until chosen.
    page.goto(url)
    expect(page.get_by_text("Workshopen är fullbokad.")).to_be_visible()
    _register(page, url, "Omar Said", "omar@example.org", waiting=True)
    expect(page.get_by_role("heading", name="Du står på väntelistan")).to_be_visible()

    # A double submit with the same address gets a message beside the field.
    _register(page, url, "Omar Said", "OMAR@example.org", waiting=True)
    expect(page.get_by_text("redan anmäld")).to_be_visible()
    assert Registration.objects.count() == 2

    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False

    # Karin cancels with the link from her email; Omar gets the place and a notice.
    link = re.search(r"http://\S+/workshops/cancel/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_role("button", name="Ja, avboka min anmälan").click()
    expect(page.get_by_text("är avbokad")).to_be_visible()
    omar = Registration.objects.get(email="omar@example.org")
    assert omar.status == "registered"
    assert mail.outbox[-1].to == ["omar@example.org"]

    # In the room: input from a phone through the QR link, anonymous by default.
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/input/{workshop.input_key}/")
    page.get_by_label("Hinder").check()
    page.locator("#id_text").fill("Besluten tar för lång tid.")
    page.get_by_label("Vilken sektor arbetar du i?").select_option("civil_society")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_text("Ditt inspel är sparat")).to_be_visible()
    assert Contribution.objects.get().is_anonymous

    # At the door: staff find Omar and check him in with one tap; the count follows.
    staff = make_user("secretariat")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(staff.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/check-in/")
    page.get_by_label("Sök på namn eller organisation").fill("Omar")
    expect(page.locator("#check-in-rows li")).to_have_count(1)
    page.get_by_role("button", name="Checka in Omar Said").click()
    expect(page.get_by_text("Incheckad", exact=False).first).to_be_visible()
    expect(page.locator("#check-in-counts")).to_contain_text("1 av 1 incheckade")
    # Keyboard focus stays on the row's control, now "Undo" (issue 12: it fell to the body).
    expect(page.get_by_role("button", name="Ångra Omar Said")).to_be_focused()
    omar.refresh_from_db()
    assert omar.checked_in_at is not None


@pytest.mark.parametrize("phone", [False, True])
def test_workshop_page_and_form_have_no_serious_violations_in_both_languages(
    page, live_server, phone
):
    if phone:
        page.set_viewport_size(PHONE)
    workshop = make_workshop()
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert serious_violations(page) == []
    # The form with errors shown.
    page.get_by_role("button", name="Anmäl mig").click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert serious_violations(page) == []
    page.locator(".language-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/input/{workshop.input_key}/")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/workshops/")
    assert serious_violations(page) == []


def _wait_for_htmx_on_the_row(page):
    """htmx takes over a swapped-in row's form when the swap settles; a key pressed before
    that sends the form without htmx (the no-script path: a whole new page)."""
    page.wait_for_function(
        "() => { const f = document.querySelector('#check-in-rows form');"
        " return f && f['htmx-internal-data'] && f['htmx-internal-data'].initHash; }"
    )


def test_check_in_with_the_keyboard_only_on_a_phone(page, live_server):
    """Issue 15: the door staff search, check in and undo with the keyboard alone; focus
    stays on the row's control after each swap and a polite status says what happened."""
    from tests.e2e.conftest import expect_signed_in
    from tests.workshops.conftest import register

    page.set_viewport_size(PHONE)
    workshop = make_workshop()
    register(workshop, name="Omar Said")
    register(workshop, name="Lina Ek")
    staff = make_user("secretariat")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(staff.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect_signed_in(page)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/check-in/")
    announce = page.locator("#check-in-announce")
    expect(announce).to_have_attribute("role", "status")

    page.get_by_label("Sök på namn eller organisation").focus()
    page.keyboard.type("omar")
    expect(page.locator("#check-in-rows li")).to_have_count(1)
    expect(announce).to_have_text("1 person hittades.")
    _wait_for_htmx_on_the_row(page)
    # From the search field: the search button, then the row's button.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Checka in Omar Said")).to_be_focused()
    page.keyboard.press("Enter")
    undo = page.get_by_role("button", name="Ångra Omar Said")
    expect(undo).to_be_focused()
    expect(announce).to_contain_text("Omar Said är incheckad")
    expect(page.locator("#check-in-counts")).to_contain_text("1 av 2 incheckade")

    _wait_for_htmx_on_the_row(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Checka in Omar Said")).to_be_focused()
    expect(announce).to_have_text("Incheckningen av Omar Said är ångrad.")
    expect(page.locator("#check-in-counts")).to_contain_text("0 av 2 incheckade")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0
    assert serious_violations(page) == []
