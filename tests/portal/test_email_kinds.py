"""Every kind of email the portal sends, rendered in both languages (issue 15).

Each kind is produced the way the portal produces it (the service or task that sends it),
on the demo data, while a request from another host is being served. For every message:
a text and an HTML part, the recipient's language declared and used, links only to the
host the portal was reached on, and no template variable left empty (templates render
with a marker for unknown variables, so a misspelt or missing variable shows). A template
on disk that no case here sends fails the last test, so a new kind cannot skip the check.
"""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test.signals import template_rendered
from django.utils import timezone

from portal.middleware import current_origin

pytestmark = pytest.mark.django_db

ORIGIN = "http://rad.example.org:8123"
MISSING = "@@MISSING:%s@@"
LANGUAGES = ("sv", "en")


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates


@pytest.fixture(autouse=True)
def _served_from_another_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "rad.example.org"]
    token = current_origin.set(ORIGIN)
    yield
    current_origin.reset(token)


def _user(language, **extra):
    from tests.factories import make_user

    user = make_user(email=f"kind-{language}-{timezone.now().timestamp()}@example.org", **extra)
    user.language = language
    user.save(update_fields=["language"])
    return user


def _person_with_user(language):
    from directory.models import Person

    user = _user(language)
    person = Person.objects.filter(user__isnull=True, erased_at__isnull=True).first()
    person.user = user
    person.email = user.email
    person.save(update_fields=["user", "email"])
    return person, user


# --- The kinds -----------------------------------------------------------------------------


def _accounts_invitation(language):
    from django.utils import translation

    from accounts.roles import Role
    from accounts.services import invitation_create

    inviter = _user(language, role="secretariat")
    with translation.override(language):
        invitation_create(
            email=f"new-{language}@example.org",
            full_name="Vera Nyström",
            role=Role.COUNCIL_MEMBER,
            invited_by=inviter,
            base_url=ORIGIN,
        )
    return f"new-{language}@example.org"


def _agreements_reminders(language):
    from agreements.models import ActionPlanItem, ActionStatus, Agreement
    from agreements.services import due_reminders_send

    leader = _user(language)
    agreement = Agreement.objects.order_by("pk").first()
    agreement.process_leaders.add(leader)
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(
        next_assessment_on=today, assessment_reminder_sent_for=None
    )
    ActionPlanItem.objects.filter(agreement=agreement).update(reminder_sent_for=None)
    action = ActionPlanItem.objects.filter(agreement=agreement).first()
    ActionPlanItem.objects.filter(pk=action.pk).update(
        due_on=today - timedelta(days=3), status=ActionStatus.IN_PROGRESS
    )
    due_reminders_send(today=today)
    return leader.email


def _agreements_round_invitation(language):
    from agreements.models import AssessmentRound
    from agreements.services import respondent_invite

    round_ = next(r for r in AssessmentRound.objects.order_by("-pk") if r.is_open)
    respondent_invite(
        round_=round_,
        name="Elsa Lindqvist",
        email=f"respondent-{language}@example.org",
        role="official",
        language=language,
    )
    return f"respondent-{language}@example.org"


def _council_action_mails(language):
    from council import notifications
    from council.models import ActionItem

    person, user = _person_with_user(language)
    item = ActionItem.objects.order_by("pk").first()
    ActionItem.objects.filter(pk=item.pk).update(owner=person)
    item.refresh_from_db()
    notifications.action_item_assigned(action_item_id=item.pk)
    notifications.action_item_assigned(action_item_id=item.pk, changed=True)
    notifications.action_item_due(item=item, overdue=False)
    notifications.action_item_due(item=item, overdue=True)
    return user.email


def _council_agenda_proposed(language):
    from council import notifications
    from council.models import AgendaItem

    user = _user(language, role="secretariat")
    item = AgendaItem.objects.filter(proposed_by__isnull=False).order_by("pk").first()
    if item is None:
        item = AgendaItem.objects.order_by("pk").first()
    notifications.agenda_item_proposed(agenda_item_id=item.pk)
    return user.email


def _council_meeting_mails(language):
    from council.models import Attendance, Meeting
    from council.services import meeting_email_send

    person, user = _person_with_user(language)
    meeting = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    Attendance.objects.get_or_create(meeting=meeting, person=person)
    for kind in ("invitation", "update", "agenda", "reminder", "cancellation"):
        meeting_email_send(meeting_id=meeting.pk, kind=kind)
    return user.email


