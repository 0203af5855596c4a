"""Reads: permission-filtered querysets with their joins, and the summaries built from them.

List pages (dashboard, comparison, public list, API) keep a fixed number of queries however
many agreements there are: everything they show is annotated or prefetched here.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean, pstdev

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import can
from agreements.enums import (
    DECISION_STEP_ORDER,
    GAP_THRESHOLD,
    MIN_RESPONDENTS_PUBLIC,
    PARTICIPATION_GAP_THRESHOLD,
    PARTICIPATION_SCALE,
    PHASE_ORDER,
    TYPICAL_DAYS,
    WEAK_BELOW,
    ActionStatus,
    ChecklistState,
    DecisionStep,
    ParticipationLevel,
    Phase,
    RoundStatus,
    Side,
)
from agreements.models import (
    ActionPlanItem,
    Agreement,
    Anchoring,
    AssessmentRound,
    ChecklistAnswer,
    ChecklistItem,
    LogEntry,
    ParticipationAnswer,
    PhaseChange,
    Principle,
    PrincipleAssessment,
    Respondent,
    RespondentAnswer,
)
from directory.models import Organisation
from portal.compiled_queries import CompiledQuery, prefetched

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


def _round_prefetches() -> list[Prefetch]:
    return [
        Prefetch("assessments", queryset=PrincipleAssessment.objects.order_by("pk")),
        Prefetch(
            "respondents",
            queryset=Respondent.objects.order_by("side", "pk").prefetch_related(
                Prefetch("answers", queryset=RespondentAnswer.objects.order_by("pk"))
            ),
        ),
    ]


def _rounds_prefetch() -> Prefetch:
    return Prefetch(
        "assessment_rounds",
        queryset=AssessmentRound.objects.order_by("held_on", "pk").prefetch_related(
            *_round_prefetches()
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


def agreement_list_overview() -> QuerySet[Agreement]:
    """The public list's rows (title, phase), for `completed_rounds_prepared_for()`."""
    return Agreement.objects.order_by("title")


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
                    "effective_on", "changed_at", "pk"
                ),
            ),
            _rounds_prefetch(),
            Prefetch("actions", queryset=ActionPlanItem.objects.select_related("principle")),
            "log",
        )
        .get(pk=pk)
    )


def agreement_for_public_page(pk) -> Agreement:
    """What the public page shows, for `completed_rounds_prepared()` beside it: the parties,
    anchorings, phase changes and actions (not the process leaders, the log or the rounds)."""
    return (
        Agreement.objects.select_related("public_party", "municipality", "region")
        .prefetch_related(
            # The page links each party by its name: not the whole directory entry.
            Prefetch("civil_parties", queryset=Organisation.objects.only("pk", "slug", "name")),
            "anchorings",
            Prefetch(
                "phase_changes",
                queryset=PhaseChange.objects.order_by("effective_on", "changed_at", "pk"),
            ),
            Prefetch("actions", queryset=ActionPlanItem.objects.select_related("principle")),
        )
        .get(pk=pk)
    )


def agreement_for_manage(user, pk) -> Agreement:
    """The agreement of the process leaders' workspace, if this user may change it
    (Agreement.DoesNotExist otherwise), without its rows: the workspace comes from the
    fragment cache as long as nothing was written; `agreement_manage_load()` loads what it
    shows when it is rendered. The checklist's progress comes from `checklist_counts()` and
    the closed assessment rounds from `completed_rounds_prepared()`."""
    return agreement_list_editable_by(user).get(pk=pk)


# What the workspace shows of an agreement's rows: the querysets prefetch_related would run,
# compiled once per process (portal/compiled_queries.py: about 0.3 ms of Python each saved).
_MANAGE_ROWS = {
    "anchorings": CompiledQuery(lambda pk: Anchoring.objects.filter(agreement_id=pk)),
    "phase_changes": CompiledQuery(
        lambda pk: (
            PhaseChange.objects.filter(agreement_id=pk)
            .select_related("changed_by")
            .order_by("effective_on", "changed_at", "pk")
        )
    ),
    "actions": CompiledQuery(
        lambda pk: ActionPlanItem.objects.filter(agreement_id=pk).select_related("principle")
    ),
    "log": CompiledQuery(lambda pk: LogEntry.objects.filter(agreement_id=pk)),
}


