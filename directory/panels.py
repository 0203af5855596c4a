"""The directory's panels on a signed-in person's home page (portal/panels.py)."""

from django.db.models import Count, Q, Window

from accounts.permissions import can
from directory.models import Organisation, Suggestion
from directory.selectors import (
    likely_duplicates,
    organisation_unconfirmed,
    organisation_without_editor,
)
from portal import fragment_cache
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


def _first_with_total(queryset, limit: int) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all, in one statement (a window
    count beside the rows: the home page pays one statement per list, not two)."""
    rows = list(queryset.annotate(_total=Window(Count("pk")))[:limit])
    return rows, (rows[0]._total if rows else 0)


def _directory_attention(request):
    if not can(request.user, "directory.change_suggestion"):
        return None
    # The same for every moderator: worked out once per change to the directory (the
    # duplicates check alone is three statements) and shared until the next write.
    return fragment_cache.shared(request, "directory-attention", [], _attention_figures)


def _attention_figures() -> dict:
    suggestions, suggestion_count = _first_with_total(
        Suggestion.objects.filter(state=PENDING)
        .select_related("organisation")
        .order_by("created_at"),
        5,
    )
    stale, stale_count = _first_with_total(organisation_unconfirmed(), 5)
    duplicates = len(likely_duplicates())
    return {
        "suggestion_count": suggestion_count,
        "suggestions": suggestions,
        "stale_count": stale_count,
        "stale": stale,
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
