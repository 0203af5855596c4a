"""The portal overview: what the portal holds, counted. It proves the pipeline end to end."""

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.registry import ReportKind, register


def _project_apps():
    """The portal's own apps (those inside the project folder), in INSTALLED_APPS order."""
    base = str(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if str(config.path).startswith(base) and ".venv" not in str(config.path)
    ]


def overview_context(job) -> dict:
    sections = []
    total = 0
    for config in _project_apps():
        rows = []
        for model in config.get_models():
            count = model._default_manager.count()
            total += count
            rows.append({"label": model._meta.verbose_name_plural, "count": count})
        if rows:
            sections.append({"label": config.verbose_name, "rows": rows})
    return {"sections": sections, "total": total}


PORTAL_OVERVIEW = register(
    ReportKind(
        code="portal_overview",
        label=_("Portal overview"),
        description=_("How many records of each kind the portal holds, on the day it is made."),
        template="reports/portal_overview.html",
        build_context=overview_context,
        permission="accounts.access_secretariat",
    )
)
