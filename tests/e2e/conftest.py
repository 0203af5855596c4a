import os

import pytest

# pytest-django's live_server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def expect_signed_in(page) -> None:
    """The log-out button is in the page (on a phone it sits behind the Menu button)."""
    from playwright.sync_api import expect

    expect(page.locator("button.link-button", has_text="Logga ut")).to_have_count(1)
