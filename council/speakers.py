"""The live list of speakers (talarlista) on the meeting page: views and their URLs.

Everyone invited sees the queue and the running clock of the item now discussed, polled as a
small fragment (`speakers_live`) that answers 204 when nothing changed. Members put
themselves on the list and take themselves off; the chair (the council's chair role on the
meeting's day) and the secretariat manage it. Every write answers with the fragment for
htmx, or redirects back to the meeting page without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can, permission_required
from council import selectors, services
from council.forms import (
    SpeakerAddForm,
    SpeakerItemLimitForm,
    SpeakerPlaceForm,
    SpeakerRulesForm,
    SpeakerTopicForm,
)
from council.models import AgendaItem, Meeting, SpeakerListEntry

VIEW = "council.view_meeting"
MANAGE = "council.add_speakingturn"


def meeting_is_running(meeting: Meeting, now=None) -> bool:
    """Members ask to speak on the meeting's day (or days), unless it is cancelled."""
    if meeting.is_cancelled:
        return False
    today = timezone.localdate(now or timezone.now())
    first = timezone.localtime(meeting.starts_at).date()
    last = timezone.localtime(meeting.ends_at).date()
    return first <= today <= last


class Viewer:
    """Who looks at the list and what they may do, worked out once per request."""

    def __init__(self, request, meeting: Meeting):
        self.is_secretariat = can(request.user, MANAGE)
        self.person = selectors.viewer_with_chair(request.user, meeting)
        self.manages = self.is_secretariat or bool(self.person and self.person.chairs)
        self.running = meeting_is_running(meeting)


def viewer_key(request) -> str:
    """What the fragment depends on besides the list itself, known without a query (the
    decorator has loaded the permissions): who looks, whether they run meetings, the day."""
    return f"{request.user.pk}.{int(can(request.user, MANAGE))}.{timezone.localdate():%Y%m%d}"


