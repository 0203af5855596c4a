"""Every write to the agreements app goes through here.

Writes that change the agreement itself (its details, its phase) and a checklist answer carry
the version the user's form was loaded with; a stale version is refused with a message naming
the time of the other save, so concurrent edits never overwrite each other silently.
"""

import hashlib
import mimetypes
import os
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import content
from agreements.enums import (
    DECISION_STEP_ORDER,
    PHASE_ORDER,
    PRINCIPLE_ORDER,
    ROLE_SIDE,
    SCORE_MAX,
    SCORE_MIN,
    ActionStatus,
    AnchoringLevel,
    ChecklistState,
    CollaborationForm,
    Level,
    LogKind,
    ParticipationLevel,
    Phase,
    RoundSource,
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
    Recommendation,
    Respondent,
    RespondentAnswer,
)
from portal import concurrency
from portal.mail import send_templated_mail, site_url

# Days before an assessment round or an action's due date that its reminder goes out.
REMINDER_DAYS_AHEAD = 7


# The one mechanism for concurrent edits (portal.concurrency); kept under this name here.
StaleVersionError = concurrency.StaleVersionError


# --- Content -------------------------------------------------------------------------------


def content_sync(
    *, principle_model=Principle, recommendation_model=Recommendation, item_model=ChecklistItem
) -> None:
    """Write the principles, recommendations and standard questions (idempotent).

    The model arguments let the data migration pass its historical models.
    """
    principles = {}
    for position, code in enumerate(PRINCIPLE_ORDER):
        sv, en = content.PRINCIPLES[code]
        principles[code], _created = principle_model.objects.update_or_create(
            code=code, defaults={"position": position, "description_sv": sv, "description_en": en}
        )
    for position, (principle, code, title_sv, title_en, text_sv, text_en) in enumerate(
        content.RECOMMENDATIONS
    ):
        recommendation_model.objects.update_or_create(
            code=code,
            defaults={
                "principle": principles[principle],
                "position": position,
                "title_sv": title_sv,
                "title_en": title_en,
                "text_sv": text_sv,
                "text_en": text_en,
            },
        )
    for position, (phase, code, principle, text_sv, text_en) in enumerate(content.CHECKLIST):
        item_model.objects.update_or_create(
            code=code,
            defaults={
                "phase": phase,
                "principle": principles.get(principle),
                "position": position,
                "text_sv": text_sv,
                "text_en": text_en,
                "agreement": None,
            },
        )


# --- Agreements ----------------------------------------------------------------------------


def _validate_forms(forms: Iterable[str]) -> list[str]:
    forms = list(dict.fromkeys(forms))
    unknown = [code for code in forms if code not in CollaborationForm.values]
    if unknown:
        raise ValidationError(
            {
                "collaboration_forms": _("Unknown form of collaboration: %(codes)s")
                % {"codes": ", ".join(unknown)}
            }
        )
    return forms


def _validate_place(*, level: str, municipality, region) -> None:
    if level == Level.LOCAL and municipality is None:
        raise ValidationError({"municipality": _("A local agreement needs its municipality.")})
    if level == Level.REGIONAL and region is None:
        raise ValidationError({"region": _("A regional agreement needs its region.")})


@transaction.atomic
def agreement_create(
    *,
    title: str,
    public_party,
    level: str = Level.LOCAL,
    municipality=None,
    region=None,
    civil_parties: Iterable = (),
    process_leaders: Iterable = (),
    summary: str = "",
    internal_notes: str = "",
    started_on: date | None = None,
    phase: str = Phase.PRE,
    collaboration_forms: Iterable[str] = (),
    next_assessment_on: date | None = None,
    is_example: bool = False,
    created_by=None,
    at: datetime | None = None,
) -> Agreement:
    _validate_place(level=level, municipality=municipality, region=region)
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": _("Unknown phase.")})
    now = at or timezone.now()
    today = timezone.localdate(now)
    effective_on = min(started_on, today) if started_on else today
    agreement = Agreement.objects.create(
        title=title.strip(),
        level=level,
        municipality=municipality if level == Level.LOCAL else None,
        region=region
        if level == Level.REGIONAL
        else (municipality.region if municipality else None),
        public_party=public_party,
        summary=summary,
        internal_notes=internal_notes,
        started_on=started_on,
        phase=phase,
        phase_entered_at=_effective_moment(effective_on, now),
        collaboration_forms=_validate_forms(collaboration_forms),
        next_assessment_on=next_assessment_on,
        is_example=is_example,
        created_at=now,
        updated_at=now,
        updated_by=created_by,
    )
    agreement.civil_parties.set(list(civil_parties))
    agreement.process_leaders.set(list(process_leaders))
    PhaseChange.objects.create(
        agreement=agreement,
        from_phase="",
        to_phase=phase,
        changed_at=now,
        effective_on=effective_on,
        changed_by=created_by,
    )
    return agreement


