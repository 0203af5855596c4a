"""portal/fragment_cache.py: shared fragments keyed by the content version (issue 17)."""

from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import RequestFactory

from portal import fragment_cache, page_cache


def _request():
    request = RequestFactory().get("/")
    get_token(request)  # a CSRF secret for this request, as the middleware would set
    return request


def _counted(html="<p>agenda</p>"):
    calls = []

    def render():
        calls.append(1)
        return html

    return render, calls


def test_a_fragment_is_rendered_once_per_content_version(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    render, calls = _counted()
    assert fragment_cache.fragment(_request(), "agenda", [1, "member"], render) == "<p>agenda</p>"
    assert fragment_cache.fragment(_request(), "agenda", [1, "member"], render) == "<p>agenda</p>"
    assert len(calls) == 1
    fragment_cache.fragment(_request(), "agenda", [1, "secretariat"], render)  # another key
    assert len(calls) == 2
    page_cache.content_changed()  # what every write to a domain table does
    fragment_cache.fragment(_request(), "agenda", [1, "member"], render)
    assert len(calls) == 3


def test_zero_seconds_turns_fragment_caching_off(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    render, calls = _counted()
    for _ in range(2):
        fragment_cache.fragment(_request(), "agenda", [1], render)
    assert len(calls) == 2


def test_each_request_gets_its_own_csrf_token_in_a_stored_fragment(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    first, second = _request(), _request()
    token = get_token(first)
    html = f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{token}"></form>'
    fragment_cache.fragment(first, "form", [], lambda: html)
    served = fragment_cache.fragment(second, "form", [], lambda: "not rendered again")
    assert token not in served and fragment_cache.CSRF_PLACEHOLDER not in served
    assert 'name="csrfmiddlewaretoken" value="' in served


def test_the_template_tag_keys_on_its_arguments_and_the_language(settings):
    from django.utils import translation

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    template = Template(
        "{% load fragment_cache %}{% cache_fragment 'items' pk %}{{ text }}{% endcache_fragment %}"
    )
    request = _request()

    def render(pk, text, language="sv"):
        with translation.override(language):
            return template.render(Context({"request": request, "pk": pk, "text": text}))

    assert render(1, "first") == "first"
    assert render(1, "changed") == "first"  # from the cache
    assert render(2, "other") == "other"
    assert render(1, "in English", language="en") == "in English"


def test_the_template_tag_with_an_empty_name_neither_reads_nor_stores(settings):
    """A view that shows the shared markup with a person's posted form in it passes ""."""
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    template = Template(
        "{% load fragment_cache %}{% cache_fragment name 1 %}{{ text }}{% endcache_fragment %}"
    )
    request = _request()

    def render(name, text):
        return template.render(Context({"request": request, "name": name, "text": text}))

    assert render("", "posted") == "posted"
    assert render("shared", "shared copy") == "shared copy"
    assert render("", "posted again") == "posted again"
    assert render("shared", "changed") == "shared copy"


def test_shared_figures_are_computed_once_per_content_version(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    calls = []

    def compute():
        calls.append(1)
        return {"count": len(calls)}

    assert fragment_cache.shared(_request(), "attention", [], compute) == {"count": 1}
    assert fragment_cache.shared(_request(), "attention", [], compute) == {"count": 1}
    page_cache.content_changed()
    assert fragment_cache.shared(_request(), "attention", [], compute) == {"count": 2}
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    assert fragment_cache.shared(_request(), "attention", [], compute) == {"count": 3}
