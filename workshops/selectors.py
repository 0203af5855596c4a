"""Reads shared by the workshop pages, the API, the report and the home page.

Statistics are computed in a fixed number of queries however many registrations there are.
Staff with workshops.view_exact_statistics see the exact figures. Public figures (pages,
JSON, PDFs) hide small counts so that none can be worked out from the rest: the rules are in
workshops.protection; a contribution's sector tag is shown only for sectors whose figures
are shown and are at least 5 (`contribution_sector_labels`).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from directory.models import Sector
from portal.balance import Balance
from workshops.models import (
    CarriedMatter,
    Contribution,
    Gender,
    ProgrammeItem,
    Registration,
    Workshop,
)
from workshops.protection import NOTHING, SUPPRESS_BELOW, Protection, codes_for, judge_for, protect

FEWER_THAN = gettext_lazy("fewer than 5")
# A cell of 5 or more hidden only so that a smaller one beside it cannot be worked out.
HIDDEN = pgettext_lazy("a hidden statistic", "not shown")
GENDER_LABELS = {
    "woman": gettext_lazy("Women"),
    "man": gettext_lazy("Men"),
    "non_binary": gettext_lazy("Non-binary"),
    "unknown": pgettext_lazy("workshop statistics", "Not stated"),
}
# Own labels (with a context) so that no other catalogue's translation of the same words wins.
VERDICT_LABELS = {
    "balanced": pgettext_lazy("balance verdict", "Balanced"),
    "unbalanced": pgettext_lazy("balance verdict", "Not balanced"),
    "too_small": pgettext_lazy("balance verdict", "Too few to judge"),
    "no_data": pgettext_lazy("balance verdict", "No data"),
}


def is_suppressed(value: int, *, exact: bool) -> bool:
    return not exact and 0 < value < SUPPRESS_BELOW


# --- Workshops ---------------------------------------------------------------------------


def workshop_public() -> QuerySet[Workshop]:
    return Workshop.objects.filter(state=Workshop.State.PUBLISHED)


def workshop_list_public() -> QuerySet[Workshop]:
    return workshop_public().order_by("-starts_at", "-id")


def workshops_upcoming(*, limit: int = 3, now=None) -> list[Workshop]:
    """For the home page: the next published workshops, soonest first."""
    now = now or timezone.now()
    return list(workshop_public().filter(ends_at__gte=now).order_by("starts_at", "id")[:limit])


def workshop_list_staff() -> QuerySet[Workshop]:
    return Workshop.objects.annotate(
        registered=Count("registrations", filter=Q(registrations__status="registered")),
        waiting=Count("registrations", filter=Q(registrations__status="waiting")),
    ).order_by("-starts_at", "-id")


def workshop_for_page(
    pk: int, *, staff: bool = False, related=("programme", "target_groups")
) -> Workshop | None:
    """`related`: what the page shows of the workshop's lists (each is a statement)."""
    queryset = Workshop.objects.all() if staff else workshop_public()
    return queryset.select_related("council").prefetch_related(*related).filter(pk=pk).first()


def places_left(workshop: Workshop) -> int:
    taken = workshop.registrations.filter(status=Registration.Status.REGISTERED).count()
    return max(workshop.capacity - taken, 0)


def waiting_list_first(workshop: Workshop) -> Registration | None:
    """Who gets the next free place."""
    return (
        workshop.registrations.filter(status=Registration.Status.WAITING)
        .order_by("created_at", "id")
        .first()
    )


def registrations_over_capacity(workshop: Workshop, capacity: int) -> list[Registration]:
    """Who moves to the waiting list if the workshop had only `capacity` places: the latest
    registered first (last in, first out); people already checked in keep their place, so
    fewer may move than the places cut. workshops.services.workshop_update moves exactly
    these, and the edit form names them before it saves."""
    registered = workshop.registrations.filter(status=Registration.Status.REGISTERED)
    excess = registered.count() - capacity
    if excess <= 0:
        return []
    return list(
        registered.filter(checked_in_at__isnull=True).order_by("-created_at", "-id")[:excess]
    )


def registrations_to_tell_of_cancellation(workshop: Workshop) -> list[Registration]:
    """Everyone registered or waiting: cancelling the workshop emails each of them."""
    return list(
        workshop.registrations.filter(
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
            erased_at__isnull=True,
        ).order_by("created_at", "id")
    )


