"""What agreements hold about people, for the personal-data registry (portal.personal_data).

Agreements name people through login accounts (process leaders and who recorded a phase
change, an answer, an assessment or a log entry) and, for rounds answered by the parties,
through the respondents invited by name and email address. Those records stay; after erasure
they point to the anonymised account and read "Erased person". A process leader is removed
from the agreements they lead.
"""

from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    AssessmentRound,
    ChecklistAnswer,
    LogEntry,
    PhaseChange,
    PrincipleAssessment,
    Respondent,
)
from portal.personal_data import (
    BLANK,
    KEEP,
    UNLINK,
    Holding,
    declare_not_personal,
    register,
)


def _respondents_blank(queryset, now, subject) -> int:
    """Name and address go, the link stops; the pooled answers (side, role) stay for the
    round's statistics, which never named anyone."""
    count = 0
    for respondent in queryset:
        respondent.name = ""
        respondent.email = f"erased-{respondent.pk}@invalid"
        respondent.revoked_at = respondent.revoked_at or now
        respondent.save(update_fields=["name", "email", "revoked_at"])
        count += 1
    return count


def _process_leader_remove(queryset, now, subject) -> int:
    count = 0
    for agreement in queryset:
        agreement.process_leaders.remove(*agreement.process_leaders.filter(pk__in=subject.user_ids))
        count += 1
    return count


register(
    Holding(
        code="agreements.Agreement",
        model="agreements.Agreement",
        label=_("Agreements led as process leader"),
        find=lambda s: Agreement.objects.filter(process_leaders__in=s.user_ids).distinct(),
        fields=("title", "phase"),
        treatment=UNLINK,
        erase=_process_leader_remove,
    )
)
register(
    Holding(
        code="agreements.PhaseChange",
        model="agreements.PhaseChange",
        label=_("Phase changes recorded"),
        find=lambda s: PhaseChange.objects.filter(changed_by__in=s.user_ids),
        fields=("agreement", "from_phase", "to_phase", "changed_at", "note"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="agreements.ChecklistAnswer",
        model="agreements.ChecklistAnswer",
        label=_("Checklist answers recorded"),
        find=lambda s: ChecklistAnswer.objects.filter(updated_by__in=s.user_ids),
        fields=("agreement", "item", "state", "updated_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="agreements.PrincipleAssessment",
        model="agreements.PrincipleAssessment",
        label=_("Principle assessments recorded"),
        find=lambda s: PrincipleAssessment.objects.filter(recorded_by__in=s.user_ids),
        fields=("round", "principle", "side", "score", "comment"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="agreements.LogEntry",
        model="agreements.LogEntry",
        label=_("Documentation log entries recorded"),
        find=lambda s: LogEntry.objects.filter(created_by__in=s.user_ids),
        fields=("agreement", "occurred_on", "title"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="agreements.AssessmentRound",
        model="agreements.AssessmentRound",
        label=_("Assessment rounds opened"),
        find=lambda s: AssessmentRound.objects.filter(opened_by__in=s.user_ids),
        fields=("agreement", "held_on", "closes_on", "status", "withdrawn_note"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="agreements.Respondent",
        model="agreements.Respondent",
        label=_("Invitations to answer an assessment round"),
        find=lambda s: Respondent.objects.filter(email__in=s.emails).select_related(
            "round__agreement", "organisation"
        ),
        fields=(
            "round",
            "name",
            "email",
            "side",
            "role",
            "organisation",
            "language",
            "invited_at",
            "answered_at",
            "revoked_at",
        ),
        treatment=BLANK,
        erase=_respondents_blank,
    )
)
for _model, _reason in {
    "agreements.Principle": "The six principles: the portal's own content.",
    "agreements.Recommendation": "Recommendations under each principle: the portal's content.",
    "agreements.ChecklistItem": "The questions of the checklist: the portal's own content.",
    "agreements.RespondentAnswer": (
        "Scores and comments under a respondent: found, exported and kept with the "
        "agreements.Respondent holding; shown only pooled per side, without names."
    ),
    "agreements.ParticipationAnswer": (
        "A level of participation per decision-making step under a respondent: found, exported "
        "and kept with the agreements.Respondent holding; shown only pooled per side."
    ),
}.items():
    declare_not_personal(_model, _reason)
