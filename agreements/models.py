"""Local and regional agreements (lokala och regionala överenskommelser).

An agreement between a municipality (or region) and the local civil society goes through six
phases, is judged by six principles that each side rates separately, and is kept alive by an
action plan and a documentation log. Models are thin: writes are in services.py.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agreements.enums import (
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
    RoundSource,
    RoundStatus,
    Side,
)
from portal.concurrency import Versioned


def _in_language(obj, field: str) -> str:
    """Content stored in both languages: the active language's text, Swedish as fallback."""
    language = (get_language() or "sv")[:2]
    value = getattr(obj, f"{field}_{language}", "") if language in ("sv", "en") else ""
    return value or getattr(obj, f"{field}_sv")


_PRINCIPLE_LABELS = dict(PrincipleCode.choices)


class Principle(models.Model):
    """One of the six principles (självständighet och oberoende, dialog, kvalitet, ...)."""

    code = models.CharField(_("code"), max_length=20, choices=PrincipleCode.choices, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description_sv = models.TextField(_("Swedish description"))
    description_en = models.TextField(_("English description"))

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["position"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        # What get_code_display() gives, without building the choices' dictionary per call.
        return str(_PRINCIPLE_LABELS.get(self.code, self.code))

    @property
    def description(self) -> str:
        return _in_language(self, "description")


class Recommendation(models.Model):
    """Advice under a principle: what the parties can do when the principle is weak."""

    principle = models.ForeignKey(
        Principle,
        verbose_name=_("principle"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_sv = models.CharField(_("Swedish title"), max_length=120)
    title_en = models.CharField(_("English title"), max_length=120)
    text_sv = models.TextField(_("Swedish text"))
    text_en = models.TextField(_("English text"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["principle__position", "position"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def text(self) -> str:
        return _in_language(self, "text")


class Agreement(models.Model):
    """A local or regional agreement (överenskommelse) and where its process stands."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.LOCAL)
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    public_party = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("public party"),
        on_delete=models.PROTECT,
        related_name="agreements_as_public_party",
    )
    civil_parties = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("civil-society parties"),
        related_name="agreements_as_civil_party",
        blank=True,
    )
    process_leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("process leaders"),
        related_name="led_agreements",
        blank=True,
    )
    summary = models.TextField(_("public summary"), max_length=3000, blank=True)
    internal_notes = models.TextField(_("internal notes"), max_length=5000, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PRE)
    phase_entered_at = models.DateTimeField(_("in this phase since"), default=timezone.now)
    collaboration_forms = models.JSONField(_("forms of collaboration and funding"), default=list)
    # Planned start date per phase ({"gathering": "2024-03-01", ...}), beside the actual ones.
    phase_plan = models.JSONField(_("planned phase dates"), default=dict, blank=True)
    next_assessment_on = models.DateField(_("next assessment round"), null=True, blank=True)
    assessment_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Demo data: the real state of this process is not known to us."),
    )
    # Optimistic locking: every write checks and bumps it, so a stale form is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["title"]
        permissions = [
            ("manage_all_agreements", _("Can change every agreement, not only those one leads")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    @property
    def place(self):
        return self.municipality if self.level == Level.LOCAL else self.region

    @property
    def phase_index(self) -> int:
        return list(Phase.values).index(self.phase)

    def planned_on(self, phase: str):
        from datetime import date

        value = (self.phase_plan or {}).get(phase)
        try:
            return date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    def collaboration_form_labels(self) -> list[str]:
        labels = dict(CollaborationForm.choices)
        return [str(labels[code]) for code in self.collaboration_forms if code in labels]


class PhaseChange(models.Model):
    """One step forward or back in an agreement's process: who, when and why."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="phase_changes",
    )
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    # When the change was recorded; effective_on is when it happened (it can be back-dated).
    changed_at = models.DateTimeField(_("recorded"), default=timezone.now)
    effective_on = models.DateField(_("effective from"), default=timezone.localdate)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("why"), max_length=2000, blank=True)
    # Advancing with unanswered questions is allowed, but it is recorded here and shown.
    open_questions = models.PositiveSmallIntegerField(_("unanswered questions"), default=0)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["effective_on", "changed_at", "pk"]

    def __str__(self):
        return f"{self.agreement}: {self.from_phase or '-'} → {self.to_phase}"

    @property
    def is_revert(self) -> bool:
        values = list(Phase.values)
        return bool(self.from_phase) and values.index(self.to_phase) < values.index(self.from_phase)


class ChecklistItem(models.Model):
    """A question the parties should ask themselves in a phase.

    The standard questions have a code and belong to no agreement; the secretariat can add
    local questions that belong to one agreement.
    """

    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    code = models.SlugField(_("code"), max_length=60, unique=True, null=True, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_questions",
    )
    principle = models.ForeignKey(
        Principle,
        verbose_name=_("principle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_items",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_sv = models.CharField(_("Swedish question"), max_length=300)
    text_en = models.CharField(_("English question"), max_length=300)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self, "text")


def _evidence_path(instance, filename):
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()
    return f"agreements/evidence/{uuid.uuid4().hex}{extension}"


class ChecklistAnswer(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ChecklistState.choices, default=ChecklistState.OPEN
    )
    note = models.TextField(_("note"), max_length=3000, blank=True)
    evidence = models.CharField(
        _("evidence"),
        max_length=300,
        blank=True,
        help_text=_("A link or a reference to a document, for example a meeting's minutes."),
    )
    # A document as evidence (PDF or office document, checked like agenda documents); served
    # only to the agreement's process leaders and the secretariat, through a view.
    evidence_file = models.FileField(
        _("evidence document"), upload_to=_evidence_path, blank=True, max_length=200
    )
    evidence_name = models.CharField(_("document name"), max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "item"], name="agreement_answer_once")
        ]

    def __str__(self):
        return f"{self.agreement}: {self.item} ({self.get_state_display()})"


class AssessmentRound(Versioned):
    """One occasion on which both sides rate the principles.

    A round is either answered by the parties' own respondents through personal links
    (source "respondents"), or one whose ratings a process leader entered on behalf of the
    parties (source "on_behalf": every round recorded before respondents existed). A round
    entered by mistake is withdrawn, never deleted: it stays in the history.
    """

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
    )
    held_on = models.DateField(_("opened"))
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.CLOSED
    )
    source = models.CharField(
        _("answered by"), max_length=12, choices=RoundSource.choices, default=RoundSource.ON_BEHALF
    )
    principles = models.ManyToManyField(
        Principle, verbose_name=_("principles"), related_name="+", blank=True
    )
    parties = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("parties taking part"),
        related_name="+",
        blank=True,
    )
    # The optional second questionnaire: the Council of Europe's Code of Good Practice for
    # Civil Participation (levels of participation per step of the decision-making process).
    asks_participation = models.BooleanField(
        _("also asks the Code of Good Practice for Civil Participation"), default=False
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_note = models.TextField(_("why it was withdrawn"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["held_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(status="open"),
                name="agreement_one_open_round",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("held_on")),
                name="round_closes_after_opening",
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.held_on}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_withdrawn(self) -> bool:
        return self.status == RoundStatus.WITHDRAWN

    @property
    def on_behalf(self) -> bool:
        return self.source == RoundSource.ON_BEHALF


class Respondent(models.Model):
    """A person invited to answer one round through a personal link (no account needed).

    Only a hash of the link's token is stored; renewing makes a new token (the old link stops
    working), revoking ends the link. Answers are shown only pooled per side.
    """

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    role = models.CharField(_("role"), max_length=16, choices=RespondentRole.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("party"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, default="sv")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["side", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="respondent_once_per_round")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_side_display()})"


class RespondentAnswer(models.Model):
    """One respondent's rating of one principle (1 = not at all, 5 = fully)."""

    respondent = models.ForeignKey(
        Respondent,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    principle = models.ForeignKey(
        Principle, verbose_name=_("principle"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("respondent answer")
        verbose_name_plural = _("respondent answers")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "principle"], name="respondent_answer_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="respondent_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.respondent}: {self.principle} {self.score}"


class ParticipationAnswer(models.Model):
    """One respondent's view of how far civil society takes part in one step of the
    decision-making process (the Code of Good Practice questionnaire of a round)."""

    respondent = models.ForeignKey(
        Respondent,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        related_name="participation_answers",
    )
    step = models.CharField(_("step"), max_length=20, choices=DecisionStep.choices)
    level = models.CharField(
        _("level of participation"), max_length=16, choices=ParticipationLevel.choices
    )

    class Meta:
        verbose_name = _("participation answer")
        verbose_name_plural = _("participation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "step"], name="participation_answer_once"
            ),
            models.CheckConstraint(
                condition=models.Q(step__in=DecisionStep.values),
                name="participation_step_known",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=ParticipationLevel.values),
                name="participation_level_known",
            ),
        ]

    def __str__(self):
        return f"{self.respondent}: {self.step} {self.level}"


class PrincipleAssessment(models.Model):
    """How one side rates one principle in one round (1 = not at all, 5 = fully)."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    principle = models.ForeignKey(
        Principle, verbose_name=_("principle"), on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("principle assessment")
        verbose_name_plural = _("principle assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "principle", "side"], name="assessment_once_per_side"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="assessment_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.round}: {self.principle} {self.side} {self.score}"


class Anchoring(models.Model):
    """Förankring: the agreement's support at official, manager or political level."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="anchorings"
    )
    level = models.CharField(_("level"), max_length=12, choices=AnchoringLevel.choices)
    anchored_on = models.DateField(_("date"))
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("For example the council decision's number or the meeting it was taken at."),
    )

    class Meta:
        verbose_name = _("anchoring")
        verbose_name_plural = _("anchorings")
        ordering = ["anchored_on"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "level"], name="anchoring_once_per_level")
        ]

    def __str__(self):
        return f"{self.agreement}: {self.get_level_display()}"


class ActionPlanItem(Versioned):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    owner_side = models.CharField(_("owner"), max_length=16, choices=Side.choices)
    principle = models.ForeignKey(
        Principle,
        verbose_name=_("principle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today


class LogEntry(models.Model):
    """The documentation log: meetings, decisions and documents, the process's memory."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="log"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LogKind.choices)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), max_length=3000, blank=True)
    link = models.URLField(_("link"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return self.title
