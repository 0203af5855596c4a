"""Every write to the council app goes through a function here (entity first, verb second).

Emails leave only after the transaction commits (transaction.on_commit), so nobody is told
about a meeting that was rolled back.
"""

import logging
import mimetypes
import os
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from council import ical
from council.models import (
    REPRESENTATIVE_ROLES,
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Council,
    Decision,
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
from council.selectors import meeting_deputies
from directory.models import Organisation, Person
from portal.concurrency import version_bump, version_lock
from portal.ical import email_part as ical_email_part
from portal.mail import site_url

logger = logging.getLogger(__name__)

# Documents: what members may upload, and how large.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Reminders: a meeting this close gets one reminder; an overdue item one a week.
MEETING_REMINDER_BEFORE = timedelta(days=3)
OVERDUE_REMINDER_EVERY = timedelta(days=7)
ACTION_DUE_SOON = timedelta(days=3)


def _base_url() -> str:
    """Where the portal is reached: the request's host, or PORTAL_BASE_URL in the worker."""
    return site_url()


def _person_email(person: Person) -> str:
    if person.erased_at:
        return ""
    if person.email:
        return person.email
    user = person.user
    return user.email if user is not None and user.is_active else ""


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# --- Council and memberships ---------------------------------------------------------------


@transaction.atomic
def council_create(
    *,
    name: str,
    slug: str,
    purpose: str = "",
    goals: str = "",
    organisation: Organisation | None = None,
) -> Council:
    council = Council(
        name=name.strip(), slug=slug, purpose=purpose, goals=goals, organisation=organisation
    )
    council.full_clean()
    council.save()
    return council


@transaction.atomic
def council_update(*, council: Council, **data) -> Council:
    fields = [name for name in ("name", "purpose", "goals") if name in data]
    for name in fields:
        setattr(council, name, data[name])
    council.full_clean()
    council.save(update_fields=fields)
    return council


def _check_overlap(membership: Membership) -> None:
    """The same person may not hold the same role twice at once on one council."""
    clash = Membership.objects.filter(
        council=membership.council, person=membership.person, role=membership.role
    ).exclude(pk=membership.pk)
    if membership.end_date:
        clash = clash.filter(start_date__lte=membership.end_date)
    clash = clash.exclude(end_date__lt=membership.start_date)
    if clash.exists():
        raise ValidationError(
            {"start_date": _("This person already holds this role during that period.")}
        )


@transaction.atomic
def membership_create(
    *,
    council: Council,
    person: Person,
    role: str,
    start_date: date,
    end_date: date | None = None,
    organisation: Organisation | None = None,
    work_share: int | None = None,
    note: str = "",
) -> Membership:
    membership = Membership(
        council=council,
        person=person,
        role=role,
        start_date=start_date,
        end_date=end_date,
        organisation=organisation,
        work_share=work_share,
        note=note,
    )
    membership.full_clean()
    _check_overlap(membership)
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end_date: date) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if end_date < membership.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    return membership


_KEEP = object()


@transaction.atomic
def membership_change(
    *,
    membership: Membership,
    on: date,
    organisation: Organisation | None = _KEEP,
    work_share: int | None = _KEEP,
) -> Membership:
    """From `on`, the person holds the same role for another organisation or work share.

    The old membership ends the day before; a new one starts on `on` and keeps the old end.
    Counts before `on` stay as they were.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.start_date < on or (membership.end_date and on > membership.end_date):
        raise ValidationError({"on": _("The change must fall within the membership's period.")})
    new_organisation = membership.organisation if organisation is _KEEP else organisation
    new_share = membership.work_share if work_share is _KEEP else work_share
    if new_organisation == membership.organisation and new_share == membership.work_share:
        raise ValidationError(_("Nothing changes: choose another organisation or work share."))
    old_end = membership.end_date
    membership.end_date = on - timedelta(days=1)
    membership.save(update_fields=["end_date"])
    return membership_create(
        council=membership.council,
        person=membership.person,
        role=membership.role,
        start_date=on,
        end_date=old_end,
        organisation=new_organisation,
        work_share=new_share,
        note=membership.note,
    )


# --- Meetings ------------------------------------------------------------------------------


def _invitees(council: Council, day: date):
    """Everyone holding a seat or staff role on the day, once each, with their organisation."""
    memberships = (
        Membership.objects.filter(council=council, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("person")
        .order_by("person_id", "start_date")
    )
    chosen: dict[int, Membership] = {}
    for membership in memberships:
        current = chosen.get(membership.person_id)
        # Prefer the seat (its organisation is the one that counts for sector).
        if current is None or (
            membership.role in REPRESENTATIVE_ROLES and current.role not in REPRESENTATIVE_ROLES
        ):
            chosen[membership.person_id] = membership
    return list(chosen.values())


def _validate_times(starts_at, ends_at) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError(_("A meeting needs a start and an end."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Meeting times must carry a time zone."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


MEETING_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "accessibility",
    "online_url",
)


@transaction.atomic
def meeting_schedule(
    *,
    council: Council,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    address: str = "",
    accessibility: str = "",
    online_url: str = "",
    created_by=None,
    notify: bool = True,
) -> Meeting:
    """Schedule a meeting, invite everyone on the council that day and email them an .ics."""
    _validate_times(starts_at, ends_at)
    if not place.strip() and not online_url.strip():
        raise ValidationError({"place": _("Give a place or an online meeting link.")})
    meeting = Meeting(
        council=council,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        address=address.strip(),
        accessibility=accessibility.strip(),
        online_url=online_url.strip(),
        created_by=created_by,
    )
    meeting.full_clean()
    meeting.save()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=m.person, organisation_id=m.organisation_id)
        for m in _invitees(council, _local_date(starts_at))
    )
    # A meeting recorded after the fact (or by mistake in the past) invites nobody.
    if notify and meeting.starts_at > timezone.now():
        _notify_invitees(meeting, kind="invitation")
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, notify: bool = True, expected_version: int | None = None, **data
) -> Meeting:
    """Change a meeting and tell everyone invited. `expected_version`: see portal.concurrency."""
    meeting = version_lock(Meeting, pk=meeting.pk, expected_version=expected_version)
    changed = []
    for name in MEETING_FIELDS:
        if name in data and getattr(meeting, name) != data[name]:
            value = data[name]
            setattr(meeting, name, value.strip() if isinstance(value, str) else value)
            changed.append(name)
    if not changed:
        return meeting
    _validate_times(meeting.starts_at, meeting.ends_at)
    if not meeting.place and not meeting.online_url:
        raise ValidationError({"place": _("Give a place or an online meeting link.")})
    meeting.sequence += 1
    meeting.reminder_sent_at = None
    meeting.full_clean()
    meeting.save(update_fields=version_bump(meeting, [*changed, "sequence", "reminder_sent_at"]))
    # A meeting already held is corrected in the record: that is no news for those invited.
    if notify and not meeting.is_past:
        _notify_invitees(meeting, kind="update")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, notify: bool = True) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "sequence"])
    if notify:
        _notify_invitees(meeting, kind="cancellation")
    return meeting


@transaction.atomic
def meeting_reinstate(*, meeting: Meeting, notify: bool = True) -> Meeting:
    """Undo a cancellation: the meeting is on again and everyone invited gets a new invitation."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_cancelled:
        raise ValidationError(_("This meeting is not cancelled."))
    meeting.cancelled_at = None
    meeting.sequence += 1
    meeting.reminder_sent_at = None
    meeting.save(
        update_fields=version_bump(meeting, ["cancelled_at", "sequence", "reminder_sent_at"])
    )
    if notify and not meeting.is_past:
        _notify_invitees(meeting, kind="invitation")
    return meeting


