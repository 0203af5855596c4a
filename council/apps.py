from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What members may do: read the council's record, propose items, reply and follow up.
_MEMBER = [
    "council.view_council",
    "council.view_membership",
    "council.view_meeting",
    "council.view_agendaitem",
    "council.add_agendaitem",
    "council.view_document",
    "council.add_document",
    "council.view_attendance",
    "council.view_decision",
    "council.view_actionitem",
    "council.view_speakingturn",
]
# The secretariat runs the council: memberships, meetings, agenda, record and reports.
_SECRETARIAT = [
    *_MEMBER,
    "council.change_council",
    "council.add_membership",
    "council.change_membership",
    "council.add_meeting",
    "council.change_meeting",
    "council.change_agendaitem",
    "council.change_attendance",
    "council.add_minutesrevision",
    "council.view_minutesrevision",
    "council.add_decision",
    "council.change_decision",
    "council.add_actionitem",
    "council.change_actionitem",
    "council.add_speakingturn",
    "council.request_council_report",
]


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = _("Council")
    role_permissions = {
        "secretariat": _SECRETARIAT,
        "council_member": _MEMBER,
    }

    def ready(self):
        from council import (
            ical,  # noqa: F401 - registers the personal feed's meetings
            notifications,  # noqa: F401 - registers the kinds of email it sends
            personal_data,  # noqa: F401 - registers what the council holds
            reports,  # noqa: F401 - registers the council-year report
        )
