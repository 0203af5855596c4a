"""The directory's panels on a signed-in person's home page (portal/panels.py)."""

from django.db.models import Count, Q

from accounts.permissions import can
from directory.models import Organisation, Suggestion
from directory.selectors import (
    likely_duplicates,
    organisation_unconfirmed,
    organisation_without_editor,
)
from portal.panels import Panel, register

PENDING = Suggestion.State.PENDING


def _my_organisations(request):
    user = request.user
    # The secretariat edits every entry: its panel is the attention list below.
    if not can(user, "directory.edit_own_organisation") or can(
        user, "directory.change_organisation"
    ):
        return None
    organisations = list(
        Organisation.objects.filter(editors=user)
        .annotate(waiting=Count("suggestions", filter=Q(suggestions__state=PENDING)))
        .order_by("name_normalised")
    )
    return {"organisations": organisations}


def _directory_attention(request):
    if not can(request.user, "directory.change_suggestion"):
        return None
    waiting = Suggestion.objects.filter(state=PENDING)
    stale = organisation_unconfirmed()
    suggestion_count, stale_count = waiting.count(), stale.count()
    duplicates = len(likely_duplicates())
    return {
        "suggestion_count": suggestion_count,
        "suggestions": list(waiting.select_related("organisation").order_by("created_at")[:5]),
        "stale_count": stale_count,
        "stale": list(stale[:5]),
        "duplicates": duplicates,
        # Not counted as needing attention now: most entries start without an editor.
        "without_editor": organisation_without_editor().count(),
        "count": suggestion_count + stale_count + duplicates,
    }


register(Panel("directory_mine", "directory/panels/mine.html", _my_organisations, order=30))
register(
    Panel(
        "directory_attention",
        "directory/panels/attention.html",
        _directory_attention,
        order=2,
        attention=True,
    )
)
