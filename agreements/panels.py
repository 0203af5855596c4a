"""The agreements' panel on a process leader's home page (portal/panels.py)."""

from django.utils import timezone

from accounts.permissions import can
from agreements import selectors
from portal.panels import Panel, register


def _my_agreements(request):
    user = request.user
    if not can(user, selectors.CHANGE):
        return None
    now = timezone.now()
    agreements = list(
        selectors.agreement_list_for_dashboard(user).filter(process_leaders=user).distinct()
    )
    if not agreements and can(user, selectors.MANAGE_ALL):
        return None  # the secretariat leads none itself: its view is the follow-up page
    for agreement in agreements:
        agreement.days_in_phase = selectors.days_in_phase(agreement, now=now)
    return {"agreements": agreements, "can_add": can(user, "agreements.add_agreement")}


register(Panel("agreements_mine", "agreements/panels/mine.html", _my_agreements, order=20))
