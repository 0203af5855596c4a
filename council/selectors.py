"""Reads shared by the council's pages, API, calendar feeds and report.

Composition is always "as of a date" (or over a period): who held a seat that day, for which
organisation, and how they split by gender and sector under portal.balance's rule.
"""

import functools
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from council.models import (
    LEADERSHIP_ROLES,
    REPRESENTATIVE_ROLES,
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Council,
    Decision,
    Meeting,
    Membership,
    MinutesApproval,
    MinutesRecord,
    Role,
    SpeakerListEntry,
    SpeakingTurn,
)
from directory.models import Person
from portal import fragment_cache
from portal.balance import (
    Balance,
    PeriodBalance,
    gender_balance,
    gender_balance_over_period,
    sector_balance,
    sector_balance_over_period,
    tally,
)

ENDING_WITHIN = timedelta(days=90)


def council_current() -> Council | None:
    """The portal serves one council; the first one is it."""
    return Council.objects.order_by("id").first()


def council_current_shared(request) -> Council | None:
    """`council_current()` kept under the content version (every members' page asks it)."""
    return fragment_cache.shared(request, "council-current", [], council_current)


def meetings_ahead(request, *, show: int, keep: int, council: Council | None = None) -> list:
    """The next `show` meetings not yet ended nor cancelled (of `council`, or of every
    council), soonest first. They are the same for everyone: `keep` of them are read once
    per write to the council's tables and cut by the clock on each request; when more have
    ended since than were kept, they are read afresh."""

    def compute():
        meetings = Meeting.objects.filter(ends_at__gte=timezone.now(), cancelled_at=None)
        if council is not None:
            meetings = meetings.filter(council=council)
        return list(meetings.order_by("starts_at", "id")[:keep])

    now = timezone.now()
    key = [council.pk if council is not None else "", keep]
    kept = fragment_cache.shared(request, "council-meetings-ahead", key, compute)
    meetings = [meeting for meeting in kept if meeting.ends_at >= now]
    if len(meetings) < show and len(kept) == keep:
        meetings = compute()
    return meetings[:show]


def person_for(user):
    """The directory person linked to a login, or None: read once per user object (once per
    request), the answer None included (Django remembers only a person it found)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_portal_person"):
        user._portal_person = getattr(user, "person", None)
    return user._portal_person


# --- Memberships and composition -----------------------------------------------------------


def membership_list(council: Council) -> QuerySet[Membership]:
    return Membership.objects.filter(council=council).select_related(
        "person", "organisation__sector"
    )


def memberships_on(council: Council, day: date) -> QuerySet[Membership]:
    return membership_list(council).filter(start_date__lte=day).exclude(end_date__lt=day)


def memberships_between(council: Council, first: date, last: date) -> QuerySet[Membership]:
    return membership_list(council).filter(start_date__lte=last).exclude(end_date__lt=first)


def _sector(membership: Membership) -> str:
    return membership.organisation.sector.code if membership.organisation else "unknown"


@dataclass
class Group:
    """People counted once each, with the balance of the group by gender and by sector."""

    memberships: list[Membership]
    gender: Balance
    sector: Balance
    gender_by_share: Balance | None = None
    # Over a period only: the group judged on each day (a successor is not a second person).
    gender_by_day: PeriodBalance | None = None
    sector_by_day: PeriodBalance | None = None

    @property
    def headcount(self) -> int:
        return len(self.memberships)


def _group(
    memberships: list[Membership],
    *,
    with_share: bool = False,
    period: tuple[date, date] | None = None,
) -> Group:
    # One row per person: the latest membership in the list decides organisation and sector.
    latest: dict[int, Membership] = {}
    for membership in sorted(memberships, key=lambda m: (m.start_date, m.pk)):
        latest[membership.person_id] = membership
    people = sorted(latest.values(), key=lambda m: (m.person.name, m.pk))
    genders = [m.person.gender for m in people]
    gender = gender_balance(tally(genders))
    sector = sector_balance(tally([_sector(m) for m in people]))
    by_share = None
    if with_share:
        shares: dict[int, float] = {}
        for membership in memberships:
            if period is None:
                share = membership.work_share or 0
                shares[membership.person_id] = max(shares.get(membership.person_id, 0), share)
                continue
            # Over a period: the share averaged over its days (full-time equivalents).
            first, last = period
            start = max(first, membership.start_date)
            end = min(last, membership.end_date or last)
            days = max((end - start).days + 1, 0)
            weight = (membership.work_share or 0) * days / ((last - first).days + 1)
            shares[membership.person_id] = shares.get(membership.person_id, 0) + weight
        weights = [shares[m.person_id] for m in people]
        by_share = gender_balance(tally(genders, weights), headcount=len(people))
    by_day = {}
    if period is not None:
        first, last = period
        by_day = {
            "gender_by_day": gender_balance_over_period(
                [(m.person_id, m.start_date, m.end_date, m.person.gender) for m in memberships],
                first=first,
                last=last,
            ),
            "sector_by_day": sector_balance_over_period(
                [(m.person_id, m.start_date, m.end_date, _sector(m)) for m in memberships],
                first=first,
                last=last,
            ),
        }
    return Group(
        memberships=people, gender=gender, sector=sector, gender_by_share=by_share, **by_day
    )


@dataclass
class Composition:
    council: Council
    on: date
    representatives: Group
    leadership: Group
    ending: list[Membership] = field(default_factory=list)
    after_ending: Group | None = None

    def as_dict(self) -> dict:
        def group(value: Group) -> dict:
            data = {
                "headcount": value.headcount,
                "gender": value.gender.as_dict(),
                "sector": value.sector.as_dict(),
            }
            if value.gender_by_share is not None:
                data["gender_by_work_share"] = value.gender_by_share.as_dict()
            if value.gender_by_day is not None:
                data["gender_by_day"] = value.gender_by_day.as_dict()
                data["sector_by_day"] = value.sector_by_day.as_dict()
            return data

        return {
            "council": {"name": self.council.name, "slug": self.council.slug},
            "on": self.on.isoformat(),
            "representatives": group(self.representatives),
            "leadership": {
                **group(self.leadership),
                "roles": sorted({m.role for m in self.leadership.memberships}),
            },
            "terms_ending_within_90_days": len(self.ending),
            "representatives_after_terms_end": (
                group(self.after_ending) if self.after_ending is not None else None
            ),
        }


# What a composition counts and the overview's list of ending terms shows: without the rest of
# the directory's organisation rows (texts, search vectors, id arrays), which cost more to
# load than the page's template.
_COMPOSITION_FIELDS = (
    "id",
    "council_id",
    "person_id",
    "organisation_id",
    "role",
    "start_date",
    "end_date",
    "work_share",
    "person__id",
    "person__name",
    "person__gender",
    "organisation__id",
    "organisation__name",
    "organisation__sector__id",
    "organisation__sector__code",
    "organisation__sector__label_sv",
    "organisation__sector__label_en",
)


def composition_on(council: Council, day: date, *, lean: bool = False) -> Composition:
    """Who held a seat on `day`, grouped and judged. `lean` loads only the fields the
    composition and the overview's list of ending terms use (the report reads more)."""

    def on(moment: date):
        rows = memberships_on(council, moment)
        return rows.only(*_COMPOSITION_FIELDS) if lean else rows

    active = list(on(day))
    representatives = [m for m in active if m.role in REPRESENTATIVE_ROLES]
    leadership = [m for m in active if m.role in LEADERSHIP_ROLES]
    horizon = day + ENDING_WITHIN
    ending = sorted(
        (m for m in active if m.end_date is not None and m.end_date <= horizon),
        key=lambda m: (m.end_date, m.person.name),
    )
    # The day after the last of these terms ends: who still sits (and who has joined by then).
    after = None
    ending_seats = [m for m in ending if m.role in REPRESENTATIVE_ROLES]
    if ending_seats:
        later = max(m.end_date for m in ending_seats) + timedelta(days=1)
        after = _group([m for m in on(later) if m.role in REPRESENTATIVE_ROLES])
    return Composition(
        council=council,
        on=day,
        representatives=_group(representatives),
        leadership=_group(leadership, with_share=True),
        ending=ending,
        after_ending=after,
    )