def agreement_manage_load(agreement: Agreement) -> None:
    """Only what the workspace shows of the agreement's rows, one statement per relation,
    stored as prefetch_related stores them (`agreement.actions.all()` and so on)."""
    for name, query in _MANAGE_ROWS.items():
        prefetched(agreement, name, query.instances(agreement.pk))


def principles(*, recommendations: bool = True) -> list[Principle]:
    queryset = Principle.objects.order_by("position")
    if recommendations:
        queryset = queryset.prefetch_related("recommendations")
    return list(queryset)


# --- Timeline ------------------------------------------------------------------------------


@dataclass
class PhaseSpan:
    phase: str
    label: str
    typical_days: int
    days: int = 0
    entered_at: date | None = None  # when the phase actually began (first visit)
    left_at: date | None = None
    planned_on: date | None = None  # when the parties planned it to begin
    state: str = "future"  # done, current or future
    open_questions_on_leaving: int = 0
    answered: int = 0  # checklist progress of this phase (filled by the caller)
    questions: int = 0

    @property
    def over_typical(self) -> bool:
        return self.days > self.typical_days

    @property
    def share_of_typical(self) -> int:
        return round(100 * self.days / self.typical_days) if self.typical_days else 0

    @property
    def days_late(self) -> int | None:
        """Days the actual start came after the planned one (negative: earlier)."""
        if self.planned_on is None or self.entered_at is None:
            return None
        return (self.entered_at - self.planned_on).days


def phase_timeline(
    agreement: Agreement, *, now: datetime | None = None, checklist=None
) -> list[PhaseSpan]:
    """How long each phase took (all visits summed, by the dates the changes took effect)
    against its typical length, with the planned start dates beside the actual ones.

    Uses the prefetched phase_changes of agreement_for_page(); `checklist` (checklist_for())
    adds each phase's progress.
    """
    today = timezone.localdate(now or timezone.now())
    labels = dict(Phase.choices)
    spans = {
        p: PhaseSpan(
            phase=p,
            label=str(labels[p]),
            typical_days=TYPICAL_DAYS[p],
            planned_on=agreement.planned_on(p),
        )
        for p in PHASE_ORDER
    }
    changes = list(agreement.phase_changes.all())
    for index, change in enumerate(changes):
        end = changes[index + 1].effective_on if index + 1 < len(changes) else today
        span = spans[change.to_phase]
        span.days += max((end - change.effective_on).days, 0)
        if span.entered_at is None:
            span.entered_at = change.effective_on
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
    for group in checklist or []:
        spans[group.phase].answered = group.answered
        spans[group.phase].questions = group.questions
    return [spans[p] for p in PHASE_ORDER]


# --- Principle health ----------------------------------------------------------------------

PUBLIC, LEADER = "public", "leader"  # who looks at a round's result


@dataclass
class SideResult:
    """One side's pooled answers to one principle in one round."""

    side: str
    n: int | None = None  # respondents who rated it; None: entered on behalf of the parties
    mean: float | None = None
    spread: float | None = None  # standard deviation between the side's respondents
    hidden: bool = False  # too few respondents for this audience: no figure shown
    small: bool = False  # fewer respondents than MIN_RESPONDENTS_PUBLIC (a note for leaders)

    @property
    def shown(self) -> bool:
        return self.mean is not None and not self.hidden


def _pool(side: str, scores: list[int], *, on_behalf: bool, audience: str) -> SideResult:
    if on_behalf:
        return SideResult(side=side, n=None, mean=scores[0] if scores else None)
    result = SideResult(side=side, n=len(scores))
    if not scores:
        return result
    result.small = len(scores) < MIN_RESPONDENTS_PUBLIC
    if result.small and audience != LEADER:
        result.hidden = True
        return result
    result.mean = round(mean(scores), 1)
    result.spread = round(pstdev(scores), 1) if len(scores) > 1 else 0.0
    return result