def registration_list(workshop: Workshop, *, q: str = "") -> QuerySet[Registration]:
    """Those registered, waiting and cancelled, for staff; `q` matches name or organisation."""
    queryset = workshop.registrations.select_related("organisation", "sector", "group")
    q = q.strip()[:100]
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(organisation_name__icontains=q) | Q(email__icontains=q)
        )
    return queryset.order_by("name", "id")


def check_in_list(workshop: Workshop, *, q: str = "") -> QuerySet[Registration]:
    return registration_list(workshop, q=q).exclude(status=Registration.Status.CANCELLED)


@dataclass
class RegistrationRow:
    """One registration as the check-in list and the registration tables show it, prepared
    once in Python (the templates looked up, formatted and reversed per cell: a list of 200
    people took most of the page's time)."""

    pk: int
    name: str
    email: str
    status: str
    display_organisation: str
    sector_label: str
    accessibility_needs: str
    dietary_needs: str
    checked_in_at: object  # datetime or None
    checked_in_time: str  # "HH:MM" in local time, or ""
    checked_in_text: str  # "Checked in HH:MM", translated, or ""
    created_at: object  # datetime: the waiting list's order
    toggle_url: str
    cancel_url: str


# What a prepared row reads of a registration, its organisation's name and its sector's
# labels joined.
ROW_FIELDS = (
    "pk",
    "name",
    "email",
    "status",
    "created_at",
    "organisation_id",
    "organisation__name",
    "organisation_name",
    "sector_id",
    "sector__label_sv",
    "sector__label_en",
    "accessibility_needs",
    "dietary_needs",
    "checked_in_at",
)


def sector_list() -> list[Sector]:
    """The sectors in their order, for a page that both counts and offers them."""
    return list(Sector.objects.all())


def registration_rows(workshop: Workshop, registrations) -> list[RegistrationRow]:
    """Prepared rows of registration_list()/check_in_list().

    `registrations`: such a queryset (read as plain values: no model instances for a list of
    hundreds), or Registration instances with their organisation and sector joined."""
    from django.urls import reverse

    if isinstance(registrations, QuerySet):
        values = list(registrations.values(*ROW_FIELDS))
        labels = {}  # (label_sv, label_en) -> the label in this language, as Sector.label
        for row in values:
            key = (row["sector__label_sv"], row["sector__label_en"])
            if row["sector_id"] and key not in labels:
                labels[key] = Sector(label_sv=key[0], label_en=key[1]).label
            row["sector_label"] = labels[key] if row["sector_id"] else ""
    else:
        values = [
            {
                **{name: getattr(registration, name) for name in ROW_FIELDS if "__" not in name},
                "organisation__name": (
                    registration.organisation.name if registration.organisation_id else None
                ),
                "sector_label": registration.sector.label if registration.sector_id else "",
            }
            for registration in registrations
        ]
    # Two reversals for the whole list; each row's address adds its id to the same prefix.
    base = reverse("workshops:check_in", args=[workshop.pk])  # .../check-in/
    cancel = reverse("workshops:registration_cancel_staff", args=[workshop.pk, 0])
    cancel_base = cancel[: -len("0/cancel/")]
    checked_in = _("Checked in %(time)s")
    zone = timezone.get_current_timezone()
    rows = []
    for row in values:
        at = row["checked_in_at"]
        time = timezone.localtime(at, zone).strftime("%H:%M") if at else ""
        pk = row["pk"]
        rows.append(
            RegistrationRow(
                pk=pk,
                name=row["name"],
                email=row["email"],
                status=row["status"],
                display_organisation=(
                    row["organisation__name"]
                    if row["organisation_id"]
                    else row["organisation_name"]
                ),
                sector_label=row["sector_label"],
                accessibility_needs=row["accessibility_needs"],
                dietary_needs=row["dietary_needs"],
                checked_in_at=at,
                checked_in_time=time,
                checked_in_text=checked_in % {"time": time} if at else "",
                created_at=row["created_at"],
                toggle_url=f"{base}{pk}/",
                cancel_url=f"{cancel_base}{pk}/cancel/",
            )
        )
    return rows


def contributions_for(workshop: Workshop, *, public: bool) -> list[Contribution]:
    queryset = workshop.contributions.select_related("sector", "group", "matter")
    if public:
        queryset = queryset.filter(is_hidden=False)
    return list(queryset.order_by("kind", "theme", "created_at", "id"))


def contributions_by_kind(contributions: list[Contribution]) -> list[dict]:
    groups = []
    for kind, label in Contribution.Kind.choices:
        items = [item for item in contributions if item.kind == kind]
        groups.append({"kind": kind, "label": label, "items": items})
    return groups