def composition_for_year(council: Council, year: int) -> Composition:
    """Everyone who held a seat or a leading role at some point in the year, once each.

    The head counts say who took part during the year; the balance of the year is judged day
    by day (`gender_by_day`, `sector_by_day`), since people who followed one another never
    sat together.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    memberships = list(memberships_between(council, first, last))
    return Composition(
        council=council,
        on=last,
        representatives=_group(
            [m for m in memberships if m.role in REPRESENTATIVE_ROLES], period=(first, last)
        ),
        leadership=_group(
            [m for m in memberships if m.role in LEADERSHIP_ROLES],
            with_share=True,
            period=(first, last),
        ),
    )


# --- Meetings ------------------------------------------------------------------------------


def meeting_list(council: Council, *, person=None) -> QuerySet[Meeting]:
    """Meetings with their counts annotated, and the viewer's own reply if they are invited."""
    meetings = Meeting.objects.filter(council=council).annotate(
        accepted_items=Count(
            "agenda_items", filter=Q(agenda_items__state=AgendaItem.State.ACCEPTED), distinct=True
        ),
        invited=Count("attendances", distinct=True),
        present=Count(
            "attendances",
            filter=Q(attendances__status=Attendance.Status.PRESENT),
            distinct=True,
        ),
    )
    if person is not None:
        meetings = meetings.annotate(
            my_reply=Subquery(
                Attendance.objects.filter(meeting=OuterRef("pk"), person=person).values("reply")[:1]
            )
        )
    return meetings.order_by("-starts_at", "-id")


def meetings_upcoming(*, limit: int = 3, now=None) -> list[Meeting]:
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(ends_at__gte=now, cancelled_at=None)
        .select_related("council")
        .order_by("starts_at")[:limit]
    )


def meeting_for_page(pk: int) -> Meeting:
    return Meeting.objects.select_related("council").get(pk=pk)


def agenda_items_for(meeting: Meeting, *, include_all: bool) -> list[AgendaItem]:
    items = meeting.agenda_items.select_related("proposed_by").prefetch_related(
        "documents", "decisions", "action_items__owner"
    )
    if not include_all:
        items = items.filter(state=AgendaItem.State.ACCEPTED)
    return list(items.order_by("position", "id"))


def attendances_for(meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendances.select_related("person", "deputy", "organisation__sector").order_by(
            "person__name", "id"
        )
    )


# --- The meeting page, section by section ---------------------------------------------------

MEETING_BEFORE, MEETING_DURING, MEETING_AFTER = "before", "during", "after"


def meeting_phase(meeting: Meeting, now=None) -> str:
    """Before, during (the meeting's day or days) or after the meeting; a cancelled meeting
    stays "before" (what is left to do is on the preparing part)."""
    now = now or timezone.now()
    if meeting.is_cancelled:
        return MEETING_BEFORE
    if meeting.ends_at < now:
        return MEETING_AFTER
    today = timezone.localdate(now)
    if timezone.localtime(meeting.starts_at).date() <= today:
        return MEETING_DURING
    return MEETING_BEFORE


def meeting_for_sections(pk: int) -> Meeting:
    """The meeting page's meeting, with the item now discussed (the list of speakers shows it)."""
    return Meeting.objects.select_related("council", "live_item").get(pk=pk)


def meeting_agenda(
    meeting: Meeting, *, include_all: bool, documents: bool = False, decisions: bool = False
) -> list[AgendaItem]:
    """The agenda in order, with only what the section shows prefetched (one statement each)."""
    items = meeting.agenda_items.select_related("proposed_by")
    if not include_all:
        items = items.filter(state=AgendaItem.State.ACCEPTED)
    if documents:
        items = items.prefetch_related("documents")
    if decisions:
        items = items.prefetch_related("decisions")
    return list(items.order_by("position", "id"))


def meeting_deputies(meeting: Meeting) -> list[Person]:
    """The people holding a deputy seat on the council on the meeting's day."""
    day = timezone.localtime(meeting.starts_at).date()
    return [
        m.person
        for m in Membership.objects.filter(
            council_id=meeting.council_id, role="deputy", start_date__lte=day
        )
        .exclude(end_date__lt=day)
        .select_related("person")
        .order_by("person__name")
    ]


_REPLY_LABELS = dict(Attendance.Reply.choices)


