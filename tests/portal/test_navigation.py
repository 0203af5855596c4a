"""The navigation shows each role every tool it may use, and nothing it may not.

Every link in the header and in "Your tools" answers 200 for the person it is shown to, and
every page a role may open (parameterless pages of the portal's apps) is reachable from the
home page in at most two clicks.
"""

import contextlib
import re
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

from accounts.models import User
from accounts.permissions import may_open
from portal import navigation

pytestmark = pytest.mark.django_db

ROLES = [
    "admin@example.org",
    "secretariat@example.org",
    "member@example.org",
    "leader@example.org",
    "editor@example.org",
]
NAMESPACES = {"directory", "workshops", "agreements", "council", "reports", "accounts", "my_data"}
# Pages deliberately not in the navigation, with the reason.
NOT_NAVIGATED = {
    # The thank-you page after a suggestion: reached by sending one.
    "directory:suggest_thanks",
    # A JSON fragment for the name field's suggestions, not a page.
    "directory:name_options",
    # Downloads, not pages: linked from the list they export.
    "directory:export_csv",
    "my_data:export_html",
    "my_data:export",
}


def _named_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _pages_the_role_may_open(client, user) -> set[str]:
    pages = set()
    for name in set(_named_patterns(get_resolver().url_patterns)):
        if name not in {"home", "secretariat"} and name.split(":")[0] not in NAMESPACES:
            continue
        try:
            path = reverse(name)
        except NoReverseMatch:
            continue  # needs an object: reached from its list
        if not may_open(user, resolve(path).func):
            continue
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.add(path)
    return pages


def _links(response) -> set[str]:
    found = set()
    for href in re.findall(r'href="([^"#]+)', response.content.decode()):
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        found.add(parts.path)
    return found


def _reachable_in_two_clicks(client) -> set[str]:
    seen = {"/"}
    frontier = {"/"}
    for _click in range(2):
        following = set()
        for path in frontier:
            response = client.get(path)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            following |= _links(response) - seen
        seen |= following
        frontier = {path for path in following if not path.startswith(("/static/", "/media/"))}
    return seen


@pytest.mark.parametrize("email", ROLES)
def test_every_navigation_link_answers_200_for_the_role_it_is_shown_to(demo_portal, client, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    shown = navigation.links_for(user, navigation.MAIN) + navigation.links_for(
        user, navigation.TOOLS
    )
    assert shown
    for link in shown:
        assert client.get(link.url).status_code == 200, link.url_name
    home = client.get("/").content.decode()
    for link in shown:
        assert f'href="{link.url}"' in home, link.url_name


@pytest.mark.parametrize("email", ROLES)
def test_links_the_role_may_not_use_are_not_shown(demo_portal, client, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    shown = {link.url for link in navigation.links_for(user, navigation.TOOLS)}
    for link in navigation.registered():
        if link.url in shown or link.section != navigation.TOOLS:
            continue
        assert client.get(link.url).status_code in {302, 403}, link.url_name


def test_visitors_see_the_public_sections_only(demo_portal, client):
    home = client.get("/").content.decode()
    nav = home[home.index("<nav") : home.index("</nav>")]
    assert reverse("directory:list") in nav
    assert reverse("council:home") not in nav
    assert reverse("reports:list") not in nav


@pytest.mark.parametrize("email", ROLES)
def test_every_page_the_role_may_open_is_two_clicks_from_home(demo_portal, client, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    pages = _pages_the_role_may_open(client, user)
    ignored = set()
    for name in NOT_NAVIGATED:
        with contextlib.suppress(NoReverseMatch):
            ignored.add(reverse(name))
    missing = sorted(pages - ignored - _reachable_in_two_clicks(client))
    assert missing == [], f"not reachable in two clicks for {email}: {missing}"


def test_may_open_agrees_with_the_views(demo_portal, client):
    member = User.objects.get(email="member@example.org")
    client.force_login(member)
    for name in ["council:meeting_create", "directory:moderation", "workshops:create"]:
        path = reverse(name)
        assert not may_open(member, resolve(path).func)
        assert client.get(path).status_code == 403
    with pytest.raises(Resolver404):
        resolve("/no-such-page/")
