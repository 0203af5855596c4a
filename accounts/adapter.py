from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django import forms


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: council accounts start from the secretariat's invitation."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        # allauth answers too many failed logins with a form error and status 200; an API
        # client or a script cannot tell that from a wrong password. 429 says it plainly.
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from error
            raise
