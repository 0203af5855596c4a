"""portal/fragment_cache.py: shared fragments keyed by the content version (issue 17)."""

import re

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


def test_a_shared_record_computes_each_part_once_per_content_version(settings):
    """SharedRecord (the meeting page's record): one entry whose parts are computed when a
    request first needs them and kept beside the others until the next write."""
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    calls = []

    def compute(name):
        def run():
            calls.append(name)
            return {"part": name}

        return run

    first = fragment_cache.SharedRecord(_request(), "meeting-page", [7])
    assert first.part("meeting", compute("meeting")) == {"part": "meeting"}
    second = fragment_cache.SharedRecord(_request(), "meeting-page", [7])
    assert second.part("meeting", compute("meeting")) == {"part": "meeting"}
    assert second.part("replies", compute("replies")) == {"part": "replies"}
    third = fragment_cache.SharedRecord(_request(), "meeting-page", [7])
    third.part("meeting", compute("meeting"))
    third.part("replies", compute("replies"))
    assert calls == ["meeting", "replies"]
    fragment_cache.SharedRecord(_request(), "meeting-page", [8]).part("meeting", compute("8"))
    assert calls == ["meeting", "replies", "8"]  # another key
    page_cache.content_changed()
    fragment_cache.SharedRecord(_request(), "meeting-page", [7]).part("meeting", compute("m"))
    assert calls == ["meeting", "replies", "8", "m"]


def test_a_shared_record_without_the_cache_computes_every_time(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    calls = []
    for _ in range(2):
        record = fragment_cache.SharedRecord(_request(), "meeting-page", [7])
        assert record.part("meeting", lambda: calls.append(1) or "m") == "m"
    assert len(calls) == 2


def test_stored_fragments_of_one_request_share_one_valid_csrf_token(settings):
    """The token is masked once per request for all its stored fragments (issue 17), and the
    token filled in is one the CSRF check accepts for that request's secret."""
    from django.middleware.csrf import _unmask_cipher_token

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    first, second = _request(), _request()
    form = '<form><input type="hidden" name="csrfmiddlewaretoken" value="{}"></form>'
    for name in ("agenda", "materials"):
        fragment_cache.fragment(first, name, [], lambda: form.format(get_token(first)))
    served = [
        fragment_cache.fragment(second, name, [], lambda: "not rendered again")
        for name in ("agenda", "materials")
    ]
    tokens = {re.search(r'value="([^"]+)"', html).group(1) for html in served}
    assert len(tokens) == 1
    assert _unmask_cipher_token(tokens.pop()) == second.META["CSRF_COOKIE"]
