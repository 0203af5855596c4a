from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Organisation directory")

    # Merged into the role groups by accounts.services.roles_sync().
    role_permissions = {
        "secretariat": [
            "directory.add_organisation",
            "directory.change_organisation",
            "directory.view_organisation",
            "directory.edit_own_organisation",
            "directory.view_suggestion",
            "directory.change_suggestion",
            "directory.view_person",
            "directory.add_person",
            "directory.change_person",
            "directory.export_person",
            "directory.erase_person",
            "directory.view_contactrole",
            "directory.add_contactrole",
            "directory.change_contactrole",
            "directory.delete_contactrole",
            "directory.view_organisationchange",
        ],
        "organisation_editor": ["directory.edit_own_organisation"],
    }

    def ready(self):
        from directory import collation

        collation.install()
        from directory import personal_data  # noqa: F401 - registers what directory holds
