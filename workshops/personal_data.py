"""What workshops hold about people, for the personal-data registry (portal.personal_data).

Registrations are found by email address; programme contributors and named contributions
keep only a free-text name, so they are found by name (the person page says so).
"""

from django.utils.translation import gettext_lazy as _

from portal.personal_data import (
    BLANK,
    KEEP,
    Holding,
    RetentionJob,
    blank,
    declare_not_personal,
    iexact_any,
    register,
    register_retention,
)
from workshops.models import CarriedMatter, Contribution, ProgrammeItem, Registration, Workshop


def _registrations_erase(queryset, now, subject) -> int:
    from workshops.services import registrations_erase

    return registrations_erase(queryset=queryset, now=now)


register(
    Holding(
        code="workshops.Registration",
        model="workshops.Registration",
        label=_("Workshop registrations"),
        find=lambda s: Registration.objects.filter(email_normalised__in=s.emails).select_related(
            "workshop", "sector", "organisation"
        ),
        fields=(
            "workshop",
            "status",
            "name",
            "email",
            "organisation_name",
            "sector",
            "gender",
            "accessibility_needs",
            "dietary_needs",
            "consent_version",
            "consent_given_at",
            "checked_in_at",
            "created_at",
        ),
        treatment=BLANK,
        erase=_registrations_erase,
    )
)
register(
    Holding(
        code="workshops.ProgrammeItem",
        model="workshops.ProgrammeItem",
        label=_("Contributions to a workshop programme"),
        find=lambda s: ProgrammeItem.objects.filter(
            iexact_any("contributor_name", s.names)
        ).select_related("workshop"),
        fields=(
            "workshop",
            "title",
            "contributor_name",
            "contributor_organisation",
            "contributor_gender",
        ),
        treatment=BLANK,
        erase=blank(contributor_name=""),
        matched_by_name=True,
    )
)
register(
    Holding(
        code="workshops.Contribution",
        model="workshops.Contribution",
        label=_("Named input from workshops"),
        find=lambda s: Contribution.objects.filter(
            iexact_any("author_name", s.names)
        ).select_related("workshop"),
        fields=("workshop", "kind", "text", "author_name", "is_anonymous", "created_at"),
        treatment=BLANK,
        erase=blank(author_name="", is_anonymous=True),
        matched_by_name=True,
    )
)
register(
    Holding(
        # Staff type in input for others: the rows are the workshop's record, not theirs.
        code="workshops.Contribution:added",
        model="workshops.Contribution",
        label=_("Input added for a workshop"),
        find=lambda s: Contribution.objects.filter(created_by__in=s.user_ids).select_related(
            "workshop"
        ),
        fields=("workshop", "kind", "created_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="workshops.Workshop",
        model="workshops.Workshop",
        label=_("Workshops created"),
        find=lambda s: Workshop.objects.filter(created_by__in=s.user_ids),
        fields=("title", "starts_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="workshops.CarriedMatter",
        model="workshops.CarriedMatter",
        label=_("Workshop input carried to the council"),
        find=lambda s: CarriedMatter.objects.filter(carried_by__in=s.user_ids),
        fields=("workshop", "title", "created_at"),
        treatment=KEEP,
    )
)
declare_not_personal("workshops.Group", "A group's number and name for group work.")


def _workshops_erase(now) -> int:
    from workshops.services import registrations_erase_expired

    return registrations_erase_expired(now=now)


register_retention(
    RetentionJob(
        code="workshops.registrations",
        label=_("Registrations, programme contributors and named input, after the workshop"),
        setting="WORKSHOP_RETENTION_MONTHS",
        task="workshops.erase_expired_registrations",
        run=_workshops_erase,
    )
)
