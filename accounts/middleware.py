import time
from urllib.parse import urlencode

from allauth.usersessions.internal import usersessionkit
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import middleware as auth_middleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.permissions import has_second_factor, is_staff_user
from accounts.sessions import authenticating

# The only pages a staff user may reach before this session has passed the second factor:
# those needed to log in or out, set up and use TOTP (with its recovery codes) and
# re-authenticate. Everything else under /accounts/ (invitations, email, sessions) is gated.
EXEMPT_URL_NAMES = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "mfa_activate_totp",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "set_language",
        "healthz",
    }
)
_EXEMPT_PREFIXES = ("/static/",)


def session_used_second_factor(request) -> bool:
    """Whether this session was authenticated with a second factor (allauth's records)."""
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def _exempt(request) -> bool:
    if request.path.startswith(_EXEMPT_PREFIXES):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 shows nothing
    return match.url_name in EXEMPT_URL_NAMES


class StaffMFARequiredMiddleware:
    """With PORTAL_REQUIRE_MFA_FOR_STAFF, staff reach nothing until this session used TOTP.

    Having TOTP set up is not enough: a session that logged in with the password alone
    (whatever the path) is sent to the TOTP step first; a staff user without TOTP is sent
    to set it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PORTAL_REQUIRE_MFA_FOR_STAFF
            and request.user.is_authenticated
            and is_staff_user(request.user)
            and not _exempt(request)
        ):
            if not has_second_factor(request.user):
                messages.warning(
                    request,
                    _("Set up two-factor authentication before you continue to staff pages."),
                )
                return redirect("mfa_activate_totp")
            if not session_used_second_factor(request):
                messages.info(
                    request,
                    _("Enter the code from your authenticator app to continue to staff pages."),
                )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)


class SessionActivityMiddleware:
    """The inactivity logout and the session list's "last seen", without a write per request.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) and allauth's activity
    tracking cost four to six statements on every logged-in page. Here both happen at most
    once per SESSION_ACTIVITY_WRITE_SECONDS: the session is marked modified (so its expiry
    moves SESSION_COOKIE_AGE ahead) and allauth's user session records the activity. The
    inactivity timeout is thereby exact to within that interval.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(_ACTIVITY_KEY, 0) >= settings.SESSION_ACTIVITY_WRITE_SECONDS:
                session[_ACTIVITY_KEY] = now
                if session.session_key:
                    usersessionkit.track_activity(request, user=user, session=session)
        return self.get_response(request)


_ACTIVITY_KEY = "_portal_activity_at"


def session_activity_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[_ACTIVITY_KEY] = int(time.time())


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the request's user taken from the statement that read the session.

    `auth.get_user` runs as in Django (backend, active, session hash); while it runs, the
    session is `accounts.sessions.authenticating`, so the user manager's `get(pk=...)` takes
    the user read with the session (accounts/sessions.py) instead of reading it again.
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        token = authenticating.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            authenticating.reset(token)
    return request._cached_user
