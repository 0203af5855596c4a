"""Every write to workshops goes through a function here (entity first, verb second).

Capacity is decided under a row lock on the workshop (select_for_update), so two people
registering for the last place at the same moment cannot both get it. Emails go out only
after the transaction commits.
"""

import calendar
import hashlib
import logging
import secrets
from datetime import timedelta
from itertools import cycle

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.concurrency import version_bump, version_lock
from portal.mail import send_templated_mail, site_url
from workshops.consent import CONSENT_TEXTS, CURRENT_CONSENT_VERSION, retention_months
from workshops.models import (
    CarriedMatter,
    Contribution,
    Gender,
    Group,
    ProgrammeItem,
    Registration,
    Workshop,
)
from workshops.selectors import (
    registrations_over_capacity,
    registrations_to_tell_of_cancellation,
)

logger = logging.getLogger(__name__)

WORKSHOP_FIELDS = (
    "council",
    "title",
    "theme_question",
    "focus",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "city",
    "accessibility",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "state",
    "contributions_open",
)


def _base_url() -> str:
    """Where the portal is reached: the request's host, or PORTAL_BASE_URL in the worker."""
    return site_url()


def _full_clean(instance, *, exclude=None) -> None:
    """full_clean, plus the max_length of text fields, which Django leaves to forms."""
    errors = {}
    for model_field in instance._meta.fields:
        if isinstance(model_field, models.TextField) and model_field.max_length:
            value = getattr(instance, model_field.attname) or ""
            if len(value) > model_field.max_length:
                errors[model_field.name] = [
                    _("Ensure this value has at most %(limit)s characters (it has %(count)s).")
                    % {"limit": model_field.max_length, "count": len(value)}
                ]
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token(registration: Registration) -> str:
    raw = secrets.token_urlsafe(24)
    registration.token_hash = token_hash(raw)
    return raw


# --- Workshops and programme ------------------------------------------------------------


def _check_times(workshop: Workshop) -> None:
    if workshop.starts_at and workshop.ends_at and workshop.ends_at <= workshop.starts_at:
        raise ValidationError({"ends_at": _("The workshop must end after it starts.")})
    opens, closes = workshop.registration_opens_at, workshop.registration_closes_at
    if opens and closes and closes <= opens:
        raise ValidationError(
            {"registration_closes_at": _("Registration must close after it opens.")}
        )