@dataclass(frozen=True)
class OwnReply:
    """A member's invitation to a meeting as their reply box shows it."""

    code: str
    deputy_id: int | None
    deputy: str  # the deputy's name, "" without one

    @property
    def label(self) -> str:
        """As Attendance.get_reply_display() writes it."""
        return _REPLY_LABELS.get(self.code, self.code)


@dataclass(frozen=True)
class MeetingReplies:
    """What the preparing part of the meeting page shows each member of their own (their
    reply, their proposals, the deputies they may send), for every member at once: the same
    for everyone, so shared under the content version (portal/fragment_cache.SharedRecord)
    and each member's own part picked out of it by their login. Replaces three statements
    per request (the member's invitation, their proposals and the proposals' documents)."""

    replies: dict  # user id -> OwnReply
    proposals: dict  # user id -> [AgendaItem with documents], in agenda order
    deputies: list  # the Person rows of the RSVP form's deputy choice

    def reply_of(self, user) -> OwnReply | None:
        return self.replies.get(user.pk) if user.is_authenticated else None

    def proposals_of(self, user) -> list[AgendaItem]:
        return self.proposals.get(user.pk, []) if user.is_authenticated else []


def meeting_replies(meeting: Meeting) -> MeetingReplies:
    """Read afresh for `MeetingReplies` (three or four statements)."""
    replies = {}
    invitations = (
        meeting.attendances.filter(person__user__isnull=False)
        .select_related("deputy")
        .annotate(user_id=F("person__user_id"))
        .order_by("id")
    )
    for attendance in invitations:
        replies.setdefault(
            attendance.user_id,
            OwnReply(
                attendance.reply,
                attendance.deputy_id,
                str(attendance.deputy) if attendance.deputy_id else "",
            ),
        )
    proposals = {}
    for item in (
        meeting.agenda_items.filter(proposed_by__isnull=False)
        .prefetch_related("documents")
        .order_by("position", "id")
    ):
        proposals.setdefault(item.proposed_by_id, []).append(item)
    return MeetingReplies(replies, proposals, meeting_deputies(meeting))


def meeting_action_items_by_owner(meeting: Meeting) -> dict[int, list[ActionItem]]:
    """The meeting's action items of people with a login, by that login's id, in the order
    of `meeting_action_items` (one statement): each member's own items on the closing part,
    read once for every member (shared under the content version)."""
    mine = {}
    for item in (
        meeting.action_items.filter(owner__user__isnull=False)
        .select_related("owner", "agenda_item")
        .annotate(owner_user_id=F("owner__user_id"))
        .order_by("due_date", "id")
    ):
        mine.setdefault(item.owner_user_id, []).append(item)
    return mine


def meeting_action_items(meeting: Meeting) -> list[ActionItem]:
    """The meeting's action items."""
    items = meeting.action_items.select_related("owner", "agenda_item")
    return list(items.order_by("due_date", "id"))


@dataclass
class MeetingSpeaking:
    overall: "SpeakingTime"
    by_item: list


def meeting_speaking(meeting: Meeting, attendances=None) -> MeetingSpeaking | None:
    """Speaking time at one meeting, in all and per accepted item, from one read of its turns,
    its attendance and the council's seats (three statements, whatever the number of items;
    two when the page has read `attendances_for(meeting)` already); None when nobody has
    spoken."""
    turns = list(
        SpeakingTurn.objects.filter(meeting=meeting, ended_at__isnull=False)
        .select_related("person", "organisation__sector", "agenda_item")
        .order_by("started_at", "id")
    )
    if not turns:
        return None
    present = (Attendance.Status.PRESENT, Attendance.Status.UNKNOWN)
    if attendances is None:
        attendances = Attendance.objects.filter(meeting=meeting, status__in=present)
        attendances = attendances.select_related("person", "deputy", "organisation__sector")
    attendances = [a for a in attendances if a.status in present]
    day = timezone.localtime(meeting.starts_at).date()
    representatives = [
        m for m in memberships_on(meeting.council_id, day) if m.role in REPRESENTATIVE_ROLES
    ]
    group = _group(representatives)

    def summary(chosen):
        seconds = [turn.seconds for turn in chosen]
        seats = {}
        for attendance in sorted(attendances, key=lambda a: a.pk):
            ((person, sector),) = present_people([attendance])
            seats[person.pk] = (person, sector)
        speakers = {turn.person_id for turn in chosen}
        return SpeakingTime(
            seconds=sum(seconds),
            turns=len(chosen),
            by_gender=gender_balance(
                tally([t.person.gender for t in chosen], seconds), headcount=len(speakers)
            ),
            by_sector=sector_balance(
                tally([_sector_of(t) for t in chosen], seconds), headcount=len(speakers)
            ),
            seats_gender=gender_balance(tally([p.gender for p, _s in seats.values()])),
            seats_sector=sector_balance(tally([sector for _p, sector in seats.values()])),
            council_gender=group.gender,
            council_sector=group.sector,
        )

    per_item: dict[int, list] = {}
    items: dict[int, AgendaItem] = {}
    for turn in turns:
        item = turn.agenda_item
        if item is not None and item.state == AgendaItem.State.ACCEPTED:
            per_item.setdefault(item.pk, []).append(turn)
            items[item.pk] = item
    ordered = sorted(items.values(), key=lambda i: (i.position, i.pk))
    return MeetingSpeaking(
        overall=summary(turns),
        by_item=[(item, summary(per_item[item.pk])) for item in ordered],
    )


def meetings_for_person(person) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(attendances__person=person)
        .select_related("council")
        .order_by("starts_at")
    )


