from django.utils.translation import gettext_lazy as _

from portal.navigation import Link, register

GROUP = _("People and access")

register(
    Link("secretariat", _("Secretariat overview"), group=GROUP, order=10),
    Link("accounts:invitation_list", _("Invitations"), group=GROUP, order=11),
    Link("notifications:settings", _("Notifications"), group=_("My account"), order=89),
    Link("my_data:page", _("My data"), group=_("My account"), order=90),
)
