"""Every write to the directory goes through a function here (entity first, verb second)."""

import logging
import unicodedata
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from accounts.services import (
    erasure_record_create,
    erasure_requests_handle,
    user_roles,
    user_roles_set,
)
from directory import search_index
from directory.models import (
    STALE_AFTER,
    ContactRole,
    Offer,
    Organisation,
    OrganisationChange,
    Person,
    Suggestion,
)
from portal import personal_data
from portal.concurrency import version_bump, version_lock
from portal.mail import send_templated_mail, site_url
from portal.personal_data import Subject

logger = logging.getLogger(__name__)

# Scalar fields an organisation's editors may change, and its many-to-many taxonomies.
ORGANISATION_FIELDS = (
    "name",
    "alternate_name",
    "organisation_number",
    "sector",
    "legal_form",
    "is_umbrella",
    "description",
    "website",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
    "country",
    "accessibility",
)
ORGANISATION_M2M = ("areas", "target_groups", "municipalities", "member_of")
# Only the secretariat publishes and hides; editors keep the content right.
ORGANISATION_STAFF_FIELDS = ("state",)
OFFER_FIELDS = (
    "title",
    "description",
    "location",
    "eligibility",
    "referral_required",
    "how_to_apply",
    "is_free",
    "fees_description",
    "schedule_frequency",
    "schedule_days",
    "opens_at",
    "closes_at",
    "schedule_note",
    "url",
    "is_active",
)
OFFER_M2M = ("target_groups", "areas", "municipalities", "languages", "contacts")

# Paths under /directory/ that a slug must never shadow.
RESERVED_SLUGS = {
    "suggest",
    "moderation",
    "attention",
    "mine",
    "export",
    "confirm",
    "people",
    "new",
    "api",
    "thanks",
    "names",
    "offers",
}
CONFIRM_SALT = "directory.organisation_confirm"
CONFIRM_LINK_MAX_AGE = timedelta(days=60)
# Editors are reminded this long after the last confirmation, a month before it goes stale.
REMIND_AFTER = STALE_AFTER - timedelta(days=30)
REMIND_AGAIN_AFTER = timedelta(days=30)

_FOLD = str.maketrans({"æ": "a", "ø": "o", "ß": "ss", "đ": "d", "ł": "l"})


