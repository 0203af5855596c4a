"""The meeting page's three parts in a real browser, on the demo data (issue 16).

The page walks (axe, HTML validity) reach `/council/meetings/<id>/` only; the parts have their
own addresses, so they are checked here: axe at both widths for a member and the secretariat,
the item menu opens without JavaScript tricks, and on a phone the member's reply is on the
first screen.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from tests.e2e.test_accessibility_walk import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTS = ["preparing", "running", "closing"]


def _context(browser, live_server, email, viewport):
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    host = live_server.url.split("//")[1].split(":")[0]
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context


def _meeting():
    from council.models import Meeting

    return Meeting.objects.filter(agenda_items__isnull=False).order_by("-starts_at").first()


def test_every_part_has_no_axe_violations_at_both_widths(browser, live_server):
    call_command("load_demo", stdout=io.StringIO())
    meeting = _meeting()
    found = []
    for email in ("member@example.org", "secretariat@example.org"):
        for width, height in ((1280, 900), (390, 844)):
            context = _context(browser, live_server, email, {"width": width, "height": height})
            page = context.new_page()
            for part in PARTS:
                url = f"{live_server.url}/council/meetings/{meeting.pk}/{part}/"
                assert page.goto(url).status == 200
                menus = page.locator("details.item-menu > summary")
                if menus.count():
                    menus.first.click()  # checked with a menu open, too
                found += [f"{email} {width} {part}: {v}" for v in _violations(page)]
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            context.close()
    assert found == []


def test_item_menu_opens_and_its_controls_work(browser, live_server):
    from council.models import AgendaItem

    call_command("load_demo", stdout=io.StringIO())
    meeting = _meeting()
    proposed = meeting.agenda_items.filter(state=AgendaItem.State.PROPOSED).first()
    context = _context(
        browser, live_server, "secretariat@example.org", {"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/preparing/")
    menu = page.locator(f"details.item-menu:has(form[action$='/items/{proposed.pk}/'])")
    accept = menu.locator("button[value=accept]")
    assert not accept.is_visible()  # behind the item's menu until it is opened
    menu.locator("summary").click()
    accept.click()
    assert page.url.endswith(f"/council/meetings/{meeting.pk}/preparing/#agenda")
    proposed.refresh_from_db()
    assert proposed.state == AgendaItem.State.ACCEPTED
    context.close()


def test_members_reply_is_on_a_phones_first_screen(browser, live_server):
    call_command("load_demo", stdout=io.StringIO())
    meeting = _meeting()
    context = _context(browser, live_server, "member@example.org", {"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/")
    send = page.get_by_role("button", name="Skicka mitt svar")
    box = send.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    context.close()
