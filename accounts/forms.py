from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.services import roles_grantable_by
from portal.text import BidiSafeFormMixin


class InvitationForm(BidiSafeFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.COUNCIL_MEMBER)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the roles this sender may grant are offered; any other role is still a valid
        # choice here so that the service refuses it, with its own message, as for every caller.
        grantable = roles_grantable_by(user)
        self.fields["role"].widget.choices = [
            (value, label) for value, label in Role.choices if value in grantable
        ]

    def clean_role(self):
        return Role(self.cleaned_data["role"])


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            from accounts.models import User

            probe = User(email=self.invitation.email, full_name=self.invitation.full_name)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ErasureRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the secretariat (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
