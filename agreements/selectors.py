"""Reads: permission-filtered querysets with their joins, and the summaries built from them.

List pages (dashboard, comparison, public list, API) keep a fixed number of queries however
many agreements there are: everything they show is annotated or prefetched here.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import can
from agreements.enums import (
    GAP_THRESHOLD,
    PHASE_ORDER,
    TYPICAL_DAYS,
    WEAK_BELOW,
    ActionStatus,
    ChecklistState,
    Phase,
    Side,
)
from agreements.models import (
    ActionPlanItem,
    Agreement,
    AssessmentRound,
    ChecklistAnswer,
    ChecklistItem,
    PhaseChange,
    Principle,
    PrincipleAssessment,
)

MANAGE_ALL = "agreements.manage_all_agreements"
CHANGE = "agreements.change_agreement"
VIEW = "agreements.view_agreement"


# --- Who sees and changes what ---------------------------------------------------------------


def agreement_list_editable_by(user) -> QuerySet[Agreement]:
    """Only the agreement's own process leaders and the secretariat may change it."""
    if can(user, MANAGE_ALL):
        return Agreement.objects.all()
    if can(user, CHANGE):
        return Agreement.objects.filter(process_leaders=user)
    return Agreement.objects.none()


def agreement_can_edit(user, agreement: Agreement) -> bool:
    if can(user, MANAGE_ALL):
        return True
    return can(user, CHANGE) and agreement.process_leaders.filter(pk=user.pk).exists()


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) subquery: no joins that would multiply the outer rows."""
    counted = (
        queryset.order_by()
        .annotate(_one=Value(1, output_field=IntegerField()))
        .values("_one")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_counts(queryset: QuerySet[Agreement], *, today: date) -> QuerySet[Agreement]:
    questions_in_phase = ChecklistItem.objects.filter(phase=OuterRef("phase")).filter(
        Q(agreement=None) | Q(agreement=OuterRef("pk"))
    )
    answered_in_phase = ChecklistAnswer.objects.filter(
        agreement=OuterRef("pk"), state=ChecklistState.ANSWERED, item__phase=OuterRef("phase")
    )
    overdue = ActionPlanItem.objects.filter(
        agreement=OuterRef("pk"),
        status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
        due_on__lt=today,
    )
    open_actions = ActionPlanItem.objects.filter(
        agreement=OuterRef("pk"), status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
    )
    return queryset.annotate(
        questions_in_phase=_count(questions_in_phase),
        answered_in_phase=_count(answered_in_phase),
        overdue_actions=_count(overdue),
        open_actions=_count(open_actions),
    )


def _rounds_prefetch() -> Prefetch:
    return Prefetch(
        "assessment_rounds",
        queryset=AssessmentRound.objects.order_by("held_on").prefetch_related(
            Prefetch("assessments", queryset=PrincipleAssessment.objects.order_by("pk"))
        ),
    )


def agreement_list_for_dashboard(user, *, today: date | None = None) -> QuerySet[Agreement]:
    """The agreements the user works on, with everything the dashboard shows."""
    today = today or timezone.localdate()
    return _with_counts(
        agreement_list_editable_by(user)
        .select_related("public_party", "municipality", "region")
        .prefetch_related("civil_parties", "process_leaders")
        .order_by("title"),
        today=today,
    )


def agreement_list_for_comparison(*, today: date | None = None) -> QuerySet[Agreement]:
    today = today or timezone.localdate()
    return _with_counts(
        Agreement.objects.select_related("public_party", "municipality", "region")
        .prefetch_related("civil_parties", _rounds_prefetch())
        .order_by("title"),
        today=today,
    )


def agreement_list_public() -> QuerySet[Agreement]:
    return (
        Agreement.objects.select_related("public_party", "municipality", "region")
        .prefetch_related("civil_parties", _rounds_prefetch())
        .order_by("title")
    )


def agreement_for_page(pk) -> Agreement:
    return (
        Agreement.objects.select_related("public_party", "municipality", "region", "updated_by")
        .prefetch_related(
            "civil_parties",
            "process_leaders",
            "anchorings",
            Prefetch(
                "phase_changes",
                queryset=PhaseChange.objects.select_related("changed_by").order_by(
                    "changed_at", "pk"
                ),
            ),
            _rounds_prefetch(),
            Prefetch("actions", queryset=ActionPlanItem.objects.select_related("principle")),
            "log",
        )
        .get(pk=pk)
    )


def principles() -> list[Principle]:
    return list(Principle.objects.prefetch_related("recommendations").order_by("position"))


# --- Timeline ------------------------------------------------------------------------------


@dataclass
class PhaseSpan:
    phase: str
    label: str
    typical_days: int
    days: int = 0
    entered_at: datetime | None = None
    left_at: datetime | None = None
    state: str = "future"  # done, current or future
    open_questions_on_leaving: int = 0

    @property
    def over_typical(self) -> bool:
        return self.days > self.typical_days

    @property
    def share_of_typical(self) -> int:
        return round(100 * self.days / self.typical_days) if self.typical_days else 0


def phase_timeline(agreement: Agreement, *, now: datetime | None = None) -> list[PhaseSpan]:
    """How long each phase took (all visits summed) against its typical length.

    Uses the prefetched phase_changes of agreement_for_page().
    """
    now = now or timezone.now()
    labels = dict(Phase.choices)
    spans = {
        p: PhaseSpan(phase=p, label=str(labels[p]), typical_days=TYPICAL_DAYS[p])
        for p in PHASE_ORDER
    }
    changes = list(agreement.phase_changes.all())
    for index, change in enumerate(changes):
        end = changes[index + 1].changed_at if index + 1 < len(changes) else now
        span = spans[change.to_phase]
        span.days += max((end - change.changed_at).days, 0)
        if span.entered_at is None:
            span.entered_at = change.changed_at
        if index + 1 < len(changes):
            span.left_at = end
            span.open_questions_on_leaving = changes[index + 1].open_questions
    current = PHASE_ORDER.index(agreement.phase)
    for index, phase in enumerate(PHASE_ORDER):
        span = spans[phase]
        if index < current:
            span.state = "done"
        elif index == current:
            span.state = "current"
            span.left_at = None
        else:
            span.state = "future"
    return [spans[p] for p in PHASE_ORDER]


# --- Principle health ----------------------------------------------------------------------


@dataclass
class PrincipleHealth:
    principle: Principle
    civil: int | None = None
    public: int | None = None
    civil_comment: str = ""
    public_comment: str = ""
    trend: list[float | None] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.principle.code

    @property
    def health(self) -> float | None:
        scores = [s for s in (self.civil, self.public) if s is not None]
        return round(mean(scores), 1) if scores else None

    @property
    def gap(self) -> int | None:
        if self.civil is None or self.public is None:
            return None
        return abs(self.civil - self.public)

    @property
    def gap_stands_out(self) -> bool:
        return self.gap is not None and self.gap >= GAP_THRESHOLD

    @property
    def weak(self) -> bool:
        return self.health is not None and self.health < WEAK_BELOW

    @property
    def direction(self) -> str:
        """Up, down or flat between the last two rounds with scores, or '' with fewer."""
        known = [value for value in self.trend if value is not None]
        if len(known) < 2:
            return ""
        if known[-1] > known[-2]:
            return "up"
        if known[-1] < known[-2]:
            return "down"
        return "flat"


@dataclass
class Health:
    rounds: list[AssessmentRound]
    principles: list[PrincipleHealth]

    @property
    def has_data(self) -> bool:
        return any(p.health is not None for p in self.principles)

    @property
    def latest_round(self) -> AssessmentRound | None:
        return self.rounds[-1] if self.rounds else None

    def by_code(self) -> dict[str, PrincipleHealth]:
        return {p.code: p for p in self.principles}


def principle_health(agreement: Agreement, principle_list: list[Principle]) -> Health:
    """Latest score per side and principle, the gap between sides, and the trend by round.

    Reads the prefetched assessment_rounds (with assessments): no queries of its own.
    """
    rounds = list(agreement.assessment_rounds.all())
    by_id = {p.pk: p for p in principle_list}
    result = {p.pk: PrincipleHealth(principle=p) for p in principle_list}
    for round_ in rounds:
        per_principle: dict[int, list[int]] = {}
        for assessment in round_.assessments.all():
            row = result.get(assessment.principle_id)
            if row is None:
                continue
            # Later rounds overwrite earlier ones: each side's latest view wins.
            if assessment.side == Side.CIVIL_SOCIETY:
                row.civil, row.civil_comment = assessment.score, assessment.comment
            else:
                row.public, row.public_comment = assessment.score, assessment.comment
            per_principle.setdefault(assessment.principle_id, []).append(assessment.score)
        for pk, row in result.items():
            scores = per_principle.get(pk)
            row.trend.append(round(mean(scores), 1) if scores else None)
    return Health(rounds=rounds, principles=[result[p.pk] for p in principle_list if p.pk in by_id])


def round_sides(round_: AssessmentRound) -> set[str]:
    return {assessment.side for assessment in round_.assessments.all()}


# --- Checklist -----------------------------------------------------------------------------


def checklist_answer_for(*, agreement, item) -> ChecklistAnswer | None:
    """One question's answer for the row that htmx replaces after a save."""
    return (
        ChecklistAnswer.objects.select_related("updated_by")
        .filter(agreement=agreement, item=item)
        .first()
    )


