from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Organisation, Sector, TargetGroup
from portal.concurrency import VersionedFormMixin
from portal.forms import OwnIdsFormMixin
from portal.text import BidiSafeFormMixin
from workshops.consent import CURRENT_CONSENT_VERSION, consent_text
from workshops.models import Contribution, Gender, ProgrammeItem, Workshop
from workshops.selectors import (
    meetings_to_carry_to,
    registrations_over_capacity,
    registrations_to_tell_of_cancellation,
)

GENDER_CHOICES = [
    ("", _("Choose (optional)")),
    (Gender.WOMAN, _("Woman")),
    (Gender.MAN, _("Man")),
    (Gender.NON_BINARY, pgettext_lazy("one person's gender", "Non-binary")),
    (Gender.UNKNOWN, _("Prefer not to say")),
]


# The organisation field suggests names from the directory as one types (htmx fills the
# datalist); without JavaScript it is a plain text field, matched by name when saved.
ORGANISATION_INPUT_ATTRS = {
    "list": "organisation-suggestions",
    "autocomplete": "off",
    "data-hx-get": reverse_lazy("directory:name_options"),
    "data-hx-trigger": "input changed delay:250ms",
    "data-hx-target": "#organisation-suggestions",
    "data-hx-swap": "innerHTML",
    "data-hx-sync": "this:replace",
}


