"""The Content-Security-Policy headers, built once per process (portal.middleware.
ContentSecurityPolicyMiddleware, issue 17): the same headers as django-csp's own middleware
gives, for every kind of answer."""

from unittest import mock

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal import middleware
from portal.middleware import ContentSecurityPolicyMiddleware
from tests.factories import make_user

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _plain(request):
    return HttpResponse("plain")


def _with_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


@csp_update({"img-src": ["https://maps.example.org"]})
def _updated(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


@csp_exempt()
def _exempt(request):
    return HttpResponse("exempt")


def _not_found(request):
    return HttpResponse("missing", status=404)


def _headers(middleware_class, view, path="/somewhere/"):
    request = RequestFactory().get(path)
    answer = middleware_class(view)(request)
    return {name: answer.get(name) for name in HEADERS}, request


@pytest.mark.parametrize("view", [_plain, _with_nonce, _updated, _exempt, _not_found])
@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"DEBUG": True},
        {
            "CONTENT_SECURITY_POLICY_REPORT_ONLY": {
                "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]},
                "EXCLUDE_URL_PREFIXES": ["/excluded/"],
            }
        },
        {
            "CONTENT_SECURITY_POLICY": {
                "DIRECTIVES": {"default-src": [SELF]},
                "EXCLUDE_URL_PREFIXES": ["/excluded/"],
            }
        },
    ],
    ids=["settings", "debug", "report-only", "excluded"],
)
@pytest.mark.parametrize("path", ["/somewhere/", "/excluded/page/"])
def test_the_headers_are_django_csps(settings, view, overrides, path):
    for name, value in overrides.items():
        setattr(settings, name, value)
    for _ in range(2):  # built, then kept
        ours, _request = _headers(ContentSecurityPolicyMiddleware, view, path)
        theirs, _request = _headers(CSPMiddleware, view, path)
        # The nonces differ per request: compare with them taken out.
        for name in HEADERS:
            if ours[name] is not None and "'nonce-" in ours[name]:
                assert "'nonce-" in theirs[name]
                ours[name] = ours[name].split("'nonce-")[0]
                theirs[name] = theirs[name].split("'nonce-")[0]
        assert ours == theirs


def test_the_nonce_in_the_header_is_this_answers():
    request = RequestFactory().get("/")
    answer = ContentSecurityPolicyMiddleware(_with_nonce)(request)
    nonce = request._csp_nonce
    assert f"'nonce-{nonce}'" in answer["Content-Security-Policy"]
    assert f"nonce='{nonce}'" in answer.content.decode()
    other = RequestFactory().get("/")
    second = ContentSecurityPolicyMiddleware(_with_nonce)(other)
    assert other._csp_nonce != nonce
    assert f"'nonce-{other._csp_nonce}'" in second["Content-Security-Policy"]
    assert nonce not in second["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_refused():
    _answer, request = _headers(ContentSecurityPolicyMiddleware, _plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


@pytest.mark.django_db
def test_a_page_builds_no_policy_once_the_process_has_built_it(client):
    """Fails with django-csp's middleware: it builds both policies on every answer."""
    client.force_login(make_user("council_member"))
    client.get(reverse("council:calendar"))
    with (
        mock.patch.object(middleware, "build_policy", wraps=middleware.build_policy) as ours,
        mock.patch("csp.middleware.build_policy", wraps=middleware.build_policy) as theirs,
    ):
        for _ in range(3):
            answer = client.get(reverse("council:calendar"))
            assert answer.status_code == 200
            assert f"'nonce-{answer.wsgi_request._csp_nonce}'" in answer["Content-Security-Policy"]
    assert ours.call_count + theirs.call_count == 0