@dataclass
class PrincipleResult:
    principle: Principle
    civil: SideResult
    public: SideResult
    comments: list[tuple[str, str]] = field(default_factory=list)  # (sector label, text)

    @property
    def gap(self) -> float | None:
        """The perception gap: only when both sides' figures are shown."""
        if not (self.civil.shown and self.public.shown):
            return None
        return round(abs(self.civil.mean - self.public.mean), 1)

    @property
    def both(self) -> float | None:
        """The mean of both sides, only when both are shown (never one side as 'both')."""
        if not (self.civil.shown and self.public.shown):
            return None
        return round((self.civil.mean + self.public.mean) / 2, 1)


@dataclass
class RoundResult:
    round: AssessmentRound
    principles: list[PrincipleResult]
    answered: dict[str, int]  # respondents who answered, per side
    invited: dict[str, int]
    audience: str = PUBLIC

    @property
    def on_behalf(self) -> bool:
        return self.round.on_behalf

    def _side_present(self, side: str) -> bool:
        attr = "civil" if side == Side.CIVIL_SOCIETY else "public"
        return any(getattr(p, attr).mean is not None for p in self.principles)

    @property
    def sides_answered(self) -> list[str]:
        return [s for s in (Side.CIVIL_SOCIETY, Side.PUBLIC) if self._side_present(s)]

    @property
    def one_sided(self) -> bool:
        return len(self.sides_answered) == 1

    @property
    def one_side_label(self) -> str:
        return str(Side(self.sides_answered[0]).label) if self.one_sided else ""

    min_respondents = MIN_RESPONDENTS_PUBLIC

    @property
    def hidden_sides(self) -> list[str]:
        """Sides that answered but are too few to be shown to this audience."""
        hidden = []
        for side, attr in ((Side.CIVIL_SOCIETY, "civil"), (Side.PUBLIC, "public")):
            if any(getattr(p, attr).hidden for p in self.principles):
                hidden.append(Side(side).label)
        return hidden

    @property
    def small_sides(self) -> list[str]:
        small = []
        for side, attr in ((Side.CIVIL_SOCIETY, "civil"), (Side.PUBLIC, "public")):
            if any(getattr(p, attr).small for p in self.principles):
                small.append(Side(side).label)
        return small

    @property
    def has_data(self) -> bool:
        return bool(self.sides_answered)

    @property
    def civil_answered(self) -> int:
        return self.answered.get(Side.CIVIL_SOCIETY, 0)

    @property
    def public_answered(self) -> int:
        return self.answered.get(Side.PUBLIC, 0)

    @property
    def civil_invited(self) -> int:
        return self.invited.get(Side.CIVIL_SOCIETY, 0)

    @property
    def public_invited(self) -> int:
        return self.invited.get(Side.PUBLIC, 0)


@dataclass
class PreparedRound:
    """A round's scores as plain rows: (principle id, side, score, comment) in the order they
    were given (on-behalf rounds: the assessments; others: the answered respondents'), and the
    respondents invited and answered per side (zero for on-behalf rounds)."""

    entries: list[tuple[int, str, int, str]] = field(default_factory=list)
    answered: dict[str, int] = field(
        default_factory=lambda: {Side.CIVIL_SOCIETY.value: 0, Side.PUBLIC.value: 0}
    )
    invited: dict[str, int] = field(
        default_factory=lambda: {Side.CIVIL_SOCIETY.value: 0, Side.PUBLIC.value: 0}
    )


def _prepared_from_prefetch(round_: AssessmentRound) -> PreparedRound:
    """From the prefetched assessments or respondents with answers (_round_prefetches)."""
    prepared = PreparedRound()
    if round_.on_behalf:
        prepared.entries = [
            (a.principle_id, a.side, a.score, a.comment) for a in round_.assessments.all()
        ]
        return prepared
    for respondent in round_.respondents.all():
        prepared.invited[respondent.side] += 1
        if respondent.answered_at is None:
            continue
        prepared.answered[respondent.side] += 1
        prepared.entries.extend(
            (answer.principle_id, respondent.side, answer.score, answer.comment)
            for answer in respondent.answers.all()
        )
    return prepared


