"""What the directory holds about people, for the personal-data registry (portal.personal_data)."""

from django.utils.translation import gettext_lazy as _

from directory.models import (
    ContactRole,
    Offer,
    Organisation,
    OrganisationChange,
    Person,
    Suggestion,
)
from portal.personal_data import (
    BLANK,
    KEEP,
    UNLINK,
    Holding,
    RetentionJob,
    any_of,
    blank,
    declare_not_personal,
    iexact_any,
    register,
    register_retention,
)


def _contact_roles_remove(queryset, now, subject) -> int:
    from directory.services import contact_role_remove

    count = 0
    for role in queryset.select_related("organisation"):
        contact_role_remove(contact_role=role, removed_by=None)
        count += 1
    return count


def _editors_remove(queryset, now, subject) -> int:
    count = 0
    for organisation in queryset:
        organisation.editors.remove(*organisation.editors.filter(pk__in=subject.user_ids))
        count += 1
    return count


def _people(subject):
    return Person.objects.filter(any_of(pk__in=subject.person_ids, user__in=subject.user_ids))


register(
    Holding(
        code="directory.Person",
        model="directory.Person",
        label=_("Person in the directory"),
        find=_people,
        fields=("name", "email", "phone", "gender", "user", "created_at", "erased_at"),
        treatment=BLANK,
        # The row and its self-described gender stay: the counts they were part of stay right.
        erase=blank(name="", email="", phone="", user=None, erased_at=lambda now: now),
        order=800,
    )
)
register(
    Holding(
        code="directory.ContactRole",
        model="directory.ContactRole",
        label=_("Contact points of organisations"),
        find=lambda s: ContactRole.objects.filter(
            any_of(person__in=s.person_ids) | iexact_any("public_email", s.emails)
        ).select_related("organisation"),
        fields=(
            "organisation",
            "title",
            "public_email",
            "public_phone",
            "consent_given_at",
            "consent_note",
        ),
        treatment=UNLINK,
        erase=_contact_roles_remove,
        order=10,
    )
)
register(
    Holding(
        code="directory.Suggestion",
        model="directory.Suggestion",
        label=_("Suggestions sent to the directory"),
        find=lambda s: Suggestion.objects.filter(iexact_any("submitter_email", s.emails)),
        fields=(
            "kind",
            "name",
            "message",
            "submitter_name",
            "submitter_email",
            "submitter_language",
            "state",
            "created_at",
        ),
        treatment=BLANK,
        erase=blank(submitter_name="", submitter_email="", submitter_language="", message=""),
    )
)
register(
    Holding(
        code="directory.Suggestion:decided",
        model="directory.Suggestion",
        label=_("Suggestions decided"),
        find=lambda s: Suggestion.objects.filter(decided_by__in=s.user_ids),
        fields=("kind", "name", "state", "decided_at", "decision_note"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="directory.Organisation:editor",
        model="directory.Organisation",
        label=_("Organisations the person edits"),
        find=lambda s: Organisation.objects.filter(editors__in=s.user_ids).distinct(),
        fields=("name", "slug"),
        treatment=UNLINK,
        erase=_editors_remove,
    )
)
register(
    Holding(
        code="directory.OrganisationChange",
        model="directory.OrganisationChange",
        label=_("Changes made to the directory"),
        find=lambda s: OrganisationChange.objects.filter(changed_by__in=s.user_ids),
        fields=("organisation", "action", "changed_at"),
        treatment=KEEP,
    )
)


def _assurer_remove(queryset, now, subject) -> int:
    return queryset.update(assured_by=None)


register(
    Holding(
        code="directory.Offer:assured",
        model="directory.Offer",
        label=_("Offers the person checked as up to date"),
        find=lambda s: Offer.objects.filter(assured_by__in=s.user_ids),
        fields=("title", "organisation", "assured_at"),
        treatment=UNLINK,
        erase=_assurer_remove,
    )
)
for _model, _reason in {
    "directory.Region": "A county's name.",
    "directory.Municipality": "A municipality's name.",
}.items():
    declare_not_personal(_model, _reason)


def _suggestions_purge(now) -> int:
    from directory.services import suggestions_purge_expired

    return suggestions_purge_expired(now=now)


register_retention(
    RetentionJob(
        code="directory.suggestions",
        label=_("Suggestions, some months after they were decided"),
        setting="SUGGESTION_RETENTION_MONTHS",
        task="directory.purge_expired_suggestions",
        run=_suggestions_purge,
    )
)