def _council_minutes_mails(language):
    from council import notifications
    from council.models import Attendance, MinutesApproval, MinutesRecord

    person, user = _person_with_user(language)
    secretariat = _user(language, role="secretariat")
    record = MinutesRecord.objects.order_by("pk").first()
    approval = MinutesApproval.objects.filter(record=record).first()
    MinutesApproval.objects.filter(pk=approval.pk).update(adjuster=person)
    Attendance.objects.get_or_create(meeting=record.meeting, person=person)
    notifications.minutes_to_approve(record_id=record.pk)
    notifications.minutes_answered(record_id=record.pk)
    notifications.minutes_published(record_id=record.pk)
    return [user.email, secretariat.email]


def _directory_confirmation_reminder(language):
    from directory.models import Organisation
    from directory.services import confirmation_reminders_send

    editor = _user(language)
    organisation = Organisation.objects.filter(state=Organisation.State.PUBLISHED).first()
    organisation.editors.add(editor)
    Organisation.objects.filter(pk=organisation.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=800), reminder_sent_at=None
    )
    Organisation.objects.exclude(pk=organisation.pk).update(last_confirmed_at=timezone.now())
    confirmation_reminders_send()
    return editor.email


def _directory_suggestions(language):
    from directory.models import Organisation, Suggestion
    from directory.services import suggestion_reject, suggestion_submit

    editor = _user(language)
    organisation = Organisation.objects.filter(state=Organisation.State.PUBLISHED).first()
    organisation.editors.add(editor)
    suggestion = suggestion_submit(
        kind=Suggestion.Kind.CORRECTION,
        organisation=organisation,
        message="Telefonnumret har ändrats.",
        submitter_name="Ali Berg",
        submitter_email=f"submitter-{language}@example.org",
        submitter_language=language,
    )
    suggestion_reject(
        suggestion=suggestion, decided_by=_user(language, role="secretariat"), note="Redan rättat."
    )
    return [editor.email, f"submitter-{language}@example.org"]


def _workshop_mails(language):
    from workshops.models import Registration
    from workshops.services import registration_email_send, registration_notice_send

    registration = Registration.objects.filter(erased_at=None).order_by("-pk").first()
    Registration.objects.filter(pk=registration.pk).update(
        language=language, email=f"participant-{language}@example.org"
    )
    for kind in ("confirmation", "promotion"):
        registration_email_send(registration_id=registration.pk, kind=kind, raw_token="t" * 40)
    for template in ("moved_to_waiting_list", "unregistered", "workshop_cancelled"):
        registration_notice_send(
            registration_id=registration.pk, template=f"workshops/email/{template}"
        )
    return f"participant-{language}@example.org"


def _allauth_mails(language, client):
    from allauth.account.models import EmailAddress

    user = _user(language)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    host = ORIGIN.split("//", 1)[1]
    client.post("/accounts/password/reset/", {"email": user.email}, HTTP_HOST=host)
    client.post(
        "/accounts/password/reset/",
        {"email": f"stranger-{language}@example.org"},
        HTTP_HOST=host,
        HTTP_ACCEPT_LANGUAGE=language,
        headers={"Cookie": f"{settings.LANGUAGE_COOKIE_NAME}={language}"},
    )
    client.force_login(user)
    client.post(
        "/accounts/email/",
        {"action_add": "", "email": f"second-{language}@example.org"},
        HTTP_HOST=host,
    )
    return [user.email, f"stranger-{language}@example.org", f"second-{language}@example.org"]


KINDS = {
    "accounts/email/invitation": _accounts_invitation,
    "agreements/email/reminders": _agreements_reminders,
    "agreements/email/round_invitation": _agreements_round_invitation,
    "council/email/action_items": _council_action_mails,
    "council/email/agenda_proposed": _council_agenda_proposed,
    "council/email/meeting": _council_meeting_mails,
    "council/email/minutes": _council_minutes_mails,
    "directory/email/confirmation_reminder": _directory_confirmation_reminder,
    "directory/email/suggestions": _directory_suggestions,
    "workshops/email": _workshop_mails,
    "account/email (allauth)": _allauth_mails,
}