def _closed_rounds_counted(agreement_filter: Q) -> QuerySet[AssessmentRound]:
    counts = {}
    for side in (Side.CIVIL_SOCIETY, Side.PUBLIC):
        # Counted over one join (grouped by round): half the cost of building and compiling
        # a correlated subquery per figure.
        counts[f"invited_{side.value}"] = Count("respondents", filter=Q(respondents__side=side))
        counts[f"answered_{side.value}"] = Count(
            "respondents", filter=Q(respondents__side=side, respondents__answered_at__isnull=False)
        )
    return (
        AssessmentRound.objects.filter(agreement_filter, status=RoundStatus.CLOSED)
        .annotate(**counts)
        .order_by("held_on", "pk")
    )


def _round_entries(assessed_filter: Q, answered_filter: Q):
    """Every score of the rounds, from both sources in one statement; the last two columns
    give the order they had when read through the prefetches (assessments by pk; respondents
    by pk, their answers by pk)."""
    assessed = (
        PrincipleAssessment.objects.filter(assessed_filter)
        .order_by()
        .annotate(first=F("pk"), second=Value(0, output_field=IntegerField()))
        .values_list("round_id", "principle_id", "side", "score", "comment", "first", "second")
    )
    answers = (
        RespondentAnswer.objects.filter(answered_filter, respondent__answered_at__isnull=False)
        .order_by()
        .annotate(
            round_ref=F("respondent__round_id"),
            side_ref=F("respondent__side"),
            first=F("respondent_id"),
            second=F("pk"),
        )
        .values_list("round_ref", "principle_id", "side_ref", "score", "comment", "first", "second")
    )
    return assessed.union(answers, all=True)


# The workspace's rounds of one agreement: the same two statements, compiled once per process.
_ROUNDS_OF_ONE = CompiledQuery(lambda pk: _closed_rounds_counted(Q(agreement_id=pk)))
_ENTRIES_OF_ONE = CompiledQuery(
    lambda pk: _round_entries(
        Q(round__agreement_id=pk, round__status=RoundStatus.CLOSED),
        Q(respondent__round__agreement_id=pk, respondent__round__status=RoundStatus.CLOSED),
    )
)


def completed_rounds_prepared(agreement: Agreement) -> list[AssessmentRound]:
    """The closed rounds (like completed_rounds()) in two statements however many
    respondents answered: the rounds with their respondents counted per side, then every
    score of them at once. Each round gets `prepared` (a PreparedRound) for round_result()."""
    rounds = _ROUNDS_OF_ONE.instances(agreement.pk)
    if not rounds:
        return rounds
    _prepare(rounds, _ENTRIES_OF_ONE.rows(agreement.pk))
    return rounds


def completed_rounds_prepared_for(agreement_ids) -> dict[int, list[AssessmentRound]]:
    """completed_rounds_prepared() for several agreements at once (the same two statements),
    by agreement id; an agreement without closed rounds gets an empty list."""
    by_agreement: dict[int, list[AssessmentRound]] = {pk: [] for pk in agreement_ids}
    rounds = list(_closed_rounds_counted(Q(agreement_id__in=list(by_agreement))))
    for round_ in rounds:
        by_agreement[round_.agreement_id].append(round_)
    if not rounds:
        return by_agreement
    ids = [r.pk for r in rounds]
    _prepare(rounds, _round_entries(Q(round_id__in=ids), Q(respondent__round_id__in=ids)))
    return by_agreement


def _prepare(rounds: list[AssessmentRound], entries) -> None:
    """Each round's `prepared`: its counts and, in the order the prefetches gave, its scores
    (a round entered on behalf of the parties has assessments, the others answers)."""
    by_round = {r.pk: r for r in rounds}
    for r in rounds:
        r.prepared = PreparedRound()
        if not r.on_behalf:
            for side in (Side.CIVIL_SOCIETY, Side.PUBLIC):
                r.prepared.invited[side.value] = getattr(r, f"invited_{side.value}")
                r.prepared.answered[side.value] = getattr(r, f"answered_{side.value}")
    from_assessments = {r.pk for r in rounds if r.on_behalf}
    rows = sorted(entries, key=lambda row: (row[5], row[6]))
    for round_id, principle_id, side, score, comment, _first, second in rows:
        # An assessment has second == 0 (a primary key is never 0).
        if (second == 0) != (round_id in from_assessments):
            continue
        by_round[round_id].prepared.entries.append((principle_id, side, score, comment))


