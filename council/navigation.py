from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.navigation import MAIN, Link, register

GROUP = pgettext_lazy("navigation", "Council")

register(
    Link(
        "council:home",
        pgettext_lazy("navigation", "Council"),
        section=MAIN,
        order=50,
        current_for=("council",),
    ),
    Link("council:meeting_list", _("Meetings"), group=GROUP, order=50),
    Link("council:action_list", _("Action items"), group=GROUP, order=51),
    Link("council:meeting_create", _("New meeting"), group=GROUP, order=52),
    Link("council:member_list", _("Members"), group=GROUP, order=53),
    Link("council:speaking_time", _("Speaking time"), group=GROUP, order=54),
    Link("council:calendar", _("Calendar subscription"), group=GROUP, order=55),
    Link("council:minutes_settings", _("Minutes settings"), group=GROUP, order=56),
)