def _locked(agreement: Agreement, expected_version: int) -> Agreement:
    """The agreement's row, locked for this transaction, if the caller's version is current."""
    try:
        return concurrency.version_lock(
            Agreement, pk=agreement.pk, expected_version=expected_version
        )
    except StaleVersionError as error:
        raise StaleVersionError(
            _stale_message(error.current.updated_at), current=error.current
        ) from None


def _stale_message(saved_at: datetime) -> str:
    return _(
        "Someone else saved this agreement at %(time)s; review their change and try again."
    ) % {"time": time_format(timezone.localtime(saved_at), "H:i")}


def _touch(agreement: Agreement, *, by, fields: list[str], at: datetime | None = None) -> None:
    agreement.version += 1
    agreement.updated_at = at or timezone.now()
    agreement.updated_by = by
    agreement.save(update_fields=[*fields, "version", "updated_at", "updated_by"])


AGREEMENT_EDITABLE = (
    "title",
    "summary",
    "internal_notes",
    "started_on",
    "signed_on",
    "collaboration_forms",
    "next_assessment_on",
)


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    expected_version: int,
    updated_by,
    civil_parties: Iterable | None = None,
    process_leaders: Iterable | None = None,
    **data,
) -> Agreement:
    unknown = set(data) - set(AGREEMENT_EDITABLE)
    if unknown:
        raise TypeError(f"agreement_update() cannot change {sorted(unknown)}")
    agreement = _locked(agreement, expected_version)
    if "collaboration_forms" in data:
        data["collaboration_forms"] = _validate_forms(data["collaboration_forms"])
    if "title" in data:
        data["title"] = data["title"].strip()
    changed = [name for name, value in data.items() if getattr(agreement, name) != value]
    for name in changed:
        setattr(agreement, name, data[name])
    people_changed = False
    for relation, values in (
        ("civil_parties", civil_parties),
        ("process_leaders", process_leaders),
    ):
        if values is None:
            continue
        values = list(values)
        manager = getattr(agreement, relation)
        if {v.pk for v in values} != set(manager.values_list("pk", flat=True)):
            manager.set(values)
            people_changed = True
    if changed or people_changed:  # saving what the page showed changes nothing
        _touch(agreement, by=updated_by, fields=changed)
    return agreement


def checklist_items_for(agreement: Agreement, phase: str | None = None):
    """The standard questions plus this agreement's own, optionally for one phase."""
    items = ChecklistItem.objects.filter(Q(agreement=None) | Q(agreement=agreement))
    if phase is not None:
        items = items.filter(phase=phase)
    return items


def checklist_open_count(agreement: Agreement, phase: str) -> int:
    answered = ChecklistAnswer.objects.filter(
        agreement=agreement, state=ChecklistState.ANSWERED
    ).values("item_id")
    return checklist_items_for(agreement, phase).exclude(pk__in=answered).count()


def _effective_moment(effective_on: date, now: datetime) -> datetime:
    """The moment a back-dated phase began: the start of that day (now if it is today)."""
    if effective_on >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(effective_on, time.min))


def _phase_move(
    *,
    agreement: Agreement,
    expected_version: int,
    to_phase: str,
    by,
    note: str,
    at,
    effective_on: date | None = None,
) -> PhaseChange:
    agreement = _locked(agreement, expected_version)
    now = at or timezone.now()
    effective_on = effective_on or timezone.localdate(now)
    if effective_on > timezone.localdate(now):
        raise ValidationError({"effective_on": _("The date cannot lie in the future.")})
    previous = agreement.phase_changes.order_by("-effective_on", "-changed_at", "-pk").first()
    if previous is not None and effective_on < previous.effective_on:
        raise ValidationError(
            {
                "effective_on": _(
                    "The change cannot take effect before the previous one (%(date)s)."
                )
                % {"date": previous.effective_on.isoformat()}
            }
        )
    from_phase = agreement.phase
    change = PhaseChange.objects.create(
        agreement=agreement,
        from_phase=from_phase,
        to_phase=to_phase,
        changed_at=now,
        effective_on=effective_on,
        changed_by=by,
        note=note.strip(),
        open_questions=checklist_open_count(agreement, from_phase),
    )
    agreement.phase = to_phase
    agreement.phase_entered_at = _effective_moment(effective_on, now)
    fields = ["phase", "phase_entered_at"]
    if (
        from_phase == Phase.ANCHORING
        and to_phase == Phase.IMPLEMENTATION
        and not agreement.signed_on
    ):
        # Leaving anchoring and decision forwards means the agreement was signed.
        agreement.signed_on = effective_on
        fields.append("signed_on")
    _touch(agreement, by=by, fields=fields, at=now)
    return change