@dataclass
class ChecklistRow:
    item: ChecklistItem
    answer: ChecklistAnswer | None
    conflict: dict | None = None  # after a refused save: see portal.concurrency

    @property
    def state(self) -> str:
        return self.answer.state if self.answer else ChecklistState.OPEN

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


@dataclass
class ChecklistPhase:
    phase: str
    label: str
    rows: list[ChecklistRow]

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.state == ChecklistState.ANSWERED)

    @property
    def open(self) -> int:
        return len(self.rows) - self.answered


def checklist_for(agreement: Agreement) -> list[ChecklistPhase]:
    items = (
        ChecklistItem.objects.filter(Q(agreement=None) | Q(agreement=agreement))
        .select_related("principle")
        .order_by("position", "pk")
    )
    answers = {
        answer.item_id: answer
        for answer in ChecklistAnswer.objects.filter(agreement=agreement).select_related(
            "updated_by"
        )
    }
    labels = dict(Phase.choices)
    phases = {p: ChecklistPhase(phase=p, label=str(labels[p]), rows=[]) for p in PHASE_ORDER}
    for item in items:
        phases[item.phase].rows.append(ChecklistRow(item=item, answer=answers.get(item.pk)))
    return [phases[p] for p in PHASE_ORDER]


def days_in_phase(agreement: Agreement, *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return max((now - agreement.phase_entered_at).days, 0)
