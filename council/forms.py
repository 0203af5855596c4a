"""Forms validate what people type; the services decide what may happen."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from council.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Council,
    Decision,
    Membership,
    Role,
)
from council.services import DOCUMENT_MAX_BYTES, DOCUMENT_TYPES
from directory.models import Organisation, Person
from portal.concurrency import VersionedFormMixin
from portal.form_rendering import plain_widget_renderer


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CompositionDateForm(forms.Form):
    on = forms.DateField(label=_("Composition on"), required=False, widget=DateInput())


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class MembershipForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.filter(erased_at=None).order_by("name")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation represented"),
        queryset=Organisation.objects.select_related("sector").order_by("name_normalised"),
        required=False,
        help_text=_("Required for representatives; the sector follows the organisation."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    end_date = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    work_share = forms.IntegerField(
        label=_("Work share (%)"), min_value=1, max_value=100, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("Last day"), widget=DateInput())

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_end_date(self):
        value = self.cleaned_data["end_date"]
        if value < self.membership.start_date:
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return value


class MembershipChangeForm(forms.Form):
    on = forms.DateField(label=_("From (first day of the change)"), widget=DateInput())
    organisation = forms.ModelChoiceField(
        label=_("New organisation"),
        queryset=Organisation.objects.order_by("name_normalised"),
        required=False,
        help_text=_("Leave empty to keep the organisation."),
    )
    work_share = forms.IntegerField(
        label=_("New work share (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty to keep the work share."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and data.get("work_share") is None:
            raise forms.ValidationError(_("Choose a new organisation or a new work share."))
        return data


class MeetingForm(VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput())
    end_day = forms.DateField(
        label=_("Ends on another date"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for a meeting that goes on past midnight or over several days."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free entrance, hearing loop, accessible toilet, nearest stop, ..."),
    )
    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=300, required=False, assume_scheme="https"
    )

    @staticmethod
    def initial_for(meeting) -> dict:
        zone = ZoneInfo(settings.TIME_ZONE)
        starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
        return {
            "version": meeting.version,
            "title": meeting.title,
            "day": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            # Shown only when it differs, so that moving the date of an ordinary meeting
            # moves its end with it.
            "end_day": ends.date() if ends.date() != starts.date() else None,
            "place": meeting.place,
            "address": meeting.address,
            "accessibility": meeting.accessibility,
            "online_url": meeting.online_url,
        }

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            zone = ZoneInfo(settings.TIME_ZONE)
            data["starts_at"] = datetime.combine(day, start, tzinfo=zone)
            data["ends_at"] = datetime.combine(data.get("end_day") or day, end, tzinfo=zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The meeting must end after it starts."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online meeting link."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        keys = ("title", "starts_at", "ends_at", "place", "address", "accessibility", "online_url")
        return {key: data[key] for key in keys}


def _check_upload(upload):
    if upload is None:
        return upload
    from council.services import document_validate

    document_validate(upload)  # raises ValidationError with the reason, shown at the field
    return upload


_DOCUMENT_HELP = _("At most %(mb)s MB; PDF, Word, Excel, PowerPoint, OpenDocument, text or image.")


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Short description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the council should discuss or decide, in a few sentences."),
    )
    document = forms.FileField(
        label=_("Document (optional)"),
        required=False,
        help_text=_DOCUMENT_HELP % {"mb": DOCUMENT_MAX_BYTES // 2**20},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].widget.attrs["accept"] = ",".join(sorted(DOCUMENT_TYPES))

    def clean_document(self):
        return _check_upload(self.cleaned_data.get("document"))


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Add a document"), help_text=_DOCUMENT_HELP % {"mb": DOCUMENT_MAX_BYTES // 2**20}
    )

    def clean_document(self):
        return _check_upload(self.cleaned_data.get("document"))


class AgendaActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", "accept"), ("decline", "decline"), ("up", "up"), ("down", "down")]
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the item, and on the workshop matter it came from, if any."),
    )


class RsvpForm(forms.Form):
    # On the meeting page for every member who may reply: its widgets written in Python.
    default_renderer = plain_widget_renderer

    reply = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=[(Attendance.Reply.YES, _("Yes, I am coming")), (Attendance.Reply.NO, _("No"))],
        widget=forms.RadioSelect,
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy who comes in my place"),
        queryset=Person.objects.none(),
        required=False,
    )

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = list(deputies or [])
        if deputies:
            self.fields["reply"].choices = [
                *self.fields["reply"].choices,
                (Attendance.Reply.DEPUTY, _("No, a deputy comes in my place")),
            ]
            self.fields["deputy"].queryset = Person.objects.filter(
                pk__in=[p.pk for p in deputies]
            ).order_by("name")
            # The options from the list in hand: showing the form reads no more rows (the
            # queryset still checks the answer).
            self.fields["deputy"].choices = [
                ("", self.fields["deputy"].empty_label),
                *((p.pk, str(p)) for p in sorted(deputies, key=lambda p: p.name)),
            ]
        else:
            del self.fields["deputy"]

    def clean(self):
        data = super().clean()
        if data.get("reply") == Attendance.Reply.DEPUTY and not data.get("deputy"):
            self.add_error("deputy", _("Choose the deputy who comes in your place."))
        if data.get("reply") != Attendance.Reply.DEPUTY:
            data["deputy"] = None
        return data


class AttendanceForm(forms.Form):
    """One status field per invited person, named after the attendance row."""

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        for attendance in attendances:
            self.fields[f"a{attendance.pk}"] = forms.ChoiceField(
                label=attendance.person.name or _("Erased person"),
                choices=Attendance.Status.choices,
                initial=self.initial_status(attendance),
            )

    @staticmethod
    def initial_status(attendance) -> str:
        """What is recorded, or else what the reply says: coming (or sending a deputy) is
        present until the secretariat says otherwise, not coming is excused."""
        if attendance.status != Attendance.Status.UNKNOWN:
            return attendance.status
        return {
            Attendance.Reply.YES: Attendance.Status.PRESENT,
            Attendance.Reply.DEPUTY: Attendance.Status.PRESENT,
            Attendance.Reply.NO: Attendance.Status.EXCUSED,
        }.get(attendance.reply, Attendance.Status.UNKNOWN)

    def statuses(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"a{a.pk}"] for a in self.attendances}

    def rows(self):
        for attendance in self.attendances:
            yield attendance, self[f"a{attendance.pk}"]


class MinutesForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _owner_field() -> forms.ModelChoiceField:
    # The empty choice is a real owner: the secretariat as a whole.
    return forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("The secretariat"),
    )


def _owner_queryset(meeting, current=None):
    people = Person.objects.filter(attendances__meeting=meeting, erased_at=None)
    if current is not None:
        people = people | Person.objects.filter(pk=current.pk)
    return people.distinct().order_by("name")


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=300)
    owner = _owner_field()
    due_date = forms.DateField(label=_("Due"), widget=DateInput())
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field()
        self.fields["owner"].queryset = _owner_queryset(meeting)
        self.fields["agenda_item"].queryset = meeting.agenda_items.filter(
            state=AgendaItem.State.ACCEPTED
        )
        self.prefix = "action"


class DecisionEditForm(VersionedFormMixin, forms.ModelForm):
    """Correct a decision's text or the item it was taken under."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        required=False,
        help_text=_("Shown in the history beside the change."),
    )

    class Meta:
        model = Decision
        fields = ["text", "agenda_item"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(
            meeting_id=self.instance.meeting_id, state=AgendaItem.State.ACCEPTED
        )
        self.fields["agenda_item"].empty_label = None
        self.fields["reason"].show_hidden_initial = False

    @staticmethod
    def initial_for(decision) -> dict:
        return {
            "version": decision.version,
            "text": decision.text,
            "agenda_item": decision.agenda_item_id,
        }


class ActionItemEditForm(VersionedFormMixin, forms.ModelForm):
    """Correct an action item: what, who, when and how far it has come."""

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date", "status", "agenda_item"]
        labels = {"title": _("What is to be done")}
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting
        self.fields["owner"].queryset = _owner_queryset(meeting, self.instance.owner)
        self.fields["owner"].empty_label = _("The secretariat")
        self.fields["agenda_item"].queryset = meeting.agenda_items.filter(
            state=AgendaItem.State.ACCEPTED
        )

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "version": item.version,
            "title": item.title,
            "owner": item.owner_id,
            "due_date": item.due_date,
            "status": item.status,
            "agenda_item": item.agenda_item_id,
        }


