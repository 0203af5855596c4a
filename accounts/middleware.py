import time

from allauth.usersessions.internal import usersessionkit
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_user

# Paths a staff user without a second factor may still reach: setting one up needs them.
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


class StaffMFARequiredMiddleware:
    """With PORTAL_REQUIRE_MFA_FOR_STAFF, staff reach nothing until TOTP is set up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PORTAL_REQUIRE_MFA_FOR_STAFF
            and request.user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and is_staff_user(request.user)
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(request.user):
                messages.warning(
                    request,
                    _("Set up two-factor authentication before you continue to staff pages."),
                )
                return redirect("mfa_activate_totp")
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