def normalise(text: str) -> str:
    """Lower case without diacritics, so that "Malmo" and "Malmö" compare equal."""
    text = (text or "").lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def _slug_for(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(normalise(name))[:100].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-org"
    slug, number = base, 1
    taken = Organisation.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _value(value):
    """A JSON-friendly form of a field value for the history."""
    if value is None:
        return None
    if hasattr(value, "code"):
        return value.code
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def _m2m_value(values) -> list:
    return sorted(_value(value) for value in values)


def _record(*, organisation, action, diff=None, changed_by=None) -> OrganisationChange:
    return OrganisationChange.objects.create(
        organisation=organisation,
        action=action,
        diff=diff or {},
        changed_by=changed_by if changed_by and changed_by.is_authenticated else None,
    )


def _apply(instance, *, fields, m2m, data: dict) -> tuple[list[str], dict, dict]:
    """Set the given scalar fields on `instance`; return (changed, diff, m2m to set)."""
    unknown = set(data) - set(fields) - set(m2m)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    changed, diff, m2m_changes = [], {}, {}
    for field in fields:
        if field not in data:
            continue
        old, new = getattr(instance, field), data[field]
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            setattr(instance, field, new)
            changed.append(field)
            diff[field] = [_value(old), _value(new)]
    for field in m2m:
        if field not in data:
            continue
        new = list(data[field])
        old = list(getattr(instance, field).all()) if instance.pk else []
        if _m2m_value(old) != _m2m_value(new):
            m2m_changes[field] = new
            diff[field] = [_m2m_value(old), _m2m_value(new)]
    return changed, diff, m2m_changes


# What changes the search copies (directory/search_index.py).
SEARCH_INDEX_FIELDS = {
    "name",
    "alternate_name",
    "city",
    "description",
    "areas",
    "target_groups",
    "municipalities",
    "state",
}


def organisation_search_index_refresh(*, organisation_ids: list[int], texts: bool = True) -> None:
    """Bring the search copies of these organisations and their offers up to date.

    Every service that changes what is searched calls this in the same transaction; so
    does the bulk generator. See directory/search_index.py for what is kept where.
    """
    search_index.refresh(organisation_ids=organisation_ids, texts=texts)


@transaction.atomic
def organisation_create(
    *,
    name: str,
    sector,
    created_by=None,
    state: str = Organisation.State.DRAFT,
    confirmed: bool = True,
    confirmed_at=None,
    **details,
) -> Organisation:
    """Create an organisation; `details` are any of ORGANISATION_FIELDS and ORGANISATION_M2M."""
    organisation = Organisation(name=name.strip(), sector=sector, state=state)
    _changed, diff, m2m = _apply(
        organisation, fields=ORGANISATION_FIELDS, m2m=ORGANISATION_M2M, data=details
    )
    organisation.name_normalised = normalise(organisation.name)
    organisation.slug = _slug_for(organisation.name)
    now = timezone.now()
    organisation.created_at = organisation.updated_at = now
    # confirmed_at lets imports and the demo carry over an earlier confirmation date.
    organisation.last_confirmed_at = (confirmed_at or now) if confirmed else None
    organisation.full_clean()
    organisation.save()
    for field, values in m2m.items():
        getattr(organisation, field).set(values)
    organisation_search_index_refresh(organisation_ids=[organisation.pk])
    diff = {"name": [None, organisation.name], "sector": [None, sector.code], **diff}
    diff["state"] = [None, organisation.state]
    _record(
        organisation=organisation,
        action=OrganisationChange.Action.CREATED,
        diff=diff,
        changed_by=created_by,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    changed_by=None,
    staff: bool = False,
    expected_version: int | None = None,
    **data,
) -> Organisation:
    """Change an organisation and keep the difference in its history.

    Editing counts as confirming the entry: whoever saved it has just looked at it.
    `staff=True` (secretariat) may also change the publication state. `expected_version` is
    the version the editor's form was loaded with: a newer one refuses the save
    (portal.concurrency.StaleVersionError) instead of overwriting someone else's change.
    """
    fields = ORGANISATION_FIELDS + (ORGANISATION_STAFF_FIELDS if staff else ())
    organisation = version_lock(Organisation, pk=organisation.pk, expected_version=expected_version)
    changed, diff, m2m = _apply(organisation, fields=fields, m2m=ORGANISATION_M2M, data=data)
    if organisation.pk in {other.pk for other in m2m.get("member_of", [])}:
        raise ValidationError({"member_of": _("An organisation cannot be a member of itself.")})
    if not changed and not m2m:
        return organisation
    if "name" in changed:
        organisation.name_normalised = normalise(organisation.name)
        changed.append("name_normalised")
    now = timezone.now()
    organisation.updated_at = now
    organisation.last_confirmed_at = now
    organisation.full_clean()
    organisation.save(
        update_fields=version_bump(organisation, [*changed, "updated_at", "last_confirmed_at"])
    )
    for field, values in m2m.items():
        getattr(organisation, field).set(values)
    if SEARCH_INDEX_FIELDS & {*changed, *m2m}:
        organisation_search_index_refresh(organisation_ids=[organisation.pk])
    _record(
        organisation=organisation,
        action=OrganisationChange.Action.UPDATED,
        diff=diff,
        changed_by=changed_by,
    )
    return organisation


@transaction.atomic
def organisation_confirm(*, organisation: Organisation, confirmed_by=None) -> Organisation:
    """Record that the entry is still correct (the yearly one-click confirmation)."""
    previous = organisation.last_confirmed_at
    organisation.last_confirmed_at = timezone.now()
    organisation.save(update_fields=["last_confirmed_at"])
    _record(
        organisation=organisation,
        action=OrganisationChange.Action.CONFIRMED,
        diff={"last_confirmed_at": [_value(previous), _value(organisation.last_confirmed_at)]},
        changed_by=confirmed_by,
    )
    return organisation


@transaction.atomic
def organisation_editor_add(*, organisation: Organisation, user, added_by=None) -> None:
    """Let `user` keep this entry up to date. Someone without the organisation editor role
    gets it, granted by `added_by` (who must be allowed to: the secretariat is)."""
    roles = user_roles(user)
    if Role.ORGANISATION_EDITOR not in roles:
        user_roles_set(user=user, roles=[*roles, Role.ORGANISATION_EDITOR], changed_by=added_by)
    organisation.editors.add(user)


@transaction.atomic
def organisation_editor_remove(*, organisation: Organisation, user, removed_by=None) -> None:
    """The user no longer edits this entry (their role stays: they may edit others)."""
    organisation.editors.remove(user)


def confirmation_token_make(*, organisation: Organisation) -> str:
    return signing.dumps({"o": organisation.pk}, salt=CONFIRM_SALT, compress=True)


def confirmation_token_organisation(*, token: str) -> Organisation | None:
    """The organisation a confirmation link is for, or None if the link is bad or too old."""
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=CONFIRM_LINK_MAX_AGE.total_seconds()
        )
        return Organisation.objects.filter(pk=int(payload["o"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _base_url() -> str:
    """Where the portal is reached: the request's host, or PORTAL_BASE_URL in the worker."""
    return site_url()


def _reminder_recipients(organisation: Organisation) -> list:
    """The entry's editors (each gets the email in their own language), else its address."""
    editors = sorted(
        (user for user in organisation.editors.all() if user.is_active), key=lambda u: u.email
    )
    return editors or ([organisation.email] if organisation.email else [])


def confirmation_reminders_send(*, base_url: str | None = None, now=None) -> int:
    """Email the yearly "is this still correct?" question for entries due for it.

    Due: published, last confirmed more than REMIND_AFTER ago, and not reminded in the last
    REMIND_AGAIN_AFTER. Each organisation is marked as it is sent, so a crash halfway
    through sends the rest next time and nobody twice.
    """
    now = now or timezone.now()
    base_url = (base_url or _base_url()).rstrip("/")
    due = (
        Organisation.objects.filter(
            state=Organisation.State.PUBLISHED, last_confirmed_at__lt=now - REMIND_AFTER
        )
        .exclude(reminder_sent_at__gt=now - REMIND_AGAIN_AFTER)
        .prefetch_related("editors")
        .order_by("pk")
    )
    sent = 0
    for organisation in due:
        recipients = _reminder_recipients(organisation)
        if not recipients:
            continue
        token = confirmation_token_make(organisation=organisation)
        link = base_url + reverse("directory:confirm", args=[token])
        send_templated_mail(
            "directory/email/confirmation_reminder",
            recipients,
            {
                "organisation": organisation,
                "confirm_link": link,
                "action_url": link,
                "action_label": gettext_lazy("Confirm or correct the entry"),
            },
        )
        Organisation.objects.filter(pk=organisation.pk).update(reminder_sent_at=now)
        sent += 1
    return sent


# --- Offers -------------------------------------------------------------------------------


@transaction.atomic
def offer_create(*, organisation: Organisation, title: str, created_by=None, **details) -> Offer:
    """Create an offer; whoever enters it has checked it (HSDS assured_date)."""
    offer = Offer(organisation=organisation, title=title.strip())
    _changed, _diff, m2m = _apply(offer, fields=OFFER_FIELDS, m2m=OFFER_M2M, data=details)
    offer.assured_at = timezone.localdate()
    offer.assured_by = created_by
    offer.full_clean()
    offer.save()
    for field, values in m2m.items():
        getattr(offer, field).set(values)
    organisation_search_index_refresh(organisation_ids=[organisation.pk])
    _record(
        organisation=organisation,
        action=OrganisationChange.Action.OFFER_ADDED,
        diff={"offer": [None, offer.title]},
        changed_by=created_by,
    )
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, changed_by=None, expected_version: int | None = None, **data
) -> Offer:
    offer = version_lock(Offer, pk=offer.pk, expected_version=expected_version)
    changed, diff, m2m = _apply(offer, fields=OFFER_FIELDS, m2m=OFFER_M2M, data=data)
    if not changed and not m2m:
        return offer
    offer.updated_at = timezone.now()
    offer.assured_at = timezone.localdate()
    offer.assured_by = changed_by
    offer.full_clean()
    offer.save(
        update_fields=version_bump(offer, [*changed, "updated_at", "assured_at", "assured_by"])
    )
    for field, values in m2m.items():
        getattr(offer, field).set(values)
    organisation_search_index_refresh(organisation_ids=[offer.organisation_id])
    _record(
        organisation=offer.organisation,
        action=OrganisationChange.Action.OFFER_UPDATED,
        diff={"offer": offer.title, **diff},
        changed_by=changed_by,
    )
    return offer


@transaction.atomic
def offer_delete(*, offer: Offer, deleted_by=None) -> None:
    _record(
        organisation=offer.organisation,
        action=OrganisationChange.Action.OFFER_REMOVED,
        diff={"offer": [offer.title, None]},
        changed_by=deleted_by,
    )
    organisation_id = offer.organisation_id
    offer.delete()
    organisation_search_index_refresh(organisation_ids=[organisation_id])


# --- People and contact points -----------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    gender: str = Person.Gender.UNKNOWN,
    user=None,
) -> Person:
    person = Person(
        name=name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        gender=gender,
        user=user,
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def contact_role_create(
    *,
    organisation: Organisation,
    title: str,
    person: Person | None = None,
    person_name: str = "",
    person_email: str = "",
    person_phone: str = "",
    public_email: str = "",
    public_phone: str = "",
    consent_given_at=None,
    consent_note: str = "",
    added_by=None,
) -> ContactRole:
    """Make a person a contact point. Without consent the role is kept but never shown.

    Either an existing `person`, or `person_name` (with optional email and phone) for a new
    one; the new person is created in the same transaction, so a refused role leaves no
    stray person behind.
    """
    if person is None:
        person = person_create(name=person_name, email=person_email, phone=person_phone)
    if person.erased_at or Person.objects.filter(pk=person.pk, erased_at__isnull=False).exists():
        raise ValidationError(_("An erased person cannot be a contact point."))
    role = ContactRole(
        organisation=organisation,
        person=person,
        title=title.strip(),
        public_email=public_email.strip().lower(),
        public_phone=public_phone.strip(),
        consent_given_at=consent_given_at,
        consent_note=consent_note.strip(),
        position=organisation.contact_roles.count(),
    )
    role.full_clean()
    role.save()
    _record(
        organisation=organisation,
        action=OrganisationChange.Action.CONTACT_ADDED,
        diff={
            "contact": [None, {"person_id": person.pk, "title": role.title}],
            "consent_given_at": [None, _value(role.consent_given_at)],
        },
        changed_by=added_by,
    )
    return role


CONTACT_ROLE_FIELDS = ("title", "public_email", "public_phone")


@transaction.atomic
def contact_role_update(
    *, contact_role: ContactRole, changed_by=None, expected_version: int | None = None, **data
) -> ContactRole:
    """Change a contact point's role or the details shown with it, kept in the history.
    `expected_version`: the version the form was loaded with (see portal.concurrency)."""
    unknown = set(data) - set(CONTACT_ROLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact point fields: {sorted(unknown)}")
    contact_role = version_lock(ContactRole, pk=contact_role.pk, expected_version=expected_version)
    data = {name: (value or "").strip() for name, value in data.items()}
    if "public_email" in data:
        data["public_email"] = data["public_email"].lower()
    diff = {
        name: [getattr(contact_role, name), value]
        for name, value in data.items()
        if getattr(contact_role, name) != value
    }
    if not diff:
        return contact_role
    for name, (_old, new) in diff.items():
        setattr(contact_role, name, new)
    contact_role.full_clean()
    contact_role.save(update_fields=version_bump(contact_role, list(diff)))
    _record(
        organisation=contact_role.organisation,
        action=OrganisationChange.Action.CONTACT_UPDATED,
        diff={"contact": _contact(contact_role), **diff},
        changed_by=changed_by,
    )
    return contact_role


def _contact(contact_role: ContactRole) -> dict:
    """A contact point in the history: the person only by id (erasure leaves nothing)."""
    return {"person_id": contact_role.person_id, "title": contact_role.title}


@transaction.atomic
def contact_role_consent_record(
    *, contact_role: ContactRole, given: bool, note: str = "", changed_by=None
) -> ContactRole:
    """Record (or clear) the person's consent to be shown publicly, as of now."""
    contact_role = ContactRole.objects.select_for_update().get(pk=contact_role.pk)
    previous = contact_role.consent_given_at
    contact_role.consent_given_at = timezone.now() if given else None
    contact_role.consent_note = note.strip()
    contact_role.full_clean()
    contact_role.save(update_fields=["consent_given_at", "consent_note"])
    _record(
        organisation=contact_role.organisation,
        action=(
            OrganisationChange.Action.CONSENT_RECORDED
            if given
            else OrganisationChange.Action.CONSENT_WITHDRAWN
        ),
        diff={
            "contact": _contact(contact_role),
            "consent_given_at": [_value(previous), _value(contact_role.consent_given_at)],
        },
        changed_by=changed_by,
    )
    return contact_role


@transaction.atomic
def contact_role_consent_withdraw(*, contact_role: ContactRole, withdrawn_by=None) -> ContactRole:
    """The person no longer wants to be shown: the role stays, hidden from every public place.

    The note on how consent was given goes with it; the history keeps when it was given.
    """
    return contact_role_consent_record(
        contact_role=contact_role, given=False, note="", changed_by=withdrawn_by
    )


@transaction.atomic
def contact_role_remove(*, contact_role: ContactRole, removed_by=None) -> None:
    _record(
        organisation=contact_role.organisation,
        action=OrganisationChange.Action.CONTACT_REMOVED,
        diff={"contact": [_contact(contact_role), None]},
        changed_by=removed_by,
    )
    contact_role.delete()


def person_subject(person: Person) -> Subject:
    """The keys the personal-data registry looks for: the person, their login, their
    addresses (the person's, the login's and allauth's) and their names."""
    user = person.user
    emails = [person.email]
    names = [person.name]
    user_ids = []
    if user is not None:
        user_ids.append(user.pk)
        emails.append(user.email)
        emails.extend(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
        names.append(user.full_name)
    return Subject.of(person_ids=[person.pk], user_ids=user_ids, emails=emails, names=names)


def person_export(*, person: Person) -> dict:
    """Everything every app holds about a person, for a subject access request."""
    data = personal_data.export(person_subject(person))
    return {"person_id": person.pk, **data}


@transaction.atomic
def person_erase(*, person: Person, erased_by=None, now=None) -> Person:
    """Erase a person in every app, as the personal-data registry says, and log it.

    Rows that statistics count (memberships, attendance, speaking turns, registrations) stay
    with gender, sector and status only, pointing to the anonymised person, so no figure
    changes; their login account is deactivated and anonymised. The log keeps ids and row
    counts, nothing that identified the person.
    """
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    subject = person_subject(person)
    # Contact points first, with who removed them, so the organisation's history says so.
    roles = list(person.contact_roles.select_related("organisation"))
    for role in roles:
        contact_role_remove(contact_role=role, removed_by=erased_by)
    counts = personal_data.erase(subject, now=now)
    if roles:
        counts["directory.ContactRole"] = counts.get("directory.ContactRole", 0) + len(roles)
    user_ids = sorted(subject.user_ids)
    erasure_requests_handle(user_ids=user_ids, now=now)
    erasure_record_create(
        counts=counts,
        person_id=person.pk,
        user_id=user_ids[0] if user_ids else None,
        erased_by=erased_by,
    )
    logger.info(
        "Personal data erased: person %s, by user %s, rows %s",
        person.pk,
        getattr(erased_by, "pk", None),
        sum(counts.values()),
    )
    person.refresh_from_db()
    return person


# --- Suggestions and moderation ----------------------------------------------------------


@transaction.atomic
def suggestion_submit(
    *,
    kind: str,
    message: str,
    organisation: Organisation | None = None,
    name: str = "",
    sector=None,
    municipality=None,
    website: str = "",
    email: str = "",
    submitter_name: str = "",
    submitter_email: str = "",
    submitter_language: str = "",
) -> Suggestion:
    """Keep a visitor's suggestion for moderation. The editors of the organisation a
    correction concerns are told (they know their entry best)."""
    if kind == Suggestion.Kind.CORRECTION and organisation is None:
        raise ValidationError(_("A correction must concern an organisation."))
    if kind == Suggestion.Kind.NEW and not name.strip():
        raise ValidationError({"name": _("Give the name of the organisation.")})
    suggestion = Suggestion(
        kind=kind,
        organisation=organisation if kind == Suggestion.Kind.CORRECTION else None,
        name=name.strip(),
        sector=sector,
        municipality=municipality,
        website=website.strip(),
        email=email.strip().lower(),
        message=message.strip(),
        submitter_name=submitter_name.strip(),
        submitter_email=submitter_email.strip().lower(),
        submitter_language=(submitter_language or "")[:8],
    )
    suggestion.full_clean()
    suggestion.save()
    if suggestion.organisation is not None:
        editors = list(suggestion.organisation.editors.filter(is_active=True))
        if editors:
            transaction.on_commit(
                lambda: send_templated_mail(
                    "directory/email/suggestion_for_editors",
                    editors,
                    {"suggestion": suggestion, "organisation": suggestion.organisation},
                )
            )
    return suggestion


def _tell_submitter(suggestion: Suggestion) -> None:
    """The person who made a suggestion hears how it was decided, with the moderator's note."""
    if not suggestion.submitter_email:
        return
    transaction.on_commit(
        lambda: send_templated_mail(
            "directory/email/suggestion_decided",
            suggestion.submitter_email,
            {"suggestion": suggestion, "accepted": suggestion.state == Suggestion.State.APPROVED},
            language=suggestion.submitter_language or None,
        )
    )


def _decide(suggestion: Suggestion, *, state: str, decided_by, note: str) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != Suggestion.State.PENDING:
        raise ValidationError(_("This suggestion has already been handled."))
    suggestion.state = state
    suggestion.decided_by = decided_by
    suggestion.decided_at = timezone.now()
    note = note.strip()
    limit = Suggestion._meta.get_field("decision_note").max_length
    if len(note) > limit:
        # Refused, never cut short: the form allows no more either.
        raise ValidationError(
            {
                "note": _("A note is at most %(limit)s characters (this one has %(count)s).")
                % {"limit": limit, "count": len(note)}
            }
        )
    suggestion.decision_note = note
    return suggestion


@transaction.atomic
def suggestion_approve(*, suggestion: Suggestion, decided_by, note: str = "") -> Suggestion:
    """Accept a suggestion. A new organisation becomes a draft for the secretariat to
    complete and publish; a correction is recorded in the organisation's history (the
    secretariat makes the change itself in the edit form)."""
    suggestion = _decide(
        suggestion, state=Suggestion.State.APPROVED, decided_by=decided_by, note=note
    )
    if suggestion.kind == Suggestion.Kind.NEW:
        from directory.models import Sector

        sector = suggestion.sector or Sector.objects.get(code="civil_society")
        organisation = organisation_create(
            name=suggestion.name,
            sector=sector,
            created_by=decided_by,
            state=Organisation.State.DRAFT,
            website=suggestion.website,
            email=suggestion.email,
            description=suggestion.message,
            municipalities=[suggestion.municipality] if suggestion.municipality else [],
        )
        suggestion.created_organisation = organisation
    else:
        _record(
            organisation=suggestion.organisation,
            action=OrganisationChange.Action.SUGGESTION_APPLIED,
            diff={"suggestion": suggestion.pk},
            changed_by=decided_by,
        )
    suggestion.save(
        update_fields=[
            "state",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_organisation",
        ]
    )
    _tell_submitter(suggestion)
    return suggestion


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, decided_by, note: str = "") -> Suggestion:
    suggestion = _decide(
        suggestion, state=Suggestion.State.REJECTED, decided_by=decided_by, note=note
    )
    suggestion.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _tell_submitter(suggestion)
    return suggestion


@transaction.atomic
def taxonomy_sync() -> None:
    """Bring the vocabulary tables in line with directory.taxonomy_data (idempotent)."""
    from django.apps import apps

    from directory.taxonomy_data import load_taxonomies

    load_taxonomies(apps.get_model)


@transaction.atomic
def suggestions_purge_expired(*, now=None) -> int:
    """Delete suggestions SUGGESTION_RETENTION_MONTHS after they were decided.

    Pending suggestions stay until someone decides them; an accepted one has already become
    a directory entry, whose history does not name the person who suggested it.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(settings.SUGGESTION_RETENTION_MONTHS * 365.25 / 12))
    deleted, _by_model = Suggestion.objects.filter(
        decided_at__isnull=False, decided_at__lt=cutoff
    ).delete()
    return deleted