def calendar_feed_user(token: str):
    """The active user whose personal calendar feed this token opens, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_meetings_for(user) -> list[Meeting]:
    """The meetings in a person's calendar: theirs, or the council's for staff without a seat."""
    person = person_for(user)
    if person is None:
        council = council_current()
        meetings = (
            Meeting.objects.filter(council=council).select_related("council")
            if council
            else Meeting.objects.none()
        )
    else:
        meetings = meetings_for_person(person)
    return list(meetings)


# --- Action items --------------------------------------------------------------------------


def record_changes_for(record) -> QuerySet:
    """A decision's or an action item's corrections, newest first, with who made them."""
    return record.changes.select_related("changed_by").order_by("-changed_at", "-id")


def action_item_list(council: Council) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(meeting__council=council).select_related(
        "owner", "meeting", "agenda_item"
    )


def action_items_for_person(person) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(owner=person).select_related("meeting", "agenda_item")


def action_items_overdue(queryset: QuerySet[ActionItem], *, today=None) -> QuerySet[ActionItem]:
    today = today or timezone.localdate()
    return queryset.filter(
        status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
        due_date__lt=today,
        withdrawn_at=None,
    )


def decisions_between(council: Council, first: date, last: date) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(
            meeting__council=council,
            meeting__starts_at__date__gte=first,
            meeting__starts_at__date__lte=last,
            withdrawn_at=None,
        )
        .select_related("meeting", "agenda_item")
        .order_by("meeting__starts_at", "id")
    )


# --- Minutes as one document --------------------------------------------------------------


def _person_ref(person) -> dict | None:
    return {"id": person.pk, "name": str(person)} if person is not None else None


def minutes_content(
    meeting: Meeting, *, items, present, absent, action_items, speaking, adjusters, record=None
) -> dict:
    """The text of the minutes as plain data: what the page and the PDF show, and what is
    frozen on the record when the adjusters have approved it (MinutesRecord.content)."""
    return {
        "revision": record.revision if record else None,
        "reason": record.reason if record else "",
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "present": [
            {
                "person": _person_ref(a.person),
                "deputy": _person_ref(a.deputy) if a.deputy_id else None,
                "organisation": str(a.organisation) if a.organisation_id else "",
            }
            for a in present
        ],
        "absent": [
            {"person": _person_ref(a.person), "status": a.get_status_display()} for a in absent
        ],
        "minute_taker": _person_ref(meeting.minute_taker),
        "adjusters": [_person_ref(p) for p in adjusters],
        "items": [
            {
                "title": item.title,
                "minutes": item.minutes,
                "decisions": [
                    {"number": d.number, "text": d.text, "withdrawn": d.is_withdrawn}
                    for d in item.decisions.all()
                ],
            }
            for item in items
        ],
        "action_items": [
            {
                "title": a.title,
                "owner": a.owner_label,
                "owner_id": a.owner_id,
                "due_date": a.due_date.isoformat(),
                "withdrawn": a.is_withdrawn,
            }
            for a in action_items
        ],
        "speaking": {"seconds": speaking.seconds, "turns": speaking.turns} if speaking else None,
    }


def _people_in(content: dict) -> set[int]:
    refs = [content["minute_taker"], *content["adjusters"]]
    for row in content["present"]:
        refs += [row["person"], row["deputy"]]
    refs += [row["person"] for row in content["absent"]]
    ids = {ref["id"] for ref in refs if ref}
    return ids | {a["owner_id"] for a in content["action_items"] if a["owner_id"]}


def minutes_content_for_display(content: dict) -> dict:
    """Frozen minutes ready for the template: times as datetimes, and the name of anyone
    erased since (portal.personal_data) replaced by what the directory shows for them now."""
    from directory.models import Person

    erased = {
        p.pk: str(p)
        for p in Person.objects.filter(pk__in=_people_in(content), erased_at__isnull=False)
    }

    def name(ref):
        return None if ref is None else erased.get(ref["id"], ref["name"])

    shown = dict(content)
    shown["starts_at"] = datetime.fromisoformat(content["starts_at"])
    shown["ends_at"] = datetime.fromisoformat(content["ends_at"])
    shown["minute_taker"] = name(content["minute_taker"])
    shown["adjusters"] = [name(ref) for ref in content["adjusters"]]
    shown["present"] = [
        {**row, "person": name(row["person"]), "deputy": name(row["deputy"])}
        for row in content["present"]
    ]
    shown["absent"] = [{**row, "person": name(row["person"])} for row in content["absent"]]
    shown["action_items"] = [
        {
            **row,
            "owner": erased.get(row["owner_id"], row["owner"]),
            "due_date": date.fromisoformat(row["due_date"]),
        }
        for row in content["action_items"]
    ]
    return shown


def minutes_document(meeting: Meeting, *, working_copy: bool = False) -> dict:
    """Everything the minutes (protokoll) show, and their revisions with their approvals.

    `content` is the text shown: the approved revision's frozen copy (MinutesRecord.content)
    once the minutes are approved, so later changes to the meeting's record do not alter
    published minutes; the meeting's record as it stands now (attendance, the accepted items
    with their minute text and numbered decisions, withdrawn ones marked, action items, the
    speaking-time summary) while no revision is approved yet, or for the secretariat,
    minute-taker and adjusters (`working_copy`) while a correction is being prepared.
    A fixed number of queries whatever the meeting's size.
    """
    records = list(
        meeting.minutes_records.select_related("created_by")
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=MinutesApproval.objects.select_related("adjuster__user").order_by(
                    "adjuster__name", "id"
                ),
            )
        )
        .order_by("-revision")
    )
    latest = records[0] if records else None
    approved = next((r for r in records if r.is_approved), None)
    frozen = bool(approved and approved.content) and not (working_copy and approved != latest)
    if frozen:
        shown, content = approved, approved.content
    else:
        shown, content = latest, minutes_content_live(meeting, record=latest)
    return {
        "meeting": meeting,
        "content": minutes_content_for_display(content),
        "shown": shown,
        "records": records,
        "latest": latest,
        "approved": approved,
    }


def minutes_content_live(meeting: Meeting, *, record=None) -> dict:
    """The minutes as the meeting's record stands now (see minutes_content)."""
    items = list(
        meeting.agenda_items.filter(state=AgendaItem.State.ACCEPTED)
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("number", "id")),
        )
        .order_by("position", "id")
    )
    attendances = attendances_for(meeting)
    present = [a for a in attendances if a.status == Attendance.Status.PRESENT]
    absent = [
        a for a in attendances if a.status in (Attendance.Status.ABSENT, Attendance.Status.EXCUSED)
    ]
    actions = list(
        meeting.action_items.select_related("owner", "agenda_item").order_by("due_date", "id")
    )
    speaking = None
    if meeting.speaking_turns.filter(ended_at__isnull=False).exists():
        speaking = speaking_time([meeting])
    return minutes_content(
        meeting,
        items=items,
        present=present,
        absent=absent,
        action_items=actions,
        speaking=speaking,
        adjusters=list(meeting.adjusters.order_by("name")),
        record=record,
    )