def carried_matters_for(workshop_ids) -> QuerySet[CarriedMatter]:
    """Matters with their agenda item, meeting and decisions: status without extra queries."""
    from council.models import Decision

    return (
        CarriedMatter.objects.filter(workshop_id__in=list(workshop_ids))
        .select_related("agenda_item__meeting", "workshop")
        .prefetch_related(
            Prefetch("agenda_item__decisions", queryset=Decision.objects.order_by("created_at")),
            Prefetch("contributions", queryset=Contribution.objects.order_by("kind", "id")),
        )
        .order_by("created_at", "id")
    )


def meetings_to_carry_to(workshop: Workshop, *, now=None):
    """Council meetings input can still be carried to: not cancelled, not over by `now`."""
    from council.models import Meeting

    now = now or timezone.now()
    queryset = Meeting.objects.filter(cancelled_at__isnull=True, ends_at__gte=now)
    if workshop.council_id:
        queryset = queryset.filter(council_id=workshop.council_id)
    return queryset.select_related("council").order_by("starts_at", "id")


# --- Statistics ---------------------------------------------------------------------------


@dataclass
class Row:
    code: str
    label: str
    count: int
    suppressed: bool
    share: float | None  # of the whole group, None when hidden
    secondary: bool = False  # hidden although 5 or more, to protect a smaller cell

    @property
    def display(self) -> str:
        if self.secondary:
            return str(HIDDEN)
        return str(FEWER_THAN) if self.suppressed else str(self.count)

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass
class Breakdown:
    """One group (say, those who attended) counted by gender or by sector, with the verdict."""

    dimension: str  # "gender" or "sector"
    rows: list[Row]
    balance: Balance
    exact: bool
    # Withheld publicly when the verdict itself would give a small figure away.
    verdict_hidden: bool = False
    # The whole table hidden, as a last resort (see workshops.protection).
    withheld: bool = False

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def total_display(self) -> str:
        return str(FEWER_THAN) if is_suppressed(self.total, exact=self.exact) else str(self.total)

    @property
    def verdict_label(self) -> str:
        if self.verdict_hidden:
            return str(VERDICT_HIDDEN)
        return str(VERDICT_LABELS[self.balance.verdict.value])

    @property
    def shown_codes(self) -> set[str]:
        """Codes whose count is shown and is at least 5 (or any count, for exact figures)."""
        return {
            row.code
            for row in self.rows
            if not row.suppressed and (self.exact or row.count >= SUPPRESS_BELOW)
        }

    @property
    def nonzero_rows(self) -> list[Row]:
        return [row for row in self.rows if row.count]

    @property
    def any_suppressed(self) -> bool:
        return any(row.suppressed for row in self.rows)

    def count(self, code: str) -> int:
        return next((row.count for row in self.rows if row.code == code), 0)

    def as_dict(self) -> dict:
        """JSON: hidden counts are null and listed in `suppressed` ("fewer than 5", zeros
        included); those hidden although 5 or more are listed again in
        `suppressed_secondary`; shares only where nothing is hidden; a withheld verdict is
        null."""
        data = {
            "total": None if is_suppressed(self.total, exact=self.exact) else self.total,
            "counts": {row.code: (None if row.suppressed else row.count) for row in self.rows},
            "suppressed": [row.code for row in self.rows if row.suppressed],
            "suppressed_secondary": (
                [] if self.withheld else [row.code for row in self.rows if row.secondary]
            ),
            "withheld": self.withheld,
            "verdict": None if self.verdict_hidden else self.balance.verdict.value,
            "threshold": self.balance.threshold,
        }
        if not self.verdict_hidden:
            data["small_group"] = self.balance.small_group
        if self.exact or not self.any_suppressed:
            data["shares"] = {k: round(v, 4) for k, v in self.balance.shares.items()}
        return data


VERDICT_HIDDEN = gettext_lazy("not shown for so few people")


def _breakdown(
    dimension: str,
    counts: dict[str, int],
    labels: dict,
    *,
    exact: bool,
    protection: Protection | None = None,
) -> Breakdown:
    balance = judge_for(dimension)(counts)
    total = sum(counts.values())
    codes = codes_for(dimension)
    full = {code: int(counts.get(code, 0)) for code in codes}
    if exact:
        protection = NOTHING
    elif protection is None:
        protection = protect([full], dimension)[0]
    rows = []
    for code in codes:
        value = full[code]
        is_hidden = protection.hides(code)
        rows.append(
            Row(
                code=code,
                label=str(labels.get(code, code)),
                count=value,
                suppressed=is_hidden,
                share=None if is_hidden or not total else value / total,
                secondary=protection.withheld or code in protection.secondary,
            )
        )
    return Breakdown(
        dimension=dimension,
        rows=rows,
        balance=balance,
        exact=exact,
        verdict_hidden=protection.verdict_hidden,
        withheld=protection.withheld,
    )


