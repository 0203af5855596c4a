"""The layout's parts rendered once per key (portal/templatetags/layout.py, issue 17) give
every page exactly the HTML the template gives: for visitors and each role, in Swedish and
English, on the home page and in each section (the current one marked), on a first render
and from the kept copy; and a kept copy carries this request's CSRF token and CSP nonce."""

import re

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from council.models import Meeting
from portal.templatetags import layout

pytestmark = pytest.mark.django_db

ROLES = [
    None,
    "member@example.org",
    "secretariat@example.org",
    "leader@example.org",
    "editor@example.org",
]
PATHS = [
    "/",
    "/directory/",
    "/directory/?q=malmo",
    "/workshops/",
    "/agreements/",
    "/council/",
    "/council/members/",
    "/reports/",
    "/accounts/login/",
    "/no-such-page/",
]
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_NONCE = re.compile(r'nonce="[^"]+"')


def _plain(html: str) -> str:
    """Per-request values (each render masks the CSRF token afresh) left out."""
    return _NONCE.sub('nonce=""', _CSRF.sub(r"\g<1>\g<2>", html))


def _visitor(email, language):
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("email", ROLES, ids=lambda email: (email or "visitor").split("@")[0])
def test_kept_parts_give_the_templates_html(demo_portal, settings, email, language):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    meeting = Meeting.objects.filter(agenda_items__isnull=False).order_by("-starts_at").first()
    paths = [*PATHS, meeting.get_absolute_url()]
    client = _visitor(email, language)
    layout.enabled = False
    try:
        rendered = {path: client.get(path) for path in paths}
    finally:
        layout.enabled = True
    for path in paths:
        for attempt in ("first", "kept"):
            response = client.get(path)
            assert response.status_code == rendered[path].status_code, (path, attempt)
            assert _plain(response.content.decode()) == _plain(rendered[path].content.decode()), (
                path,
                attempt,
            )


def test_a_kept_header_has_this_requests_token_and_nonce(demo_portal, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(email="member@example.org"))
    client.get("/council/")
    page = client.get("/council/")
    html = page.content.decode()
    nonces = set(re.findall(r'nonce="([^"]+)"', html))
    assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in page["Content-Security-Policy"]
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 2  # the language switch and the log-out form
    # The log-out form's token (inside the kept header) is accepted.
    answer = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[-1]})
    assert answer.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_current_section_is_marked_on_kept_headers(demo_portal, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = _visitor("member@example.org", "sv")
    for _ in range(2):
        council = client.get("/council/").content.decode()
        home = client.get("/").content.decode()
    assert re.search(r'<a href="/council/" aria-current="page">', council)
    assert not re.search(r'<a href="/council/" aria-current="page">', home)
    assert re.search(r'<a href="/" aria-current="page">', home)


def test_a_page_masks_its_csrf_token_once(demo_portal, settings):
    """The kept header's log-out form gets the token the page's other forms get (one masked
    token per page, as Django gives every form of one render): it was masked afresh (30 us)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(email="member@example.org"))
    client.get("/council/")
    html = client.get("/council/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 2
    assert len(set(tokens)) == 1
    # And that token is accepted.
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_layout_part_cannot_hold_a_block():
    from django.template import TemplateSyntaxError, engines

    with pytest.raises(TemplateSyntaxError, match="cannot hold a block"):
        engines["django"].from_string(
            "{% load layout %}{% layout_part 'x' %}{% block b %}{% endblock %}{% endlayout_part %}"
        )


def test_blocks_around_the_parts_are_filled_by_the_page():
    """The parts are not searched for blocks (layout.LayoutPartNode.child_nodelists): the
    blocks between them still take each page's content."""
    from django.template import engines
    from django.test import RequestFactory

    page = engines["django"].from_string(
        "{% extends 'base.html' %}{% block head_title %}Own title{% endblock %}"
        "{% block extra_head %}<meta name='x-own'>{% endblock %}"
        "{% block content %}<p>Own content</p>{% endblock %}"
    )
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.csp_nonce = request._csp_nonce = "n0nce"
    for _ in range(2):  # rendered, then from the kept parts
        html = page.render(request=request)
        assert "<title>Own title · " in html
        assert "<meta name='x-own'>" in html
        assert "<p>Own content</p>" in html