# --- Speaking time -------------------------------------------------------------------------


def speaking_state(meeting: Meeting) -> dict:
    """Who is speaking now and each attendee's total so far, for the speaking-time page."""
    # Only what the page shows: a name and an organisation's name per button (whole
    # directory organisation rows cost more to load than the rest of the page).
    attendances = list(
        meeting.attendances.select_related("person", "organisation")
        .only(
            "id",
            "meeting_id",
            "person_id",
            "organisation_id",
            "person__id",
            "person__name",
            "organisation__id",
            "organisation__name",
        )
        .order_by("person__name", "id")
    )
    turns = list(
        meeting.speaking_turns.select_related("person").only(
            "id",
            "meeting_id",
            "person_id",
            "started_at",
            "ended_at",
            "paused_at",
            "paused_seconds",
            "person__id",
            "person__name",
        )
    )
    totals: dict[int, float] = {}
    counts: dict[int, int] = {}
    current = None
    for turn in turns:
        totals[turn.person_id] = totals.get(turn.person_id, 0) + turn.seconds
        counts[turn.person_id] = counts.get(turn.person_id, 0) + 1
        if turn.ended_at is None:
            current = turn
    speakers = [
        {
            "attendance": attendance,
            "person": attendance.person,
            "seconds": round(totals.get(attendance.person_id, 0)),
            "turns": counts.get(attendance.person_id, 0),
            "is_current": current is not None and current.person_id == attendance.person_id,
        }
        for attendance in attendances
    ]
    return {"speakers": speakers, "current": current, "turns": len(turns)}


@dataclass
class SpeakingTime:
    """Shares of speaking time beside the shares of those present and of the council's seats.

    `seats_*` are those present at the meetings (deputies in place of the members they stood
    in for), kept under that name for the report; `council_*` the council's representatives.
    """

    seconds: int
    turns: int
    by_gender: Balance
    by_sector: Balance
    seats_gender: Balance
    seats_sector: Balance
    council_gender: Balance | None = None
    council_sector: Balance | None = None

    @property
    def present_gender(self) -> Balance:
        return self.seats_gender

    @property
    def present_sector(self) -> Balance:
        return self.seats_sector


def _sector_of(obj) -> str:
    return obj.organisation.sector.code if obj.organisation else "unknown"


def present_people(attendances) -> list[tuple[object, str]]:
    """(person, sector code) of each person present: a deputy counts in the member's place."""
    people = []
    for attendance in attendances:
        person = attendance.deputy if attendance.deputy_id else attendance.person
        people.append((person, _sector_of(attendance)))
    return people


def speaking_time(
    meetings: QuerySet[Meeting] | list[Meeting],
    *,
    agenda_item: AgendaItem | None = None,
    period: tuple[date, date] | None = None,
    council: Council | None = None,
) -> SpeakingTime:
    """Share of speaking time by gender and by sector, beside the shares of those present and
    of the council's seats.

    The seats are counted on the day of the latest of the meetings; over a `period` (a year)
    in seat-days instead (portal.balance's `*_over_period`): a seat held half the year
    weighs half, so the comparison holds when members come and go during the year.
    """
    meetings = list(meetings)
    meeting_ids = [m.pk for m in meetings]
    turns = SpeakingTurn.objects.filter(meeting_id__in=meeting_ids, ended_at__isnull=False)
    if agenda_item is not None:
        turns = turns.filter(agenda_item=agenda_item)
    turns = list(turns.select_related("person", "organisation__sector"))
    # Whole seconds per turn, so the parts shown add up to the total shown.
    seconds = [turn.seconds for turn in turns]
    speakers = {turn.person_id for turn in turns}
    # Present as recorded; where nothing is recorded yet, as the replies say (like the
    # attendance form's prefill): those who said they would not come are not counted.
    attendances = list(
        Attendance.objects.filter(meeting_id__in=meeting_ids)
        .filter(
            Q(status=Attendance.Status.PRESENT)
            | (Q(status=Attendance.Status.UNKNOWN) & ~Q(reply=Attendance.Reply.NO))
        )
        .select_related("person", "deputy", "organisation__sector")
    )
    # Those present: each person once, as they sat at the latest of the meetings.
    seats: dict[int, tuple] = {}
    for attendance in sorted(attendances, key=lambda a: (a.meeting_id, a.pk)):
        ((person, sector),) = present_people([attendance])
        seats[person.pk] = (person, sector)
    council_gender = council_sector = None
    council_id = council.pk if council is not None else None
    if council_id is None and meetings:
        council_id = meetings[0].council_id
    if period is not None and council_id is not None:
        first, last = period
        held = [
            m
            for m in memberships_between(council_id, first, last)
            if m.role in REPRESENTATIVE_ROLES
        ]
        council_gender = gender_balance_over_period(
            [(m.person_id, m.start_date, m.end_date, m.person.gender) for m in held],
            first=first,
            last=last,
        ).person_days
        council_sector = sector_balance_over_period(
            [(m.person_id, m.start_date, m.end_date, _sector(m)) for m in held],
            first=first,
            last=last,
        ).person_days
    elif meetings:
        latest = max(meetings, key=lambda m: m.starts_at)
        day = timezone.localtime(latest.starts_at).date()
        representatives = [
            m for m in memberships_on(latest.council_id, day) if m.role in REPRESENTATIVE_ROLES
        ]
        group = _group(representatives)
        council_gender, council_sector = group.gender, group.sector
    return SpeakingTime(
        seconds=sum(seconds),
        turns=len(turns),
        by_gender=gender_balance(
            tally([t.person.gender for t in turns], seconds), headcount=len(speakers)
        ),
        by_sector=sector_balance(
            tally([_sector_of(t) for t in turns], seconds), headcount=len(speakers)
        ),
        seats_gender=gender_balance(tally([p.gender for p, _s in seats.values()])),
        seats_sector=sector_balance(tally([sector for _p, sector in seats.values()])),
        council_gender=council_gender,
        council_sector=council_sector,
    )


def year_so_far(year: int, *, today: date | None = None) -> tuple[date, date]:
    """The days of a year up to today (the whole year once it is over)."""
    today = today or timezone.localdate()
    first, last = date(year, 1, 1), date(year, 12, 31)
    return first, max(first, min(last, today))