def round_result(
    round_: AssessmentRound, principle_list: list[Principle], *, audience: str = PUBLIC
) -> RoundResult:
    """Pooled answers per principle and side. Reads the prefetched assessments and respondents.

    Comments carry their side (the sector), never a name; a side too small for the audience
    shows neither figures nor comments.
    """
    side_labels = dict(Side.choices)
    scores: dict[tuple[int, str], list[int]] = {}
    comments: dict[int, list[tuple[str, str]]] = {}
    prepared = getattr(round_, "prepared", None)
    if prepared is None:
        prepared = _prepared_from_prefetch(round_)
    answered, invited = dict(prepared.answered), dict(prepared.invited)
    for principle_id, side, score, comment in prepared.entries:
        scores.setdefault((principle_id, side), []).append(score)
        # Typed in by a process leader, on-behalf comments were never meant for the public.
        if comment and (audience == LEADER or not round_.on_behalf):
            comments.setdefault(principle_id, []).append((str(side_labels[side]), comment))
    results = []
    for principle in principle_list:
        civil = _pool(
            Side.CIVIL_SOCIETY,
            scores.get((principle.pk, Side.CIVIL_SOCIETY), []),
            on_behalf=round_.on_behalf,
            audience=audience,
        )
        public = _pool(
            Side.PUBLIC,
            scores.get((principle.pk, Side.PUBLIC), []),
            on_behalf=round_.on_behalf,
            audience=audience,
        )
        hidden_labels = {
            str(side_labels[r.side]) for r in (civil, public) if r.hidden or r.mean is None
        }
        shown_comments = sorted(
            (c for c in comments.get(principle.pk, []) if c[0] not in hidden_labels),
            key=lambda c: c[0],
        )
        results.append(PrincipleResult(principle, civil, public, shown_comments))
    return RoundResult(
        round=round_, principles=results, answered=answered, invited=invited, audience=audience
    )


@dataclass
class PrincipleHealth:
    """One principle in the latest completed round, with the trend over the earlier ones."""

    principle: Principle
    result: PrincipleResult | None = None
    trend: list[float | None] = field(default_factory=list)  # both sides' mean per round
    civil_trend: list[float | None] = field(default_factory=list)
    public_trend: list[float | None] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.principle.code

    @property
    def civil(self) -> float | None:
        return self.result.civil.mean if self.result and self.result.civil.shown else None

    @property
    def public(self) -> float | None:
        return self.result.public.mean if self.result and self.result.public.shown else None

    @property
    def civil_spread(self) -> float | None:
        return self.result.civil.spread if self.result and self.result.civil.shown else None

    @property
    def public_spread(self) -> float | None:
        return self.result.public.spread if self.result and self.result.public.shown else None

    @property
    def comments(self) -> list[tuple[str, str]]:
        return self.result.comments if self.result else []

    @property
    def health(self) -> float | None:
        """Both sides' mean; None when only one side is shown (never one side as 'both')."""
        return self.result.both if self.result else None

    @property
    def gap(self) -> float | None:
        return self.result.gap if self.result else None

    @property
    def gap_stands_out(self) -> bool:
        return self.gap is not None and self.gap >= GAP_THRESHOLD

    @property
    def level(self) -> str:
        """A heat-map class: the lower of the shown sides' means, as a whole step."""
        values = [v for v in (self.civil, self.public) if v is not None]
        return str(int(min(values))) if values else "none"

    @property
    def weak(self) -> bool:
        values = [v for v in (self.civil, self.public) if v is not None]
        return bool(values) and min(values) < WEAK_BELOW

    @staticmethod
    def _change(values: list[float | None]) -> float | None:
        """The latest round's figure against the round before it (both must be known)."""
        if len(values) < 2 or values[-1] is None or values[-2] is None:
            return None
        return round(values[-1] - values[-2], 1)

    @property
    def civil_change(self) -> float | None:
        return self._change(self.civil_trend)

    @property
    def public_change(self) -> float | None:
        return self._change(self.public_trend)

    @property
    def direction(self) -> str:
        """Up, down or flat between the last two rounds with both sides, or '' with fewer."""
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
    latest: RoundResult | None = None

    @property
    def has_data(self) -> bool:
        return self.latest is not None and self.latest.has_data

    @property
    def latest_round(self) -> AssessmentRound | None:
        return self.rounds[-1] if self.rounds else None

    def by_code(self) -> dict[str, PrincipleHealth]:
        return {p.code: p for p in self.principles}

    @property
    def has_comments(self) -> bool:
        return any(p.comments for p in self.principles)


