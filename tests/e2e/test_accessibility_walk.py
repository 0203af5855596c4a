"""axe on every page the walk reaches, at 390 px and 1280 px, in both languages (issue 15).

Each page is checked once, as the first role (most rights first) that may open it, on the demo
data: the templates are the same for every role, only the amount shown differs. Every
violation counts, of any impact.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from tests.portal.test_html_validity import ACCOUNT_PAGES, _demo_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    "admin@example.org",
    "secretariat@example.org",
    "leader@example.org",
    "editor@example.org",
    "member@example.org",
    None,
]
WIDTHS = [(1280, 900), (390, 844)]


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


def _pages_by_role() -> dict[str | None, tuple[Client, list[str]]]:
    """Each page once, under the first role that gets a full HTML page for it."""
    paths = _demo_paths()
    seen: set[str] = set()
    by_role = {}
    for email in ROLES:
        client = Client()
        if email:
            assert client.login(email=email, password=DEMO_PASSWORD)
        mine = []
        for path in paths + ACCOUNT_PAGES.get(email, []):
            if path in seen:
                continue
            response = client.get(path)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            if not response.content.decode().lstrip().lower().startswith("<!doctype html>"):
                continue  # an htmx fragment
            if "attachment" in response.get("Content-Disposition", ""):
                continue  # a download (the personal-data export as a web page)
            seen.add(path)
            mine.append(path)
        by_role[email] = (client, mine)
    return by_role


def test_every_page_has_no_axe_violations_at_both_widths_in_both_languages(browser, live_server):
    call_command("load_demo", stdout=io.StringIO())
    found = []
    checked = 0
    for email, (client, paths) in _pages_by_role().items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        session = client.cookies.get(settings.SESSION_COOKIE_NAME)
        host = live_server.url.split("//")[1].split(":")[0]
        if session:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session.value,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
        page = context.new_page()
        for language in ("sv", "en"):
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
            for path in paths:
                page.set_viewport_size({"width": 1280, "height": 900})
                page.goto(f"{live_server.url}{path}")
                for width, height in WIDTHS:
                    page.set_viewport_size({"width": width, "height": height})
                    checked += 1
                    found += [
                        f"{language} {width}px {email or 'anonymous'} {path}: {v}"
                        for v in _violations(page)
                    ]
        context.close()
    assert checked > 150, checked
    assert found == [], f"{len(found)} violations:\n" + "\n".join(found)