# --- Live list of speakers -----------------------------------------------------------------


@dataclass
class QueuePlace:
    entry: "LiveEntry"
    reasons: list[str]


def _under_represented(balance: Balance) -> str | None:
    """The side of the balance's pair with the smaller share, when the split is not even."""
    if not balance.shares:
        return None
    first, second = balance.pair
    one, other = balance.shares.get(first, 0), balance.shares.get(second, 0)
    if abs(one - other) < 1e-9:
        return None
    return first if one < other else second


def speaker_order(
    entries: list["LiveEntry"],
    *,
    spoken: dict[int, int],
    turns: list["LiveTurn"],
    balanced: bool,
) -> list[QueuePlace]:
    """The waiting entries in the order they get the floor, each with why it is there.

    Plain order: as asked (or as the chair moved them). Balanced order: people who have not
    spoken on the item yet first; then the gender and the sector that have had the smaller
    share of the item's speaking time so far (judged with portal.balance) move up; within
    that, the order asked.
    """
    from council.templatetags.council_tags import GENDER_LABELS as CHART_GENDERS
    from council.templatetags.council_tags import SECTOR_LABELS

    entries = sorted(entries, key=lambda e: (e.position, e.pk))
    # Each reason is translated once per list, not once per place.
    if not balanced:
        in_order = _("In the order asked.")
        return [QueuePlace(entry, [in_order]) for entry in entries]
    seconds = [turn.seconds for turn in turns]
    by_gender = gender_balance(tally([t.person.gender for t in turns], seconds))
    by_sector = sector_balance(tally([_live_sector(t) for t in turns], seconds))
    low_gender = _under_represented(by_gender)
    low_sector = _under_represented(by_sector)
    not_yet, already = _("Has not spoken on this item yet."), _("Has already spoken on this item.")
    then = _("Then in the order asked.")
    if low_gender is not None:
        gender_reason = _("%(group)s have had %(share)s %% of the speaking time on this item.") % {
            "group": CHART_GENDERS[low_gender],
            "share": round(by_gender.shares.get(low_gender, 0) * 100),
        }
    if low_sector is not None:
        sector_reason = _("%(group)s has had %(share)s %% of the speaking time on this item.") % {
            "group": SECTOR_LABELS[low_sector],
            "share": round(by_sector.shares.get(low_sector, 0) * 100),
        }
    places = []
    for entry in entries:
        new = not spoken.get(entry.person_id)
        reasons = [not_yet if new else already]
        gender_up = low_gender is not None and entry.person.gender == low_gender
        sector_up = low_sector is not None and _live_sector(entry) == low_sector
        if gender_up:
            reasons.append(gender_reason)
        if sector_up:
            reasons.append(sector_reason)
        reasons.append(then)
        places.append(((not new, -(gender_up + sector_up)), QueuePlace(entry, reasons)))
    places.sort(key=lambda pair: pair[0])  # stable: the order asked stays within a group
    return [place for _key, place in places]


@dataclass
class LiveQueue:
    meeting: Meeting
    item: AgendaItem | None
    places: list[QueuePlace]
    current: "LiveTurn | None"
    done: int
    time_limit: int | None
    spoken: dict[int, int]

    @property
    def elapsed(self) -> int:
        return self.current.seconds if self.current else 0

    @property
    def over_time(self) -> bool:
        return bool(self.current and self.time_limit and self.elapsed > self.time_limit)


# The live list's version token: replaced by every write to a meeting's list of speakers
# (council.services), so a phone polling with the token it has gets "204 unchanged" from the
# cache alone. It also lapses after LIVE_TOKEN_SECONDS, so a change made elsewhere (an item
# renamed, the meeting cancelled) reaches every page within that time.
LIVE_TOKEN_SECONDS = 30


def _live_key(meeting_id: int) -> str:
    return f"council:live:{meeting_id}"


def live_token_shared() -> bool:
    """Only a cache shared by every web process (Redis), or the single embedded process, can
    answer for the database; per-process memory in production could keep an old token."""
    return bool(settings.REDIS_URL) or not settings.PRODUCTION


def live_token(meeting_id: int, *, create: bool = False) -> str | None:
    """The current token; with `create`, a fresh one when there is none (read it before the
    list, so a write after that read changes the token and the next poll re-renders)."""
    if not live_token_shared():
        return secrets.token_hex(8) if create else None
    key = _live_key(meeting_id)
    token = cache.get(key)
    if token is None and create:
        cache.add(key, secrets.token_hex(8), LIVE_TOKEN_SECONDS)
        token = cache.get(key)
    return token


def live_token_replace(meeting_id: int) -> None:
    if live_token_shared():
        cache.set(_live_key(meeting_id), secrets.token_hex(8), LIVE_TOKEN_SECONDS)


# The live list is read with two hand-written statements into the light rows below: every
# phone's fragment reads them after each change to the list, and Django's query compiler
# (select_related over person, organisation and sector) plus a model instance per person,
# organisation and sector on the list cost more than the rest of the answer.


class LivePerson:
    """A person on the live list: what it shows (the name) and orders by (the gender)."""

    __slots__ = ("gender", "id", "name")

    def __init__(self, id, name, gender):
        self.id, self.name, self.gender = id, name, gender

    @property
    def pk(self):
        return self.id

    def __str__(self):
        # As directory.Person: an erased person has no name.
        return self.name or str(_("Erased person"))


class LiveOrganisation:
    __slots__ = ("id", "name", "sector_code")

    def __init__(self, id, name, sector_code):
        self.id, self.name, self.sector_code = id, name, sector_code

    @property
    def pk(self):
        return self.id

    def __str__(self):
        return self.name


class LiveTurn:
    """A speaking turn of the item now discussed (or the open one), with SpeakingTurn's own
    clock (`exact_seconds`, `seconds`, `is_paused`)."""

    __slots__ = (
        "ended_at",
        "id",
        "organisation",
        "organisation_id",
        "paused_at",
        "paused_seconds",
        "person",
        "person_id",
        "started_at",
    )
    exact_seconds = SpeakingTurn.exact_seconds
    seconds = SpeakingTurn.seconds
    is_paused = SpeakingTurn.is_paused

    def __init__(
        self, id, person_id, organisation_id, started_at, ended_at, paused_at, paused_seconds
    ):
        self.id, self.person_id, self.organisation_id = id, person_id, organisation_id
        self.started_at, self.ended_at = started_at, ended_at
        self.paused_at, self.paused_seconds = paused_at, paused_seconds

    @property
    def pk(self):
        return self.id