@transaction.atomic
def workshop_create(*, created_by=None, target_groups=(), **data) -> Workshop:
    unknown = set(data) - set(WORKSHOP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown workshop fields: {sorted(unknown)}")
    workshop = Workshop(created_by=created_by, **data)
    _check_times(workshop)
    _full_clean(workshop)
    workshop.save()
    workshop.target_groups.set(target_groups)
    return workshop


@transaction.atomic
def workshop_update(
    *, workshop: Workshop, target_groups=None, expected_version: int | None = None, **data
) -> Workshop:
    """Change a workshop. `expected_version`: the version the form was loaded with (a newer
    one refuses the save, see portal.concurrency)."""
    unknown = set(data) - set(WORKSHOP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown workshop fields: {sorted(unknown)}")
    workshop = version_lock(Workshop, pk=workshop.pk, expected_version=expected_version)
    changed = [name for name, value in data.items() if getattr(workshop, name) != value]
    for name in changed:
        setattr(workshop, name, data[name])
    _check_times(workshop)
    _full_clean(workshop)
    groups_changed = target_groups is not None and {t.pk for t in target_groups} != set(
        workshop.target_groups.values_list("pk", flat=True)
    )
    if changed or groups_changed:
        workshop.save(update_fields=version_bump(workshop, changed))
    if groups_changed:
        workshop.target_groups.set(target_groups)
    if "state" in changed and workshop.state == Workshop.State.CANCELLED:
        # Everyone who holds or waits for a place is told (the edit form asked first).
        for registration in registrations_to_tell_of_cancellation(workshop):
            transaction.on_commit(
                lambda pk=registration.pk: registration_notice_send(
                    registration_id=pk, template="workshops/email/workshop_cancelled"
                )
            )
    if "capacity" in changed:
        # More places: the waiting list moves up at once. Fewer places than people
        # registered: the latest registered move to the waiting list (the edit form names
        # them and asks first) and are told by email.
        _promote(workshop)
        _demote_over_capacity(workshop)
    return workshop


def _demote_over_capacity(workshop: Workshop) -> list[Registration]:
    moved = registrations_over_capacity(workshop, workshop.capacity)
    for registration in moved:
        registration.status = Registration.Status.WAITING
        registration.promoted_at = None
        registration.save(update_fields=["status", "promoted_at"])
        transaction.on_commit(
            lambda pk=registration.pk: registration_notice_send(
                registration_id=pk, template="workshops/email/moved_to_waiting_list"
            )
        )
    return moved


@transaction.atomic
def workshop_input_key_renew(*, workshop: Workshop) -> Workshop:
    """A new secret for the participants' link: links and QR codes shown so far stop working."""
    workshop.input_key = secrets.token_urlsafe(12)
    workshop.save(update_fields=["input_key"])
    return workshop


def _person_name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _contributor_key(workshop: Workshop, name: str) -> str:
    """The key of this name on the workshop's programme, or a new random one."""
    if not name:
        return ""
    wanted = _person_name_key(name)
    for other_name, key in workshop.programme.exclude(contributor_key="").values_list(
        "contributor_name", "contributor_key"
    ):
        if other_name and _person_name_key(other_name) == wanted:
            return key
    return secrets.token_hex(8)


@transaction.atomic
def programme_item_add(
    *,
    workshop: Workshop,
    starts_at,
    kind: str,
    title: str,
    contributor_name: str = "",
    contributor_organisation: str = "",
    contributor_gender: str = Gender.UNKNOWN,
) -> ProgrammeItem:
    item = ProgrammeItem(
        workshop=workshop,
        starts_at=starts_at,
        kind=kind,
        title=title.strip(),
        contributor_name=contributor_name.strip(),
        contributor_organisation=contributor_organisation.strip(),
        contributor_gender=contributor_gender or Gender.UNKNOWN,
    )
    item.contributor_key = _contributor_key(workshop, item.contributor_name)
    _full_clean(item)
    item.save()
    return item


PROGRAMME_FIELDS = (
    "starts_at",
    "kind",
    "title",
    "contributor_name",
    "contributor_organisation",
    "contributor_gender",
)


@transaction.atomic
def programme_item_update(
    *, item: ProgrammeItem, expected_version: int | None = None, **data
) -> ProgrammeItem:
    """Change a programme item. `expected_version`: the version the form was loaded with (a
    newer one refuses the save, see portal.concurrency)."""
    unknown = set(data) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown programme item fields: {sorted(unknown)}")
    item = version_lock(ProgrammeItem, pk=item.pk, expected_version=expected_version)
    for name in ("title", "contributor_name", "contributor_organisation"):
        if name in data:
            data[name] = (data[name] or "").strip()
    if "contributor_gender" in data:
        data["contributor_gender"] = data["contributor_gender"] or Gender.UNKNOWN
    changed = [name for name, value in data.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, data[name])
    if "contributor_name" in changed:
        item.contributor_key = _contributor_key(
            Workshop.objects.get(pk=item.workshop_id), item.contributor_name
        )
        changed.append("contributor_key")
    _full_clean(item)
    if changed:
        item.save(update_fields=version_bump(item, changed))
    return item


@transaction.atomic
def programme_item_remove(*, item: ProgrammeItem) -> None:
    item.delete()


# --- Registration -----------------------------------------------------------------------


def _registered_count(workshop: Workshop) -> int:
    return workshop.registrations.filter(status=Registration.Status.REGISTERED).count()


def registration_create(
    *,
    workshop: Workshop,
    name: str,
    email: str,
    consent_version: str,
    organisation=None,
    organisation_name: str = "",
    sector=None,
    gender: str = Gender.UNKNOWN,
    accessibility_needs: str = "",
    dietary_needs: str = "",
    join_waiting_list: bool = False,
    language: str | None = None,
    now=None,
) -> Registration:
    """Register someone; a full workshop puts them on the waiting list only if they asked.

    Raises ValidationError with code "closed", "duplicate" or "full" (the form offers the
    waiting list for the last), and for any field that does not validate.
    """
    now = now or timezone.now()
    if consent_version not in CONSENT_TEXTS:
        raise ValidationError({"consent": _("Please accept the current terms.")})
    email = (email or "").strip()
    try:
        with transaction.atomic():
            workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
            if not workshop.registration_is_open(now):
                raise ValidationError(_("Registration for this workshop is closed."), code="closed")
            normalised = email.lower()
            if (
                normalised
                and workshop.registrations.filter(email_normalised=normalised)
                .exclude(status=Registration.Status.CANCELLED)
                .exists()
            ):
                raise ValidationError(
                    {
                        "email": ValidationError(
                            _("This email address is already registered for the workshop."),
                            code="duplicate",
                        )
                    }
                )
            full = _registered_count(workshop) >= workshop.capacity
            if full and not join_waiting_list:
                raise ValidationError(
                    _("The workshop is full. You can join the waiting list instead."),
                    code="full",
                )
            registration = Registration(
                workshop=workshop,
                status=Registration.Status.WAITING if full else Registration.Status.REGISTERED,
                name=name.strip(),
                email=email,
                email_normalised=normalised,
                organisation=organisation,
                organisation_name=(organisation_name or "").strip()
                if organisation is None
                else organisation.name,
                sector=sector if sector is not None else getattr(organisation, "sector", None),
                gender=gender or Gender.UNKNOWN,
                accessibility_needs=accessibility_needs.strip(),
                dietary_needs=dietary_needs.strip(),
                consent_version=consent_version,
                consent_given_at=now,
                language=(language or translation.get_language() or settings.LANGUAGE_CODE)[:8],
                created_at=now,
            )
            raw_token = _new_token(registration)
            _full_clean(registration, exclude=["token_hash"])
            registration.save()
            transaction.on_commit(
                lambda: registration_email_send(
                    registration_id=registration.pk, kind="confirmation", raw_token=raw_token
                )
            )
    except IntegrityError as error:
        # Two submits of the same form raced each other; the first one won.
        raise ValidationError(
            {
                "email": ValidationError(
                    _("This email address is already registered for the workshop."),
                    code="duplicate",
                )
            }
        ) from error
    return registration


@transaction.atomic
def registration_import(
    *,
    workshop: Workshop,
    name: str,
    gender: str,
    sector=None,
    organisation=None,
    organisation_name: str = "",
    checked_in: bool = True,
    status: str = Registration.Status.REGISTERED,
) -> Registration:
    """Record a past registration from a paper or spreadsheet list (demo data, migrations).

    No capacity or opening checks and no email: it happened already.
    """
    registration = Registration(
        workshop=workshop,
        status=status,
        name=name.strip(),
        organisation=organisation,
        organisation_name=organisation.name if organisation else organisation_name.strip(),
        sector=sector if sector is not None else getattr(organisation, "sector", None),
        gender=gender,
        consent_version="import",
        created_at=workshop.starts_at - timedelta(days=14),
        checked_in_at=workshop.starts_at if checked_in else None,
        cancelled_at=workshop.starts_at - timedelta(days=2)
        if status == Registration.Status.CANCELLED
        else None,
    )
    _full_clean(registration, exclude=["token_hash"])
    registration.save()
    return registration


@transaction.atomic
def registration_walk_in(
    *,
    workshop: Workshop,
    name: str,
    organisation_name: str = "",
    organisation=None,
    sector=None,
    gender: str = Gender.UNKNOWN,
    email: str = "",
    now=None,
) -> Registration:
    """Someone who turns up without a place: registered and checked in on the spot."""
    now = now or timezone.now()
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    registration = Registration(
        workshop=workshop,
        status=Registration.Status.REGISTERED,
        name=name.strip(),
        email=email.strip(),
        email_normalised=email.strip().lower(),
        organisation=organisation,
        organisation_name=organisation.name if organisation else organisation_name.strip(),
        sector=sector if sector is not None else getattr(organisation, "sector", None),
        gender=gender or Gender.UNKNOWN,
        consent_version=CURRENT_CONSENT_VERSION,
        consent_given_at=now,
        is_walk_in=True,
        checked_in_at=now,
        created_at=now,
    )
    _full_clean(registration, exclude=["token_hash"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise ValidationError(
            {"email": _("This email address is already registered for the workshop.")}
        ) from error
    return registration


def _promote(workshop: Workshop, now=None) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. Caller holds the lock."""
    now = now or timezone.now()
    free = workshop.capacity - _registered_count(workshop)
    if free <= 0:
        return []
    promoted = list(
        workshop.registrations.select_for_update()
        .filter(status=Registration.Status.WAITING)
        .order_by("created_at", "id")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.promoted_at = now
        # A fresh link in the notice: the secret is never stored, only its hash.
        raw = _new_token(registration)
        registration.save(update_fields=["status", "promoted_at", "token_hash"])
        transaction.on_commit(
            lambda pk=registration.pk, raw=raw: registration_email_send(
                registration_id=pk, kind="promotion", raw_token=raw
            )
        )
    return promoted


@transaction.atomic
def waiting_list_promote(*, workshop: Workshop, now=None) -> list[Registration]:
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    return _promote(workshop, now)


@transaction.atomic
def registration_cancel(
    *, registration: Registration, now=None, by_staff: bool = False
) -> Registration:
    """Cancel a place or a waiting-list entry; a freed place goes to the waiting list.

    `by_staff`: the secretariat took the person off the list, so the person is told by email
    (someone who cancels with their own link knows already)."""
    now = now or timezone.now()
    workshop = Workshop.objects.select_for_update().get(pk=registration.workshop_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if workshop.ends_at < now:
        raise ValidationError(_("The workshop has already taken place."))
    held_place = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if held_place:
        _promote(workshop, now)
    if by_staff:
        transaction.on_commit(
            lambda pk=registration.pk: registration_notice_send(
                registration_id=pk, template="workshops/email/unregistered"
            )
        )
    return registration


def registration_notice_send(*, registration_id: int, template: str) -> int:
    """Tell a registered person what the secretariat changed (in the language they registered
    in). Returns how many messages were sent (0 without an address or after erasure)."""
    registration = (
        Registration.objects.select_related("workshop").filter(pk=registration_id).first()
    )
    if registration is None or not registration.email or registration.erased_at:
        return 0
    workshop = registration.workshop
    context = {
        "registration": registration,
        "workshop": workshop,
        "workshop_link": _base_url().rstrip("/") + workshop.get_absolute_url(),
    }
    try:
        return send_templated_mail(
            template, registration.email, context, language=registration.language
        )
    except Exception:  # A mail server hiccup must not undo the change that is saved.
        logger.exception("Could not send %s for registration %s", template, registration_id)
        return 0


def registration_for_token(raw: str) -> Registration | None:
    if not raw or len(raw) > 100:
        return None
    return (
        Registration.objects.select_related("workshop")
        .filter(token_hash=token_hash(raw), erased_at__isnull=True)
        .first()
    )


@transaction.atomic
def registration_check_in(*, registration: Registration, now=None) -> Registration:
    """Mark someone as present. A person from the waiting list who came gets a place."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration was cancelled."))
    fields = []
    if registration.checked_in_at is None:
        registration.checked_in_at = now or timezone.now()
        fields.append("checked_in_at")
    if registration.status == Registration.Status.WAITING:
        registration.status = Registration.Status.REGISTERED
        fields.append("status")
    if fields:
        registration.save(update_fields=fields)
    return registration


@transaction.atomic
def registration_check_in_undo(*, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.checked_in_at is not None:
        registration.checked_in_at = None
        registration.save(update_fields=["checked_in_at"])
    return registration


def registration_email_send(*, registration_id: int, kind: str, raw_token: str) -> bool:
    """Send the confirmation (or the promotion notice) with the cancellation link."""
    registration = (
        Registration.objects.select_related("workshop").filter(pk=registration_id).first()
    )
    if registration is None or not registration.email or registration.erased_at:
        return False
    workshop = registration.workshop
    cancel_link = _base_url().rstrip("/") + reverse("workshops:cancel", args=[raw_token])
    workshop_link = _base_url().rstrip("/") + workshop.get_absolute_url()
    context = {
        "registration": registration,
        "workshop": workshop,
        "cancel_link": cancel_link,
        "workshop_link": workshop_link,
        "waiting": registration.status == Registration.Status.WAITING,
        "action_url": workshop_link,
        "action_label": gettext_lazy("About the workshop"),
    }
    try:
        send_templated_mail(
            f"workshops/email/{kind}",
            registration.email,
            context,
            language=registration.language or settings.LANGUAGE_CODE,
        )
    except Exception:  # A mail server hiccup must not undo a registration that is saved.
        logger.exception("Could not send the %s email for registration %s", kind, registration_id)
        return False
    return True


# --- Groups and input -------------------------------------------------------------------


@transaction.atomic
def groups_make(*, workshop: Workshop, size: int, mix_sectors: bool = True) -> list[Group]:
    """Divide those present (or, before the day, those registered) into groups of about `size`.

    With mix_sectors, people are dealt out sector by sector so each group gets a share of
    every sector, rather than one table of civil society and one of public servants.
    """
    if size < 2:
        raise ValidationError({"size": _("A group needs at least two people.")})
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    people = list(
        workshop.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("sector")
        .order_by("created_at", "id")
    )
    present = [person for person in people if person.checked_in_at]
    people = present or people
    if not people:
        raise ValidationError(_("There is nobody to divide into groups yet."))
    count = max(1, round(len(people) / size))
    workshop.registrations.update(group=None)
    workshop.groups.all().delete()
    groups = [Group.objects.create(workshop=workshop, number=n) for n in range(1, count + 1)]
    if mix_sectors:
        by_sector: dict[str, list[Registration]] = {}
        for person in people:
            by_sector.setdefault(person.sector.code if person.sector else "", []).append(person)
        people = [person for key in sorted(by_sector) for person in by_sector[key]]
    for person, group in zip(people, cycle(groups), strict=False):
        person.group = group
        person.save(update_fields=["group"])
    return groups


def _check_contribution_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you want to say.")})
    return text


@transaction.atomic
def contribution_add(
    *,
    workshop: Workshop,
    kind: str,
    text: str,
    sector=None,
    is_anonymous: bool = True,
    author_name: str = "",
    theme: str = "",
    group: Group | None = None,
    source: str = Contribution.Source.PARTICIPANT,
    created_by=None,
) -> Contribution:
    workshop = Workshop.objects.get(pk=workshop.pk)
    if source == Contribution.Source.PARTICIPANT and not (
        workshop.contributions_open and workshop.is_published
    ):
        raise ValidationError(_("This workshop no longer takes input."), code="closed")
    if group is not None and group.workshop_id != workshop.pk:
        raise ValidationError({"group": _("That group belongs to another workshop.")})
    contribution = Contribution(
        workshop=workshop,
        kind=kind,
        text=_check_contribution_text(text),
        theme=theme.strip(),
        sector=sector,
        is_anonymous=is_anonymous,
        author_name="" if is_anonymous else author_name.strip(),
        group=group,
        source=source,
        created_by=created_by,
    )
    _full_clean(contribution)
    contribution.save()
    return contribution


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    kind: str | None = None,
    theme: str | None = None,
    is_hidden: bool | None = None,
    expected_version: int | None = None,
) -> Contribution:
    """Code a contribution or show/hide it publicly; None leaves a field as it is.
    `expected_version`: the version the form was loaded with (see portal.concurrency)."""
    contribution = version_lock(Contribution, pk=contribution.pk, expected_version=expected_version)
    data = {"kind": kind, "theme": None if theme is None else theme.strip(), "is_hidden": is_hidden}
    changed = [
        name
        for name, value in data.items()
        if value is not None and getattr(contribution, name) != value
    ]
    for name in changed:
        setattr(contribution, name, data[name])
    _full_clean(contribution)
    if changed:
        contribution.save(update_fields=version_bump(contribution, changed))
    return contribution


def _check_same_workshop(contributions, workshop: Workshop) -> list[Contribution]:
    contributions = list(contributions)
    if not contributions:
        raise ValidationError({"contributions": _("Choose at least one contribution.")})
    if any(item.workshop_id != workshop.pk for item in contributions):
        raise ValidationError({"contributions": _("Choose contributions from this workshop.")})
    return contributions


@transaction.atomic
def carried_matter_raise(
    *, workshop: Workshop, contributions, title: str, summary: str = "", carried_by=None
) -> CarriedMatter:
    """Gather contributions on one theme into a matter for the council, not yet on an agenda."""
    contributions = _check_same_workshop(contributions, workshop)
    matter = CarriedMatter(
        workshop=workshop, title=title.strip(), summary=summary.strip(), carried_by=carried_by
    )
    _full_clean(matter)
    matter.save()
    Contribution.objects.filter(pk__in=[item.pk for item in contributions]).update(matter=matter)
    return matter


@transaction.atomic
def contribution_carry_to_meeting(
    *,
    workshop: Workshop,
    contributions=(),
    meeting,
    title: str,
    summary: str = "",
    carried_by=None,
    matter: CarriedMatter | None = None,
    accept: bool = True,
    backfill: bool = False,
) -> CarriedMatter:
    """Carry contributions (or a matter already raised) to a council meeting as an agenda item.

    The agenda item is made by the council's own service; the secretariat carries it, so it
    is accepted onto the agenda at once unless accept=False (then it waits as a proposal).
    """
    from council import services as council_services
    from council.models import AgendaItem

    if matter is None:
        matter = carried_matter_raise(
            workshop=workshop,
            contributions=contributions,
            title=title,
            summary=summary,
            carried_by=carried_by,
        )
    elif matter.agenda_item_id is not None and matter.agenda_item.state != "declined":
        # A declined item sends its matter back to "raised": it may be scheduled again.
        raise ValidationError(_("This matter is already on a council agenda."))
    if meeting.council_id and workshop.council_id and meeting.council_id != workshop.council_id:
        raise ValidationError({"meeting": _("Choose a meeting of the council that organised it.")})
    # Each input with its author's sector, so the council sees whose obstacles they are.
    texts = [
        f"– {item.text} ({item.sector.label if item.sector_id else _('sector not stated')})"
        for item in matter.contributions.select_related("sector")
    ]
    agenda_summary = "\n".join(
        part
        for part in [
            matter.summary,
            _("From the workshop %(title)s (%(date)s).")
            % {"title": workshop.title, "date": timezone.localdate(workshop.starts_at)},
            *texts,
        ]
        if part
    )
    limit = AgendaItem._meta.get_field("summary").max_length
    if len(agenda_summary) > limit:
        # Refused, never cut short: the council would read half an input without knowing.
        raise ValidationError(
            {
                "contributions": _(
                    "Together with the summary, the chosen input has %(count)s characters; an "
                    "agenda item holds %(limit)s. Carry fewer contributions at a time, or "
                    "shorten the summary."
                )
                % {"count": len(agenda_summary), "limit": limit}
            }
        )
    agenda_item = council_services.agenda_item_propose(
        meeting=meeting,
        title=matter.title,
        summary=agenda_summary,
        proposed_by=carried_by,
        backfill=backfill,
    )
    if accept:
        agenda_item = council_services.agenda_item_accept(agenda_item=agenda_item)
    matter.agenda_item = agenda_item
    matter.save(update_fields=["agenda_item"])
    return matter


@transaction.atomic
def carried_matter_schedule(*, matter: CarriedMatter, meeting, carried_by=None) -> CarriedMatter:
    """Put a raised matter (never scheduled, or declined) on a council meeting's agenda."""
    matter = CarriedMatter.objects.select_for_update().select_related("workshop").get(pk=matter.pk)
    if matter.resolved_at is not None:
        raise ValidationError(_("This matter is resolved."))
    return contribution_carry_to_meeting(
        workshop=matter.workshop,
        matter=matter,
        meeting=meeting,
        title=matter.title,
        carried_by=carried_by,
    )


@transaction.atomic
def carried_matter_resolve(*, matter: CarriedMatter, resolution: str, now=None) -> CarriedMatter:
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say briefly what came of it.")})
    matter.resolution = resolution
    matter.resolved_at = now or timezone.now()
    _full_clean(matter)
    matter.save(update_fields=["resolution", "resolved_at"])
    return matter


# --- Retention --------------------------------------------------------------------------

_ERASED_FIELDS = {
    "name": "",
    "email": "",
    "email_normalised": "",
    "organisation": None,
    "organisation_name": "",
    "accessibility_needs": "",
    "dietary_needs": "",
    "token_hash": "",
}


def retention_cutoff(now=None):
    """Workshops that ended before this moment have had their personal data kept long enough."""
    now = now or timezone.now()
    months = now.year * 12 + now.month - 1 - retention_months()
    year, month = divmod(months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


@transaction.atomic
def registration_erase(*, registration: Registration, now=None) -> Registration:
    """Blank what identifies a person; gender, sector, status and check-in stay for counts."""
    for name, value in _ERASED_FIELDS.items():
        setattr(registration, name, value)
    registration.erased_at = now or timezone.now()
    registration.save(update_fields=[*_ERASED_FIELDS, "erased_at"])
    return registration


@transaction.atomic
def registrations_erase(*, queryset, now=None) -> int:
    """Blank what identifies the people behind these registrations (an erasure request)."""
    return queryset.filter(erased_at__isnull=True).update(
        **_ERASED_FIELDS, erased_at=now or timezone.now()
    )


@transaction.atomic
def workshop_personal_data_erase(*, workshop: Workshop, now=None) -> int:
    now = now or timezone.now()
    count = workshop.registrations.filter(erased_at__isnull=True).update(
        **_ERASED_FIELDS, erased_at=now
    )
    workshop.contributions.exclude(author_name="").update(author_name="", is_anonymous=True)
    workshop.programme.update(contributor_name="")
    workshop.personal_data_erased_at = now
    workshop.save(update_fields=["personal_data_erased_at"])
    return count


def registrations_erase_expired(*, now=None) -> int:
    """Erase personal data of every workshop past the retention time; returns rows erased."""
    now = now or timezone.now()
    erased = 0
    due = Workshop.objects.filter(
        ends_at__lt=retention_cutoff(now), personal_data_erased_at__isnull=True
    ).order_by("pk")
    for workshop in due:
        # One workshop per transaction: a failure halfway leaves the rest for the next run.
        erased += workshop_personal_data_erase(workshop=workshop, now=now)
    return erased