# What each case above sends (the templates on disk must all be here).
EXPECTED_TEMPLATES = {
    "accounts/email/invitation": ["accounts/email/invitation"],
    "agreements/email/reminders": [
        "agreements/email/assessment_due",
        "agreements/email/action_due",
    ],
    "agreements/email/round_invitation": ["agreements/email/round_invitation"],
    "council/email/action_items": ["council/email/action_assigned", "council/email/action_due"],
    "council/email/agenda_proposed": ["council/email/agenda_proposed"],
    "council/email/meeting": ["council/email/meeting"],
    "council/email/minutes": [
        "council/email/minutes_to_approve",
        "council/email/minutes_answered",
        "council/email/minutes_published",
    ],
    "directory/email/confirmation_reminder": ["directory/email/confirmation_reminder"],
    "directory/email/suggestions": [
        "directory/email/suggestion_for_editors",
        "directory/email/suggestion_decided",
    ],
    "workshops/email": [
        "workshops/email/confirmation",
        "workshops/email/promotion",
        "workshops/email/moved_to_waiting_list",
        "workshops/email/unregistered",
        "workshops/email/workshop_cancelled",
    ],
    "account/email (allauth)": [
        "account/email/base_message",
        "account/email/unknown_account_message",
    ],
}

MINIMUM_MESSAGES = {
    "agreements/email/reminders": 2,
    "council/email/action_items": 4,
    "council/email/meeting": 5,
    "council/email/minutes": 3,
    "directory/email/suggestions": 2,
    "workshops/email": 5,
    "account/email (allauth)": 3,
}

LINK = re.compile(r"https?://[^\s<>\"')]+")


def _problems(message, language: str) -> list[str]:
    label = f"{message.subject!r} to {message.to}"
    html = next((body for body, kind in message.alternatives if kind == "text/html"), "")
    problems = []
    if not message.body.strip():
        problems.append(f"{label}: empty text part")
    if not html.strip():
        problems.append(f"{label}: no HTML part")
    declared = message.extra_headers.get("Content-Language")
    if declared != language:
        problems.append(f"{label}: Content-Language {declared}")
    for part_name, part in (("subject", message.subject), ("text", message.body), ("html", html)):
        if "@@MISSING" in part:
            problems.append(f"{label}: unknown variable in {part_name}: {part}")
        if re.search(r"\bNone\b", part):
            problems.append(f"{label}: 'None' in {part_name}")
        if 'href=""' in part or "href=''" in part:
            problems.append(f"{label}: empty link in {part_name}")
    for link in LINK.findall(message.body) + LINK.findall(html):
        if not link.startswith(ORIGIN) and not link.startswith("https://meet"):
            problems.append(f"{label}: link to another host: {link}")
    for line in message.body.splitlines():
        # "Where: {{ place }}" with an empty place leaves the colon and the space.
        if re.search(r":[ \t]+$", line):
            problems.append(f"{label}: a label with nothing after it: {line!r}")
    return problems


@pytest.mark.parametrize("case", sorted(KINDS))
def test_every_kind_is_complete_in_both_languages(
    demo_portal, case, client, settings, django_capture_on_commit_callbacks
):
    subjects = {}
    rendered = set()

    def _seen(sender, template, **kwargs):
        rendered.add(template.name)

    for language in LANGUAGES:
        mail.outbox = []
        function = KINDS[case]
        template_rendered.connect(_seen)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                recipients = function(language, client) if "allauth" in case else function(language)
        finally:
            template_rendered.disconnect(_seen)
        recipients = [recipients] if isinstance(recipients, str) else recipients
        messages = [m for m in mail.outbox if m.to[0] in recipients]
        assert len(messages) >= MINIMUM_MESSAGES.get(case, 1), (
            case,
            language,
            [(m.subject, m.to) for m in mail.outbox],
        )
        problems = [p for m in messages for p in _problems(m, language)]
        assert problems == []
        subjects[language] = sorted(m.subject for m in messages)
    assert subjects["sv"] != subjects["en"], "the two languages read the same"
    for name in EXPECTED_TEMPLATES[case]:
        assert f"{name}.txt" in rendered, (name, sorted(rendered))


def test_every_email_template_is_covered_above():
    roots = [Path(settings.BASE_DIR)]
    found = set()
    for root in roots:
        for path in root.glob("*/templates/*/email/*_subject.txt"):
            app_dir = path.parent.parent.name
            found.add(f"{app_dir}/email/{path.name.removesuffix('_subject.txt')}")
    for path in Path(settings.BASE_DIR, "templates", "account", "email").glob("*.txt"):
        found.add(f"account/email/{path.stem}")
    covered = {name for names in EXPECTED_TEMPLATES.values() for name in names}
    assert found - covered == set()
