from django.utils.translation import gettext_lazy as _

from portal.navigation import MAIN, Link, register

GROUP = _("Directory")

register(
    Link("directory:list", _("Directory"), section=MAIN, order=20, current_for=("directory",)),
    Link("directory:mine", _("My organisations"), group=GROUP, order=20),
    Link("directory:attention", _("Entries that need attention"), group=GROUP, order=21),
    Link("directory:moderation", _("Suggestions to moderate"), group=GROUP, order=21),
    Link("directory:create", _("New organisation"), group=GROUP, order=22),
    Link("directory:people", _("People and their data"), group=GROUP, order=23),
)