@dataclass
class WorkshopStatistics:
    workshop: Workshop
    exact: bool
    registered_gender: Breakdown
    registered_sector: Breakdown
    attended_gender: Breakdown
    attended_sector: Breakdown
    programme_gender: Breakdown
    waiting: int = 0
    cancelled: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def registered(self) -> int:
        return self.registered_gender.total

    @property
    def attended(self) -> int:
        return self.attended_gender.total

    @property
    def shown_sector_codes(self) -> set[str]:
        """Sectors whose figures are shown (5 or more) wherever this workshop is counted."""
        shown = self.registered_sector.shown_codes
        if self.attended:
            shown &= self.attended_sector.shown_codes
        return shown

    def as_dict(self) -> dict:
        def shown(value):
            return None if is_suppressed(value, exact=self.exact) else value

        return {
            "id": self.workshop.pk,
            "exact": self.exact,
            "suppression": {"below": SUPPRESS_BELOW, "applies": not self.exact},
            "registered": {
                "total": shown(self.registered),
                "gender": self.registered_gender.as_dict(),
                "sector": self.registered_sector.as_dict(),
            },
            "attended": {
                "total": shown(self.attended),
                "gender": self.attended_gender.as_dict(),
                "sector": self.attended_sector.as_dict(),
            },
            "waiting_list": shown(self.waiting),
            "programme": {"gender": self.programme_gender.as_dict()},
        }


def _sector_labels(sectors=None) -> dict[str, str]:
    labels = {
        term.code: term.label for term in (Sector.objects.all() if sectors is None else sectors)
    }
    labels["unknown"] = str(GENDER_LABELS["unknown"])
    return labels


def _prefetched_programme(workshop: Workshop) -> list[ProgrammeItem] | None:
    cache = getattr(workshop, "_prefetched_objects_cache", {})
    return list(cache["programme"]) if "programme" in cache else None