@transaction.atomic
def agreement_phase_advance(
    *,
    agreement: Agreement,
    expected_version: int,
    advanced_by,
    note: str = "",
    at: datetime | None = None,
    effective_on: date | None = None,
) -> PhaseChange:
    """Move to the next phase; unanswered questions do not block but are recorded.

    effective_on (default: today) back-dates the change, never into the future and never
    before the previous change, so a process can be entered as it happened.
    """
    index = PHASE_ORDER.index(agreement.phase)
    if index == len(PHASE_ORDER) - 1:
        raise ValidationError(_("Follow-up is the last phase: there is no next one."))
    return _phase_move(
        agreement=agreement,
        expected_version=expected_version,
        to_phase=PHASE_ORDER[index + 1],
        by=advanced_by,
        note=note,
        at=at,
        effective_on=effective_on,
    )


@transaction.atomic
def agreement_phase_revert(
    *,
    agreement: Agreement,
    expected_version: int,
    reverted_by,
    note: str,
    at: datetime | None = None,
    effective_on: date | None = None,
) -> PhaseChange:
    """Go back one phase; why must be written down."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the process goes back a phase.")})
    index = PHASE_ORDER.index(agreement.phase)
    if index == 0:
        raise ValidationError(_("The pre-phase is the first phase: there is no earlier one."))
    return _phase_move(
        agreement=agreement,
        expected_version=expected_version,
        to_phase=PHASE_ORDER[index - 1],
        by=reverted_by,
        note=note,
        at=at,
        effective_on=effective_on,
    )


@transaction.atomic
def agreement_phase_plan_set(
    *, agreement: Agreement, expected_version: int, plan: dict[str, date | None], updated_by
) -> Agreement:
    """Planned start dates per phase, shown beside the actual ones."""
    agreement = _locked(agreement, expected_version)
    unknown = set(plan) - set(PHASE_ORDER)
    if unknown:
        raise ValidationError(_("Unknown phase."))
    stored = {phase: value.isoformat() for phase, value in plan.items() if value}
    if stored != (agreement.phase_plan or {}):
        agreement.phase_plan = stored
        _touch(agreement, by=updated_by, fields=["phase_plan"])
    return agreement


# --- Checklists ----------------------------------------------------------------------------


# Evidence documents: PDF and office documents only, checked as agenda documents are.
EVIDENCE_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods")


def evidence_validate(uploaded) -> str:
    """The content type of an acceptable evidence document, or a ValidationError.

    The checks of council's agenda documents (size, empty file, a PDF that is a PDF), for a
    narrower list of types: evidence is a document, not an image or a text file.
    """
    from council.services import document_validate

    extension = os.path.splitext(uploaded.name or "")[1].lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                "evidence_file": _("Files of this type cannot be added. Allowed: %(types)s.")
                % {"types": ", ".join(ext.lstrip(".") for ext in EVIDENCE_EXTENSIONS)}
            }
        )
    try:
        return document_validate(uploaded)
    except ValidationError as error:
        raise ValidationError({"evidence_file": error.messages}) from None


@transaction.atomic
def checklist_answer_update(
    *,
    agreement: Agreement,
    item: ChecklistItem,
    state: str,
    note: str = "",
    evidence: str = "",
    evidence_file=None,
    remove_file: bool = False,
    expected_version: int = 0,
    updated_by=None,
    at: datetime | None = None,
) -> ChecklistAnswer:
    """Set a question's state for one agreement. expected_version 0: no answer existed yet.

    evidence_file (an upload) replaces the answer's document; remove_file drops it.
    """
    if item.agreement_id not in (None, agreement.pk):
        raise ValidationError(_("This question belongs to another agreement."))
    if state not in ChecklistState.values:
        raise ValidationError({"state": _("Unknown state.")})
    content_type = evidence_validate(evidence_file) if evidence_file is not None else ""
    now = at or timezone.now()
    answer = (
        ChecklistAnswer.objects.select_for_update().filter(agreement=agreement, item=item).first()
    )
    if answer is None:
        if expected_version not in (0, None):
            raise StaleVersionError(_stale_message(now), code="stale")
        if (
            state == ChecklistState.OPEN
            and not note.strip()
            and not evidence.strip()
            and evidence_file is None
        ):
            return None  # still unanswered: nothing to store
        try:
            with transaction.atomic():
                answer = ChecklistAnswer.objects.create(
                    agreement=agreement,
                    item=item,
                    state=state,
                    note=note.strip(),
                    evidence=evidence.strip(),
                    updated_at=now,
                    updated_by=updated_by,
                )
        except IntegrityError as exc:  # another request answered it first
            answer = ChecklistAnswer.objects.get(agreement=agreement, item=item)
            raise StaleVersionError(_stale_message(answer.updated_at), current=answer) from exc
        if evidence_file is not None:
            _evidence_store(answer, evidence_file, content_type)
            answer.save(update_fields=["evidence_file", "evidence_name", "evidence_content_type"])
        return answer
    if answer.version != expected_version:
        raise StaleVersionError(_stale_message(answer.updated_at), current=answer)
    file_changes = evidence_file is not None or (remove_file and answer.evidence_file)
    if (
        answer.state,
        answer.note,
        answer.evidence,
    ) == (state, note.strip(), evidence.strip()) and not file_changes:
        return answer  # saved as it was shown: nothing changed
    answer.state = state
    answer.note = note.strip()
    answer.evidence = evidence.strip()
    fields = ["state", "note", "evidence", "version", "updated_at", "updated_by"]
    if file_changes:
        old = answer.evidence_file.name if answer.evidence_file else ""
        if evidence_file is not None:
            _evidence_store(answer, evidence_file, content_type)
        else:
            answer.evidence_file, answer.evidence_name, answer.evidence_content_type = "", "", ""
        fields += ["evidence_file", "evidence_name", "evidence_content_type"]
        if old:
            storage = answer.evidence_file.storage
            transaction.on_commit(lambda: storage.delete(old))
    answer.version += 1
    answer.updated_at = now
    answer.updated_by = updated_by
    answer.save(update_fields=fields)
    return answer


def _evidence_store(answer: ChecklistAnswer, uploaded, content_type: str) -> None:
    name = os.path.basename(uploaded.name)[:200]
    answer.evidence_file.save(name, uploaded, save=False)
    answer.evidence_name = name
    answer.evidence_content_type = content_type or mimetypes.guess_type(name)[0] or ""


@transaction.atomic
def checklist_item_add(
    *, agreement: Agreement, phase: str, text_sv: str, text_en: str = "", principle=None
) -> ChecklistItem:
    """A local question for one agreement (the secretariat adds these)."""
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": _("Unknown phase.")})
    text_sv = text_sv.strip()
    if not text_sv:
        raise ValidationError({"text_sv": _("Write the question.")})
    last = checklist_items_for(agreement, phase).order_by("-position").first()
    return ChecklistItem.objects.create(
        agreement=agreement,
        phase=phase,
        principle=principle,
        position=(last.position + 1) if last else 0,
        text_sv=text_sv,
        text_en=text_en.strip() or text_sv,
    )


# --- Principles ----------------------------------------------------------------------------


def _not_in_future(value: date | None, field: str, today: date) -> None:
    if value is not None and value > today:
        raise ValidationError({field: _("The date cannot lie in the future.")})


@transaction.atomic
def assessment_round_record(
    *,
    agreement: Agreement,
    held_on: date,
    side: str,
    scores: dict[str, tuple[int, str]],
    recorded_by=None,
    today: date | None = None,
) -> AssessmentRound:
    """One side's ratings, entered by a process leader on behalf of the parties.

    The round (source "on_behalf") is created by whichever side is recorded first; the other
    side adds its ratings to the same round. A side cannot rate the same round twice. Rounds
    answered by the parties themselves go through round_open() and respondent_answer().
    """
    if side not in Side.values:
        raise ValidationError({"side": _("Unknown side.")})
    _not_in_future(held_on, "held_on", today or timezone.localdate())
    missing = [code for code in PRINCIPLE_ORDER if code not in scores]
    if missing:
        raise ValidationError(_("Every principle needs a score."))
    for code, (score, _comment) in scores.items():
        if not SCORE_MIN <= int(score) <= SCORE_MAX:
            raise ValidationError({f"score_{code}": _("A score is a whole number from 1 to 5.")})
    round_ = (
        AssessmentRound.objects.filter(
            agreement=agreement, held_on=held_on, source=RoundSource.ON_BEHALF
        )
        .exclude(status=RoundStatus.WITHDRAWN)
        .first()
    )
    if round_ is None:
        round_ = AssessmentRound.objects.create(
            agreement=agreement,
            held_on=held_on,
            closes_on=held_on,
            status=RoundStatus.CLOSED,
            source=RoundSource.ON_BEHALF,
            opened_by=recorded_by,
        )
    if round_.assessments.filter(side=side).exists():
        raise ValidationError(
            {
                "side": _("This side has already rated the principles in the round of %(date)s.")
                % {"date": held_on.isoformat()}
            }
        )
    principles = {p.code: p for p in Principle.objects.all()}
    PrincipleAssessment.objects.bulk_create(
        PrincipleAssessment(
            round=round_,
            principle=principles[code],
            side=side,
            score=int(scores[code][0]),
            comment=(scores[code][1] or "").strip(),
            recorded_by=recorded_by,
        )
        for code in PRINCIPLE_ORDER
    )
    return round_


# --- Rounds answered by the parties --------------------------------------------------------


def _validate_round_dates(*, held_on: date, closes_on: date | None, today: date) -> None:
    _not_in_future(held_on, "held_on", today)
    if closes_on is not None and closes_on < held_on:
        raise ValidationError({"closes_on": _("The round cannot close before it opens.")})


def _no_other_open_round(agreement: Agreement, *, exclude_pk=None) -> None:
    others = AssessmentRound.objects.filter(agreement=agreement, status=RoundStatus.OPEN)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            _("Another round of this agreement is open: close it before opening a new one.")
        )


def _round_stale(error: StaleVersionError) -> StaleVersionError:
    return StaleVersionError(
        _("Someone else changed this round at %(time)s; review their change and try again.")
        % {"time": time_format(timezone.localtime(error.current.updated_at), "H:i")},
        current=error.current,
    )


def _round_locked(round_: AssessmentRound, expected_version: int | None) -> AssessmentRound:
    try:
        return concurrency.version_lock(
            AssessmentRound, pk=round_.pk, expected_version=expected_version
        )
    except StaleVersionError as error:
        raise _round_stale(error) from None


@transaction.atomic
def round_open(
    *,
    agreement: Agreement,
    held_on: date,
    closes_on: date | None,
    principles: Iterable[Principle] = (),
    parties: Iterable = (),
    asks_participation: bool = False,
    opened_by=None,
    today: date | None = None,
) -> AssessmentRound:
    """Open a round that the parties answer themselves; one open round per agreement.

    asks_participation adds the second questionnaire (the Code of Good Practice for Civil
    Participation): each respondent also gives a level of participation per decision step.
    """
    today = today or timezone.localdate()
    _validate_round_dates(held_on=held_on, closes_on=closes_on, today=today)
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    _no_other_open_round(agreement)
    principles = list(principles) or list(Principle.objects.all())
    allowed = {agreement.public_party_id, *agreement.civil_parties.values_list("pk", flat=True)}
    parties = list(parties)
    if any(org.pk not in allowed for org in parties):
        raise ValidationError({"parties": _("Only the agreement's own parties can take part.")})
    try:
        with transaction.atomic():
            round_ = AssessmentRound.objects.create(
                agreement=agreement,
                held_on=held_on,
                closes_on=closes_on,
                status=RoundStatus.OPEN,
                source=RoundSource.RESPONDENTS,
                asks_participation=bool(asks_participation),
                opened_by=opened_by,
            )
    except IntegrityError as exc:  # another request opened one at the same moment
        raise ValidationError(
            _("Another round of this agreement is open: close it before opening a new one.")
        ) from exc
    round_.principles.set(principles)
    round_.parties.set(parties or [agreement.public_party, *agreement.civil_parties.all()])
    return round_


@transaction.atomic
def round_dates_update(
    *,
    round_: AssessmentRound,
    expected_version: int,
    held_on: date,
    closes_on: date | None,
    today: date | None = None,
) -> AssessmentRound:
    round_ = _round_locked(round_, expected_version)
    _validate_round_dates(held_on=held_on, closes_on=closes_on, today=today or timezone.localdate())
    if (round_.held_on, round_.closes_on) == (held_on, closes_on):
        return round_
    round_.held_on, round_.closes_on = held_on, closes_on
    round_.updated_at = timezone.now()
    round_.save(
        update_fields=concurrency.version_bump(round_, ["held_on", "closes_on", "updated_at"])
    )
    return round_


@transaction.atomic
def round_status_set(
    *, round_: AssessmentRound, status: str, expected_version: int | None = None
) -> AssessmentRound:
    """Close an open round or reopen a closed one (only one open round per agreement)."""
    if status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
        raise ValidationError({"status": _("Unknown status.")})
    round_ = _round_locked(round_, expected_version)
    if round_.is_withdrawn:
        raise ValidationError(_("A withdrawn round cannot be closed or reopened."))
    if round_.on_behalf and status == RoundStatus.OPEN:
        raise ValidationError(_("A round entered on behalf of the parties cannot be reopened."))
    if round_.status == status:
        return round_
    if status == RoundStatus.OPEN:
        _no_other_open_round(round_.agreement, exclude_pk=round_.pk)
    round_.status = status
    fields = ["status", "updated_at"]
    today = timezone.localdate()
    if status == RoundStatus.CLOSED and (round_.closes_on is None or round_.closes_on > today):
        round_.closes_on = max(today, round_.held_on)
        fields.append("closes_on")
    if status == RoundStatus.OPEN and round_.closes_on is not None and round_.closes_on <= today:
        round_.closes_on = None  # reopened: the leader sets a new closing date if wanted
        fields.append("closes_on")
    round_.updated_at = timezone.now()
    round_.save(update_fields=concurrency.version_bump(round_, fields))
    return round_


@transaction.atomic
def round_withdraw(
    *, round_: AssessmentRound, note: str = "", expected_version: int | None = None
) -> AssessmentRound:
    """A round entered by mistake: kept in the history, shown nowhere else."""
    round_ = _round_locked(round_, expected_version)
    if round_.is_withdrawn:
        return round_
    round_.status = RoundStatus.WITHDRAWN
    round_.withdrawn_at = round_.updated_at = timezone.now()
    round_.withdrawn_note = note.strip()
    round_.save(
        update_fields=concurrency.version_bump(
            round_, ["status", "withdrawn_at", "withdrawn_note", "updated_at"]
        )
    )
    round_.respondents.filter(revoked_at=None).update(revoked_at=round_.withdrawn_at)
    return round_


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def respondent_find(*, token: str) -> Respondent | None:
    """The respondent whose link carries this token, if the link still works."""
    if not token or len(token) > 200:
        return None
    return (
        Respondent.objects.select_related("round__agreement", "organisation")
        .filter(token_hash=_token_hash(token), revoked_at=None)
        .first()
    )


def _respondent_link(token: str, base_url: str | None) -> str:
    from django.urls import reverse

    base_url = (base_url or site_url()).rstrip("/")
    return base_url + reverse("agreements:respond", args=[token])


def _invitation_send(respondent: Respondent, token: str, base_url: str | None) -> None:
    link = _respondent_link(token, base_url)
    transaction.on_commit(
        lambda: send_templated_mail(
            "agreements/email/round_invitation",
            respondent.email,
            {"respondent": respondent, "round": respondent.round, "link": link},
            language=respondent.language,
        )
    )


@transaction.atomic
def respondent_invite(
    *,
    round_: AssessmentRound,
    name: str,
    email: str,
    role: str,
    organisation=None,
    language: str = "sv",
    invited_by=None,
    base_url: str | None = None,
    notify: bool = True,
) -> tuple[Respondent, str]:
    """Invite one person to answer a round; returns the respondent and the link's token.

    notify=False sends no email (the demo data's fictional respondents)."""
    if role not in ROLE_SIDE:
        raise ValidationError({"role": _("Unknown role.")})
    if not round_.is_open:
        raise ValidationError(_("Respondents can only be invited to an open round."))
    side = ROLE_SIDE[role]
    if side == Side.CIVIL_SOCIETY:
        if organisation is None:
            raise ValidationError({"organisation": _("Choose the civil-society party.")})
        if not round_.parties.filter(pk=organisation.pk).exists():
            raise ValidationError(
                {"organisation": _("This party does not take part in the round.")}
            )
    else:
        organisation = round_.agreement.public_party
    email = email.strip().lower()
    if round_.respondents.filter(email=email).exists():
        raise ValidationError({"email": _("This address is already invited to the round.")})
    token = secrets.token_urlsafe(32)
    respondent = Respondent.objects.create(
        round=round_,
        side=side,
        role=role,
        organisation=organisation,
        name=name.strip(),
        email=email,
        language=language if language in ("sv", "en") else "sv",
        token_hash=_token_hash(token),
        invited_by=invited_by,
    )
    if notify:
        _invitation_send(respondent, token, base_url)
    return respondent, token


@transaction.atomic
def respondent_renew(*, respondent: Respondent, base_url: str | None = None) -> str:
    """A new link (the old one stops working), sent again; also undoes a revocation."""
    if not respondent.round.is_open:
        raise ValidationError(_("The round is not open: its links cannot be renewed."))
    token = secrets.token_urlsafe(32)
    respondent.token_hash = _token_hash(token)
    respondent.revoked_at = None
    respondent.save(update_fields=["token_hash", "revoked_at"])
    _invitation_send(respondent, token, base_url)
    return token


@transaction.atomic
def respondent_revoke(*, respondent: Respondent) -> Respondent:
    if respondent.revoked_at is None:
        respondent.revoked_at = timezone.now()
        respondent.save(update_fields=["revoked_at"])
    return respondent


def _participation_rows(
    respondent: Respondent, participation: dict[str, str] | None
) -> list[ParticipationAnswer]:
    """A level per decision step, each one of the known levels ("don't know" included)."""
    participation = participation or {}
    rows = []
    for step in DECISION_STEP_ORDER:
        level = participation.get(step)
        if not level:
            raise ValidationError(
                {f"level_{step}": _("Choose a level of participation for every step.")}
            )
        if level not in ParticipationLevel.values:
            raise ValidationError(
                {f"level_{step}": _("Choose one of the levels of participation listed.")}
            )
        rows.append(ParticipationAnswer(respondent=respondent, step=step, level=level))
    return rows


@transaction.atomic
def respondent_answer(
    *,
    respondent: Respondent,
    scores: dict[str, tuple[int, str]],
    participation: dict[str, str] | None = None,
    today: date | None = None,
) -> Respondent:
    """Store (or replace) one respondent's ratings while the round is open.

    In a round that also asks the Code of Good Practice questionnaire, `participation` gives
    a level (ParticipationLevel code) for every decision step (DecisionStep code).
    """
    respondent = (
        Respondent.objects.select_for_update().select_related("round").get(pk=respondent.pk)
    )
    round_ = respondent.round
    today = today or timezone.localdate()
    if respondent.revoked_at is not None:
        raise ValidationError(_("This link is no longer valid."))
    if not round_.is_open or (round_.closes_on is not None and round_.closes_on < today):
        raise ValidationError(_("The round is closed: answers can no longer be given."))
    principles = {p.code: p for p in round_principles(round_)}
    missing = [code for code in principles if code not in scores]
    if missing:
        raise ValidationError(_("Every principle needs a score."))
    rows = []
    for code, principle in principles.items():
        score, comment = scores[code]
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = 0
        if not SCORE_MIN <= score <= SCORE_MAX:
            raise ValidationError({f"score_{code}": _("A score is a whole number from 1 to 5.")})
        rows.append(
            RespondentAnswer(
                respondent=respondent,
                principle=principle,
                score=score,
                comment=(comment or "").strip(),
            )
        )
    levels = _participation_rows(respondent, participation) if round_.asks_participation else []
    respondent.answers.all().delete()
    RespondentAnswer.objects.bulk_create(rows)
    if round_.asks_participation:
        respondent.participation_answers.all().delete()
        ParticipationAnswer.objects.bulk_create(levels)
    respondent.answered_at = timezone.now()
    respondent.save(update_fields=["answered_at"])
    return respondent


def round_principles(round_: AssessmentRound) -> list[Principle]:
    """The principles a round asks about (all of them when none were chosen)."""
    chosen = list(round_.principles.order_by("position"))
    return chosen or list(Principle.objects.order_by("position"))


@transaction.atomic
def agreement_next_assessment_set(
    *, agreement: Agreement, expected_version: int, on: date | None, updated_by
) -> Agreement:
    agreement = _locked(agreement, expected_version)
    agreement.next_assessment_on = on
    _touch(agreement, by=updated_by, fields=["next_assessment_on"])
    return agreement


# --- Anchoring, action plan, documentation log ---------------------------------------------


@transaction.atomic
def anchoring_record(
    *, agreement: Agreement, level: str, anchored_on: date, reference: str = ""
) -> Anchoring:
    if level not in AnchoringLevel.values:
        raise ValidationError({"level": _("Unknown level.")})
    _not_in_future(anchored_on, "anchored_on", timezone.localdate())
    anchoring, _created = Anchoring.objects.update_or_create(
        agreement=agreement,
        level=level,
        defaults={"anchored_on": anchored_on, "reference": reference.strip()},
    )
    return anchoring


@transaction.atomic
def action_create(
    *,
    agreement: Agreement,
    title: str,
    owner_side: str,
    due_on: date | None = None,
    principle=None,
    status: str = ActionStatus.PLANNED,
) -> ActionPlanItem:
    if owner_side not in Side.values:
        raise ValidationError({"owner_side": _("Unknown side.")})
    if not title.strip():
        raise ValidationError({"title": _("Describe the action.")})
    return ActionPlanItem.objects.create(
        agreement=agreement,
        title=title.strip(),
        owner_side=owner_side,
        due_on=due_on,
        principle=principle,
        status=status,
    )


@transaction.atomic
def action_status_set(
    *, action: ActionPlanItem, status: str, expected_version: int | None = None
) -> ActionPlanItem:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    action = concurrency.version_lock(
        ActionPlanItem, pk=action.pk, expected_version=expected_version
    )
    if action.status == status:
        return action
    action.status = status
    action.save(update_fields=concurrency.version_bump(action, ["status"]))
    return action


@transaction.atomic
def log_entry_add(
    *,
    agreement: Agreement,
    kind: str,
    occurred_on: date,
    title: str,
    note: str = "",
    link: str = "",
    created_by=None,
) -> LogEntry:
    if kind not in LogKind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    return LogEntry.objects.create(
        agreement=agreement,
        kind=kind,
        occurred_on=occurred_on,
        title=title.strip(),
        note=note.strip(),
        link=link.strip(),
        created_by=created_by,
    )


# --- Reminders -----------------------------------------------------------------------------


def _send_reminder(*, recipients: list, template: str, context: dict) -> None:
    """Each process leader gets the reminder in their own language."""
    send_templated_mail(
        template,
        recipients,
        {
            **context,
            "action_url": context["link"],
            "action_label": gettext_lazy("Open the agreement"),
        },
    )


@transaction.atomic
def due_reminders_send(*, today: date | None = None, base_url: str | None = None) -> int:
    """Email process leaders about assessment rounds and actions that are due (once each).

    Mails go out after the commit, so a rolled-back run sends nothing.
    """
    from django.urls import reverse

    today = today or timezone.localdate()
    horizon = today + timedelta(days=REMINDER_DAYS_AHEAD)
    base_url = (base_url or site_url()).rstrip("/")
    sent = 0
    agreements = (
        Agreement.objects.filter(next_assessment_on__isnull=False, next_assessment_on__lte=horizon)
        .select_for_update(of=("self",))
        .prefetch_related("process_leaders")
    )
    for agreement in agreements:
        if agreement.assessment_reminder_sent_for == agreement.next_assessment_on:
            continue
        recipients = [user for user in agreement.process_leaders.all() if user.is_active]
        agreement.assessment_reminder_sent_for = agreement.next_assessment_on
        agreement.save(update_fields=["assessment_reminder_sent_for"])
        if not recipients:
            continue
        context = {
            "agreement": agreement,
            "due": agreement.next_assessment_on,
            "link": base_url + reverse("agreements:manage", args=[agreement.pk]),
        }
        transaction.on_commit(
            lambda r=recipients, c=context: _send_reminder(
                recipients=r, template="agreements/email/assessment_due", context=c
            )
        )
        sent += 1
    actions = (
        ActionPlanItem.objects.filter(
            status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
            due_on__isnull=False,
            due_on__lte=horizon,
        )
        .select_related("agreement")
        .prefetch_related("agreement__process_leaders")
    )
    for action in actions:
        if action.reminder_sent_for == action.due_on:
            continue
        recipients = [u for u in action.agreement.process_leaders.all() if u.is_active]
        action.reminder_sent_for = action.due_on
        action.save(update_fields=["reminder_sent_for"])
        if not recipients:
            continue
        context = {
            "action": action,
            "agreement": action.agreement,
            "overdue": action.due_on < today,
            "link": base_url + reverse("agreements:manage", args=[action.agreement_id]),
        }
        transaction.on_commit(
            lambda r=recipients, c=context: _send_reminder(
                recipients=r, template="agreements/email/action_due", context=c
            )
        )
        sent += 1
    return sent
