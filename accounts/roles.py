"""The portal's roles: each is a Django group whose permissions are listed here.

`roles_sync()` (accounts.services) writes these onto the groups after every migrate, so the
code is the one place where a role's rights are decided.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SECRETARIAT = "secretariat", _("Secretariat")
    COUNCIL_MEMBER = "council_member", _("Council member")
    PROCESS_LEADER = "process_leader", _("Process leader")
    ORGANISATION_EDITOR = "organisation_editor", _("Organisation editor")


# Roles that run the portal: with PORTAL_REQUIRE_MFA_FOR_STAFF they must use two factors.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.SECRETARIAT})

# Who may grant which role (by invitation or by changing someone's roles). Only administrators
# make administrators and secretariat accounts; the secretariat brings in the people it works
# with. accounts.services enforces this on every write, whatever form or page asked for it.
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.ADMINISTRATOR: frozenset(Role),
    Role.SECRETARIAT: frozenset(
        {Role.COUNCIL_MEMBER, Role.PROCESS_LEADER, Role.ORGANISATION_EDITOR}
    ),
    Role.COUNCIL_MEMBER: frozenset(),
    Role.PROCESS_LEADER: frozenset(),
    Role.ORGANISATION_EDITOR: frozenset(),
}

# "app_label.codename". The administrator holds every permission and needs no list.
# A domain app adds the permissions of its own models in its AppConfig, as
# `role_permissions = {"secretariat": ["council.add_meeting", ...], ...}`.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SECRETARIAT: [
        "accounts.access_secretariat",
        "accounts.add_invitation",
        "accounts.view_invitation",
        "reports.add_reportjob",
        "reports.view_reportjob",
    ],
    Role.COUNCIL_MEMBER: [],
    Role.PROCESS_LEADER: [
        "reports.add_reportjob",
    ],
    Role.ORGANISATION_EDITOR: [],
}