class LiveEntry:
    """A place on the live list (waiting, or done: counted)."""

    __slots__ = (
        "id",
        "organisation",
        "organisation_id",
        "person",
        "person_id",
        "position",
        "state",
    )

    def __init__(self, id, person_id, organisation_id, state, position):
        self.id, self.person_id, self.organisation_id = id, person_id, organisation_id
        self.state, self.position = state, position

    @property
    def pk(self):
        return self.id


def _live_sector(row) -> str:
    return row.organisation.sector_code if row.organisation else "unknown"


_LIVE_PEOPLE_SQL = (
    "p.name, p.gender, o.name, s.code FROM {table} r "
    "JOIN directory_person p ON p.id = r.person_id "
    "LEFT JOIN directory_organisation o ON o.id = r.organisation_id "
    "LEFT JOIN directory_sector s ON s.id = o.sector_id "
)
_LIVE_TURNS_SQL = (
    "SELECT r.id, r.person_id, r.organisation_id, r.started_at, r.ended_at, r.paused_at, "
    "r.paused_seconds, "
    + _LIVE_PEOPLE_SQL.format(table=SpeakingTurn._meta.db_table)
    + "WHERE {where} ORDER BY r.started_at, r.id"
)
_LIVE_ENTRIES_SQL = (
    "SELECT r.id, r.person_id, r.organisation_id, r.state, r.position, "
    + _LIVE_PEOPLE_SQL.format(table=SpeakerListEntry._meta.db_table)
    + "WHERE r.agenda_item_id = %s AND r.state IN (%s, %s) ORDER BY r.position, r.id"
)


def _aware(rows: list) -> list:
    """Rows of a hand-written read with their datetimes as the ORM gives them. PostgreSQL's
    driver returns them aware already; SQLite (`make run`'s database) returns them naive in
    the connection's time zone, which the ORM's converter makes aware. (The live rows hold
    no other value an ORM converter would change.)"""
    from django.db import connection

    if connection.vendor == "postgresql":
        return rows
    zone = connection.timezone
    return [
        tuple(
            timezone.make_aware(value, zone)
            if isinstance(value, datetime) and timezone.is_naive(value)
            else value
            for value in row
        )
        for row in rows
    ]


