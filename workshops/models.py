"""Workshops (workshoppar, dialogmöten): programme, registrations, check-in, groups and input.

Writes go through workshops.services; reads that pages share are in workshops.selectors.
Personal data of registrations is erased a set time after the workshop; the rows stay,
anonymised, with gender, sector and attendance only, so the statistics never change.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Organisation, Sector, TargetGroup
from portal.concurrency import Versioned


def _input_key() -> str:
    return secrets.token_urlsafe(12)


class Gender(models.TextChoices):
    """The portal's self-described gender codes (DESIGN.md); optional everywhere."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", pgettext_lazy("one person's gender", "Non-binary")
    UNKNOWN = "unknown", _("Prefer not to say")


class Workshop(Versioned):
    """A workshop the council organises: a theme question, a programme and its participants."""

    class Focus(models.TextChoices):
        WHAT = "what", _("What? Needs and goals")
        OBSTACLES = "obstacles", _("Obstacles")
        HOW = "how", _("How? Ways of working together")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", pgettext_lazy("workshop state", "Cancelled")

    council = models.ForeignKey(
        "council.Council",
        verbose_name=_("organising council"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
    )
    title = models.CharField(_("title"), max_length=200)
    theme_question = models.CharField(_("theme question"), max_length=300)
    focus = models.CharField(_("focus"), max_length=16, choices=Focus.choices)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        max_length=2000,
        blank=True,
        help_text=_("Step-free entrance, hearing loop, accessible toilet, nearest stop, ..."),
    )
    capacity = models.PositiveIntegerField(_("places"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("invited target groups"), blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    contributions_open = models.BooleanField(
        _("participants can send input"),
        default=True,
        help_text=_("While this is on, the link and QR code shown in the room accept input."),
    )
    # The secret in the participants' input link and QR code; renewing it closes old links.
    input_key = models.CharField(max_length=32, default=_input_key, editable=False)
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
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
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["state", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="workshops_workshop_ends_after_start",
                violation_error_message=_("The workshop must end after it starts."),
            ),
        ]
        permissions = [
            ("view_exact_statistics", _("Can see exact workshop figures, including small counts")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.state != self.State.PUBLISHED or now >= self.starts_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class ProgrammeItem(Versioned):
    """A point in a workshop's programme, with its contributor (for the programme's balance)."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        GROUP_WORK = "group_work", _("Group work")
        PANEL = "panel", _("Panel")
        ENTERTAINMENT = "entertainment", _("Entertainment")
        CATERING = "catering", _("Catering")
        OTHER = "other", _("Other")

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="programme"
    )
    starts_at = models.TimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    contributor_name = models.CharField(_("contributor"), max_length=200, blank=True)
    contributor_organisation = models.CharField(
        _("contributor's organisation"), max_length=200, blank=True
    )
    contributor_gender = models.CharField(
        _("contributor's gender"), max_length=16, choices=Gender.choices, default=Gender.UNKNOWN
    )
    # A stable anonymous key for the contributor: the same person on one workshop's programme
    # shares it, so the programme's balance counts them once. It is random (not made from
    # the name) and stays when the name is erased, so retention changes no figure.
    contributor_key = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return self.title


class Group(models.Model):
    """A group for group work during a workshop."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "number"], name="workshops_group_number")
        ]

    def __str__(self):
        return self.name or _("Group %(number)s") % {"number": self.number}


class Registration(models.Model):
    """Someone's place at a workshop (anmälan), on the waiting list, or cancelled.

    The consent version in force when they registered is stored with it. After the retention
    time the identifying fields are blanked (erased_at set); gender, sector, status and
    check-in stay for the statistics.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), max_length=254, blank=True)
    # Lower-cased email: the same person cannot hold two places at one workshop.
    email_normalised = models.CharField(max_length=254, blank=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.UNKNOWN
    )
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=1000, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20)
    language = models.CharField(_("language for messages"), max_length=8, default="sv")
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # SHA-256 of the secret in the cancellation link; the secret itself is only in the email.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(
        pgettext_lazy("registration", "cancelled"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workshop", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "email_normalised"],
                condition=~Q(email_normalised="") & ~Q(status="cancelled"),
                name="workshops_registration_one_per_email",
            ),
        ]

    def __str__(self):
        return self.name or str(_("Erased registration"))

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None

    @property
    def display_organisation(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class CarriedMatter(models.Model):
    """Workshop input carried to the council (ärende): one agenda item, followed to the end.

    Its status is read from the council's agenda item and decisions where it can be; only
    "resolved" is set here, by the secretariat, when the council's follow-up is complete.
    """

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        ON_AGENDA = "on_agenda", _("On a council agenda")
        DECIDED = "decided", _("Decided")
        RESOLVED = "resolved", _("Resolved")

    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="carried_matters",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    agenda_item = models.ForeignKey(
        "council.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_matters",
    )
    resolution = models.TextField(_("what came of it"), max_length=2000, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    carried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now)

    class Meta:
        verbose_name = _("matter carried to the council")
        verbose_name_plural = _("matters carried to the council")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title

    @property
    def status(self) -> str:
        if self.resolved_at is not None:
            return self.Status.RESOLVED
        item = self.agenda_item
        if item is None:
            return self.Status.RAISED
        # Uses the prefetched decisions when the selector loaded them; withdrawn ones do not
        # count.
        if any(decision.withdrawn_at is None for decision in item.decisions.all()):
            return self.Status.DECIDED
        if item.state == "accepted":
            return self.Status.ON_AGENDA
        return self.Status.RAISED

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)


class Contribution(Versioned):
    """Input from the workshop floor: an obstacle, a need, an idea or support wanted.

    Coded by the author's sector and anonymous by default; a name is kept only when the
    author asks to be named, and it is erased with the registrations.
    """

    class Kind(models.TextChoices):
        OBSTACLE = "obstacle", _("Obstacle")
        NEED = "need", _("Need")
        IDEA = "idea", _("Idea")
        SUPPORT = "support", _("Support wanted")

    class Source(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        STAFF = "staff", _("Staff")

    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=1000)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("author's sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    source = models.CharField(
        _("added by"), max_length=16, choices=Source.choices, default=Source.PARTICIPANT
    )
    is_hidden = models.BooleanField(_("hidden from the public page"), default=False)
    matter = models.ForeignKey(
        CarriedMatter,
        verbose_name=_("carried to the council as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
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
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workshop", "kind"])]

    def __str__(self):
        return self.text[:80]
