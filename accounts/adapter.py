from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: council accounts start from the secretariat's invitation."""

    def is_open_for_signup(self, request):
        return False