def _live_rows(sql: str, params: list, row_class, width: int) -> list:
    """Rows of `row_class` (its first `width` columns), each with its person and organisation
    (one object per person and per organisation)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = _aware(cursor.fetchall())
    people: dict[int, LivePerson] = {}
    organisations: dict[int, LiveOrganisation] = {}
    made = []
    for values in rows:
        row = row_class(*values[:width])
        name, gender, organisation_name, sector_code = values[width:]
        person = people.get(row.person_id)
        if person is None:
            person = people[row.person_id] = LivePerson(row.person_id, name, gender)
        row.person = person
        organisation = None
        if row.organisation_id is not None:
            organisation = organisations.get(row.organisation_id)
            if organisation is None:
                organisation = organisations[row.organisation_id] = LiveOrganisation(
                    row.organisation_id, organisation_name, sector_code
                )
        row.organisation = organisation
        made.append(row)
    return made


def live_queue(meeting: Meeting) -> LiveQueue:
    """The live list of speakers of the item now discussed, in a fixed number of queries
    (two: the places on the list, and the item's turns with the open one)."""
    item = meeting.live_item
    current = None
    places: list[QueuePlace] = []
    done = 0
    spoken: dict[int, int] = {}
    if item is not None:
        where = "(r.agenda_item_id = %s AND r.ended_at IS NOT NULL) OR "
        where += "(r.meeting_id = %s AND r.ended_at IS NULL)"
        params = [item.pk, meeting.pk]
    else:
        where, params = "r.meeting_id = %s AND r.ended_at IS NULL", [meeting.pk]
    turns = _live_rows(_LIVE_TURNS_SQL.format(where=where), params, LiveTurn, 7)
    finished = []
    for turn in turns:
        if turn.ended_at is None:
            current = turn
        else:
            finished.append(turn)
            spoken[turn.person_id] = spoken.get(turn.person_id, 0) + turn.seconds
    if item is not None:
        entries = _live_rows(
            _LIVE_ENTRIES_SQL,
            [item.pk, SpeakerListEntry.State.WAITING.value, SpeakerListEntry.State.DONE.value],
            LiveEntry,
            5,
        )
        done = sum(1 for e in entries if e.state == SpeakerListEntry.State.DONE)
        waiting = [e for e in entries if e.state == SpeakerListEntry.State.WAITING]
        places = speaker_order(
            waiting, spoken=spoken, turns=finished, balanced=meeting.balanced_speaker_order
        )
    limit = None
    if item is not None and item.speaker_time_limit:
        limit = item.speaker_time_limit
    elif meeting.speaker_time_limit:
        limit = meeting.speaker_time_limit
    return LiveQueue(
        meeting=meeting,
        item=item,
        places=places,
        current=current,
        done=done,
        time_limit=limit,
        spoken=spoken,
    )


def meeting_for_live(pk: int) -> Meeting:
    """The meeting with the item now discussed, for the live list's views (polled by every
    phone): one hand-written join, the two model instances built from its row."""
    from django.db import connection

    if connection.vendor != "postgresql":
        # SQLite (`make run`'s database) returns values its ORM converters would change
        # (datetimes, UUIDs): the ORM reads the same join there.
        return Meeting.objects.select_related("live_item").get(pk=pk)
    sql, meeting_fields, item_fields = _live_meeting_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Meeting.DoesNotExist(f"No meeting {pk}.")
    split = len(meeting_fields)
    meeting = Meeting.from_db(connection.alias, meeting_fields, row[:split])
    if row[split] is not None:
        meeting.live_item = AgendaItem.from_db(connection.alias, item_fields, row[split:])
    return meeting


@functools.cache
def _live_meeting_sql() -> tuple[str, list[str], list[str]]:
    """meeting_for_live's statement and the fields of its columns, from the models. No field
    of either model converts its database value (tests/council/test_speakers.py checks)."""
    from django.db import connection

    q = connection.ops.quote_name
    meeting, item = Meeting._meta, AgendaItem._meta
    columns = [f"m.{q(f.column)}" for f in meeting.concrete_fields]
    columns += [f"i.{q(f.column)}" for f in item.concrete_fields]
    sql = (
        f"SELECT {', '.join(columns)} FROM {q(meeting.db_table)} m "  # noqa: S608 (model names)
        f"LEFT JOIN {q(item.db_table)} i ON i.id = m.live_item_id WHERE m.id = %s"
    )
    return (
        sql,
        [f.attname for f in meeting.concrete_fields],
        [f.attname for f in item.concrete_fields],
    )


def viewer_with_chair(user, meeting: Meeting):
    """The user's directory person, annotated `chairs` (the council's chair role on the
    meeting's day), in one query; None when the login has no person. Written out: every
    phone's fragment of the live list asks this, and compiling the ORM's version (a filter
    with an EXISTS subquery) cost more than running it."""
    if not user.is_authenticated:
        return None
    from directory.models import Person

    day = timezone.localtime(meeting.starts_at).date()
    people = Person.objects.raw(
        f"SELECT p.*, EXISTS(SELECT 1 FROM {Membership._meta.db_table} m "  # noqa: S608
        "WHERE m.council_id = %s AND m.person_id = p.id AND m.role = %s "
        "AND m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s)) AS chairs "
        f"FROM {Person._meta.db_table} p WHERE p.user_id = %s",
        [meeting.council_id, Role.CHAIR.value, day, day, user.pk],
    )
    return next(iter(people), None)


def speaker_candidates(meeting: Meeting, attendances: list[Attendance] | None = None):
    """Everyone the chair may put on the list, as (person id, name): invited and not away,
    and the deputies named. `attendances` with person and deputy loaded saves the query."""
    away = [Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
    if attendances is None:
        attendances = meeting.attendances.select_related("person", "deputy")
    people = {}
    for attendance in attendances:
        if attendance.status not in away:
            people[attendance.person_id] = str(attendance.person)
        if attendance.deputy_id:
            people[attendance.deputy_id] = str(attendance.deputy)
    return sorted(people.items(), key=lambda pair: pair[1])


def meeting_years(council: Council) -> list[int]:
    """The local calendar years the council has met in, in one query however many meetings."""
    return [
        moment.year
        for moment in Meeting.objects.filter(council=council).datetimes("starts_at", "year")
    ]


# --- The council's panels on a signed-in person's home page ---------------------------------


@dataclass(frozen=True)
class WorkplacePerson:
    """The person behind a login as the council's home page panels need them: whether minutes
    wait for their approval, whether action items are open for them (each list is read only
    then) and their reply to each of the given meetings (None: not invited)."""

    id: int
    minutes_waiting: bool
    open_actions: bool
    replies: dict


def workplace_person(user, meeting_ids: list[int]) -> WorkplacePerson | None:
    """One hand-written statement (the home page of every member asks it; the ORM's version,
    two EXISTS and a subquery per meeting, cost more to compile than to run). None when the
    login has no person."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            _workplace_person_sql(len(meeting_ids)),
            [
                MinutesApproval.State.PENDING.value,
                MinutesRecord.State.CIRCULATING.value,
                *(status.value for status in OPEN_ACTION_STATUSES),
                *meeting_ids,
                user.pk,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return WorkplacePerson(
        row[0], bool(row[1]), bool(row[2]), dict(zip(meeting_ids, row[3:], strict=True))
    )


OPEN_ACTION_STATUSES = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)


@functools.cache
def _workplace_person_sql(meetings: int) -> str:
    """workplace_person's statement for this many meetings, with names from the models."""
    from django.db import connection

    q = connection.ops.quote_name
    names = {
        "person": q(Person._meta.db_table),
        "approval": q(MinutesApproval._meta.db_table),
        "record": q(MinutesRecord._meta.db_table),
        "action": q(ActionItem._meta.db_table),
        "attendance": q(Attendance._meta.db_table),
        "statuses": ", ".join(["%s"] * len(OPEN_ACTION_STATUSES)),
    }
    reply = (
        ", (SELECT a.reply FROM {attendance} a WHERE a.meeting_id = %s AND a.person_id = p.id "
        "LIMIT 1)"
    )
    select = (
        "SELECT p.id, EXISTS(SELECT 1 FROM {approval} ap JOIN {record} r ON r.id = ap.record_id "
        "WHERE ap.adjuster_id = p.id AND ap.state = %s AND r.state = %s), "
        "EXISTS(SELECT 1 FROM {action} i WHERE i.owner_id = p.id AND i.status IN ({statuses}))"
    )
    tail = " FROM {person} p WHERE p.user_id = %s"
    return (select + reply * meetings + tail).format(**names)


@dataclass(frozen=True)
class OpenAction:
    """An open action item on a person's home page, with its meeting's title."""

    title: str
    due_date: date
    meeting_id: int
    meeting_title: str

    @property
    def meeting_url(self) -> str:
        return reverse("council:meeting_detail", args=[self.meeting_id])


@functools.cache
def _open_actions_sql() -> str:
    from django.db import connection

    q = connection.ops.quote_name
    return (  # noqa: S608
        "SELECT i.title, i.due_date, m.id, m.title FROM {action} i "
        "JOIN {meeting} m ON m.id = i.meeting_id "
        "WHERE i.owner_id = %s AND i.status IN ({statuses}) ORDER BY i.due_date, i.id LIMIT %s"
    ).format(
        action=q(ActionItem._meta.db_table),
        meeting=q(Meeting._meta.db_table),
        statuses=", ".join(["%s"] * len(OPEN_ACTION_STATUSES)),
    )


def open_actions_of(person_id: int, limit: int = 8) -> list[OpenAction]:
    """The person's open action items, the soonest due first (one hand-written statement)."""
    from django.db import connection

    sql = _open_actions_sql()
    day = ActionItem._meta.get_field("due_date")
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, *(s.value for s in OPEN_ACTION_STATUSES), limit])
        return [
            OpenAction(title, day.to_python(due), meeting_id, meeting_title)
            for title, due, meeting_id, meeting_title in cursor.fetchall()
        ]
