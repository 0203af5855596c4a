from django.utils.translation import gettext_lazy as _

from portal.navigation import MAIN, Link, register

register(
    Link("reports:list", _("Reports"), section=MAIN, order=60, current_for=("reports",)),
)
