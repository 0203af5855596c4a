"""The council (samverkansråd): its memberships, meetings and the record of each meeting.

Writes go through council.services; reads that pages share are in council.selectors.
Every count is "as of a date": a membership has a start and an optional end, and a person who
changes organisation or work share mid-term gets a new membership from that day on, so the
history stays as it was.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation, Person
from portal.concurrency import Versioned


class Council(models.Model):
    """A collaboration council (samverkansråd) with its purpose and goals."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), max_length=4000, blank=True)
    goals = models.TextField(
        _("goals"), max_length=4000, blank=True, help_text=_("One goal per line.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owning organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="councils",
    )

    class DecisionNumbering(models.TextChoices):
        PER_MEETING = "meeting", _("From §1 at each meeting")
        PER_YEAR = "year", _("From §1 each calendar year")

    decision_numbering = models.CharField(
        _("numbering of decisions"),
        max_length=8,
        choices=DecisionNumbering.choices,
        default=DecisionNumbering.PER_MEETING,
    )
    minutes_public = models.BooleanField(
        _("approved minutes are public"),
        default=False,
        help_text=_("Approved minutes are shown to everyone, not only to members."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["id"]
        permissions = [
            ("request_council_report", _("Can request the council-year report")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("council:home")

    @property
    def goal_list(self) -> list[str]:
        return [line.strip(" -•") for line in self.goals.splitlines() if line.strip(" -•")]


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    MEMBER = "member", _("Member")
    DEPUTY = "deputy", _("Deputy")
    SECRETARY = "secretary", _("Secretary")
    PROJECT_LEADER = "project_leader", _("Project leader")
    PROCESS_LEADER = "process_leader", _("Process leader")


# Seats on the council: these people are counted as its representatives.
REPRESENTATIVE_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.DEPUTY)
STAFF_ROLES = (Role.SECRETARY, Role.PROJECT_LEADER, Role.PROCESS_LEADER)
# The leadership group (projektledningen): the chair and the staff who run the work.
LEADERSHIP_ROLES = (Role.CHAIR, *STAFF_ROLES)


class Membership(models.Model):
    """A person's seat or staff role on a council, for one organisation and one period."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    work_share = models.PositiveSmallIntegerField(
        _("work share (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of full time spent on the council's work, if any."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["council", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="council_membership_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.role in REPRESENTATIVE_ROLES and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("A representative must represent an organisation.")}
            )

    @property
    def is_representative(self) -> bool:
        return self.role in REPRESENTATIVE_ROLES

    def is_active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Meeting(Versioned):
    """A council meeting (rådsmöte): time, place or online link, agenda and record."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        max_length=2000,
        blank=True,
        help_text=_("Step-free entrance, hearing loop, accessible toilet, nearest stop, ..."),
    )
    online_url = models.URLField(_("online meeting link"), max_length=300, blank=True)
    # Live list of speakers: the item now discussed, the order rule and the turn length.
    live_item = models.ForeignKey(
        "AgendaItem",
        verbose_name=_("item now discussed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    balanced_speaker_order = models.BooleanField(
        _("balanced order of speakers"),
        default=False,
        help_text=_(
            "People who have not spoken on the item go first, then the gender and sector that "
            "have had the least speaking time on it."
        ),
    )
    speaker_time_limit = models.PositiveIntegerField(
        _("time per turn (seconds)"), null=True, blank=True
    )
    papers_deadline = models.DateTimeField(_("send papers by"), null=True, blank=True)
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    minute_taker = models.ForeignKey(
        Person,
        verbose_name=_("minute-taker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Justerare: one or two people who check and approve the minutes.
    adjusters = models.ManyToManyField(
        Person, verbose_name=_("adjusters"), blank=True, related_name="adjusted_meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["council", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="council_meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("council:meeting_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class AgendaItem(Versioned):
    """A point on a meeting's agenda (dagordning): proposed by a member, accepted by staff."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("short description"),
        max_length=2000,
        blank=True,
        help_text=_("What the council should discuss or decide, in a few sentences."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    speaker_time_limit = models.PositiveIntegerField(
        _("time per turn (seconds)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the meeting's time per turn."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class MinutesRevision(models.Model):
    """One saved version of an agenda item's minutes (protokoll); the newest is current."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="minutes_revisions",
    )
    text = models.TextField(_("minutes"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.agenda_item} ({self.created_at:%Y-%m-%d %H:%M})"


class MinutesRecord(models.Model):
    """The meeting's minutes as one document (protokoll), in revisions.

    Revision 1 is the first version sent for approval (justering). Once every adjuster has
    approved it, the minutes are locked and published; a correction after that is a new
    revision with a reason, sent for approval again.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Being corrected")
        CIRCULATING = "circulating", _("Awaiting approval")
        APPROVED = "approved", _("Approved")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="minutes_records",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    reason = models.TextField(_("reason for the correction"), max_length=2000, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.CIRCULATING
    )
    circulated_at = models.DateTimeField(_("sent for approval"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # What the adjusters approved, frozen when the last of them approves: the published
    # minutes (page and PDF) show this, whatever changes in the meeting's record later.
    content = models.JSONField(_("approved text"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "revision"], name="council_minutesrecord_unique_revision"
            )
        ]

    def __str__(self):
        return f"{self.meeting} ({self.revision})"

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class MinutesApproval(models.Model):
    """One adjuster's approval (or comment) of one revision of the minutes."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not yet answered")
        APPROVED = "approved", _("Approved")
        COMMENTED = "commented", _("Commented")

    record = models.ForeignKey(
        MinutesRecord,
        verbose_name=_("minutes"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    adjuster = models.ForeignKey(
        Person, verbose_name=_("adjuster"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval of minutes")
        verbose_name_plural = _("approvals of minutes")
        ordering = ["record", "adjuster__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "adjuster"], name="council_minutesapproval_unique"
            )
        ]

    def __str__(self):
        return f"{self.adjuster}: {self.get_state_display()}"


def _document_path(instance, filename):
    extension = os.path.splitext(filename)[1].lower()
    return f"council/documents/{uuid.uuid4().hex}{extension}"


class Document(models.Model):
    """A file attached to an agenda item or to the meeting as a whole (its materials);
    served only to members through a view."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
    )
    file = models.FileField(_("file"), upload_to=_document_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class Attendance(models.Model):
    """One invited person at one meeting: their reply (RSVP) and whether they came (närvaro)."""

    class Reply(models.TextChoices):
        NONE = "none", _("No reply yet")
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")
        DEPUTY = "deputy", _("A deputy comes instead")

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    # The organisation they sat for on the day: keeps sector counts right after changes.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reply = models.CharField(_("reply"), max_length=8, choices=Reply.choices, default=Reply.NONE)
    # The deputy (ersättare) who attends in this person's place, for the same organisation.
    deputy = models.ForeignKey(
        Person,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputising",
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.UNKNOWN
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="council_attendance_unique")
        ]

    def __str__(self):
        return f"{self.person} @ {self.meeting}"


class Decision(Versioned):
    """A decision (beslut) the council took, tied to the agenda item it was taken under.

    A withdrawn decision is kept and shown as withdrawn in the minutes; every correction is
    in its history (RecordChange).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    text = models.TextField(_("decision"), max_length=2000)
    # § number, per meeting or per year (Council.decision_numbering); kept when withdrawn.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ActionItem(Versioned):
    """Something someone has undertaken to do (åtgärdspunkt), with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    title = models.CharField(_("what"), max_length=300)
    # No owner: the secretariat as a whole has undertaken it.
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    reminder_sent_on = models.DateField(_("last reminder"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None and self.status in {
            self.Status.OPEN,
            self.Status.IN_PROGRESS,
        }

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else str(_("The secretariat"))

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class RecordChange(models.Model):
    """One correction of a decision, an action item or an item's minutes: who changed what, when.

    `changes` maps each changed field's label to [before, after] as people read them (names,
    dates, labels), so the history stays readable after the record changes again.
    """

    class Kind(models.TextChoices):
        EDITED = "edited", _("Changed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RESTORED = "restored", _("Restored")

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EDITED)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__isnull=False, action_item__isnull=True)
                | models.Q(decision__isnull=True, action_item__isnull=False),
                name="council_recordchange_one_record",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.changed_at:%Y-%m-%d %H:%M}"


class SpeakingTurn(models.Model):
    """One person's turn to speak at a meeting (talartid); open while ended_at is empty."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="speaking_turns"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="speaking_turns"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaking_turns",
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # A paused turn stays open; the paused time is left out of its length.
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    paused_seconds = models.FloatField(_("paused for (seconds)"), default=0)

    class Meta:
        verbose_name = _("speaking turn")
        verbose_name_plural = _("speaking turns")
        ordering = ["started_at", "id"]
        constraints = [
            # At most one open turn per meeting: one tap ends the previous turn.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(ended_at__isnull=True),
                name="council_one_open_turn_per_meeting",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.started_at:%H:%M:%S}"

    @property
    def exact_seconds(self) -> float:
        end = self.ended_at or self.paused_at or timezone.now()
        return max((end - self.started_at).total_seconds() - self.paused_seconds, 0.0)

    @property
    def seconds(self) -> int:
        """Whole seconds, rounded once per turn (half up), so that the turns shown add up to
        the total shown: 5.6 s and 3.6 s are 6 s and 4 s, and 10 s together, not 9."""
        return int(self.exact_seconds + 0.5)

    @property
    def is_paused(self) -> bool:
        return self.ended_at is None and self.paused_at is not None


class SpeakerListEntry(models.Model):
    """A place on an agenda item's live list of speakers (talarlista).

    Members put themselves on the list from their phone; the chair or the secretariat add
    anyone present, reorder, remove, and give the floor, which starts a SpeakingTurn.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Has the floor")
        DONE = "done", _("Has spoken")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="speaker_entries",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        related_name="speaker_entries",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    turn = models.OneToOneField(
        SpeakingTurn,
        verbose_name=_("speaking turn"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entry",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        verbose_name = _("place on the list of speakers")
        verbose_name_plural = _("places on the list of speakers")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "person"],
                condition=models.Q(state="waiting"),
                name="council_one_waiting_place_per_person",
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_state_display()})"


class CalendarFeed(models.Model):
    """A user's personal calendar feed: the secret token in its URL can be revoked."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="council_calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
