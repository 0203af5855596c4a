"""What the council holds about people, for the personal-data registry (portal.personal_data).

Memberships, attendance, speaking turns and action items stay after erasure: they point to
the anonymised directory person ("Erased person") with its self-described gender, so the
composition, attendance and speaking-time figures never change. Only the free-text note on
a membership is blanked.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from council.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Document,
    Meeting,
    Membership,
    MinutesApproval,
    MinutesRecord,
    MinutesRevision,
    RecordChange,
    SpeakerListEntry,
    SpeakingTurn,
)
from portal.personal_data import (
    BLANK,
    DELETE,
    KEEP,
    Holding,
    any_of,
    blank,
    declare_not_personal,
    delete,
    register,
)

register(
    Holding(
        code="council.Membership",
        model="council.Membership",
        label=_("Council memberships"),
        find=lambda s: Membership.objects.filter(person__in=s.person_ids).select_related(
            "council", "organisation"
        ),
        fields=("council", "organisation", "role", "start_date", "end_date", "work_share", "note"),
        treatment=BLANK,
        erase=blank(note=""),
    )
)
register(
    Holding(
        code="council.Attendance",
        model="council.Attendance",
        label=_("Invitations to and attendance at meetings"),
        find=lambda s: Attendance.objects.filter(
            Q(person__in=s.person_ids) | Q(deputy__in=s.person_ids)
        ).select_related("meeting", "organisation", "deputy"),
        fields=("meeting", "organisation", "reply", "deputy", "status"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.SpeakingTurn",
        model="council.SpeakingTurn",
        label=_("Speaking turns"),
        find=lambda s: SpeakingTurn.objects.filter(person__in=s.person_ids).select_related(
            "meeting"
        ),
        fields=("meeting", "started_at", "ended_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.SpeakerListEntry",
        model="council.SpeakerListEntry",
        label=_("Places on lists of speakers"),
        find=lambda s: SpeakerListEntry.objects.filter(person__in=s.person_ids).select_related(
            "agenda_item__meeting"
        ),
        fields=("agenda_item", "state", "created_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.ActionItem",
        model="council.ActionItem",
        label=_("Action items"),
        find=lambda s: ActionItem.objects.filter(owner__in=s.person_ids).select_related("meeting"),
        fields=("meeting", "title", "due_date", "status", "completed_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.AgendaItem",
        model="council.AgendaItem",
        label=_("Agenda items proposed"),
        find=lambda s: AgendaItem.objects.filter(proposed_by__in=s.user_ids).select_related(
            "meeting"
        ),
        fields=("meeting", "title", "state", "created_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.MinutesRevision",
        model="council.MinutesRevision",
        label=_("Minutes written"),
        find=lambda s: MinutesRevision.objects.filter(written_by__in=s.user_ids),
        fields=("agenda_item", "created_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.MinutesRecord",
        model="council.MinutesRecord",
        label=_("Minutes sent for approval or corrected"),
        find=lambda s: MinutesRecord.objects.filter(created_by__in=s.user_ids).select_related(
            "meeting"
        ),
        fields=("meeting", "revision", "reason", "created_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.MinutesApproval",
        model="council.MinutesApproval",
        label=_("Minutes you adjusted (justering), with your comments"),
        find=lambda s: MinutesApproval.objects.filter(
            any_of(adjuster__in=s.person_ids, decided_by__in=s.user_ids)
        ).select_related("record__meeting"),
        fields=("record", "state", "comment", "decided_at"),
        # The approval is part of the council's record; the person is anonymised with the
        # directory person, and the comment is kept as the record of what was asked.
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.RecordChange",
        model="council.RecordChange",
        label=_("Corrections of decisions and action items"),
        find=lambda s: RecordChange.objects.filter(changed_by__in=s.user_ids),
        fields=("kind", "decision", "action_item", "reason", "changed_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.Document",
        model="council.Document",
        label=_("Documents uploaded"),
        find=lambda s: Document.objects.filter(uploaded_by__in=s.user_ids),
        fields=("meeting", "agenda_item", "name", "created_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.Meeting",
        model="council.Meeting",
        label=_("Meetings scheduled, or whose minutes you took or adjusted"),
        find=lambda s: Meeting.objects.filter(
            any_of(
                created_by__in=s.user_ids,
                minute_taker__in=s.person_ids,
                adjusters__in=s.person_ids,
            )
        ).distinct(),
        fields=("title", "starts_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="council.CalendarFeed",
        model="council.CalendarFeed",
        label=_("Personal calendar feed"),
        find=lambda s: CalendarFeed.objects.filter(user__in=s.user_ids),
        fields=("created_at",),
        treatment=DELETE,
        erase=delete,
    )
)
for _model, _reason in {
    "council.Council": "The council's own name and purpose.",
    "council.Decision": "The text of a council decision: the council's record, about no person.",
}.items():
    declare_not_personal(_model, _reason)
