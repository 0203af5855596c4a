from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from directory.models import (
    Area,
    ContactRole,
    Language,
    LegalForm,
    Municipality,
    Offer,
    Organisation,
    Person,
    Sector,
    Suggestion,
    TargetGroup,
)
from directory.selectors import DirectoryQuery, OfferQuery
from portal.concurrency import VersionedFormMixin
from portal.form_rendering import plain_widget_renderer
from portal.text import BidiSafeFormMixin

MAX_QUERY_LENGTH = 200


class CodeField(forms.CharField):
    """A vocabulary code in the URL: unknown codes are checked by the view, not rejected."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=40, **kwargs)


class DirectorySearchForm(forms.Form):
    """The list page's and the API's query string: ?q=&sector=&municipality=&area=&..."""

    default_renderer = plain_widget_renderer  # see portal/form_rendering.py
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


class OfferSearchForm(forms.Form):
    """The offer search's query string: ?q=&municipality=&area=&target_group=&language=&..."""

    default_renderer = plain_widget_renderer  # see portal/form_rendering.py
    q = forms.CharField(
        label=_("Search offers"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    municipality = CodeField(label=_("Municipality"))
    area = CodeField(label=_("Area of activity"))
    target_group = CodeField(label=_("Target group"))
    language = CodeField(label=_("Language"))
    cost = forms.ChoiceField(
        label=_("Cost"),
        required=False,
        choices=[("", _("Any")), ("free", _("Free of charge")), ("fee", _("With a fee"))],
    )
    no_referral = forms.BooleanField(label=_("No referral needed"), required=False)

    def offer_query(self) -> OfferQuery:
        return OfferQuery(
            **{
                name: self.cleaned_data.get(name) or ("" if name != "no_referral" else False)
                for name in self.fields
            }
        )


class EditorAddForm(forms.Form):
    """The secretariat names an existing account (by its email) as an editor."""

    email = forms.EmailField(
        label=_("Email address of the editor's account"),
        help_text=_("The person needs an account: invite them first if they have none."),
    )

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"].strip()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("There is no account with this email address. Invite the person first.")
            )
        return user


class NameLookupForm(forms.Form):
    """What someone has typed so far into an organisation field (see name_options)."""

    # CharField also refuses NUL characters, which PostgreSQL cannot compare.
    q = forms.CharField(max_length=100, required=False, strip=True)


class FilterableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a long list (the 290 municipalities): the form templates render them in
    a scrolling box with a type-to-filter box that JavaScript adds (directory/includes/
    choice_group.html, static/js/filter_list.js). No Ctrl-click, and it works without JS."""

    filterable = True


class PreparedChoices(BaseChoiceIterator):
    """Options already written as (value, label): Django normalises a list of choices pair by
    pair when a field gets it (290 municipalities), an iterator as it is."""

    def __init__(self, options: list[tuple]):
        self.options = options

    def __iter__(self):
        return iter(self.options)


class TermChoiceField(forms.ModelMultipleChoiceField):
    """Several vocabulary terms, submitted by their stable codes."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class OrganisationForm(VersionedFormMixin, forms.ModelForm):
    """What an organisation's editor keeps up to date."""

    # Its 17 fields (each also posted as a hidden initial copy) written without widget
    # templates: see portal/form_rendering.py.
    default_renderer = plain_widget_renderer

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
        widget=FilterableCheckboxes,
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

    def __init__(self, *args, vocabularies: dict | None = None, **kwargs):
        """`vocabularies` (directory.selectors.form_vocabularies()): the options as (code,
        label), read in two statements instead of one per field; a posted form still
        validates against the database through each field's queryset."""
        super().__init__(*args, **kwargs)
        self.fields["sector"].label_from_instance = lambda term: term.label
        self.fields["legal_form"].label_from_instance = lambda term: term.label
        for name, options in (vocabularies or {}).items():
            field = self.fields[name]
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            field.choices = PreparedChoices(empty + options)
        if self.instance.pk:
            # The model gives the primary key, but these fields name terms by their code:
            # the term itself lets the field show (and compare) the stored choice.
            self.initial["sector"] = self.instance.sector
            self.initial["legal_form"] = self.instance.legal_form


class OrganisationStaffForm(OrganisationForm):
    """The secretariat's form: also the publication state."""

    class Meta(OrganisationForm.Meta):
        fields = [*OrganisationForm.Meta.fields, "state"]


class OrganisationCreateForm(OrganisationForm):
    """The secretariat's form for a new entry: the edit form's fields, then draft or published."""

    state = forms.ChoiceField(
        label=_("Publish"),
        choices=[
            (Organisation.State.DRAFT, _("As a draft: only editors and the secretariat see it")),
            (Organisation.State.PUBLISHED, _("Published: shown in the directory at once")),
        ],
        initial=Organisation.State.DRAFT,
        widget=forms.RadioSelect,
    )

    class Meta(OrganisationForm.Meta):
        fields = [*OrganisationForm.Meta.fields, "state"]

    def create_kwargs(self) -> dict:
        """Plain values for services.organisation_create; the form never saves itself."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})" if obj.email else obj.name


class ContactRoleForm(forms.Form):
    """A new contact point: an existing person or a new one, and their recorded consent.

    Consent is required here: a contact point added through the portal's pages is one that
    may be shown. `people` limits whom an editor may pick (the view decides).
    """

    person = PersonChoiceField(
        label=_("Existing person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("– a new person –"),
        help_text=_("Or leave this and fill in the new person's details below."),
    )
    person_name = forms.CharField(label=_("Name of the new person"), max_length=200, required=False)
    person_email = forms.EmailField(
        label=_("Email address of the new person"),
        max_length=254,
        required=False,
        help_text=_("For the secretariat only; not shown."),
    )
    person_phone = forms.CharField(
        label=_("Phone number of the new person"),
        max_length=40,
        required=False,
        help_text=_("For the secretariat only; not shown."),
    )
    title = forms.CharField(
        label=_("Role"),
        max_length=200,
        help_text=_("For example: contact for civil society, development officer."),
    )
    public_email = forms.EmailField(
        label=_("Email address shown publicly"), max_length=254, required=False
    )
    public_phone = forms.CharField(
        label=_("Phone number shown publicly"), max_length=40, required=False
    )
    consent = forms.BooleanField(
        label=_("The person has agreed to be shown publicly as a contact point"),
        error_messages={
            "required": _("Without the person's consent the contact point cannot be added.")
        },
    )
    consent_note = forms.CharField(
        label=_("How consent was given"),
        max_length=200,
        help_text=_("For example: by email to the secretariat on 3 March."),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people

    def clean(self):
        cleaned = super().clean()
        person, name = cleaned.get("person"), (cleaned.get("person_name") or "").strip()
        new_details = name or cleaned.get("person_email") or cleaned.get("person_phone")
        if person is not None and new_details:
            self.add_error("person", _("Choose an existing person or fill in a new one, not both."))
        elif person is None and not name and "person_name" not in self.errors:
            self.add_error("person_name", _("Give the name of the contact person."))
        return cleaned

    def create_kwargs(self) -> dict:
        """Plain values for services.contact_role_create (consent as of now)."""
        data = self.cleaned_data
        person = data.get("person")
        details = (
            {"person": person}
            if person is not None
            else {
                "person_name": data["person_name"],
                "person_email": data["person_email"],
                "person_phone": data["person_phone"],
            }
        )
        return {
            **details,
            "title": data["title"],
            "public_email": data["public_email"],
            "public_phone": data["public_phone"],
            "consent_given_at": timezone.now(),
            "consent_note": data["consent_note"],
        }


# RFC 5545 weekday codes, as HSDS schedule.byday keeps them, in calendar order.
WEEKDAYS = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class WeekdaysField(forms.MultipleChoiceField):
    """Weekdays as checkboxes, stored as RFC 5545 codes joined by commas ("MO,WE")."""

    def __init__(self, **kwargs):
        super().__init__(choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [day for day in value.split(",") if day]
        return value

    def clean(self, value):
        chosen = set(super().clean(value))
        return ",".join(code for code, _label in WEEKDAYS if code in chosen)


class OfferForm(VersionedFormMixin, forms.ModelForm):
    """An offer with what HSDS asks of a service: who it is for, how to get in, cost,
    languages, regular times and where. The last-checked date is set by saving."""

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
        widget=FilterableCheckboxes,
    )
    languages = TermChoiceField(
        label=_("Languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schedule_days = WeekdaysField(label=_("Days"), required=False)

    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "target_groups",
            "areas",
            "municipalities",
            "location",
            "eligibility",
            "referral_required",
            "how_to_apply",
            "is_free",
            "fees_description",
            "languages",
            "schedule_frequency",
            "schedule_days",
            "opens_at",
            "closes_at",
            "schedule_note",
            "url",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The end time must be after the start time."))
        if cleaned.get("schedule_days") and not cleaned.get("schedule_frequency"):
            self.add_error("schedule_frequency", _("Say how often it repeats on these days."))
        return cleaned


class SuggestionForm(BidiSafeFormMixin, forms.Form):
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
    email = forms.EmailField(
        label=_("Email address of the organisation"), max_length=254, required=False
    )
    message = forms.CharField(
        label=_("What does the organisation do?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    submitter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    submitter_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
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


class ContactRoleEditForm(VersionedFormMixin, forms.ModelForm):
    """A contact point's role and the details shown with it (versioned: editors of one
    organisation and the secretariat may change it at the same time). Consent has its own
    actions; the person's private details are the secretariat's, on the person page."""

    class Meta:
        model = ContactRole
        fields = ["title", "public_email", "public_phone"]
        labels = {
            "title": _("Role"),
            "public_email": _("Email address shown publicly"),
            "public_phone": _("Phone number shown publicly"),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Accept")), ("reject", _("Decline"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PersonEraseForm(forms.Form):
    """Erasure cannot be undone: the secretariat types the person's name to confirm it."""

    confirm_name = forms.CharField(label=_("Type the person's name to confirm"), max_length=200)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_name(self):
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.person.name.split()).casefold():
            raise forms.ValidationError(
                _("The name does not match. Type the name exactly as it is shown.")
            )
        return typed