def statistics_for(
    workshops, *, exact: bool, programme: bool = True, sectors=None
) -> dict[int, WorkshopStatistics]:
    """Statistics of many workshops in three queries, whatever the number of people.

    `programme=False` leaves the programme's balance out (empty: a page that does not show it
    saves its statement); `sectors`: the sectors if the page has loaded them (sector_list())."""
    workshops = list(workshops)
    ids = [workshop.pk for workshop in workshops]
    rows = (
        Registration.objects.filter(workshop_id__in=ids)
        .values("workshop_id", "status", "gender", "sector__code")
        .annotate(n=Count("id"), present=Count("id", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    )
    # The programme's balance counts people on stage once each, however many items they lead,
    # by their anonymous key: it outlives the name, so erasing names changes no figure.
    loaded = [_prefetched_programme(workshop) for workshop in workshops]
    if not programme:
        on_stage = []
    elif all(items is not None for items in loaded):
        # The page has the programme already (workshop_for_page): counted from its items.
        on_stage = [
            {"workshop_id": workshop.pk, "contributor_gender": gender}
            for workshop, items in zip(workshops, loaded, strict=True)
            for _key, gender in {
                (item.contributor_key, item.contributor_gender)
                for item in items
                if item.contributor_key or item.contributor_gender != Gender.UNKNOWN
            }
        ]
    else:
        on_stage = (
            ProgrammeItem.objects.filter(workshop_id__in=ids)
            .exclude(contributor_key="", contributor_gender=Gender.UNKNOWN)
            .values("workshop_id", "contributor_key", "contributor_gender")
            .distinct()
            .order_by()
        )
    sector_labels = _sector_labels(sectors)
    tallies = {
        pk: {
            "registered_gender": {},
            "registered_sector": {},
            "attended_gender": {},
            "attended_sector": {},
            "programme_gender": {},
            "waiting": 0,
            "cancelled": 0,
        }
        for pk in ids
    }

    def add(bucket: dict, key: str, value: int) -> None:
        bucket[key] = bucket.get(key, 0) + value

    for row in rows:
        tally = tallies[row["workshop_id"]]
        gender = row["gender"] or "unknown"
        sector = row["sector__code"] or "unknown"
        if row["status"] == Registration.Status.REGISTERED:
            add(tally["registered_gender"], gender, row["n"])
            add(tally["registered_sector"], sector, row["n"])
            add(tally["attended_gender"], gender, row["present"])
            add(tally["attended_sector"], sector, row["present"])
        elif row["status"] == Registration.Status.WAITING:
            tally["waiting"] += row["n"]
        else:
            tally["cancelled"] += row["n"]
    for row in on_stage:
        add(tallies[row["workshop_id"]]["programme_gender"], row["contributor_gender"], 1)

    result = {}
    for workshop in workshops:
        tally = tallies[workshop.pk]
        protection = {}
        if not exact:
            for dimension in ("gender", "sector"):
                protection[f"registered_{dimension}"], protection[f"attended_{dimension}"] = (
                    protect(
                        [tally[f"registered_{dimension}"], tally[f"attended_{dimension}"]],
                        dimension,
                    )
                )

        def breakdown(name: str, dimension: str, labels: dict, tally=tally, protection=protection):
            return _breakdown(
                dimension, tally[name], labels, exact=exact, protection=protection.get(name)
            )

        result[workshop.pk] = WorkshopStatistics(
            workshop=workshop,
            exact=exact,
            registered_gender=breakdown("registered_gender", "gender", GENDER_LABELS),
            registered_sector=breakdown("registered_sector", "sector", sector_labels),
            attended_gender=breakdown("attended_gender", "gender", GENDER_LABELS),
            attended_sector=breakdown("attended_sector", "sector", sector_labels),
            programme_gender=breakdown("programme_gender", "gender", GENDER_LABELS),
            waiting=tally["waiting"],
            cancelled=tally["cancelled"],
        )
    return result


def workshop_statistics(
    workshop: Workshop, *, exact: bool, programme: bool = True, sectors=None
) -> WorkshopStatistics:
    return statistics_for([workshop], exact=exact, programme=programme, sectors=sectors)[
        workshop.pk
    ]


def _share(breakdown: Breakdown, code: str) -> int | None:
    """Percent of everyone in the group, from a shown cell only (None when it is hidden).

    Of everyone, not of those whose value is known: the known part would depend on the
    hidden "not stated" cell and give it away.
    """
    row = next((row for row in breakdown.rows if row.code == code), None)
    if row is None or row.suppressed or not breakdown.total:
        return None
    if is_suppressed(breakdown.total, exact=breakdown.exact):
        return None
    return round(100 * row.count / breakdown.total)


def workshop_comparison(statistics: list[WorkshopStatistics]) -> list[dict]:
    """One row per workshop, oldest first: who took part, and how the shares moved.

    Attendance is compared where people were checked in, registration otherwise. Shares are
    of everyone in the group, and only where the cell itself is shown.
    """
    rows = []
    previous = None
    for stats in sorted(statistics, key=lambda s: (s.workshop.starts_at, s.workshop.pk)):
        use_attended = stats.attended > 0
        gender = stats.attended_gender if use_attended else stats.registered_gender
        sector = stats.attended_sector if use_attended else stats.registered_sector
        row = {
            "workshop": stats.workshop,
            "basis": _("attended") if use_attended else _("registered"),
            "total": gender.total_display,
            "women": _share(gender, "woman"),
            "public": _share(sector, "public"),
            "civil_society": _share(sector, "civil_society"),
            "gender_verdict": gender.verdict_label,
            "sector_verdict": sector.verdict_label,
            "public_change": None,
        }
        if previous and row["public"] is not None and previous["public"] is not None:
            row["public_change"] = row["public"] - previous["public"]
        rows.append(row)
        previous = row
    return rows


def registrations_for_calendar(user) -> QuerySet[Registration]:
    """A login's own places and waiting-list entries at published workshops, for their feed."""
    if not user.is_authenticated or not user.email:
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            email_normalised=user.email.strip().lower(),
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
            erased_at=None,
            workshop__state__in=[Workshop.State.PUBLISHED, Workshop.State.CANCELLED],
        )
        .select_related("workshop")
        .order_by("workshop__starts_at")
    )


def contribution_sector_labels(contributions: list[Contribution], statistics) -> None:
    """Set `public_sector_label` on each contribution: its sector's name where that sector's
    figures are shown publicly (5 or more), else "" so a tag cannot single anyone out."""
    shown = statistics.shown_sector_codes
    for item in contributions:
        code = item.sector.code if item.sector_id else "unknown"
        if code not in shown:
            item.public_sector_label = ""
        elif item.sector_id:
            item.public_sector_label = str(item.sector.label)
        else:
            item.public_sector_label = str(SECTOR_NOT_STATED)


SECTOR_NOT_STATED = gettext_lazy("sector not stated")
