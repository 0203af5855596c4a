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
