from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from agreements.enums import (
    DECISION_STEP_ORDER,
    PRINCIPLE_ORDER,
    SCORE_MAX,
    SCORE_MIN,
    ActionStatus,
    AnchoringLevel,
    ChecklistState,
    CollaborationForm,
    DecisionStep,
    Level,
    LogKind,
    ParticipationLevel,
    Phase,
    PrincipleCode,
    RespondentRole,
    Side,
)
from agreements.models import Principle
from directory.models import Municipality, Organisation, Region
from portal.concurrency import VersionedFormMixin
from portal.form_rendering import plain_widget_renderer
from portal.forms import OwnIdsFormMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _leaders():
    return (
        User.objects.filter(is_active=True)
        .filter(groups__name__in=[Role.PROCESS_LEADER, Role.SECRETARIAT])
        .distinct()
        .order_by("full_name", "email")
    )


class LeaderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class VersionedForm(VersionedFormMixin):
    """Carries the version the page was loaded with, for the service's stale check."""

    versioned = True


class AgreementDetailsForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    civil_parties = forms.ModelMultipleChoiceField(
        label=_("Civil-society parties"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Often an umbrella organisation that speaks for local associations."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    process_leaders = LeaderChoiceField(
        label=_("Process leaders"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A good pair: one who knows civil society and one who knows the public side."),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    started_on = forms.DateField(label=_("Started"), required=False, widget=DateInput())
    signed_on = forms.DateField(label=_("Signed"), required=False, widget=DateInput())
    collaboration_forms = forms.MultipleChoiceField(
        label=_("Forms of collaboration and funding in use"),
        choices=CollaborationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_assessment_on = forms.DateField(
        label=_("Next assessment round"), required=False, widget=DateInput()
    )
    summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the public page."),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only process leaders and the secretariat see these."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Draft (and hidden) organisations are not offered: a party must be in the directory.
        self.fields["civil_parties"].queryset = Organisation.objects.filter(
            sector__code="civil_society", state=Organisation.State.PUBLISHED
        ).order_by("name")
        self.fields["process_leaders"].queryset = _leaders()

    def clean(self):
        data = super().clean()
        started, signed = data.get("started_on"), data.get("signed_on")
        if started and signed and signed < started:
            self.add_error("signed_on", _("The agreement cannot be signed before it started."))
        return data


class AgreementCreateForm(AgreementDetailsForm):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.LOCAL)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("For a local agreement."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        required=False,
        help_text=_("For a regional agreement."),
    )
    public_party = forms.ModelChoiceField(
        label=_("Public party"), queryset=Organisation.objects.none()
    )
    phase = forms.ChoiceField(label=_("Current phase"), choices=Phase.choices, initial=Phase.PRE)

    field_order = [
        "title",
        "level",
        "municipality",
        "region",
        "public_party",
        "civil_parties",
        "process_leaders",
        "phase",
        "started_on",
        "signed_on",
        "collaboration_forms",
        "next_assessment_on",
        "summary",
        "internal_notes",
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("version", 0)
        super().__init__(*args, **kwargs)
        self.fields["public_party"].queryset = Organisation.objects.filter(
            sector__code="public", state=Organisation.State.PUBLISHED
        ).order_by("name")
        self.fields["version"].required = False

    def clean(self):
        data = super().clean()
        if data.get("level") == Level.LOCAL and not data.get("municipality"):
            self.add_error("municipality", _("A local agreement needs its municipality."))
        if data.get("level") == Level.REGIONAL and not data.get("region"):
            self.add_error("region", _("A regional agreement needs its region."))
        return data


class PhaseForm(VersionedForm):
    direction = forms.ChoiceField(
        choices=[("advance", _("Advance")), ("revert", _("Go back"))], widget=forms.HiddenInput
    )
    effective_on = forms.DateField(
        label=_("Took effect on"),
        required=False,
        widget=DateInput(),
        help_text=_("Today unless the change happened earlier; never before the previous one."),
    )

    def clean_effective_on(self):
        return _not_future(self.cleaned_data.get("effective_on"))

    note = forms.CharField(
        label=_("Why (recorded in the history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("direction") == "revert" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the process goes back a phase."))
        return data


class ChecklistAnswerForm(VersionedForm):
    default_renderer = plain_widget_renderer  # see portal/form_rendering.py

    state = forms.ChoiceField(
        label=_("State"), choices=ChecklistState.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=300,
        help_text=_("A link or a reference to a document, for example a meeting's minutes."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence document"),
        required=False,
        help_text=_(
            "PDF or office document (Word, Excel, PowerPoint, OpenDocument), at most 10 MB."
        ),
    )
    remove_file = forms.BooleanField(label=_("Remove the document"), required=False)

    @classmethod
    def field_texts(cls) -> dict:
        """Labels, help texts and states, for the questions written out without a form
        (the `checklist_row` tag in agreements/templatetags/agreements_tags.py)."""
        fields = cls.base_fields
        return {
            "states": [(value, str(label)) for value, label in fields["state"].choices],
            "note": str(fields["note"].label),
            "evidence": str(fields["evidence"].label),
            "evidence_help": str(fields["evidence"].help_text),
            "evidence_file": str(fields["evidence_file"].label),
            "evidence_file_help": str(fields["evidence_file"].help_text),
            "remove_file": str(fields["remove_file"].label),
        }

    def clean_evidence_file(self):
        from agreements.services import evidence_validate

        upload = self.cleaned_data.get("evidence_file")
        if upload:
            try:
                evidence_validate(upload)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["evidence_file"]) from None
        return upload or None


class LocalQuestionForm(forms.Form):
    default_renderer = plain_widget_renderer  # see portal/form_rendering.py

    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    text_sv = forms.CharField(label=_("Question in Swedish"), max_length=300)
    text_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)


class AssessmentForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the round"), widget=DateInput())

    def clean_held_on(self):
        return _not_future(self.cleaned_data["held_on"])

    side = forms.ChoiceField(label=_("Which side is rating"), choices=Side.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        labels = dict(PrincipleCode.choices)
        score_choices = [("", "—")] + [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for code in PRINCIPLE_ORDER:
            self.fields[f"score_{code}"] = forms.TypedChoiceField(
                label=labels[code],
                choices=score_choices,
                coerce=int,
                help_text=_("1 = not at all, 5 = fully"),
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Comment on %(principle)s") % {"principle": labels[code]},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def principle_rows(self):
        return [(self[f"score_{code}"], self[f"comment_{code}"]) for code in PRINCIPLE_ORDER]

    def scores(self) -> dict:
        return {
            code: (self.cleaned_data[f"score_{code}"], self.cleaned_data[f"comment_{code}"])
            for code in PRINCIPLE_ORDER
        }


class ActionForm(OwnIdsFormMixin, forms.Form):
    default_renderer = plain_widget_renderer  # see portal/form_rendering.py

    id_prefix = "action"

    title = forms.CharField(label=_("Action"), max_length=200)
    owner_side = forms.ChoiceField(label=_("Owner"), choices=Side.choices)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    principle = forms.ModelChoiceField(
        label=_("Principle it strengthens"), queryset=Principle.objects.all(), required=False
    )

    def __init__(self, *args, principles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if principles is not None:  # already loaded by the page: no query for the options
            field = self.fields["principle"]
            field.choices = [
                ("", field.empty_label),
                *((p.pk, field.label_from_instance(p)) for p in principles),
            ]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    # The action's version when the page was loaded (see council.forms.ActionStatusForm).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class LogEntryForm(OwnIdsFormMixin, forms.Form):
    default_renderer = plain_widget_renderer  # see portal/form_rendering.py

    id_prefix = "log"

    kind = forms.ChoiceField(label=_("Kind"), choices=LogKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=300, assume_scheme="https")


class AnchoringForm(forms.Form):
    default_renderer = plain_widget_renderer  # see portal/form_rendering.py

    level = forms.ChoiceField(label=_("Level"), choices=AnchoringLevel.choices)
    anchored_on = forms.DateField(label=_("Date"), widget=DateInput())

    def clean_anchored_on(self):
        return _not_future(self.cleaned_data["anchored_on"])

    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("For example the council decision's number or the meeting it was taken at."),
    )


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot lie in the future."))
    return value


class PrincipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RoundOpenForm(forms.Form):
    held_on = forms.DateField(
        label=_("Opens"), widget=DateInput(), help_text=_("Today or earlier.")
    )
    closes_on = forms.DateField(
        label=_("Closes"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day answers are taken. Leave empty to close it by hand."),
    )
    principles = PrincipleChoiceField(
        label=_("Principles to rate"),
        queryset=Principle.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties taking part"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    asks_participation = forms.BooleanField(
        label=_("Also ask about the levels of participation (Code of Good Practice)"),
        required=False,
        help_text=_(
            "A second, short questionnaire from the Council of Europe's Code of Good Practice "
            "for Civil Participation (2009): for each step of the decision-making process, "
            "each respondent says how far civil society takes part, from information to "
            "partnership. Both sides answer the same questions."
        ),
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        parties = Organisation.objects.filter(
            pk__in=[
                agreement.public_party_id,
                *agreement.civil_parties.values_list("pk", flat=True),
            ]
        ).order_by("name")
        self.fields["parties"].queryset = parties
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["principles"].initial = list(self.fields["principles"].queryset)
        self.fields["parties"].initial = list(parties)

    def clean_held_on(self):
        return _not_future(self.cleaned_data["held_on"])

    def clean(self):
        data = super().clean()
        held_on, closes_on = data.get("held_on"), data.get("closes_on")
        if held_on and closes_on and closes_on < held_on:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        return data


class RoundDatesForm(OwnIdsFormMixin, VersionedForm):
    id_prefix = "dates"

    held_on = forms.DateField(label=_("Opens"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes"), required=False, widget=DateInput())

    def clean_held_on(self):
        return _not_future(self.cleaned_data["held_on"])

    def clean(self):
        data = super().clean()
        held_on, closes_on = data.get("held_on"), data.get("closes_on")
        if held_on and closes_on and closes_on < held_on:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        return data


class RoundStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("open", "open"), ("closed", "closed")])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class RoundWithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the round withdrawn? (kept in the history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class RespondentInviteForm(OwnIdsFormMixin, forms.Form):
    id_prefix = "invite"

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Answers as"), choices=RespondentRole.choices)
    organisation = forms.ModelChoiceField(
        label=_("Civil-society party"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For a civil-society respondent: the party they answer for."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("sv", "Svenska"), ("en", "English")],
        initial="sv",
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = round_.parties.filter(
            sector__code="civil_society"
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("role") == RespondentRole.CIVIL_SOCIETY and not data.get("organisation"):
            self.add_error("organisation", _("Choose the civil-society party."))
        return data


STEP_HELP = {
    DecisionStep.AGENDA_SETTING: _("Deciding which questions are taken up at all."),
    DecisionStep.DRAFTING: _("Preparing a policy, plan or proposal before it is decided."),
    DecisionStep.DECISION: _("The decision itself, by the politicians or the board."),
    DecisionStep.IMPLEMENTATION: _("Carrying out what was decided."),
    DecisionStep.MONITORING: _("Following up whether it works as intended."),
    DecisionStep.REFORMULATION: _("Changing course or starting again after the follow-up."),
}
LEVEL_HELP = {
    ParticipationLevel.NONE: _("Civil society is not involved"),
    ParticipationLevel.INFORMATION: _("We are told what is planned or decided"),
    ParticipationLevel.CONSULTATION: _("We are asked for our views"),
    ParticipationLevel.DIALOGUE: _("We talk it through together, more than once"),
    ParticipationLevel.PARTNERSHIP: _("We share responsibility for it"),
    ParticipationLevel.UNKNOWN: _("I cannot judge this step"),
}


class RoundAnswerForm(forms.Form):
    """One respondent's ratings: each principle 1-5 and an optional comment; in a round that
    asks it, a level of participation for each step of the decision-making process."""

    def __init__(self, *args, principles, participation=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.principle_list = list(principles)
        self.asks_participation = participation
        choices = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for principle in self.principle_list:
            self.fields[f"score_{principle.code}"] = forms.TypedChoiceField(
                label=principle.name,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 = not at all, 5 = fully"),
                error_messages={"required": _("Choose a rating from 1 to 5.")},
            )
            self.fields[f"comment_{principle.code}"] = forms.CharField(
                label=_("Comment on %(principle)s (optional, shown without your name)")
                % {"principle": principle.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

        if participation:
            levels = [(code, label) for code, label in ParticipationLevel.choices]
            for step in DECISION_STEP_ORDER:
                self.fields[f"level_{step}"] = forms.ChoiceField(
                    label=DecisionStep(step).label,
                    choices=levels,
                    widget=forms.RadioSelect,
                    help_text=STEP_HELP[step],
                    error_messages={
                        "required": _("Choose a level of participation for every step."),
                        "invalid_choice": _("Choose one of the levels of participation listed."),
                    },
                )

    def rows(self):
        return [
            (p, self[f"score_{p.code}"], self[f"comment_{p.code}"]) for p in self.principle_list
        ]

    def step_rows(self):
        """(step code, its field, [(level help, radio), ...]) for the questionnaire."""
        if not self.asks_participation:
            return []
        rows = []
        for step in DECISION_STEP_ORDER:
            bound = self[f"level_{step}"]
            rows.append((step, bound, [(LEVEL_HELP[r.data["value"]], r) for r in bound]))
        return rows

    def participation(self) -> dict[str, str] | None:
        if not self.asks_participation:
            return None
        return {step: self.cleaned_data[f"level_{step}"] for step in DECISION_STEP_ORDER}

    def scores(self) -> dict:
        return {
            p.code: (self.cleaned_data[f"score_{p.code}"], self.cleaned_data[f"comment_{p.code}"])
            for p in self.principle_list
        }


class PhasePlanForm(OwnIdsFormMixin, VersionedForm):
    """The planned start date of each phase, beside the actual ones in the timeline."""

    default_renderer = plain_widget_renderer  # see portal/form_rendering.py

    id_prefix = "plan"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for phase, label in Phase.choices:
            self.fields[f"plan_{phase}"] = forms.DateField(
                label=label, required=False, widget=DateInput()
            )

    def clean(self):
        data = super().clean()
        previous = None
        for phase in Phase.values:
            value = data.get(f"plan_{phase}")
            if value and previous and value < previous:
                self.add_error(
                    f"plan_{phase}",
                    _("A phase cannot be planned to begin before the one before it."),
                )
            previous = value or previous
        return data

    def plan(self) -> dict:
        return {phase: self.cleaned_data.get(f"plan_{phase}") for phase in Phase.values}
