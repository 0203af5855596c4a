from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import (
    Area,
    LegalForm,
    Municipality,
    Offer,
    Organisation,
    Sector,
    Suggestion,
    TargetGroup,
)
from directory.selectors import DirectoryQuery

MAX_QUERY_LENGTH = 200


class CodeField(forms.CharField):
    """A vocabulary code in the URL: unknown codes are checked by the view, not rejected."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=40, **kwargs)


class DirectorySearchForm(forms.Form):
    """The list page's and the API's query string: ?q=&sector=&municipality=&area=&..."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sector = CodeField(label=_("Sector"))
    municipality = CodeField(label=_("Municipality"))
    area = CodeField(label=_("Area of activity"))
    target_group = CodeField(label=_("Target group"))

    def directory_query(self) -> DirectoryQuery:
        return DirectoryQuery(**{name: self.cleaned_data.get(name) or "" for name in self.fields})


class TermChoiceField(forms.ModelMultipleChoiceField):
    """Several vocabulary terms, submitted by their stable codes."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class OrganisationForm(forms.ModelForm):
    """What an organisation's editor keeps up to date."""

    website = forms.URLField(
        label=_("Website"), max_length=300, required=False, assume_scheme="https"
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="code"
    )
    legal_form = forms.ModelChoiceField(
        label=_("Legal form"),
        queryset=LegalForm.objects.all(),
        to_field_name="code",
        required=False,
    )
    areas = TermChoiceField(
        label=_("Areas of activity"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = TermChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.ModelMultipleChoiceField(
        to_field_name="code",
        label=_("Municipalities served"),
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose more than one."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "alternate_name",
            "organisation_number",
            "sector",
            "legal_form",
            "is_umbrella",
            "description",
            "areas",
            "target_groups",
            "municipalities",
            "website",
            "email",
            "phone",
            "street_address",
            "postal_code",
            "city",
            "accessibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].label_from_instance = lambda term: term.label
        self.fields["legal_form"].label_from_instance = lambda term: term.label


class OrganisationStaffForm(OrganisationForm):
    """The secretariat's form: also the publication state."""

    class Meta(OrganisationForm.Meta):
        fields = [*OrganisationForm.Meta.fields, "state"]


class OfferForm(forms.ModelForm):
    url = forms.URLField(label=_("Web page"), max_length=300, required=False, assume_scheme="https")
    target_groups = TermChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = TermChoiceField(
        label=_("Areas of activity"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.ModelMultipleChoiceField(
        to_field_name="code",
        label=_("Where"),
        queryset=Municipality.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "target_groups",
            "areas",
            "municipalities",
            "location",
            "how_to_apply",
            "url",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }


class SuggestionForm(forms.Form):
    """A visitor's suggestion. `website_confirm` is a honeypot: people never see it."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="code", required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
        required=False,
    )
    website = forms.URLField(
        label=_("Website"), max_length=300, required=False, assume_scheme="https"
    )
    email = forms.EmailField(label=_("Email address of the organisation"), required=False)
    message = forms.CharField(
        label=_("What does the organisation do?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    submitter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    submitter_email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        help_text=_(
            "Only if you want us to be able to ask you something. We use it for nothing else."
        ),
    )
    website_confirm = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )

    def __init__(self, *args, correction_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.correction_for = correction_for
        self.fields["sector"].label_from_instance = lambda term: term.label
        if correction_for is not None:
            for name in ("name", "sector", "municipality", "website", "email"):
                del self.fields[name]
            self.fields["message"].label = _("What should be corrected?")

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website_confirm"))

    def submit_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "website_confirm"}
        if self.correction_for is not None:
            return {"kind": Suggestion.Kind.CORRECTION, "organisation": self.correction_for, **data}
        return {"kind": Suggestion.Kind.NEW, **data}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Accept")), ("reject", _("Decline"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
