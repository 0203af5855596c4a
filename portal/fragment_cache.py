"""Shared copies of page fragments that are the same for everyone who sees them.

Members' pages are rendered per request (they are never in the public page cache), but most of
such a page is the same for every member: the agenda, the documents, the balance panels. Those
parts are rendered once and kept in the cache, so only the personal parts (the member's reply,
their own action items) are rendered per person:

    {% load fragment_cache %}
    {% cache_fragment "meeting-agenda" meeting.pk variant %}
      ... the same for everyone who passes the same key ...
    {% endcache_fragment %}

or, from Python, `fragment(request, "name", [key, ...], render)`; and for figures rather than
markup (a panel's counts and first rows, the same for every secretariat member),
`shared(request, "name", [key, ...], compute)`, or `SharedRecord` for such a value whose
parts are computed as pages need them (one cache read for all of them).

What keeps a shared copy right (the same rules as `portal/page_cache.py`, whose version it
uses):

* **Every write empties it.** The key holds the content version that moves on each INSERT,
  UPDATE or DELETE on a domain table (`directory_`, `council_`, `workshops_`, `agreements_`),
  whoever wrote it. So a new agenda item is on the next render, in every process.
* **The key says who it is for.** Whatever the fragment shows that is not the same for
  everyone must be in the key: a role's variant ("secretariat" or "member"), a state that
  depends on the clock (before, during or after a meeting). Nothing personal belongs inside.
  The language is always in the key.
* **Nothing per request is shared.** CSRF tokens and the CSP nonce are stored as placeholders
  and filled in for each request, as the page cache does.
* `PORTAL_FRAGMENT_CACHE_SECONDS` bounds how long a copy lives (by default as long as a
  cached public page; 0 turns fragment caching off: everything is rendered every time).

Unlike Django's own `{% cache %}` tag, the key follows the content version (no stale agenda
for up to the timeout after a write) and forms inside a fragment keep working for everyone.
"""

import hashlib
import logging
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import page_cache

logger = logging.getLogger(__name__)

NONCE_PLACEHOLDER = "\x00nonce\x00"
CSRF_PLACEHOLDER = "\x00csrf\x00"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_VERSION_ATTRIBUTE = "_fragment_cache_version"


def enabled() -> bool:
    return _seconds() > 0


def _seconds() -> int:
    return getattr(settings, "PORTAL_FRAGMENT_CACHE_SECONDS", settings.PORTAL_PAGE_CACHE_SECONDS)


def _version(request) -> int:
    """The content version, read once per request (every fragment of a page agrees on it)."""
    version = getattr(request, _VERSION_ATTRIBUTE, None)
    if version is None:
        version = page_cache.content_version()
        if request is not None:
            setattr(request, _VERSION_ATTRIBUTE, version)
    return version


def fragment_key(request, name: str, parts: Iterable) -> str:
    raw = "|".join([name, get_language() or "", *(str(part) for part in parts)])
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"fragment:{_version(request)}:{digest}"


def fragment(request, name: str, parts: Iterable, render: Callable[[], str]) -> str:
    """The fragment `name` for these key parts: from the cache, or rendered and stored."""
    if not enabled():
        return render()
    try:
        key = fragment_key(request, name, parts)
        stored = cache.get(key)
    except Exception:
        # The cache is an accelerator: without it the fragment is rendered as usual.
        logger.warning("Fragment cache unreachable; rendering %s", name, exc_info=True)
        return render()
    if stored is not None:
        return mark_safe(_fill(request, stored))  # noqa: S308 (our own rendered HTML)
    html = render()
    try:
        cache.set(key, _blank(request, str(html)), _seconds())
    except Exception:
        logger.warning("Fragment cache unreachable; %s not stored", name, exc_info=True)
    return html


def shared(request, name: str, parts: Iterable, compute: Callable[[], object]):
    """A value computed from the domain tables (picklable: figures, model rows) that is the
    same for everyone who passes the same key, kept under the content version like the
    fragments: every write to a domain table computes it afresh on the next request."""
    if not enabled():
        return compute()
    try:
        key = fragment_key(request, f"data:{name}", parts)
        stored = cache.get(key)
    except Exception:
        logger.warning("Fragment cache unreachable; computing %s", name, exc_info=True)
        return compute()
    if stored is not None:
        return stored
    value = compute()
    try:
        cache.set(key, value, _seconds())
    except Exception:
        logger.warning("Fragment cache unreachable; %s not stored", name, exc_info=True)
    return value


class SharedRecord:
    """A shared value (as `shared`) made of parts that are computed when a page first needs
    them: a page whose parts need different rows (the meeting page's sections) reads one entry
    and computes, then stores, only the part it lacks. Two processes adding different parts
    at once may store one without the other; the lost part is computed again next time (both
    are under the same content version, so either is right)."""

    def __init__(self, request, name: str, parts: Iterable):
        self._key = None
        self._parts = {}
        if not enabled():
            return
        try:
            self._key = fragment_key(request, f"record:{name}", parts)
            self._parts = cache.get(self._key) or {}
        except Exception:
            logger.warning("Fragment cache unreachable; computing %s", name, exc_info=True)
            self._key = None

    def part(self, name: str, compute: Callable[[], object]):
        if name in self._parts:
            return self._parts[name]
        value = self._parts[name] = compute()
        if self._key is not None:
            try:
                cache.set(self._key, self._parts, _seconds())
            except Exception:
                logger.warning("Fragment cache unreachable; %s not stored", name, exc_info=True)
        return value


def _blank(request, html: str) -> str:
    """The stored copy: this request's nonce and CSRF tokens replaced by placeholders."""
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        html = html.replace(str(nonce), NONCE_PLACEHOLDER)
    return _CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html)


def _fill(request, html: str, token=None) -> str:
    """`html` with this request's nonce and CSRF token; `token`: the template context's
    `csrf_token` where there is one (a new masked token costs 30 us)."""
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))
    if CSRF_PLACEHOLDER in html:
        # One masked token for every stored fragment of the request (masking one costs some
        # five hundred Python calls; any masked token of the request's secret is valid).
        if token:
            token = str(token)
        else:
            token = getattr(request, "_fragment_csrf_token", None) or get_token(request)
        request._fragment_csrf_token = token
        html = html.replace(CSRF_PLACEHOLDER, token)
    return html