def _notify_invitees(meeting: Meeting, *, kind: str) -> None:
    from council.tasks import send_meeting_email

    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_meeting_email.delay(meeting_id=meeting.pk, kind=kind, language=language)
    )


# Which notification kind each meeting email is (people may turn these off); invitations
# and reminders are always sent.
_MEETING_EMAIL_KINDS = {
    "update": "council.meeting_changed",
    "cancellation": "council.meeting_changed",
    "agenda": "council.agenda_published",
}


def meeting_email_send(*, meeting_id: int, kind: str, language: str | None = None) -> int:
    """Email every invitee about the meeting, each with the .ics attached. Returns the count.

    One message per person, in their own language (portal.mail), with only their address in
    it and in their calendar invitation.
    """
    from council.notifications import person_recipient
    from portal.mail import Recipient, recipient_language, render_message, without_opted_out

    meeting = Meeting.objects.select_related("council").get(pk=meeting_id)
    attendances = list(
        meeting.attendances.select_related("person__user").order_by("person__name", "id")
    )
    recipients, seen = [], set()
    for attendance in attendances:
        target = person_recipient(attendance.person)
        if not target:
            continue
        user = None if isinstance(target, str) else target
        email = target if user is None else user.email
        if not email or email.lower() in seen:
            continue
        seen.add(email.lower())
        recipients.append(
            (Recipient(email, recipient_language(user, language), user), attendance.person)
        )
    if kind in _MEETING_EMAIL_KINDS:
        kept = {
            r.email
            for r in without_opted_out([r for r, _p in recipients], _MEETING_EMAIL_KINDS[kind])
        }
        recipients = [(r, p) for r, p in recipients if r.email in kept]
    if not recipients:
        return 0
    base_url = _base_url()
    context = {
        "meeting": meeting,
        "kind": kind,
        "items": list(meeting.agenda_items.filter(state=AgendaItem.State.ACCEPTED)),
        "link": base_url.rstrip("/") + meeting.get_absolute_url(),
    }
    sent = 0
    method = ical.invitation_method(meeting)
    for recipient, person in recipients:
        # One message and one invitation per person: only their own address is in it.
        invitation = ical.meeting_invitation_ics(
            meeting, email=recipient.email, name=str(person), base_url=base_url
        )
        message = render_message("council/email/meeting", context, recipient)
        message.attach(ical_email_part(invitation, method=method, filename="meeting.ics"))
        sent += message.send()
    return sent


# --- Agenda --------------------------------------------------------------------------------


def document_validate(uploaded) -> str:
    """Return the content type of an acceptable upload, or raise a ValidationError."""
    extension = os.path.splitext(uploaded.name or "")[1].lower()
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Files of this type cannot be added. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ext.lstrip(".") for ext in DOCUMENT_TYPES))}
        )
    if uploaded.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": DOCUMENT_MAX_BYTES // 2**20}
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."))
    head = uploaded.read(8)
    uploaded.seek(0)
    if extension == ".pdf" and not head.startswith(b"%PDF"):
        raise ValidationError(_("The file does not look like a PDF."))
    return DOCUMENT_TYPES[extension]


@transaction.atomic
def document_attach(*, agenda_item: AgendaItem, uploaded, uploaded_by=None) -> Document:
    content_type = document_validate(uploaded)
    name = os.path.basename(uploaded.name)[:200]
    document = Document(
        agenda_item=agenda_item,
        name=name,
        content_type=content_type or mimetypes.guess_type(name)[0] or "",
        size=uploaded.size,
        uploaded_by=uploaded_by,
    )
    document.file.save(name, uploaded, save=False)
    document.save()
    return document


