"""The agreements' panel on a process leader's home page (portal/panels.py)."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.permissions import can
from agreements import selectors
from agreements.enums import RoundStatus
from agreements.models import AssessmentRound
from portal.panels import Panel, register


def _my_agreements(request):
    user = request.user
    if not can(user, selectors.CHANGE):
        return None
    now = timezone.now()
    agreements = list(
        selectors.agreement_list_for_dashboard(user)
        .filter(process_leaders=user)
        .prefetch_related(None)  # the panel shows neither the parties nor the leaders
        .distinct()
    )
    if not agreements and can(user, selectors.MANAGE_ALL):
        return None  # the secretariat leads none itself: its view is the follow-up page
    open_rounds = {
        round_.agreement_id: round_
        for round_ in AssessmentRound.objects.filter(
            agreement__in=agreements, status=RoundStatus.OPEN
        ).annotate(
            invited=Count("respondents", filter=Q(respondents__revoked_at=None)),
            answered=Count("respondents", filter=Q(respondents__answered_at__isnull=False)),
        )
    }
    for agreement in agreements:
        agreement.days_in_phase = selectors.days_in_phase(agreement, now=now)
        agreement.open_round = open_rounds.get(agreement.pk)
    return {"agreements": agreements, "can_add": can(user, "agreements.add_agreement")}


register(Panel("agreements_mine", "agreements/panels/mine.html", _my_agreements, order=20))