def _meeting(pk) -> Meeting:
    try:
        return selectors.meeting_for_live(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


def live_context(
    request, meeting: Meeting, viewer: Viewer | None = None, error: str = "", token=None
):
    """`token`: the list's version token when the caller has just read it (one cache read
    less per poll)."""
    token = token or selectors.live_token(meeting.pk, create=True)
    viewer = viewer or Viewer(request, meeting)
    queue = selectors.live_queue(meeting)
    mine = None
    if viewer.person is not None:
        mine = next((p.entry for p in queue.places if p.entry.person_id == viewer.person.pk), None)
    return {
        "meeting": meeting,
        "queue": queue,
        "viewer": viewer,
        "my_entry": mine,
        "can_ask": (
            viewer.running
            and viewer.person is not None
            and queue.item is not None
            and mine is None
            and not (queue.current and queue.current.person_id == viewer.person.pk)
        ),
        "version": f"{token}.{viewer_key(request)}",
        "error": error,
    }


def _fragment(request, meeting, viewer=None, *, error="", token=None):
    return render(
        request,
        "council/_speakers_queue.html",
        live_context(request, meeting, viewer, error=error, token=token),
    )


def _answer(request, meeting, viewer, error=""):
    if request.htmx:
        return _fragment(request, meeting, viewer, error=error)
    if error:
        messages.error(request, error)
    return redirect(reverse("council:meeting_section", args=[meeting.pk, "running"]) + "#speakers")


@require_GET
@permission_required(VIEW)
def speakers_live(request, pk):
    """The polled fragment: 204, from the cache alone, when the viewer already has it."""
    asked = request.GET.get("v", "")
    token = selectors.live_token(pk)
    if token is not None and asked == f"{token}.{viewer_key(request)}":
        return HttpResponse(status=204)
    return _fragment(request, _meeting(pk), token=token)


def _manager(request, meeting) -> Viewer:
    viewer = Viewer(request, meeting)
    if not viewer.manages:
        raise PermissionDenied
    return viewer


def _run(request, meeting, viewer, action) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        return _answer(request, meeting, viewer, " ".join(exc.messages))
    return _answer(request, meeting, viewer)


@require_POST
@permission_required(VIEW)
def speakers_ask(request, pk):
    """A member puts themselves on the list of the item now discussed."""
    meeting = _meeting(pk)
    viewer = Viewer(request, meeting)
    if viewer.person is None:
        return _answer(request, meeting, viewer, _("Your account is not linked to a person."))
    if not viewer.running:
        return _answer(
            request, meeting, viewer, _("You can ask to speak while the meeting is held.")
        )
    if meeting.live_item is None:
        return _answer(request, meeting, viewer, _("No item is being discussed right now."))
    return _run(
        request,
        meeting,
        viewer,
        lambda: services.speaker_request(
            agenda_item=meeting.live_item, person=viewer.person, added_by=request.user
        ),
    )


PLACE_ACTIONS = {"withdraw", "start", "up", "down", "remove"}


@require_POST
@permission_required(VIEW)
def speakers_place(request, pk):
    """Act on one place on the list: the person withdraws it, or the chair or secretariat
    gives them the floor, moves them up or down, or removes them."""
    meeting = _meeting(pk)
    viewer = Viewer(request, meeting)
    form = SpeakerPlaceForm(request.POST)
    if not form.is_valid():
        return _answer(request, meeting, viewer, _("That cannot be done on the list."))
    entry = (
        SpeakerListEntry.objects.select_related("agenda_item__meeting", "person")
        .filter(pk=form.cleaned_data["entry"], agenda_item__meeting=meeting)
        .first()
    )
    if entry is None:
        raise Http404
    action = form.cleaned_data["action"]
    own = viewer.person is not None and viewer.person.pk == entry.person_id
    if not viewer.manages and not (action == "withdraw" and own):
        raise PermissionDenied
    if action in {"withdraw", "remove"}:
        return _run(request, meeting, viewer, lambda: services.speaker_withdraw(entry=entry))
    if action == "start":
        return _run(request, meeting, viewer, lambda: services.speaker_give_floor(entry=entry))
    offset = -1 if action == "up" else 1
    return _run(request, meeting, viewer, lambda: services.speaker_move(entry=entry, offset=offset))


@require_POST
@permission_required(VIEW)
def speakers_add(request, pk):
    meeting = _meeting(pk)
    viewer = _manager(request, meeting)
    form = SpeakerAddForm(request.POST, candidates=selectors.speaker_candidates(meeting))
    if meeting.live_item is None:
        return _answer(request, meeting, viewer, _("Choose the item now discussed first."))
    if not form.is_valid():
        return _answer(request, meeting, viewer, _("Choose someone present at the meeting."))
    return _run(
        request,
        meeting,
        viewer,
        lambda: services.speaker_request(
            agenda_item=meeting.live_item, person=form.person, added_by=request.user
        ),
    )


@require_POST
@permission_required(VIEW)
def speakers_turn(request, pk):
    """Pause, resume or end the running turn."""
    meeting = _meeting(pk)
    viewer = _manager(request, meeting)
    actions = {
        "pause": services.speaking_turn_pause,
        "resume": services.speaking_turn_resume,
        "end": services.speaking_turn_stop,
    }
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        return _answer(request, meeting, viewer, _("Choose pause, resume or end."))
    return _run(request, meeting, viewer, lambda: action(meeting=meeting))


@require_POST
@permission_required(VIEW)
def speakers_topic(request, pk):
    """Choose the item now discussed (or none)."""
    meeting = _meeting(pk)
    viewer = _manager(request, meeting)
    items = list(meeting.agenda_items.filter(state=AgendaItem.State.ACCEPTED))
    form = SpeakerTopicForm(request.POST, items=items)
    if not form.is_valid():
        return _answer(request, meeting, viewer, _("Choose an accepted item of this meeting."))
    item = form.cleaned_data["item"]

    def action():
        services.meeting_live_item_set(meeting=meeting, agenda_item=item)
        meeting.live_item = item

    return _run(request, meeting, viewer, action)


@require_POST
@permission_required(VIEW)
def speakers_rules(request, pk):
    """Balanced order on or off, and the meeting's time per turn."""
    meeting = _meeting(pk)
    _manager(request, meeting)
    form = SpeakerRulesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_speaker_rules_set(
                meeting=meeting,
                balanced=form.cleaned_data["balanced"],
                time_limit=form.cleaned_data["time_limit"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The rules for the list of speakers are saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("council:meeting_section", args=[meeting.pk, "running"]) + "#speakers")


@require_POST
@permission_required(VIEW)
def speakers_item_limit(request, pk):
    """The time per turn on the item now discussed (empty: the meeting's applies)."""
    meeting = _meeting(pk)
    _manager(request, meeting)
    form = SpeakerItemLimitForm(request.POST)
    if meeting.live_item is None:
        messages.error(request, _("Choose the item now discussed first."))
    elif not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            services.agenda_item_speaker_limit_set(
                agenda_item=meeting.live_item, time_limit=form.cleaned_data["time_limit"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The time per turn for the item is saved."))
    return redirect(reverse("council:meeting_section", args=[meeting.pk, "running"]) + "#speakers")


urlpatterns = [
    path("meetings/<int:pk>/speakers/", speakers_live, name="speakers_live"),
    path("meetings/<int:pk>/speakers/ask/", speakers_ask, name="speakers_ask"),
    path("meetings/<int:pk>/speakers/add/", speakers_add, name="speakers_add"),
    path("meetings/<int:pk>/speakers/turn/", speakers_turn, name="speakers_turn"),
    path("meetings/<int:pk>/speakers/item/", speakers_topic, name="speakers_topic"),
    path("meetings/<int:pk>/speakers/rules/", speakers_rules, name="speakers_rules"),
    path("meetings/<int:pk>/speakers/item-limit/", speakers_item_limit, name="speakers_item_limit"),
    path("meetings/<int:pk>/speakers/place/", speakers_place, name="speakers_place"),
]
