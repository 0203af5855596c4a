"""The workshop follow-up report: theme, programme, who took part, what was raised, and what
the council did with it. Figures follow the public rule (1–4 shown as "fewer than 5"), since
the report is meant to be shared."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from council.reports import YearSection, register_year_section
from reports.registry import ReportKind, register
from workshops import selectors
from workshops.models import Workshop


def _themes(items) -> list[dict]:
    themes: dict[str, list] = {}
    for item in items:
        themes.setdefault(item.theme or "", []).append(item)
    return [
        {"theme": theme, "items": rows}
        for theme, rows in sorted(themes.items(), key=lambda pair: (pair[0] == "", pair[0]))
    ]


def follow_up_context(job) -> dict:
    try:
        workshop = selectors.workshop_for_page(int(job.subject_id), staff=True)
    except (TypeError, ValueError):
        workshop = None
    if workshop is None:
        raise ValidationError(_("The workshop of this report no longer exists."))
    statistics = selectors.workshop_statistics(workshop, exact=False)
    # Every earlier workshop of the same council, for the comparison.
    others = Workshop.objects.filter(
        state=Workshop.State.PUBLISHED, starts_at__lte=workshop.starts_at
    )
    if workshop.council_id:
        others = others.filter(council_id=workshop.council_id)
    compared = selectors.statistics_for(list(others) or [workshop], exact=False)
    contributions = selectors.contributions_for(workshop, public=True)
    selectors.contribution_sector_labels(contributions, statistics)
    groups = [
        {**group, "themes": _themes(group["items"])}
        for group in selectors.contributions_by_kind(contributions)
    ]
    return {
        "workshop": workshop,
        "statistics": statistics,
        "comparison": selectors.workshop_comparison(list(compared.values())),
        "contribution_groups": groups,
        "contribution_count": len(contributions),
        "matters": list(selectors.carried_matters_for([workshop.pk])),
    }


WORKSHOP_FOLLOW_UP = register(
    ReportKind(
        code="workshop_follow_up",
        label=gettext_lazy("Workshop follow-up"),
        description=gettext_lazy(
            "Theme, programme, participation by gender and sector with the balance verdicts, "
            "the input grouped by kind and theme, and what the council did with it."
        ),
        template="workshops/reports/workshop_follow_up.html",
        build_context=follow_up_context,
        permission="workshops.view_registration",
        needs_subject=True,
    )
)


def council_year_section(council, year: int) -> dict | None:
    """The year's workshops for the council-year report: who came and how balanced it was."""
    workshops = list(
        Workshop.objects.filter(
            council=council, state=Workshop.State.PUBLISHED, starts_at__year=year
        ).order_by("starts_at")
    )
    if not workshops:
        return None
    statistics = selectors.statistics_for(workshops, exact=False)
    matters = selectors.carried_matters_for([workshop.pk for workshop in workshops])
    return {
        "year": year,
        "rows": selectors.workshop_comparison(list(statistics.values())),
        "matter_count": len(list(matters)),
    }


register_year_section(
    YearSection(
        code="workshops",
        template="workshops/reports/council_year_section.html",
        build=council_year_section,
    )
)
