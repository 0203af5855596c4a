from django.utils.translation import gettext_lazy as _

from portal.navigation import MAIN, Link, register

GROUP = _("Workshops")

register(
    Link("workshops:list", _("Workshops"), section=MAIN, order=30, current_for=("workshops",)),
    Link("workshops:manage_list", _("Manage workshops"), group=GROUP, order=30),
    Link("workshops:create", _("New workshop"), group=GROUP, order=31),
)