def completed_rounds(agreement: Agreement) -> list[AssessmentRound]:
    """Closed rounds, oldest first; open and withdrawn rounds are not results yet (or ever)."""
    return [r for r in agreement.assessment_rounds.all() if r.status == RoundStatus.CLOSED]


def principle_health(
    agreement: Agreement,
    principle_list: list[Principle],
    *,
    audience: str = PUBLIC,
    rounds: list[AssessmentRound] | None = None,
) -> Health:
    """The latest completed round's pooled result per principle and side, and the trend.

    Reads the prefetched assessment_rounds (with assessments and respondents), or the given
    `rounds` (completed_rounds_prepared()): no queries.
    A side is never averaged with a missing one; sides with too few respondents are hidden
    unless the audience is the process leader.
    """
    rounds = completed_rounds(agreement) if rounds is None else rounds
    results = [round_result(r, principle_list, audience=audience) for r in rounds]
    paired = [
        (r, res) for r, res in zip(rounds, results, strict=True) if res.has_data or res.hidden_sides
    ]
    rounds = [r for r, _res in paired]
    results = [res for _r, res in paired]
    rows = []
    for index, principle in enumerate(principle_list):
        row = PrincipleHealth(principle=principle)
        for res in results:
            pr = res.principles[index]
            row.trend.append(pr.both)
            row.civil_trend.append(pr.civil.mean if pr.civil.shown else None)
            row.public_trend.append(pr.public.mean if pr.public.shown else None)
        row.result = results[-1].principles[index] if results else None
        rows.append(row)
    return Health(rounds=rounds, principles=rows, latest=results[-1] if results else None)


# --- The Code of Good Practice questionnaire -------------------------------------------------


@dataclass
class ParticipationSide:
    """One side's pooled levels of participation in one decision step."""

    side: str
    respondents: int = 0  # the side's respondents who answered the questionnaire
    counts: dict[str, int] = field(default_factory=dict)  # per level code, "unknown" included
    mean: float | None = None  # on the scale none 0 ... partnership 4, "don't know" left out
    hidden: bool = False  # too few respondents for this audience: nothing shown
    small: bool = False  # fewer respondents than MIN_RESPONDENTS_PUBLIC (a note for leaders)

    @property
    def shown(self) -> bool:
        return self.mean is not None and not self.hidden

    @property
    def unknown(self) -> int:
        return self.counts.get(ParticipationLevel.UNKNOWN, 0)

    @property
    def level_label(self) -> str:
        """The level nearest the mean (halves round up)."""
        if self.mean is None:
            return ""
        nearest = int(self.mean + 0.5)
        code = next(c for c, value in PARTICIPATION_SCALE.items() if value == nearest)
        return str(ParticipationLevel(code).label)

    @property
    def distribution(self) -> list[tuple[str, int]]:
        """(level label, how many chose it), in the scale's order, levels nobody chose left out."""
        return [
            (str(label), self.counts[code])
            for code, label in ParticipationLevel.choices
            if self.counts.get(code)
        ]


@dataclass
class ParticipationStep:
    step: str
    civil: ParticipationSide
    public: ParticipationSide

    @property
    def label(self) -> str:
        return str(DecisionStep(self.step).label)

    @property
    def gap(self) -> float | None:
        """The difference between the sides' mean levels, only when both are shown."""
        if not (self.civil.shown and self.public.shown):
            return None
        return round(abs(self.civil.mean - self.public.mean), 1)

    @property
    def gap_stands_out(self) -> bool:
        return self.gap is not None and self.gap >= PARTICIPATION_GAP_THRESHOLD


