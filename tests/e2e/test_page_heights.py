"""Pages people use daily are short enough to work in (issue 16), on the demo data.

No such page is taller than 4,000 px at 1280 px; on a 390 x 844 phone the check-in and
speaking pages show their main action on the first screen.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_HEIGHT = 4000


def _daily_pages():
    from agreements.models import Agreement
    from council.models import Meeting
    from directory.models import Organisation
    from workshops.models import Workshop

    meeting = Meeting.objects.filter(agenda_items__isnull=False).order_by("-starts_at").first()
    workshop = Workshop.objects.order_by("pk").first()
    agreement = Agreement.objects.filter(process_leaders__email="leader@example.org").first()
    organisation = Organisation.objects.filter(editors__email="editor@example.org").first()
    return {
        "member@example.org": [
            "/",
            "/council/",
            f"/council/meetings/{meeting.pk}/",
            f"/council/meetings/{meeting.pk}/running/",
            f"/council/meetings/{meeting.pk}/closing/",
            "/council/members/",
            "/council/actions/",
        ],
        "secretariat@example.org": [
            "/",
            f"/council/meetings/{meeting.pk}/",
            f"/council/meetings/{meeting.pk}/preparing/",
            f"/council/meetings/{meeting.pk}/running/",
            f"/council/meetings/{meeting.pk}/closing/",
            f"/council/meetings/{meeting.pk}/speaking/",
            f"/workshops/{workshop.pk}/manage/",
            f"/workshops/{workshop.pk}/manage/programme/",
            f"/workshops/{workshop.pk}/manage/registrations/",
            f"/workshops/{workshop.pk}/manage/groups/",
            f"/workshops/{workshop.pk}/manage/follow-up/",
            f"/workshops/{workshop.pk}/check-in/",
            "/directory/moderation/",
            "/directory/attention/",
            "/reports/",
        ],
        "leader@example.org": [
            "/",
            f"/agreements/{agreement.pk}/manage/",
            f"/agreements/{agreement.pk}/checklist/",
            "/agreements/dashboard/",
        ],
        "editor@example.org": ["/", "/directory/mine/", f"/directory/{organisation.slug}/edit/"],
    }


def _context_for(browser, live_server, email, viewport):
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


def test_daily_pages_are_at_most_4000_px_tall_at_1280(browser, live_server):
    call_command("load_demo", stdout=io.StringIO())
    too_tall = []
    for email, paths in _daily_pages().items():
        context = _context_for(browser, live_server, email, {"width": 1280, "height": 900})
        page = context.new_page()
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (email, path, response.status)
            height = page.evaluate("document.documentElement.scrollHeight")
            if height > MAX_HEIGHT:
                too_tall.append(f"{path} ({email}): {height} px")
        context.close()
    assert too_tall == []


def test_check_in_and_speaking_show_their_main_action_on_a_phones_first_screen(
    browser, live_server
):
    from council.models import Meeting
    from workshops.models import Workshop

    call_command("load_demo", stdout=io.StringIO())
    meeting = Meeting.objects.filter(agenda_items__isnull=False).order_by("-starts_at").first()
    workshop = Workshop.objects.order_by("pk").first()
    context = _context_for(
        browser, live_server, "secretariat@example.org", {"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/check-in/")
    first = page.locator("#check-in-rows button").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/speaking/")
    main_action = page.locator("main form button").first
    box = main_action.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
