from django.utils.translation import gettext_lazy as _

from portal.navigation import MAIN, Link, register

GROUP = _("Local agreements")

register(
    Link("agreements:list", _("Agreements"), section=MAIN, order=40, current_for=("agreements",)),
    Link("agreements:dashboard", _("Follow-up of agreements"), group=GROUP, order=40),
    Link("agreements:compare", _("Compare agreements"), group=GROUP, order=41),
    Link("agreements:create", _("New agreement"), group=GROUP, order=42),
)
