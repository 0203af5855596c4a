"""A shared cache of the public pages as an anonymous visitor sees them.

The directory, workshop and agreement pages cost 20-30 ms of queries and templates each; the
same page for the next anonymous visitor comes from the cache (Redis in production) in about
a millisecond. Three things keep it right:

* **Only anonymous, cookie-free visitors.** A request with a session or messages cookie, or a
  logged-in user, is rendered as usual and never stored: nothing personal, no "Done:" message
  and no secretariat figures can end up in the shared copy. The key holds the language, the
  scheme, host, path, the query parameters the view declares (`@public_page(query=[...])`),
  and whether htmx asked for a fragment.
* **Only the query parameters a view reads.** The view (and its templates, through
  `request.GET` and `request.get_full_path`) sees only the parameters it declared, so made-up
  ones (`?x=1`, `?utm_source=...`) neither change the page nor make a new copy of it.
* **Nothing per-request is shared.** The stored copy has placeholders where the response had
  its CSP nonce and its CSRF tokens; each visitor gets a fresh nonce and a fresh token, as if
  the page had just been rendered.
* **Every write empties it.** Each INSERT, UPDATE or DELETE on a table of a domain app
  (`directory_`, `council_`, `workshops_`, `agreements_`) moves the cache to a new version,
  whatever wrote it: a service, the admin, a bulk insert, raw SQL, a Celery task or a
  management command. The version moves when the statement runs (so the writer's own next
  request sees the change) and again when its transaction commits (so a page rendered by
  another process in between, from the data before the commit, is not kept).
  `PORTAL_PAGE_CACHE_SECONDS` (60 by default; 0 turns the cache off) bounds how long a page
  whose content depends on the clock alone ("registration open", "next meetings", days in
  phase) can lag behind it.
"""

import functools
import hashlib
import logging
import re
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
# Every cache key expires (Redis evicts only keys with a TTL under volatile-lru). When the
# version key expires, the next one is fresh: every page stored under the old one is left behind.
VERSION_SECONDS = 7 * 24 * 60 * 60
NONCE_PLACEHOLDER = "\x00nonce\x00"
CSRF_PLACEHOLDER = "\x00csrf\x00"
# Tables whose rows appear on public pages. Sessions, accounts and report jobs change on
# every logged-in request and never show on a public page, so writing them keeps the cache.
CONTENT_TABLE_PREFIXES = ("directory_", "council_", "workshops_", "agreements_")
_WRITE = re.compile(
    r'^\s*(?:(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)|TRUNCATE\b)', re.IGNORECASE
)
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_STORED_HEADERS = ("Content-Type", "Content-Language", "Access-Control-Allow-Origin")


def public_page(view=None, *, query: Iterable[str] = ()):
    """Serve this public view from the shared cache to anonymous, cookie-free visitors.

    `query` names the query parameters the view reads (`@public_page(query=["q", "page"])`);
    on GET the view sees only those, for every visitor, and the cache keys on only those.
    """
    if view is None:
        return functools.partial(public_page, query=query)
    names = tuple(sorted(set(query)))

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            _keep_only(request, names)
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        try:
            key = _key(request)
            stored = cache.get(key)
        except Exception:
            # The cache is an accelerator: without it the page is rendered as usual.
            logger.warning("Page cache unreachable; rendering %s", request.path, exc_info=True)
            return view(request, *args, **kwargs)
        if stored is not None:
            return _from_stored(request, stored)
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            try:
                cache.set(key, _to_stored(request, response), settings.PORTAL_PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unreachable; %s not stored", request.path, exc_info=True)
        return response

    return wrapper


def _keep_only(request, names: tuple[str, ...]) -> None:
    """Drop the query parameters the view did not declare, from GET and the full path alike."""
    kept = QueryDict(mutable=True)
    for name in names:
        values = request.GET.getlist(name)
        if values:
            kept.setlist(name, values)
    canonical = kept.urlencode()
    request.GET = QueryDict(canonical)
    request.META["QUERY_STRING"] = canonical


def content_changed() -> None:
    """Move the cache to a new version: every stored page is left behind.

    A write never fails because the cache is down: the pages it leaves behind expire within
    PORTAL_PAGE_CACHE_SECONDS.
    """
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            # No version yet (or it was evicted): any fresh value differs from the last one.
            cache.set(VERSION_KEY, _fresh_version(), VERSION_SECONDS)
    except Exception:
        logger.warning("Page cache unreachable; version not moved", exc_info=True)


def _fresh_version() -> int:
    return time.time_ns()


def content_version() -> int:
    """The version of the domain tables' content: it moves on every write to them, so
    anything computed from those tables can be cached under it (the pages, the directory's
    counts and the shared parts of members' pages in `portal/fragment_cache.py`)."""
    return _version()


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _fresh_version()
        cache.add(VERSION_KEY, version, VERSION_SECONDS)
        version = cache.get(VERSION_KEY, version)
    return version


def _cacheable_request(request) -> bool:
    if settings.PORTAL_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _cacheable_response(request, response) -> bool:
    """A plain 200 that started no session and queued no message for this visitor."""
    if response.status_code != 200 or response.streaming:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return not getattr(getattr(request, "_messages", None), "added_new", False)


def _key(request) -> str:
    query = request.GET.urlencode()  # only the declared parameters, in a fixed order
    fragment = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    # Scheme and host too: the JSON APIs write absolute links.
    raw = (
        f"{get_language()}|{fragment}|{request.scheme}://{request.get_host()}{request.path}|{query}"
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"page-cache:{_version()}:{digest}"


def _to_stored(request, response) -> dict:
    body = response.content.decode(response.charset)
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        body = body.replace(str(nonce), NONCE_PLACEHOLDER)
    body = _CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", body)
    headers = {name: response[name] for name in _STORED_HEADERS if response.has_header(name)}
    return {"body": body, "headers": headers}


def _from_stored(request, stored: dict) -> HttpResponse:
    body = stored["body"]
    if NONCE_PLACEHOLDER in body:
        body = body.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(body)
    for name, value in stored["headers"].items():
        response[name] = value
    return response


def _note_write(execute, sql, params, many, context):
    """Database execute wrapper: a write to a content table moves the cache version."""
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    # A TRUNCATE (a flush) names many tables: it always counts.
    if match and (match.group(1) or "directory_").lower().startswith(CONTENT_TABLE_PREFIXES):
        content_changed()
        connection = context["connection"]
        if connection.in_atomic_block and not any(
            callback is content_changed for _ids, callback, _robust in connection.run_on_commit
        ):
            transaction.on_commit(content_changed, using=connection.alias)
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs):
    if _note_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_write)


def install() -> None:
    """Watch every database connection for writes to content tables (from PortalConfig)."""
    connection_created.connect(_install, dispatch_uid="portal.page_cache")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
