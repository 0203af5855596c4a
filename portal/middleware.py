import re
from contextvars import ContextVar

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class SwedishFirstLocaleMiddleware:
    """Swedish unless the visitor chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most visitors'
    browsers (set to English) would never see the default. The council works in Swedish;
    the switch (a cookie) is the one way to change it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        translation.deactivate()
        return response


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every answer to a logged-in user.

    Every such page can hold personal data (the person export, report PDFs, member lists);
    neither a shared proxy nor the browser's back button on a shared computer may keep it.
    Anonymous answers are left alone: the public pages are meant to be cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            if "max-age" in response.headers.get("Cache-Control", ""):
                patch_cache_control(response, max_age=0)
        return response


# Control characters (C0 except tab, line feed and carriage return; DEL; C1). PostgreSQL
# refuses NUL in text outright, and none of the others belongs in anything a person types.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _has_control_character(request) -> bool:
    if CONTROL_CHARACTERS.search(request.path):
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
        sources.append({upload.name: "" for upload in request.FILES.values()})
    for data in sources:
        for key, values in data.lists() if hasattr(data, "lists") else data.items():
            if CONTROL_CHARACTERS.search(key):
                return True
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                    return True
    return False


class RefuseControlCharactersMiddleware:
    """One place refuses text that cannot be stored: a 400 in the visitor's language.

    A NUL byte (or another control character) in the path, a query parameter, a form field's
    name or value, or an uploaded file's name answers 400 before any view runs, so no view
    can pass it on to PostgreSQL (which fails with a DataError) and every form behaves alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_character(request):
            message = _(
                "The request contained a control character (such as a NUL byte) that cannot "
                "be stored. Remove it and try again."
            )
            if request.path.startswith("/api/"):
                # The API's error shape (directory/openapi.py "Error").
                return JsonResponse({"error": message, "fields": {}}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


# The origin (scheme and host) of the request being served, for links in emails sent while
# serving it: a link then points to the host the person used, not to a configured default.
current_origin: ContextVar[str] = ContextVar("current_origin", default="")


class RequestOriginMiddleware:
    """Remember this request's origin (validated against ALLOWED_HOSTS by get_host)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = ""
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)


# How django-csp's decorators (csp_update, csp_replace, csp) change one answer's policy.
_PER_ANSWER_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_NONCE_MARK = "portal-csp-nonce-mark"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header text built once per process.

    django-csp builds both policies (enforced and report-only) from the settings on every
    answer (30 us, on every request). Without a decorator on the view they follow from the
    settings and whether this answer used a nonce, so each is built once (nonce left as a mark)
    and this answer's nonce put in. Answers whose view changes the policy (django-csp's
    decorators) and debug error pages take django-csp's own path. The headers are the same
    (tests/portal/test_csp.py compares them).
    """

    _policies: dict[tuple[bool, bool], str] = {}

    def _policy(self, *, report_only: bool, nonce: str | None) -> str:
        key = (report_only, bool(nonce))
        policy = self._policies.get(key)
        if policy is None:
            policy = self._policies[key] = build_policy(
                nonce=_NONCE_MARK if nonce else None, report_only=report_only
            )
        return policy.replace(_NONCE_MARK, nonce) if nonce else policy

    def process_response(self, request, response):
        if (settings.DEBUG and response.status_code in (404, 500)) or any(
            getattr(response, name, None) is not None for name in _PER_ANSWER_POLICY
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = self._policy(report_only=report_only, nonce=nonce)
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(excluded or ()))
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        if nonce is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _policy_settings_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        ContentSecurityPolicyMiddleware._policies.clear()


setting_changed.connect(_policy_settings_changed)
