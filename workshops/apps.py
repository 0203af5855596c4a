from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The secretariat runs workshops: programme, registrations, check-in, input and reports.
_SECRETARIAT = [
    "workshops.view_workshop",
    "workshops.add_workshop",
    "workshops.change_workshop",
    "workshops.view_exact_statistics",
    "workshops.view_programmeitem",
    "workshops.add_programmeitem",
    "workshops.change_programmeitem",
    "workshops.delete_programmeitem",
    "workshops.view_registration",
    "workshops.add_registration",
    "workshops.change_registration",
    "workshops.view_group",
    "workshops.add_group",
    "workshops.view_contribution",
    "workshops.add_contribution",
    "workshops.change_contribution",
    "workshops.view_carriedmatter",
    "workshops.add_carriedmatter",
    "workshops.change_carriedmatter",
]
# Council members follow what happened to the input carried to their table.
_MEMBER = [
    "workshops.view_workshop",
    "workshops.view_contribution",
    "workshops.view_carriedmatter",
]


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")
    role_permissions = {
        "secretariat": _SECRETARIAT,
        "council_member": _MEMBER,
    }

    def ready(self):
        from workshops import (
            ical,  # noqa: F401 - registers the personal feed's workshops
            personal_data,  # noqa: F401 - registers what workshops hold
            reports,  # noqa: F401 - registers the workshop follow-up report
        )