class SectorField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Sector"))
        super().__init__(queryset=Sector.objects.all(), to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.label

    def offer(self, sectors) -> None:
        """Offer the sectors the page has loaded already (selectors.sector_list()): the same
        options without a statement of their own; a posted form still validates against the
        database."""
        self.choices = [
            *([("", self.empty_label)] if self.empty_label is not None else []),
            *((sector.code, self.label_from_instance(sector)) for sector in sectors),
        ]


class RegistrationForm(BidiSafeFormMixin, forms.Form):
    """The public registration form. `website_confirm` is a honeypot people never see."""

    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send the confirmation and the link to cancel here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Start typing to pick one from the directory, or write its name."),
        widget=forms.TextInput(attrs=ORGANISATION_INPUT_ATTRS),
    )
    sector = SectorField(
        required=False,
        empty_label=_("Choose"),
        help_text=_("Used only to count how balanced the workshop is between the sectors."),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=GENDER_CHOICES,
        required=False,
        help_text=_("Used only to count whether the workshop is gender-balanced."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example a hearing loop, step-free seating, or material in advance."),
    )
    dietary_needs = forms.CharField(label=_("Dietary needs"), max_length=300, required=False)
    consent = forms.BooleanField(label=_("I agree to how my data is used, as described above."))
    consent_version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    join_waiting_list = forms.BooleanField(
        label=_("Put me on the waiting list"), required=False, widget=forms.HiddenInput
    )
    website_confirm = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_version"].initial = CURRENT_CONSENT_VERSION
        self.consent_text = consent_text()
        self.fields["consent"].error_messages["required"] = _(
            "Please tick the box to agree, or we cannot register you."
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website_confirm"))

    def clean(self):
        data = super().clean()
        if data.get("consent_version") and data["consent_version"] != CURRENT_CONSENT_VERSION:
            self.add_error(
                "consent",
                _(
                    "The terms changed while you were filling in the form: "
                    "please read and agree again."
                ),
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        typed = data.get("organisation_name", "").strip()
        organisation = (
            Organisation.objects.filter(state=Organisation.State.PUBLISHED, name__iexact=typed)
            .select_related("sector")
            .first()
            if typed
            else None
        )
        return {
            "name": data["name"],
            "email": data["email"],
            "organisation": organisation,
            "organisation_name": typed,
            "sector": data.get("sector"),
            "gender": data.get("gender") or Gender.UNKNOWN,
            "accessibility_needs": data.get("accessibility_needs", ""),
            "dietary_needs": data.get("dietary_needs", ""),
            "consent_version": data["consent_version"],
            "join_waiting_list": bool(data.get("join_waiting_list")),
        }


class ContributionForm(BidiSafeFormMixin, forms.Form):
    """Input from a participant's phone, or typed in by staff."""

    kind = forms.ChoiceField(
        label=_("What is it?"), choices=Contribution.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your input"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    sector = SectorField(
        required=False,
        empty_label=_("Prefer not to say"),
        label=_("Which sector do you work in?"),
        help_text=_("Your input is coded by sector so the council can see where it comes from."),
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)
    is_anonymous = forms.BooleanField(label=_("Send anonymously"), required=False, initial=True)
    author_name = forms.CharField(
        label=_("Your name, if you want to be named"), max_length=200, required=False
    )
    theme = forms.CharField(label=_("Theme"), max_length=100, required=False)

    def __init__(self, *args, workshop: Workshop, staff: bool = False, groups=None, **kwargs):
        """`groups`: the workshop's groups, if the page has loaded them (offered without a
        statement; a posted form validates against the database)."""
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        field.queryset = workshop.groups.all()
        field.empty_label = _("No group")
        if groups is not None:
            field.choices = [
                ("", field.empty_label),
                *((group.pk, field.label_from_instance(group)) for group in groups),
            ]
        if not (workshop.groups.exists() if groups is None else groups):
            del self.fields["group"]
        if not staff:
            del self.fields["theme"]

    def clean(self):
        data = super().clean()
        if not data.get("is_anonymous") and not (data.get("author_name") or "").strip():
            self.add_error("author_name", _("Write your name, or tick 'Send anonymously'."))
        return data


class WorkshopForm(VersionedFormMixin, forms.ModelForm):
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Invited target groups"),
        queryset=TargetGroup.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "theme_question",
            "focus",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "city",
            "accessibility",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "council",
            "state",
            "contributions_open",
        ]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The workshop must end after it starts."))
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].label_from_instance = lambda term: term.label
        if self.instance.pk:
            self.initial["target_groups"] = list(self.instance.target_groups.all())
        # Fewer places than people registered: name who moves to the waiting list, and save
        # only once the box below the list is ticked.
        self.capacity_moves = []
        if self.is_bound and self.instance.pk:
            try:
                capacity = int(self.data.get(self.add_prefix("capacity"), ""))
            except ValueError:
                capacity = None
            if capacity is not None and 0 <= capacity < self.instance.capacity:
                self.capacity_moves = registrations_over_capacity(self.instance, capacity)
        # Cancelling the workshop: say who is told, and save only once that is ticked.
        self.cancel_tells = []
        cancelling = (
            self.is_bound
            and self.instance.pk
            and self.instance.state != Workshop.State.CANCELLED
            and self.data.get(self.add_prefix("state")) == Workshop.State.CANCELLED
        )
        if cancelling:
            self.cancel_tells = registrations_to_tell_of_cancellation(self.instance)
            self.fields["confirm_cancel"] = forms.BooleanField(
                label=_("Cancel the workshop and email everyone registered or waiting"),
                error_messages={
                    "required": _("Tick the box to cancel the workshop: nothing was saved yet.")
                },
            )
        if self.capacity_moves:
            self.fields["confirm_capacity"] = forms.BooleanField(
                label=_("Move them to the waiting list and tell them by email"),
                error_messages={
                    "required": _(
                        "Tick the box to confirm, or keep more places: nothing was saved yet."
                    )
                },
            )


class ProgrammeItemForm(VersionedFormMixin, OwnIdsFormMixin, forms.ModelForm):
    """Adds a programme item on the manage page, or edits one on its own page (versioned)."""

    id_prefix = "programme"

    class Meta:
        model = ProgrammeItem
        fields = [
            "starts_at",
            "kind",
            "title",
            "contributor_name",
            "contributor_organisation",
            "contributor_gender",
        ]
        widgets = {"starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class WalkInForm(BidiSafeFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=ORGANISATION_INPUT_ATTRS),
    )
    sector = SectorField(
        required=False, empty_label=pgettext_lazy("workshop statistics", "Not stated")
    )
    gender = forms.ChoiceField(label=_("Gender (optional)"), choices=GENDER_CHOICES, required=False)

    def __init__(self, *args, sectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sectors is not None:
            self.fields["sector"].offer(sectors)


class GroupsForm(forms.Form):
    size = forms.IntegerField(label=_("People per group"), min_value=2, max_value=50, initial=5)
    mix_sectors = forms.BooleanField(
        label=_("Mix the sectors in every group"), required=False, initial=True
    )


class CarryForm(OwnIdsFormMixin, forms.Form):
    id_prefix = "carry"

    contributions = forms.ModelMultipleChoiceField(
        label=_("Contributions"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title of the matter"), max_length=200)
    summary = forms.CharField(
        label=_("What the council should consider"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    meeting = forms.ModelChoiceField(
        label=_("Council meeting"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to raise the matter now and put it on an agenda later."),
    )

    def __init__(self, *args, workshop: Workshop, meetings, contributions=None, **kwargs):
        """`meetings`: a queryset, or the list the page has loaded already; `contributions`:
        the workshop's contributions not carried yet, if the page has loaded them (a page
        then shows the options without querying again; a posted form validates against the
        database)."""
        super().__init__(*args, **kwargs)
        field = self.fields["contributions"]
        field.queryset = workshop.contributions.filter(matter__isnull=True)
        field.label_from_instance = _contribution_label
        self._contributions = contributions
        if contributions is not None:
            field.choices = [(item.pk, _contribution_label(item)) for item in contributions]
        field = self.fields["meeting"]
        field.label_from_instance = _meeting_label
        field.empty_label = _("No meeting yet")
        if isinstance(meetings, list):
            field.queryset = meetings_to_carry_to(workshop)
            field.choices = [("", field.empty_label)] + [
                (meeting.pk, _meeting_label(meeting)) for meeting in meetings
            ]
        else:
            field.queryset = meetings

    @property
    def options_key(self) -> str:
        """The meetings offered (a list that changes with the clock), for a shared copy of
        the empty form (workshops_tags.blank_form)."""
        return ",".join(str(value) for value, _label in self.fields["meeting"].choices)

    @property
    def has_contributions(self) -> bool:
        if self._contributions is not None:
            return bool(self._contributions)
        return self.fields["contributions"].queryset.exists()


def _contribution_label(item: Contribution) -> str:
    return f"{item.get_kind_display()}: {item.text}"


def _meeting_label(meeting) -> str:
    """The meeting's title with its date: meetings often share a title."""
    starts_at = timezone.localtime(meeting.starts_at)
    return f"{meeting.title}, {date_format(starts_at, 'j F Y')}"


class MatterScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Council meeting"), queryset=None)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What came of it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContributionEditForm(VersionedFormMixin, forms.ModelForm):
    """Staff code a contribution (kind, theme) and decide whether the public page shows it."""

    class Meta:
        model = Contribution
        fields = ["kind", "theme", "is_hidden"]