@dataclass
class ParticipationResult:
    """A round's Code of Good Practice questionnaire, pooled per side like the principles."""

    round: AssessmentRound
    steps: list[ParticipationStep]
    answered: dict[str, int]
    audience: str = PUBLIC
    min_respondents = MIN_RESPONDENTS_PUBLIC
    gap_threshold = PARTICIPATION_GAP_THRESHOLD

    def _sides(self, test) -> list[str]:
        return [
            str(Side(side).label)
            for side, attr in ((Side.CIVIL_SOCIETY, "civil"), (Side.PUBLIC, "public"))
            if any(test(getattr(row, attr)) for row in self.steps)
        ]

    @property
    def sides_answered(self) -> list[str]:
        return self._sides(lambda cell: cell.mean is not None)

    @property
    def hidden_sides(self) -> list[str]:
        return self._sides(lambda cell: cell.hidden)

    @property
    def small_sides(self) -> list[str]:
        return self._sides(lambda cell: cell.small)

    @property
    def has_data(self) -> bool:
        return bool(self.sides_answered)

    @property
    def one_sided(self) -> bool:
        return len(self.sides_answered) == 1

    @property
    def civil_answered(self) -> int:
        return self.answered.get(Side.CIVIL_SOCIETY, 0)

    @property
    def public_answered(self) -> int:
        return self.answered.get(Side.PUBLIC, 0)


def _pool_levels(side: str, respondents: int, levels: list[str], *, audience: str):
    counts = {code: levels.count(code) for code in ParticipationLevel.values}
    result = ParticipationSide(side=side, respondents=respondents, counts=counts)
    if not respondents:
        return result
    result.small = respondents < MIN_RESPONDENTS_PUBLIC
    if result.small and audience != LEADER:
        result.hidden = True
        result.counts = {}
        return result
    known = [PARTICIPATION_SCALE[code] for code in levels if code in PARTICIPATION_SCALE]
    result.mean = round(float(mean(known)), 1) if known else None
    return result


def participation_result(round_: AssessmentRound, *, audience: str = PUBLIC):
    """The round's levels of participation per decision step and side (one query), or None
    when the round did not ask the questionnaire. A side with fewer than three respondents is
    shown only to the process leaders; one side is never shown as both."""
    if not round_.asks_participation:
        return None
    rows = ParticipationAnswer.objects.filter(
        respondent__round=round_, respondent__answered_at__isnull=False
    ).values_list("respondent_id", "respondent__side", "step", "level")
    people: dict[str, set[int]] = {Side.CIVIL_SOCIETY.value: set(), Side.PUBLIC.value: set()}
    levels: dict[tuple[str, str], list[str]] = {}
    for respondent_id, side, step, level in rows:
        people[side].add(respondent_id)
        levels.setdefault((step, side), []).append(level)
    answered = {side: len(ids) for side, ids in people.items()}
    steps = [
        ParticipationStep(
            step=step,
            civil=_pool_levels(
                Side.CIVIL_SOCIETY,
                answered[Side.CIVIL_SOCIETY],
                levels.get((step, Side.CIVIL_SOCIETY), []),
                audience=audience,
            ),
            public=_pool_levels(
                Side.PUBLIC,
                answered[Side.PUBLIC],
                levels.get((step, Side.PUBLIC), []),
                audience=audience,
            ),
        )
        for step in DECISION_STEP_ORDER
    ]
    return ParticipationResult(round=round_, steps=steps, answered=answered, audience=audience)


def latest_participation(
    agreement: Agreement, *, audience: str = PUBLIC, rounds: list[AssessmentRound] | None = None
):
    """The latest completed round that asked the questionnaire, pooled (reads the prefetched
    rounds, or the given `rounds` of completed_rounds_prepared(), then one query), or None."""
    rounds = completed_rounds(agreement) if rounds is None else rounds
    asked = [r for r in rounds if r.asks_participation]
    return participation_result(asked[-1], audience=audience) if asked else None


def round_sides(round_: AssessmentRound) -> set[str]:
    return {assessment.side for assessment in round_.assessments.all()}


def rounds_for_leader(agreement: Agreement) -> QuerySet[AssessmentRound]:
    """Every round of the agreement, withdrawn ones too, newest first (the history)."""
    return agreement.assessment_rounds.order_by("-held_on", "-pk").prefetch_related(
        Prefetch("respondents", queryset=Respondent.objects.order_by("side", "name"))
    )


