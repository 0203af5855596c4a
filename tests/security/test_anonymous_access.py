"""Walk every URL pattern and fail on a view an anonymous visitor can reach unplanned.

A new public view must be added to PUBLIC_URL_NAMES on purpose. Everything else must answer an
anonymous GET and POST with a redirect to a login page or with 403 (405 for a method the view
does not take is fine). A 404 is not accepted: it would mean the view looked up data before
checking who is asking.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# URL names (namespace:name) meant for everyone.
PUBLIC_URL_NAMES = {
    "home",
    "healthz",
    "favicon",
    "web_manifest",
    "set_language",
    "accounts:invitation_accept",
    "directory:list",
    "directory:detail",
    "directory:export_csv",
    "directory:suggest",
    "directory:name_options",
    "directory:suggest_correction",
    "directory:suggest_thanks",
    "directory:confirm",
    "directory_api:organisations",
    "directory_api:organisation",
    "directory_api:openapi",
    "directory:offers",
    "directory:offer_detail",
    "directory_api:index",
    "directory_api:profile",
    "directory_api:organizations",
    "directory_api:organization",
    "directory_api:services",
    "directory_api:service",
    "directory_api:service_at_locations",
    "directory_api:service_at_location",
    "directory_api:taxonomies",
    "directory_api:taxonomy",
    "directory_api:taxonomy_terms",
    "directory_api:taxonomy_term",
    "council_api:composition",
    "council:minutes_public",
    "agreements:list",
    "agreements:detail",
    "agreements:principles",
    "agreements:respond",  # the personal link of a round's respondent: the token is the key
    "agreements_api:list",
    "agreements_api:detail",
    "workshops:list",
    "workshops:detail",
    "workshops:thanks",
    "workshops:cancel",
    "workshops:ical",
    "workshops:contribute",
    "workshops_api:list",
    "workshops_api:stats",
}
# Whole modules whose views do their own authentication.
PUBLIC_VIEW_MODULES = ("allauth.",)
# The Django admin has its own login; its views redirect to it.
ADMIN_PREFIX = "admin/"

SAMPLE_VALUES = {
    "int": "1",
    "uuid": str(uuid.uuid4()),
    "slug": "sample",
    "str": "sample",
    "path": "sample",
}


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern


def _sample_path(route: str) -> str | None:
    import re

    if route.startswith("^") or "(?P" in route:
        return None  # regex routes (admin internals) are reached through the admin check

    def fill(match):
        from django.urls.converters import get_converters

        converter = match.group(1) or "str"
        choices = getattr(get_converters().get(converter), "choices", None)
        return choices[0] if choices else SAMPLE_VALUES.get(converter, "sample")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)


def _patterns():
    for route, name, pattern in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "")
        if module.startswith(PUBLIC_VIEW_MODULES) or name in PUBLIC_URL_NAMES:
            continue
        if route.startswith(ADMIN_PREFIX):
            continue
        path = _sample_path(route)
        if path is not None:
            yield pytest.param(path, id=name or route)


def _is_protected(response) -> bool:
    if response.status_code in (403, 405):
        return True
    if response.status_code == 302:
        location = response.headers["Location"]
        return location.startswith(("/accounts/login/", "/admin/login/"))
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(_patterns()))
def test_view_is_not_reachable_anonymously(client, path):
    for method in (client.get, client.post):
        response = method(path)
        assert _is_protected(response), (
            f"{method.__name__.upper()} {path} answered {response.status_code} to an anonymous "
            "visitor: protect it with accounts.permissions or add it to PUBLIC_URL_NAMES."
        )


@pytest.mark.django_db
def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_walk_finds_the_protected_views():
    names = {param.id for param in _patterns()}
    assert {"secretariat", "reports:list", "reports:detail", "accounts:invitation_list"} <= names


def _public_without_arguments():
    from django.urls import NoReverseMatch, reverse

    for name in sorted(PUBLIC_URL_NAMES):
        try:
            yield pytest.param(reverse(name), id=name)
        except NoReverseMatch:
            continue  # needs an object: its own app's tests request it with real data


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(_public_without_arguments()))
def test_public_views_answer_anonymously(client, path):
    assert client.get(path).status_code in (200, 301, 302)