@transaction.atomic
def meeting_material_attach(*, meeting: Meeting, uploaded, uploaded_by=None) -> Document:
    """A paper for the meeting as a whole (not one item): its materials list."""
    content_type = document_validate(uploaded)
    name = os.path.basename(uploaded.name)[:200]
    document = Document(
        meeting=meeting,
        name=name,
        content_type=content_type or mimetypes.guess_type(name)[0] or "",
        size=uploaded.size,
        uploaded_by=uploaded_by,
    )
    document.file.save(name, uploaded, save=False)
    document.save()
    return document


@transaction.atomic
def meeting_papers_deadline_set(*, meeting: Meeting, deadline: datetime | None) -> Meeting:
    """When papers for the meeting must be sent: shown on the agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if deadline is not None and timezone.is_naive(deadline):
        raise ValidationError(_("Meeting times must carry a time zone."))
    if deadline is not None and deadline > meeting.starts_at:
        raise ValidationError({"deadline": _("Papers must be due before the meeting starts.")})
    meeting.papers_deadline = deadline
    meeting.save(update_fields=["papers_deadline"])
    return meeting


def _check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))


@transaction.atomic
def agenda_item_propose(
    *,
    meeting: Meeting,
    title: str,
    summary: str = "",
    proposed_by=None,
    documents=(),
    backfill: bool = False,
) -> AgendaItem:
    """A member proposes an item; `backfill` records one for a meeting already held (import)."""
    _check_open(meeting)
    if meeting.is_past and not backfill:
        raise ValidationError(_("This meeting has already been held."))
    item = AgendaItem(
        meeting=meeting, title=title.strip(), summary=summary.strip(), proposed_by=proposed_by
    )
    item.full_clean()
    item.position = (meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0) + 1
    item.save()
    for uploaded in documents:
        document_attach(agenda_item=item, uploaded=uploaded, uploaded_by=proposed_by)
    # The secretariat hears of a member's proposal; its own items need no email.
    if (
        proposed_by is not None
        and not backfill
        and not proposed_by.has_perm("council.change_agendaitem")
    ):
        _notify_on_commit("agenda_proposed", agenda_item_id=item.pk)
    return item


@transaction.atomic
def agenda_item_accept(*, agenda_item: AgendaItem) -> AgendaItem:
    agenda_item.state = AgendaItem.State.ACCEPTED
    agenda_item.decline_reason = ""
    agenda_item.save(update_fields=["state", "decline_reason"])
    return agenda_item


@transaction.atomic
def agenda_item_decline(*, agenda_item: AgendaItem, reason: str = "") -> AgendaItem:
    """Decline an item; the reason is shown with it (and on a workshop matter it came from)."""
    if agenda_item.decisions.filter(withdrawn_at=None).exists():
        raise ValidationError(_("An item with recorded decisions cannot be declined."))
    agenda_item.state = AgendaItem.State.DECLINED
    agenda_item.decline_reason = reason.strip()
    agenda_item.full_clean()
    agenda_item.save(update_fields=["state", "decline_reason"])
    return agenda_item


@transaction.atomic
def agenda_item_move(*, agenda_item: AgendaItem, offset: int) -> AgendaItem:
    """Move an item up (offset -1) or down (+1); positions are renumbered 1..n."""
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=agenda_item.meeting_id)
        .order_by("position", "id")
    )
    index = next(i for i, item in enumerate(items) if item.pk == agenda_item.pk)
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    return next(item for item in items if item.pk == agenda_item.pk)


@transaction.atomic
def agenda_publish(*, meeting: Meeting, notify: bool = True) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    if not meeting.agenda_items.filter(state=AgendaItem.State.ACCEPTED).exists():
        raise ValidationError(_("Accept at least one agenda item before publishing the agenda."))
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at"])
    # The agenda of a meeting already held (recorded after the fact) is no news to anyone.
    if notify and not meeting.is_past:
        _notify_invitees(meeting, kind="agenda")
    return meeting


# --- Attendance ----------------------------------------------------------------------------


@transaction.atomic
def attendance_reply(
    *, meeting: Meeting, person: Person, reply: str, deputy: Person | None = None
) -> Attendance:
    """A member's RSVP. Only invited people can answer; a member who cannot come may name a
    deputy (ersättare) of the council who comes in their place."""
    _check_open(meeting)
    if reply not in Attendance.Reply.values or reply == Attendance.Reply.NONE:
        raise ValidationError({"reply": _("Choose whether you are coming.")})
    if reply == Attendance.Reply.DEPUTY:
        if deputy is None or deputy.pk == person.pk:
            raise ValidationError({"deputy": _("Choose the deputy who comes in your place.")})
        if deputy.pk not in {d.pk for d in meeting_deputies(meeting)}:
            raise ValidationError({"deputy": _("Only the council's deputies can come instead.")})
    else:
        deputy = None
    attendance = (
        Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    )
    if attendance is None:
        raise ValidationError(_("You are not invited to this meeting."))
    attendance.reply = reply
    attendance.deputy = deputy
    attendance.save(update_fields=["reply", "deputy"])
    return attendance


@transaction.atomic
def attendance_invite(*, meeting: Meeting, person: Person, organisation=None) -> Attendance:
    """Invite someone who is not (yet) on the council, such as a guest speaker."""
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting, person=person, defaults={"organisation": organisation}
    )
    return attendance


@transaction.atomic
def attendance_record(*, meeting: Meeting, statuses: dict[int, str]) -> int:
    """Record who was present, excused or absent: {attendance id: status}."""
    valid = set(Attendance.Status.values)
    changed = 0
    for attendance in Attendance.objects.select_for_update().filter(
        meeting=meeting, pk__in=list(statuses)
    ):
        status = statuses[attendance.pk]
        if status not in valid:
            raise ValidationError(_("Unknown attendance status."))
        if attendance.status != status:
            attendance.status = status
            attendance.save(update_fields=["status"])
            changed += 1
    return changed


# --- Minutes, decisions, action items ------------------------------------------------------


@transaction.atomic
def minutes_save(
    *,
    agenda_item: AgendaItem,
    text: str,
    written_by=None,
    expected_version: int | None = None,
) -> MinutesRevision:
    """Save a new version of the minutes; earlier versions stay in the history.

    `expected_version` is the agenda item's version the writer's form was loaded with: if
    someone saved the minutes since, the save is refused (portal.concurrency).
    """
    text = text.strip()
    agenda_item = version_lock(AgendaItem, pk=agenda_item.pk, expected_version=expected_version)
    if text == agenda_item.minutes:
        unchanged = ValidationError(_("The minutes are unchanged."), code="unchanged")
        raise ValidationError({"text": unchanged})
    _check_minutes_unlocked(agenda_item.meeting)
    revision = MinutesRevision.objects.create(
        agenda_item=agenda_item, text=text, written_by=written_by
    )
    agenda_item.minutes = text
    agenda_item.save(update_fields=version_bump(agenda_item, ["minutes"]))
    return revision


def _readable(instance, name: str) -> str:
    """A field's value as a person reads it in the history (labels and names, not ids)."""
    field = instance._meta.get_field(name)
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    value = getattr(instance, name)
    if name == "owner" and value is None:
        return str(_("The secretariat"))
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _apply_changes(instance, data: dict, fields) -> dict:
    """Set the changed fields; returns {label: [before, after]} for the history."""
    changes = {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if getattr(instance, name) == value:
            continue
        before = _readable(instance, name)
        setattr(instance, name, value)
        label = str(instance._meta.get_field(name).verbose_name)
        changes[label] = [before, _readable(instance, name)]
    return changes


def _record_change(*, kind: str, changed_by=None, reason: str = "", changes=None, **record):
    return RecordChange.objects.create(
        kind=kind,
        changed_by=changed_by,
        reason=reason.strip()[:500],
        changes=changes or {},
        **record,
    )


def _next_decision_number(meeting: Meeting) -> int:
    """The next § number: per meeting, or per calendar year (the council's setting)."""
    council = meeting.council
    if council.decision_numbering == Council.DecisionNumbering.PER_YEAR:
        year = _local_date(meeting.starts_at).year
        # Lock the council's row: two decisions recorded at once must not share a number.
        Council.objects.select_for_update().filter(pk=council.pk).first()
        scope = Decision.objects.filter(meeting__council=council, meeting__starts_at__year=year)
    else:
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        scope = Decision.objects.filter(meeting=meeting)
    return (scope.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def decision_record(*, agenda_item: AgendaItem, text: str) -> Decision:
    if agenda_item.state != AgendaItem.State.ACCEPTED:
        raise ValidationError(_("Decisions are recorded under accepted agenda items."))
    meeting = Meeting.objects.select_related("council").get(pk=agenda_item.meeting_id)
    _check_minutes_unlocked(meeting)
    decision = Decision(meeting=meeting, agenda_item=agenda_item, text=text.strip())
    decision.full_clean()
    decision.number = _next_decision_number(meeting)
    decision.save()
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    changed_by=None,
    reason: str = "",
    expected_version: int | None = None,
    **data,
) -> Decision:
    """Correct a decision's text or agenda item; the change is kept in its history."""
    decision = version_lock(Decision, pk=decision.pk, expected_version=expected_version)
    item = data.get("agenda_item")
    if item is not None and (
        item.meeting_id != decision.meeting_id or item.state != AgendaItem.State.ACCEPTED
    ):
        raise ValidationError(
            {"agenda_item": _("Choose an accepted agenda item of the same meeting.")}
        )
    changes = _apply_changes(decision, data, ("text", "agenda_item"))
    if not changes:
        return decision
    _check_minutes_unlocked(decision.meeting)
    decision.full_clean()
    decision.updated_at = timezone.now()
    decision.save(update_fields=version_bump(decision, ["text", "agenda_item", "updated_at"]))
    _record_change(
        decision=decision, kind="edited", changed_by=changed_by, reason=reason, changes=changes
    )
    return decision


@transaction.atomic
def decision_withdraw(
    *,
    decision: Decision,
    changed_by=None,
    reason: str = "",
    expected_version: int | None = None,
) -> Decision:
    """Withdraw a decision: it stays in the record, shown as withdrawn."""
    decision = version_lock(Decision, pk=decision.pk, expected_version=expected_version)
    _check_minutes_unlocked(decision.meeting)
    if decision.is_withdrawn:
        raise ValidationError(_("This decision is already withdrawn."))
    decision.withdrawn_at = decision.updated_at = timezone.now()
    decision.save(update_fields=version_bump(decision, ["withdrawn_at", "updated_at"]))
    _record_change(decision=decision, kind="withdrawn", changed_by=changed_by, reason=reason)
    return decision


@transaction.atomic
def decision_restore(*, decision: Decision, changed_by=None, reason: str = "") -> Decision:
    decision = version_lock(Decision, pk=decision.pk, expected_version=None)
    if not decision.is_withdrawn:
        raise ValidationError(_("This decision is not withdrawn."))
    decision.withdrawn_at = None
    decision.updated_at = timezone.now()
    decision.save(update_fields=version_bump(decision, ["withdrawn_at", "updated_at"]))
    _record_change(decision=decision, kind="restored", changed_by=changed_by, reason=reason)
    return decision


@transaction.atomic
def minutes_withdraw(
    *, agenda_item: AgendaItem, written_by=None, expected_version: int | None = None
) -> MinutesRevision:
    """Withdraw an item's minutes: an empty version on top; the earlier ones stay."""
    agenda_item = version_lock(AgendaItem, pk=agenda_item.pk, expected_version=expected_version)
    _check_minutes_unlocked(agenda_item.meeting)
    if not agenda_item.minutes:
        raise ValidationError(_("This item has no minutes to withdraw."))
    revision = MinutesRevision.objects.create(
        agenda_item=agenda_item, text="", written_by=written_by
    )
    agenda_item.minutes = ""
    agenda_item.save(update_fields=version_bump(agenda_item, ["minutes"]))
    return revision


@transaction.atomic
def action_item_create(
    *,
    meeting: Meeting,
    title: str,
    owner: Person | None,
    due_date: date,
    agenda_item: AgendaItem | None = None,
    status: str = ActionItem.Status.OPEN,
) -> ActionItem:
    """Record an action item; `owner=None` means the secretariat has undertaken it."""
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
    item = ActionItem(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title.strip(),
        owner=owner,
        due_date=due_date,
        status=status,
        completed_at=timezone.now() if status == ActionItem.Status.DONE else None,
    )
    item.full_clean()
    item.save()
    if (item.owner_id and not meeting.is_past) or (
        item.owner_id and status != ActionItem.Status.DONE and due_date >= timezone.localdate()
    ):
        _notify_on_commit("action_assigned", action_item_id=item.pk)
    return item


ACTION_ITEM_FIELDS = ("title", "owner", "due_date", "status", "agenda_item")


@transaction.atomic
def action_item_update(
    *,
    action_item: ActionItem,
    changed_by=None,
    reason: str = "",
    expected_version: int | None = None,
    **data,
) -> ActionItem:
    """Correct an action item (what, owner, due date, status, item); kept in its history."""
    action_item = version_lock(ActionItem, pk=action_item.pk, expected_version=expected_version)
    if action_item.is_withdrawn:
        raise ValidationError(_("This action item is withdrawn."))
    if "status" in data and data["status"] not in ActionItem.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    item = data.get("agenda_item")
    if item is not None and item.meeting_id != action_item.meeting_id:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
    old_status, old_due = action_item.status, action_item.due_date
    changes = _apply_changes(action_item, data, ACTION_ITEM_FIELDS)
    if not changes:
        return action_item
    fields = [name for name in ACTION_ITEM_FIELDS if name in data]
    if action_item.status != old_status:
        done = action_item.status == ActionItem.Status.DONE
        action_item.completed_at = timezone.now() if done else None
        fields.append("completed_at")
    if action_item.due_date != old_due:
        action_item.reminder_sent_on = None  # a new due date gets its own reminders
        fields.append("reminder_sent_on")
    action_item.full_clean()
    action_item.updated_at = timezone.now()
    action_item.save(update_fields=version_bump(action_item, [*fields, "updated_at"]))
    _record_change(
        action_item=action_item,
        kind="edited",
        changed_by=changed_by,
        reason=reason,
        changes=changes,
    )
    if action_item.owner_id:
        owner_changed = str(action_item._meta.get_field("owner").verbose_name) in changes
        # A new owner is told it is theirs; the same owner that it changed (unless they
        # changed it themselves).
        owner_user = getattr(action_item.owner, "user", None)
        if owner_changed:
            _notify_on_commit("action_assigned", action_item_id=action_item.pk)
        elif changed_by is None or owner_user is None or owner_user.pk != changed_by.pk:
            _notify_on_commit("action_changed", action_item_id=action_item.pk)
    return action_item


@transaction.atomic
def action_item_withdraw(
    *,
    action_item: ActionItem,
    changed_by=None,
    reason: str = "",
    expected_version: int | None = None,
) -> ActionItem:
    """Withdraw an action item recorded by mistake: kept, shown as withdrawn, no reminders."""
    action_item = version_lock(ActionItem, pk=action_item.pk, expected_version=expected_version)
    if action_item.is_withdrawn:
        raise ValidationError(_("This action item is already withdrawn."))
    action_item.withdrawn_at = action_item.updated_at = timezone.now()
    action_item.save(update_fields=version_bump(action_item, ["withdrawn_at", "updated_at"]))
    _record_change(action_item=action_item, kind="withdrawn", changed_by=changed_by, reason=reason)
    return action_item


@transaction.atomic
def action_item_status_set(
    *,
    action_item: ActionItem,
    status: str,
    expected_version: int | None = None,
    changed_by=None,
) -> ActionItem:
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    action_item = version_lock(ActionItem, pk=action_item.pk, expected_version=expected_version)
    if action_item.status == status:
        return action_item
    return action_item_update(action_item=action_item, status=status, changed_by=changed_by)


# --- Minutes as one document, and their approval (justering) -----------------------------


def minutes_latest(meeting: Meeting) -> MinutesRecord | None:
    return meeting.minutes_records.order_by("-revision").first()


def _check_minutes_unlocked(meeting: Meeting) -> None:
    """Approved minutes are locked: a change needs a correction (a new revision) first."""
    latest = minutes_latest(meeting)
    if latest is not None and latest.is_approved:
        raise ValidationError(
            _(
                "The minutes of this meeting are approved and locked. Start a correction, "
                "with a reason, before changing them."
            ),
            code="locked",
        )


@transaction.atomic
def meeting_minutes_roles_set(
    *, meeting: Meeting, minute_taker: Person | None, adjusters
) -> Meeting:
    """Name the minute-taker and the one or two adjusters (justerare)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    adjusters = list(adjusters)
    if not 1 <= len(adjusters) <= 2:
        raise ValidationError({"adjusters": _("Choose one or two adjusters.")})
    if minute_taker is not None and minute_taker in adjusters:
        raise ValidationError({"adjusters": _("The minute-taker cannot also adjust the minutes.")})
    latest = minutes_latest(meeting)
    if (
        latest is not None
        and latest.state == MinutesRecord.State.CIRCULATING
        and latest.approvals.exclude(state=MinutesApproval.State.PENDING).exists()
    ):
        raise ValidationError(
            _("An adjuster has already answered: send the minutes again to change who.")
        )
    meeting.minute_taker = minute_taker
    meeting.save(update_fields=["minute_taker"])
    meeting.adjusters.set(adjusters)
    return meeting


@transaction.atomic
def minutes_circulate(*, meeting: Meeting, by=None, notify: bool = True) -> MinutesRecord:
    """Send the minutes to the adjusters for approval (again, after their comments)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    adjusters = list(meeting.adjusters.all())
    if not adjusters:
        raise ValidationError(_("Name one or two adjusters first."))
    if not meeting.is_past:
        raise ValidationError(_("The minutes can be approved once the meeting has been held."))
    latest = minutes_latest(meeting)
    if latest is not None and latest.is_approved:
        raise ValidationError(
            _("These minutes are approved. Start a correction to change them."), code="locked"
        )
    now = timezone.now()
    if latest is None:
        latest = MinutesRecord.objects.create(meeting=meeting, revision=1, created_by=by)
    latest.state = MinutesRecord.State.CIRCULATING
    latest.circulated_at = now
    latest.save(update_fields=["state", "circulated_at"])
    # Everyone answers the version they are sent now: earlier answers no longer count.
    latest.approvals.all().delete()
    MinutesApproval.objects.bulk_create(
        MinutesApproval(record=latest, adjuster=person) for person in adjusters
    )
    if notify:
        _notify_on_commit("minutes_to_approve", record_id=latest.pk)
    return latest


@transaction.atomic
def minutes_answer(
    *,
    record: MinutesRecord,
    adjuster: Person,
    approve: bool,
    comment: str = "",
    by=None,
    notify: bool = True,
) -> MinutesApproval:
    """An adjuster approves the minutes, or comments on them, from their own account."""
    record = MinutesRecord.objects.select_for_update().get(pk=record.pk)
    if record.state != MinutesRecord.State.CIRCULATING:
        raise ValidationError(_("These minutes are not awaiting approval."))
    approval = record.approvals.filter(adjuster=adjuster).first()
    if approval is None:
        raise ValidationError(_("You are not an adjuster of these minutes."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Write what should be changed.")})
    approval.state = MinutesApproval.State.APPROVED if approve else MinutesApproval.State.COMMENTED
    approval.comment = comment
    approval.decided_by = by
    approval.decided_at = timezone.now()
    approval.save(update_fields=["state", "comment", "decided_by", "decided_at"])
    if not approve:
        if notify:
            _notify_on_commit("minutes_commented", record_id=record.pk)
    elif not record.approvals.exclude(state=MinutesApproval.State.APPROVED).exists():
        from council.selectors import minutes_content_live

        record.state = MinutesRecord.State.APPROVED
        record.approved_at = approval.decided_at
        # Frozen as approved: the published minutes show this from now on (see the model).
        record.content = minutes_content_live(
            Meeting.objects.select_related("minute_taker").get(pk=record.meeting_id),
            record=record,
        )
        record.save(update_fields=["state", "approved_at", "content"])
        if notify:
            _notify_on_commit("minutes_approved", record_id=record.pk)
    return approval


@transaction.atomic
def minutes_correct(*, meeting: Meeting, reason: str, by=None) -> MinutesRecord:
    """Open approved minutes for a correction: a new revision, with the reason shown."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    latest = minutes_latest(meeting)
    if latest is None or not latest.is_approved:
        raise ValidationError(_("Only approved minutes are corrected this way."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    record = MinutesRecord(
        meeting=meeting,
        revision=latest.revision + 1,
        reason=reason,
        state=MinutesRecord.State.DRAFT,
        created_by=by,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def council_minutes_settings_set(
    *, council: Council, decision_numbering: str, minutes_public: bool
) -> Council:
    """How decisions are numbered (from new decisions on) and whether minutes are public."""
    if decision_numbering not in Council.DecisionNumbering.values:
        raise ValidationError({"decision_numbering": _("Unknown numbering.")})
    council.decision_numbering = decision_numbering
    council.minutes_public = minutes_public
    council.save(update_fields=["decision_numbering", "minutes_public"])
    return council


def _notify_on_commit(kind: str, **ids) -> None:
    from council import notifications

    transaction.on_commit(lambda: notifications.send(kind, **ids))


# --- Speaking time -------------------------------------------------------------------------


def _speaker_organisation(meeting: Meeting, person: Person):
    """The organisation a speaker sits for: their own invitation, or the member's they
    deputise for."""
    attendance = (
        Attendance.objects.filter(meeting=meeting)
        .filter(Q(person=person) | Q(deputy=person))
        .order_by(F("deputy").asc(nulls_first=True))
        .first()
    )
    return attendance.organisation if attendance else None


def _live_changed(meeting_id: int) -> None:
    """Every page showing the meeting's live list fetches it again on its next poll: now, and
    once more after commit (a poll in between may have read the list before this write)."""
    from council.selectors import live_token_replace

    live_token_replace(meeting_id)
    transaction.on_commit(lambda: live_token_replace(meeting_id))


def _may_speak(meeting: Meeting, person: Person) -> bool:
    """Invited and not recorded as away, or named as someone's deputy."""
    away = [Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
    return (
        Attendance.objects.filter(meeting=meeting)
        .filter(Q(person=person) & ~Q(status__in=away) | Q(deputy=person))
        .exists()
    )


@transaction.atomic
def speaking_turn_stop(*, meeting: Meeting, now: datetime | None = None) -> SpeakingTurn | None:
    """End the open turn, if any (paused or not); its place on the list is then done."""
    now = now or timezone.now()
    turn = SpeakingTurn.objects.select_for_update().filter(meeting=meeting, ended_at=None).first()
    if turn is None:
        return None
    fields = ["ended_at"]
    if turn.paused_at is not None:
        turn.paused_seconds += max((now - turn.paused_at).total_seconds(), 0.0)
        turn.paused_at = None
        fields += ["paused_at", "paused_seconds"]
    turn.ended_at = max(now, turn.started_at)
    turn.save(update_fields=fields)
    SpeakerListEntry.objects.filter(turn=turn).update(state=SpeakerListEntry.State.DONE)
    _live_changed(meeting.pk)
    return turn


@transaction.atomic
def speaking_turn_start(
    *,
    meeting: Meeting,
    person: Person,
    now: datetime | None = None,
    agenda_item: AgendaItem | None = None,
) -> SpeakingTurn:
    """One tap: the previous speaker's turn ends and this person's begins.

    Tapping the person already speaking keeps their turn running (a double tap on a tablet
    must not cut them off). The turn belongs to `agenda_item`, or to the item now discussed.
    """
    _check_open(meeting)
    now = now or timezone.now()
    # Lock the meeting row: two taps at once must not leave two open turns.
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    current = SpeakingTurn.objects.filter(meeting=meeting, ended_at=None).first()
    if current is not None and current.person_id == person.pk:
        return current
    if not _may_speak(meeting, person):
        raise ValidationError(_("Only people invited to the meeting can be given the floor."))
    speaking_turn_stop(meeting=meeting, now=now)
    _live_changed(meeting.pk)
    item_id = agenda_item.pk if agenda_item is not None else locked.live_item_id
    try:
        with transaction.atomic():
            return SpeakingTurn.objects.create(
                meeting=meeting,
                agenda_item_id=item_id,
                person=person,
                organisation=_speaker_organisation(meeting, person),
                started_at=now,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Someone else started a turn at the same moment.")) from exc


@transaction.atomic
def speaking_turn_pause(*, meeting: Meeting, now: datetime | None = None) -> SpeakingTurn:
    now = now or timezone.now()
    turn = SpeakingTurn.objects.select_for_update().filter(meeting=meeting, ended_at=None).first()
    if turn is None:
        raise ValidationError(_("Nobody has the floor."))
    if turn.paused_at is None:
        turn.paused_at = max(now, turn.started_at)
        turn.save(update_fields=["paused_at"])
    _live_changed(meeting.pk)
    return turn


@transaction.atomic
def speaking_turn_resume(*, meeting: Meeting, now: datetime | None = None) -> SpeakingTurn:
    now = now or timezone.now()
    turn = SpeakingTurn.objects.select_for_update().filter(meeting=meeting, ended_at=None).first()
    if turn is None:
        raise ValidationError(_("Nobody has the floor."))
    if turn.paused_at is not None:
        turn.paused_seconds += max((now - turn.paused_at).total_seconds(), 0.0)
        turn.paused_at = None
        turn.save(update_fields=["paused_at", "paused_seconds"])
    _live_changed(meeting.pk)
    return turn


# --- Live list of speakers -----------------------------------------------------------------


@transaction.atomic
def meeting_live_item_set(*, meeting: Meeting, agenda_item: AgendaItem | None) -> Meeting:
    """Choose the item now discussed: its list of speakers is the one shown live."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    if agenda_item is not None and (
        agenda_item.meeting_id != meeting.pk or agenda_item.state != AgendaItem.State.ACCEPTED
    ):
        raise ValidationError(_("Choose an accepted item of this meeting."))
    meeting.live_item = agenda_item
    meeting.save(update_fields=["live_item"])
    _live_changed(meeting.pk)
    return meeting


@transaction.atomic
def meeting_speaker_rules_set(
    *, meeting: Meeting, balanced: bool, time_limit: int | None
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if time_limit is not None and not 10 <= time_limit <= 3600:
        raise ValidationError(
            {"time_limit": _("A time per turn is between 10 seconds and one hour.")}
        )
    meeting.balanced_speaker_order = balanced
    meeting.speaker_time_limit = time_limit
    meeting.save(update_fields=["balanced_speaker_order", "speaker_time_limit"])
    _live_changed(meeting.pk)
    return meeting


@transaction.atomic
def agenda_item_speaker_limit_set(*, agenda_item: AgendaItem, time_limit: int | None) -> AgendaItem:
    if time_limit is not None and not 10 <= time_limit <= 3600:
        raise ValidationError(
            {"time_limit": _("A time per turn is between 10 seconds and one hour.")}
        )
    agenda_item.speaker_time_limit = time_limit
    agenda_item.save(update_fields=["speaker_time_limit"])
    _live_changed(agenda_item.meeting_id)
    return agenda_item


@transaction.atomic
def speaker_request(*, agenda_item: AgendaItem, person: Person, added_by=None) -> SpeakerListEntry:
    """Put a person on the item's list of speakers, last in the order asked."""
    meeting = Meeting.objects.select_for_update().get(pk=agenda_item.meeting_id)
    _check_open(meeting)
    if agenda_item.state != AgendaItem.State.ACCEPTED:
        raise ValidationError(_("Only accepted agenda items have a list of speakers."))
    if not _may_speak(meeting, person):
        raise ValidationError(_("Only people present at the meeting can be put on the list."))
    entries = SpeakerListEntry.objects.filter(agenda_item=agenda_item)
    if entries.filter(person=person, state=SpeakerListEntry.State.WAITING).exists():
        raise ValidationError(_("%(name)s is already on the list.") % {"name": person})
    top = entries.aggregate(top=Max("position"))["top"] or 0
    _live_changed(meeting.pk)
    return SpeakerListEntry.objects.create(
        agenda_item=agenda_item,
        person=person,
        organisation=_speaker_organisation(meeting, person),
        position=top + 1,
        added_by=added_by,
    )


def _waiting_entry(entry: SpeakerListEntry) -> SpeakerListEntry:
    entry = SpeakerListEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if entry is None or entry.state != SpeakerListEntry.State.WAITING:
        raise ValidationError(_("This person is no longer waiting to speak."))
    return entry


@transaction.atomic
def speaker_withdraw(*, entry: SpeakerListEntry) -> SpeakerListEntry:
    """Take a waiting person off the list (they withdrew, or the chair removed them)."""
    entry = _waiting_entry(entry)
    entry.state = SpeakerListEntry.State.WITHDRAWN
    entry.save(update_fields=["state"])
    _live_changed(entry.agenda_item.meeting_id)
    return entry


@transaction.atomic
def speaker_move(*, entry: SpeakerListEntry, offset: int) -> SpeakerListEntry:
    """Move a waiting person up (-1) or down (+1) among those waiting; a no-op at the ends."""
    entry = _waiting_entry(entry)
    waiting = list(
        SpeakerListEntry.objects.select_for_update()
        .filter(agenda_item_id=entry.agenda_item_id, state=SpeakerListEntry.State.WAITING)
        .order_by("position", "id")
    )
    index = next(i for i, other in enumerate(waiting) if other.pk == entry.pk)
    target = min(max(index + offset, 0), len(waiting) - 1)
    waiting.insert(target, waiting.pop(index))
    positions = sorted(other.position for other in waiting)
    # Keep the slots the waiting people held; unique ascending slots even if some were equal.
    slots = [max(p, positions[0] + i) for i, p in enumerate(positions)]
    for slot, other in zip(slots, waiting, strict=True):
        if other.position != slot:
            other.position = slot
            other.save(update_fields=["position"])
    _live_changed(entry.agenda_item.meeting_id)
    return next(other for other in waiting if other.pk == entry.pk)


@transaction.atomic
def speaker_give_floor(*, entry: SpeakerListEntry, now: datetime | None = None) -> SpeakingTurn:
    """The waiting person's turn starts; whoever spoke before is done."""
    entry = _waiting_entry(entry)
    agenda_item = entry.agenda_item
    meeting = agenda_item.meeting
    turn = speaking_turn_start(
        meeting=meeting, person=entry.person, now=now, agenda_item=agenda_item
    )
    if turn.agenda_item_id != agenda_item.pk:
        # The same person was speaking on another item: that turn ends, a new one starts.
        speaking_turn_stop(meeting=meeting, now=now)
        turn = speaking_turn_start(
            meeting=meeting, person=entry.person, now=now, agenda_item=agenda_item
        )
    SpeakerListEntry.objects.filter(turn=turn).exclude(pk=entry.pk).update(
        turn=None, state=SpeakerListEntry.State.DONE
    )
    entry.state = SpeakerListEntry.State.SPEAKING
    entry.turn = turn
    entry.save(update_fields=["state", "turn"])
    _live_changed(meeting.pk)
    return turn


# --- Calendar feeds ------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Create the user's feed, or replace its token (the old address stops working)."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": token})
    if not created:
        feed.token = token
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


# --- Reminders -----------------------------------------------------------------------------


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind invitees of meetings starting within MEETING_REMINDER_BEFORE, once each.

    Each meeting is marked before it is sent (claimed with a conditional update), so two beat
    runs at once cannot remind twice.
    """
    now = now or timezone.now()
    due = Meeting.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + MEETING_REMINDER_BEFORE,
        cancelled_at=None,
        reminder_sent_at=None,
    ).order_by("starts_at")
    sent = 0
    for meeting in due:
        claimed = Meeting.objects.filter(pk=meeting.pk, reminder_sent_at=None).update(
            reminder_sent_at=now
        )
        if claimed:
            meeting_email_send(meeting_id=meeting.pk, kind="reminder")
            sent += 1
    return sent


def action_item_due_soon_reminders_send(*, today: date | None = None) -> int:
    """Remind each owner once, ACTION_DUE_SOON before an open item's due date."""
    from council import notifications

    today = today or timezone.localdate()
    due = (
        ActionItem.objects.filter(
            status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
            due_date__gte=today,
            due_date__lte=today + ACTION_DUE_SOON,
            withdrawn_at=None,
            reminder_sent_on=None,
        )
        .select_related("owner__user", "meeting")
        .order_by("due_date", "id")
    )
    sent = 0
    for item in due:
        claimed = ActionItem.objects.filter(pk=item.pk, reminder_sent_on=None).update(
            reminder_sent_on=today
        )
        if claimed:
            sent += notifications.action_item_due(item=item, overdue=False)
    return sent


def action_item_overdue_reminders_send(*, today: date | None = None) -> int:
    """Email each owner of an overdue open item; again after OVERDUE_REMINDER_EVERY.

    A reminder sent before the due date does not count: the first overdue one still goes.
    """
    from council import notifications

    today = today or timezone.localdate()
    recent = Q(reminder_sent_on__gt=today - OVERDUE_REMINDER_EVERY) & Q(
        reminder_sent_on__gt=F("due_date")
    )
    due = (
        ActionItem.objects.filter(
            status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
            due_date__lt=today,
            withdrawn_at=None,
        )
        .exclude(recent)
        .select_related("owner__user", "meeting")
        .order_by("owner_id", "due_date")
    )
    sent = 0
    for item in due:
        claimed = (
            ActionItem.objects.filter(pk=item.pk).exclude(recent).update(reminder_sent_on=today)
        )
        if claimed:
            sent += notifications.action_item_due(item=item, overdue=True)
    return sent
