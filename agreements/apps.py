from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Process leaders work on the agreements they lead (the views filter by user); they may read
# every agreement's internal pages to compare. The secretariat may change every agreement,
# create new ones and add local checklist questions.
_PROCESS_LEADER = [
    "agreements.view_agreement",
    "agreements.change_agreement",
    "agreements.view_checklistitem",
    "agreements.add_principleassessment",
    "agreements.add_actionplanitem",
    "agreements.change_actionplanitem",
    "agreements.add_logentry",
    "agreements.change_anchoring",
]
_SECRETARIAT = [
    *_PROCESS_LEADER,
    "agreements.add_agreement",
    "agreements.manage_all_agreements",
    "agreements.add_checklistitem",
]


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Local agreements")
    role_permissions = {
        "secretariat": _SECRETARIAT,
        "process_leader": _PROCESS_LEADER,
    }

    def ready(self):
        from agreements import (
            personal_data,  # noqa: F401 - registers what agreements hold
            reports,  # noqa: F401 - registers the follow-up report
        )