class ReasonForm(forms.Form):
    """The confirmation step of a withdrawal: why (optional), and the version seen."""

    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    # The item's version when the list was loaded (optional: the status is one field, and a
    # list page that predates the version still saves; a stale one is refused).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class SpeakerForm(forms.Form):
    person = forms.IntegerField(min_value=1)


class SpeakerAddForm(forms.Form):
    """The chair or secretariat puts someone present on the list."""

    person = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args, candidates: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = candidates
        self.person = None

    def clean_person(self):
        value = self.cleaned_data["person"]
        self.person = Person.objects.get(pk=value)
        return value


class PapersDeadlineForm(forms.Form):
    """The date and time papers must be sent by (local time), or empty for none."""

    day = forms.DateField(label=_("Send papers by (date)"), required=False, widget=DateInput())
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())

    def deadline(self):
        day = self.cleaned_data.get("day")
        if day is None:
            return None
        moment = self.cleaned_data.get("time") or datetime.min.time().replace(hour=23, minute=59)
        return datetime.combine(day, moment, tzinfo=ZoneInfo(settings.TIME_ZONE))


class SpeakerItemLimitForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time per turn on this item (seconds)"),
        min_value=10,
        max_value=3600,
        required=False,
    )


class SpeakerPlaceForm(forms.Form):
    entry = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("withdraw", "start", "up", "down", "remove")]
    )


class SpeakerTopicForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item now discussed"), coerce=int, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.fields["item"].choices = [("", _("No item"))] + [
            (item.pk, item.title) for item in items
        ]

    def clean_item(self):
        value = self.cleaned_data["item"]
        return self.items.get(value) if value not in (None, "") else None


class SpeakerRulesForm(forms.Form):
    balanced = forms.BooleanField(label=_("Balanced order of speakers"), required=False)
    time_limit = forms.IntegerField(
        label=_("Time per turn (seconds)"),
        min_value=10,
        max_value=3600,
        required=False,
        help_text=_("Leave empty for no limit."),
    )


def parse_iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class MinutesRolesForm(forms.Form):
    """Who takes the minutes and who adjusts (justerar) them: people invited to the meeting."""

    minute_taker = forms.ModelChoiceField(
        label=_("Minute-taker"), queryset=Person.objects.none(), required=False
    )
    adjusters = forms.ModelMultipleChoiceField(
        label=_("Adjusters"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or two people present at the meeting who check the minutes."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(attendances__meeting=meeting, erased_at=None).order_by(
            "name"
        )
        self.fields["minute_taker"].queryset = people
        self.fields["adjusters"].queryset = people

    def clean_adjusters(self):
        adjusters = self.cleaned_data["adjusters"]
        if len(adjusters) > 2:
            raise forms.ValidationError(_("Choose one or two adjusters."))
        return adjusters


class MinutesAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            ("approve", _("I approve the minutes")),
            ("comment", _("Something should be changed")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when something should be changed."),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "comment" and not data.get("comment", "").strip():
            self.add_error("comment", _("Write what should be changed."))
        return data


class MinutesCorrectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the corrected minutes."),
    )


class MinutesSettingsForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["decision_numbering", "minutes_public"]
