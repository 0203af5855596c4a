"""The organisation directory (organisationskatalog): who does what, and whom to contact.

Writes go through directory.services; reads that pages share are in directory.selectors.
On PostgreSQL the organisation table also has a `search_vector` column (tsvector, generated
and stored by the database, GIN-indexed) that Django never reads or writes as a field: the
migration 0003 adds it and the selectors refer to it in SQL.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.concurrency import Versioned

# An entry not confirmed for this long is shown as possibly out of date.
STALE_AFTER = timedelta(days=365)


class Term(models.Model):
    """A vocabulary entry: a stable code (part of the public API) and two labels."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_sv = models.CharField(_("Swedish label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "sv").startswith("en") else self.label_sv


class Sector(Term):
    class Meta(Term.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class LegalForm(Term):
    usual_sector = models.ForeignKey(
        Sector, verbose_name=_("usual sector"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta(Term.Meta):
        verbose_name = _("legal form")
        verbose_name_plural = _("legal forms")


class Area(Term):
    class Meta(Term.Meta):
        verbose_name = _("area of activity")
        verbose_name_plural = _("areas of activity")


class TargetGroup(Term):
    class Meta(Term.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Language(Term):
    """A language an offer is given in; the code is ISO 639-1 (HSDS `language.code`)."""

    class Meta(Term.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Region(models.Model):
    """A county (län) with its regional authority; code is the official two-digit länskod."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("county"), max_length=60)
    authority_name = models.CharField(_("regional authority"), max_length=60)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """A Swedish municipality (kommun); code is the official four-digit kommunkod."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.name


class Organisation(Versioned):
    """An organisation in the directory: idéburen, public, business or academic."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # Lower case with å/ä/ö folded to a/o: trigram and fallback searches compare against it.
    name_normalised = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(_("address in the directory"), max_length=120, unique=True)
    alternate_name = models.CharField(_("short name or abbreviation"), max_length=100, blank=True)
    organisation_number = models.CharField(
        _("organisation number"), max_length=20, blank=True, help_text=_("For example 802000-0000.")
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="organisations"
    )
    legal_form = models.ForeignKey(
        LegalForm,
        verbose_name=_("legal form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    is_umbrella = models.BooleanField(
        _("umbrella organisation"),
        default=False,
        help_text=_("Other organisations are members of this one (paraplyorganisation)."),
    )
    member_of = models.ManyToManyField(
        "self",
        verbose_name=_("member of"),
        symmetrical=False,
        blank=True,
        related_name="members",
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    areas = models.ManyToManyField(
        Area, verbose_name=_("areas of activity"), blank=True, related_name="organisations"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="organisations"
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("municipalities served"),
        blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="SE")
    accessibility = models.TextField(
        _("accessibility"),
        max_length=2000,
        blank=True,
        help_text=_("Step-free entrance, hearing loop, accessible toilet, nearest stop, ..."),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editors"),
        blank=True,
        related_name="edited_organisations",
    )
    last_confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    # The titles and descriptions of the active offers, kept by the offer services, so the
    # organisation search finds an organisation by what it offers (one index, no join).
    offers_text = models.TextField(editable=False, blank=True, default="")
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_normalised", "id"]
        indexes = [models.Index(fields=["state", "name_normalised"])]
        permissions = [
            ("edit_own_organisation", _("Can edit the organisations they are an editor of")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_stale(self) -> bool:
        confirmed = self.last_confirmed_at or self.created_at
        return confirmed < timezone.now() - STALE_AFTER


class Offer(Versioned):
    """Something an organisation offers: a service, an activity, a mentor programme.

    Shaped as an Open Referral HSDS `service`: who it is for, how to get in, what it costs,
    in which languages, when (one regular schedule, RFC 5545 terms) and where.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", _("Every week")
        MONTHLY = "MONTHLY", _("Every month")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="offers"
    )
    areas = models.ManyToManyField(
        Area, verbose_name=_("areas of activity"), blank=True, related_name="offers"
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("where"), blank=True, related_name="offers"
    )
    location = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Address, or 'online'.")
    )
    eligibility = models.TextField(
        _("who can take part"), max_length=2000, blank=True, help_text=_("Who the offer is for.")
    )
    referral_required = models.BooleanField(
        _("referral needed"),
        default=False,
        help_text=_("Tick if a referral (from a case worker, doctor, ...) is needed."),
    )
    how_to_apply = models.TextField(_("how to get in touch"), max_length=2000, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    fees_description = models.CharField(
        _("cost"), max_length=300, blank=True, help_text=_("What it costs, if anything.")
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="offers"
    )
    schedule_frequency = models.CharField(
        _("repeats"), max_length=8, choices=Frequency.choices, blank=True
    )
    schedule_days = models.CharField(
        _("days"),
        max_length=40,
        blank=True,
        help_text=_("Weekdays as RFC 5545 codes, for example MO,WE."),
    )
    opens_at = models.TimeField(_("starts at"), null=True, blank=True)
    closes_at = models.TimeField(_("ends at"), null=True, blank=True)
    schedule_note = models.CharField(_("about the times"), max_length=300, blank=True)
    contacts = models.ManyToManyField(
        "ContactRole", verbose_name=_("contact points"), blank=True, related_name="offers"
    )
    url = models.URLField(_("web page"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    assured_at = models.DateField(_("last checked"), null=True, blank=True)
    assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Title, description, eligibility and the organisation's names, lower case with å/ä/ö
    # folded: what the offer search (and its word list for typos) reads; set by the services.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title", "id"]
        indexes = [
            # The open-data services lists page through the active offers by title: read in
            # this order, a page stops after its rows instead of sorting every offer.
            models.Index(
                fields=["title", "id"],
                condition=models.Q(is_active=True),
                name="directory_offer_active_title",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("directory:offer_detail", args=[self.uuid])

    @property
    def status(self) -> str:
        """The HSDS service status."""
        return "active" if self.is_active else "inactive"


class Person(models.Model):
    """A person the portal knows about. Private: never shown publicly as such.

    Gender is self-described and optional, used only for aggregate balance statistics.
    Erasure (person_erase) blanks every identifying field but keeps the row and the gender,
    so the counts the person was part of stay right.
    """

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        UNKNOWN = "unknown", _("Not stated")

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    gender = models.CharField(
        _("gender (self-described)"),
        max_length=16,
        choices=Gender.choices,
        default=Gender.UNKNOWN,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        permissions = [
            ("export_person", _("Can export a person's data")),
            ("erase_person", _("Can erase a person's data")),
        ]

    def __str__(self):
        # str(): __str__ must return a real string, never a lazy translation (issue 11).
        return self.name or str(_("Erased person"))


class ContactRole(Versioned):
    """A person as a contact point of an organisation; public only with recorded consent."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contact_roles",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="contact_roles"
    )
    title = models.CharField(
        _("role"),
        max_length=200,
        help_text=_("For example: contact for civil society, development officer."),
    )
    public_email = models.EmailField(_("email shown"), blank=True)
    public_phone = models.CharField(_("phone shown"), max_length=40, blank=True)
    consent_given_at = models.DateTimeField(
        _("consent to be shown publicly"), null=True, blank=True
    )
    consent_note = models.CharField(_("how consent was given"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "title"], name="directory_contact_role_unique"
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.title})"

    @property
    def is_public(self) -> bool:
        return self.consent_given_at is not None


class Suggestion(models.Model):
    """A visitor's suggestion of a new organisation or a correction, waiting for moderation."""

    class Kind(models.TextChoices):
        NEW = "new", _("New organisation")
        CORRECTION = "correction", _("Correction")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Accepted")
        REJECTED = "rejected", _("Declined")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    name = models.CharField(_("name of the organisation"), max_length=200, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email address of the organisation"), blank=True)
    message = models.TextField(_("message"), max_length=4000)
    submitter_name = models.CharField(_("your name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("your email address"), blank=True)
    # The language the suggestion was written in: the reply to the submitter is sent in it.
    submitter_language = models.CharField(max_length=8, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    created_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name or self.organisation}"


class OrganisationChange(models.Model):
    """One entry in an organisation's history: who changed what, and when.

    `diff` maps each changed field to [old, new]; people appear only by id, so erasing a
    person leaves nothing about them here.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        CONFIRMED = "confirmed", _("Confirmed as correct")
        OFFER_ADDED = "offer_added", _("Offer added")
        OFFER_UPDATED = "offer_updated", _("Offer updated")
        OFFER_REMOVED = "offer_removed", _("Offer removed")
        CONTACT_ADDED = "contact_added", _("Contact point added")
        CONTACT_UPDATED = "contact_updated", _("Contact point changed")
        CONTACT_REMOVED = "contact_removed", _("Contact point removed")
        CONSENT_RECORDED = "consent_recorded", _("Consent to be shown recorded")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to be shown withdrawn")
        SUGGESTION_APPLIED = "suggestion_applied", _("Suggestion accepted")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    action = models.CharField(_("what"), max_length=24, choices=Action.choices)
    diff = models.JSONField(_("changes"), default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.organisation}: {self.get_action_display()}"
