"""The council's email notifications: who is told what, each in their own language.

Every kind is registered with accounts.notifications, so a person can turn it off on the
Notifications page; every message goes through portal.mail.send_templated_mail with its
kind, which skips those who did. Called after the transaction commits (services use
transaction.on_commit), or from beat tasks.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.notifications import NotificationKind, register
from portal.mail import send_templated_mail

AGENDA_PROPOSED = register(
    NotificationKind(
        "council.agenda_proposed",
        _("A member proposed an agenda item"),
        _("For the secretariat."),
    )
)
MINUTES_ANSWERED = register(
    NotificationKind(
        "council.minutes_answered",
        _("Adjusters approved or commented on minutes"),
        _("For the secretariat."),
    )
)
AGENDA_PUBLISHED = register(
    NotificationKind("council.agenda_published", _("The agenda of a meeting I am invited to"))
)
MEETING_CHANGED = register(
    NotificationKind(
        "council.meeting_changed", _("A meeting I am invited to is changed or cancelled")
    )
)
ACTION_ASSIGNED = register(
    NotificationKind("council.action_assigned", _("An action item is given to me or changed"))
)
ACTION_DUE = register(
    NotificationKind(
        "council.action_due", _("Reminders before an action item of mine is due, and when late")
    )
)
MINUTES_TO_APPROVE = register(
    NotificationKind(
        "council.minutes_to_approve",
        _("Minutes are ready for my approval"),
        _("For the adjusters (justerare) of a meeting."),
    )
)
MINUTES_PUBLISHED = register(
    NotificationKind(
        "council.minutes_published", _("The approved minutes of a meeting I was invited to")
    )
)


def _link(path: str) -> str:
    """The request's own host while one is served (portal.mail.site_url), else
    PORTAL_BASE_URL (reminders sent by the scheduler)."""
    from portal.mail import site_url

    return site_url(path)


def person_recipient(person):
    """A person's account when they have an active one (their language and choices), else
    their address; nobody for an erased person."""
    if person is None or person.erased_at:
        return None
    user = person.user
    if user is not None and user.is_active:
        return user
    return person.email or None


def secretariat_recipients() -> list:
    users = list(
        get_user_model()
        .objects.filter(groups__name="secretariat", is_active=True, erased_at=None)
        .distinct()
        .order_by("pk")
    )
    return users or [settings.PORTAL_SECRETARIAT_EMAIL]


def agenda_item_proposed(*, agenda_item_id: int) -> int:
    from council.models import AgendaItem

    item = AgendaItem.objects.select_related("meeting", "proposed_by").get(pk=agenda_item_id)
    return send_templated_mail(
        "council/email/agenda_proposed",
        secretariat_recipients(),
        {"item": item, "meeting": item.meeting, "link": _link(item.meeting.get_absolute_url())},
        kind=AGENDA_PROPOSED.code,
    )


def action_item_assigned(*, action_item_id: int, changed: bool = False) -> int:
    from council.models import ActionItem

    item = ActionItem.objects.select_related("owner__user", "meeting").get(pk=action_item_id)
    recipient = person_recipient(item.owner) if item.owner_id else None
    if recipient is None:
        return 0
    return send_templated_mail(
        "council/email/action_assigned",
        recipient,
        {"item": item, "changed": changed, "link": _link("/council/actions/")},
        kind=ACTION_ASSIGNED.code,
    )


def action_item_due(*, item, overdue: bool) -> int:
    recipient = person_recipient(item.owner) if item.owner_id else secretariat_recipients()
    if not recipient:
        return 0
    return send_templated_mail(
        "council/email/action_due",
        recipient,
        {"item": item, "overdue": overdue, "link": _link("/council/actions/")},
        kind=ACTION_DUE.code,
    )


def _minutes_context(record) -> dict:
    from django.urls import reverse

    return {
        "record": record,
        "meeting": record.meeting,
        "link": _link(reverse("council:minutes", args=[record.meeting_id])),
    }


def minutes_to_approve(*, record_id: int) -> int:
    from council.models import MinutesRecord

    record = MinutesRecord.objects.select_related("meeting").get(pk=record_id)
    people = [a.adjuster for a in record.approvals.select_related("adjuster__user")]
    return send_templated_mail(
        "council/email/minutes_to_approve",
        [r for r in map(person_recipient, people) if r],
        _minutes_context(record),
        kind=MINUTES_TO_APPROVE.code,
    )


def minutes_answered(*, record_id: int) -> int:
    from council.models import MinutesRecord

    record = MinutesRecord.objects.select_related("meeting").get(pk=record_id)
    context = {
        **_minutes_context(record),
        "approvals": list(record.approvals.select_related("adjuster")),
    }
    return send_templated_mail(
        "council/email/minutes_answered",
        secretariat_recipients(),
        context,
        kind=MINUTES_ANSWERED.code,
    )


def minutes_published(*, record_id: int) -> int:
    from council.models import MinutesRecord

    record = MinutesRecord.objects.select_related("meeting").get(pk=record_id)
    people = [a.person for a in record.meeting.attendances.select_related("person__user")]
    return send_templated_mail(
        "council/email/minutes_published",
        [r for r in map(person_recipient, people) if r],
        _minutes_context(record),
        kind=MINUTES_PUBLISHED.code,
    )


def send(kind: str, **ids) -> int:
    """What the services ask for after a commit."""
    if kind == "minutes_to_approve":
        return minutes_to_approve(**ids)
    if kind == "minutes_commented":
        return minutes_answered(**ids)
    if kind == "minutes_approved":
        return minutes_answered(**ids) + minutes_published(**ids)
    if kind == "agenda_proposed":
        return agenda_item_proposed(**ids)
    if kind == "action_assigned":
        return action_item_assigned(**ids)
    if kind == "action_changed":
        return action_item_assigned(changed=True, **ids)
    raise ValueError(f"Unknown council notification {kind!r}")