def round_for_page(agreement: Agreement, pk) -> AssessmentRound:
    return (
        AssessmentRound.objects.filter(agreement=agreement)
        .select_related("agreement", "opened_by")
        .prefetch_related(*_round_prefetches(), "principles", "parties")
        .get(pk=pk)
    )


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
    form: object | None = None  # a posted question's form; the others are written out

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
    def questions(self) -> int:
        return len(self.rows)

    @property
    def open(self) -> int:
        return len(self.rows) - self.answered


@dataclass
class ChecklistCount:
    """One phase's progress without its questions (the workspace shows only the counts)."""

    phase: str
    label: str
    answered: int
    questions: int

    @property
    def open(self) -> int:
        return self.questions - self.answered


def _checklist_counted(pk) -> QuerySet:
    return (
        ChecklistItem.objects.filter(Q(agreement=None) | Q(agreement_id=pk))
        .annotate(
            answered_here=FilteredRelation(
                "answers",
                condition=Q(answers__agreement_id=pk, answers__state=ChecklistState.ANSWERED),
            )
        )
        .order_by()
        .values("phase")
        .annotate(questions=Count("pk"), answered=Count("answered_here"))
        .values_list("phase", "questions", "answered")
    )


_CHECKLIST_COUNTED = CompiledQuery(_checklist_counted)


def checklist_counts(agreement: Agreement) -> list[ChecklistCount]:
    """Per phase, the questions (common and the agreement's own) and how many of them the
    agreement has answered, in one grouped statement (compiled once per process). (Twelve
    correlated counts on the agreement's row cost the same round trip but several
    milliseconds to build and compile.)"""
    figures = {
        phase: (questions, answered)
        for phase, questions, answered in _CHECKLIST_COUNTED.rows(agreement.pk)
    }
    labels = dict(Phase.choices)
    return [
        ChecklistCount(
            phase=p,
            label=str(labels[p]),
            answered=figures.get(p, (0, 0))[1],
            questions=figures.get(p, (0, 0))[0],
        )
        for p in PHASE_ORDER
    ]


# The checklist's questions and an agreement's answers, compiled once per process.
_CHECKLIST_ITEMS = CompiledQuery(
    lambda pk: (
        ChecklistItem.objects.filter(Q(agreement=None) | Q(agreement_id=pk))
        .select_related("principle")
        .order_by("position", "pk")
    )
)
_CHECKLIST_ANSWERS = CompiledQuery(
    lambda pk: ChecklistAnswer.objects.filter(agreement_id=pk).select_related("updated_by")
)


def checklist_for(agreement: Agreement) -> list[ChecklistPhase]:
    items = _CHECKLIST_ITEMS.instances(agreement.pk)
    answers = {answer.item_id: answer for answer in _CHECKLIST_ANSWERS.instances(agreement.pk)}
    labels = dict(Phase.choices)
    phases = {p: ChecklistPhase(phase=p, label=str(labels[p]), rows=[]) for p in PHASE_ORDER}
    for item in items:
        phases[item.phase].rows.append(ChecklistRow(item=item, answer=answers.get(item.pk)))
    return [phases[p] for p in PHASE_ORDER]


@dataclass
class ActionProgress:
    done: int = 0
    in_progress: int = 0
    planned: int = 0
    late: int = 0  # open (planned or in progress) and past its due date
    actions: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.planned


def action_progress(agreement: Agreement, *, today: date | None = None) -> ActionProgress:
    """The action plan's progress; reads the prefetched actions (cancelled ones left out)."""
    today = today or timezone.localdate()
    progress = ActionProgress()
    for action in agreement.actions.all():
        if action.status == ActionStatus.CANCELLED:
            continue
        progress.actions.append(action)
        if action.status == ActionStatus.DONE:
            progress.done += 1
        elif action.status == ActionStatus.IN_PROGRESS:
            progress.in_progress += 1
        else:
            progress.planned += 1
        if action.is_overdue(today):
            progress.late += 1
    return progress


def days_in_phase(agreement: Agreement, *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return max((now - agreement.phase_entered_at).days, 0)
