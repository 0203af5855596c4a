from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django import forms
from django.template.loader import render_to_string


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

    def send_mail(self, template_prefix, email, context):
        """allauth's emails like the portal's own: in the recipient's language, with the
        portal's name (not the host's), a plain-text and an HTML part and links to the host
        the person used."""
        from allauth.core import context as allauth_context
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.utils import translation

        from portal import mail

        request = allauth_context.request
        # A confirmation for an address being added is for the signed-in person, whose
        # chosen language counts even though the address is not yet theirs.
        user = context.get("user")
        if not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).first()
        language = mail.recipient_language(user, translation.get_language())
        with translation.override(language):
            ctx = mail._common_context(
                {"request": request, "email": email, "current_site": _Site(), **context},
                email,
                user,
            )
            subject = render_to_string(f"{template_prefix}_subject.txt", ctx)
            subject = self.format_email_subject(" ".join(subject.splitlines()).strip())
            text = render_to_string(f"{template_prefix}_message.txt", ctx)
            message = mail.build(
                subject=subject, text=text, html=None, context=ctx, to=email, language=language
            )
        message.from_email = settings.DEFAULT_FROM_EMAIL
        message.send()


class _Site:
    """What allauth's templates read as ``current_site``: the portal's name and address."""

    @property
    def name(self):
        from django.conf import settings

        return settings.PORTAL_NAME

    @property
    def domain(self):
        from portal.mail import site_url

        return site_url()
