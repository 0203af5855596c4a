"""Every edit form round-trips: load it, submit exactly what it shows, and nothing changes.

On the demo data, as the role that uses each form: the page is loaded, every edit form on it
is submitted with the values the page shows (as a browser would, without JavaScript), and the
tables of the domain apps must be exactly as before (no field changed, no history row, no
version bumped). A form that shows a value it does not store back (finding 1 of issue 10:
the organisation form lost its sector and legal form) fails here.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import resolve, reverse

from accounts.demo import DEMO_PASSWORD
from tests.integrity.htmlforms import page_forms

DOMAIN_APPS = ("directory", "council", "workshops", "agreements")
# Enough of each form to meet the demo's variety (drafts, hidden, past and cancelled, empty
# and filled answers) while the walk stays a few minutes on a small machine.
PAGES_PER_FORM = 8
FORMS_PER_PAGE = 15


def database_snapshot() -> dict[str, list[dict]]:
    """Every row of every table of the domain apps, many-to-many tables included."""
    snapshot = {}
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            snapshot[model._meta.label] = list(model.objects.order_by("pk").values())
    return snapshot


def snapshot_differences(before: dict, after: dict) -> list[str]:
    differences = []
    for table, rows in before.items():
        if rows == after[table]:
            continue
        old = {row["id"]: row for row in rows}
        new = {row["id"]: row for row in after[table]}
        for pk in sorted(old.keys() | new.keys()):
            if old.get(pk) == new.get(pk):
                continue
            if pk not in old or pk not in new:
                differences.append(f"{table} #{pk}: {'added' if pk in new else 'removed'}")
                continue
            for name, value in old[pk].items():
                if new[pk][name] != value:
                    differences.append(f"{table} #{pk}.{name}: {value!r} -> {new[pk][name]!r}")
    return differences


@dataclass(frozen=True)
class EditForm:
    """An edit form: who uses it, the pages it is on, and the URL name its form posts to."""

    email: str
    pages: Callable[[], list[str]]
    action: str


def _organisation_of_editor():
    from accounts.models import User
    from directory import selectors

    editor = User.objects.get(email="editor@example.org")
    return list(selectors.organisation_editable_by(editor).order_by("pk"))


def _editor_organisation_pages():
    return [reverse("directory:edit", args=[o.slug]) for o in _organisation_of_editor()]


def _staff_organisation_pages():
    from directory.models import Organisation

    return [reverse("directory:edit", args=[o.slug]) for o in Organisation.objects.order_by("pk")]


def _offer_pages():
    from directory.models import Offer

    return [
        reverse("directory:offer_edit", args=[offer.organisation.slug, offer.pk])
        for offer in Offer.objects.select_related("organisation").order_by("pk")
    ]


def _contact_point_pages():
    from directory.models import ContactRole

    return [
        reverse("directory:contact_edit", args=[role.organisation.slug, role.pk])
        for role in ContactRole.objects.select_related("organisation").order_by("pk")
    ]


def _meeting_edit_pages():
    from council.models import Meeting

    return [
        reverse("council:meeting_edit", args=[pk])
        for pk in Meeting.objects.filter(cancelled_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]


def _meeting_section_pages(section):
    """The meeting page's part with the form (attendance: running; action items: closing)."""

    def pages():
        from council.models import Meeting

        return [
            reverse("council:meeting_section", args=[pk, section])
            for pk in Meeting.objects.order_by("pk").values_list("pk", flat=True)
        ]

    return pages


def _minutes_pages():
    from council.models import AgendaItem

    return [
        reverse("council:minutes_edit", args=[pk])
        for pk in AgendaItem.objects.exclude(minutes="").order_by("pk").values_list("pk", flat=True)
    ]


def _decision_pages():
    from council.models import Decision

    return [
        reverse("council:decision_edit", args=[pk])
        for pk in Decision.objects.order_by("pk").values_list("pk", flat=True)
    ]


def _action_item_pages():
    from council.models import ActionItem

    return [
        reverse("council:action_item_edit", args=[pk])
        for pk in ActionItem.objects.filter(withdrawn_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]


def _workshop_pages(name):
    def pages():
        from workshops.models import Workshop

        return [
            reverse(f"workshops:{name}", args=[pk])
            for pk in Workshop.objects.order_by("pk").values_list("pk", flat=True)
        ]

    return pages


def _programme_item_pages():
    from workshops.models import ProgrammeItem

    return [
        reverse("workshops:programme_edit", args=[item.workshop_id, item.pk])
        for item in ProgrammeItem.objects.order_by("pk")
    ]


def _contribution_pages():
    from workshops.models import Contribution

    return [
        reverse("workshops:contribution_edit", args=[item.workshop_id, item.pk])
        for item in Contribution.objects.order_by("pk")
    ]


def _agreement_pages(name):
    def pages():
        from accounts.models import User
        from agreements import selectors

        leader = User.objects.get(email="leader@example.org")
        return [
            reverse(f"agreements:{name}", args=[a.pk])
            for a in selectors.agreement_list_editable_by(leader).order_by("pk")
        ]

    return pages


def _round_pages():
    from accounts.models import User
    from agreements import selectors
    from agreements.models import AssessmentRound

    leader = User.objects.get(email="leader@example.org")
    return [
        reverse("agreements:round", args=[r.agreement_id, r.pk])
        for r in AssessmentRound.objects.filter(
            agreement__in=selectors.agreement_list_editable_by(leader)
        )
        .exclude(status="withdrawn")
        .order_by("pk")
    ]


EDIT_FORMS = {
    "organisation (editor)": EditForm(
        "editor@example.org", _editor_organisation_pages, "directory:edit"
    ),
    "organisation (secretariat)": EditForm(
        "secretariat@example.org", _staff_organisation_pages, "directory:edit"
    ),
    "offer": EditForm("secretariat@example.org", _offer_pages, "directory:offer_edit"),
    "contact point": EditForm(
        "secretariat@example.org", _contact_point_pages, "directory:contact_edit"
    ),
    "meeting": EditForm("secretariat@example.org", _meeting_edit_pages, "council:meeting_edit"),
    "attendance": EditForm(
        "secretariat@example.org", _meeting_section_pages("running"), "council:attendance_record"
    ),
    "minutes": EditForm("secretariat@example.org", _minutes_pages, "council:minutes_edit"),
    "decision": EditForm("secretariat@example.org", _decision_pages, "council:decision_edit"),
    "action item": EditForm(
        "secretariat@example.org", _action_item_pages, "council:action_item_edit"
    ),
    "action item status": EditForm(
        "secretariat@example.org",
        lambda: [reverse("council:action_list")],
        "council:action_item_status",
    ),
    "action item status (meeting page)": EditForm(
        "secretariat@example.org", _meeting_section_pages("closing"), "council:action_item_status"
    ),
    "workshop": EditForm("secretariat@example.org", _workshop_pages("edit"), "workshops:edit"),
    "programme item": EditForm(
        "secretariat@example.org", _programme_item_pages, "workshops:programme_edit"
    ),
    "contribution": EditForm(
        "secretariat@example.org", _contribution_pages, "workshops:contribution_edit"
    ),
    "agreement": EditForm("leader@example.org", _agreement_pages("edit"), "agreements:edit"),
    "checklist answer": EditForm(
        "leader@example.org", _agreement_pages("checklist"), "agreements:answer"
    ),
    "agreement action status": EditForm(
        "leader@example.org", _agreement_pages("manage"), "agreements:action_status"
    ),
    "agreement planned dates": EditForm(
        "leader@example.org", _agreement_pages("manage"), "agreements:plan"
    ),
    "assessment round dates": EditForm(
        "leader@example.org", _round_pages, "agreements:round_dates"
    ),
}


# Forms that change a stored record in place without "edit" in their URL name.
IN_PLACE_EDITS = {
    "agreements:answer",
    "agreements:action_status",
    "agreements:plan",
    "agreements:round_dates",
    "council:attendance_record",
    "council:action_item_status",
}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.postgres
@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_edit_form_round_trip_changes_nothing(demo, client, name):
    spec = EDIT_FORMS[name]
    assert client.login(email=spec.email, password=DEMO_PASSWORD)
    pages = spec.pages()
    assert pages, f"the demo data has no page with the {name} form"
    submitted, problems = 0, []
    for page in pages[:PAGES_PER_FORM]:
        response = client.get(page)
        assert response.status_code == 200, page
        forms = [
            form
            for form in page_forms(response.content.decode(), page)
            if form.method == "post" and _url_name(form.action) == spec.action
        ]
        # Not every record has one (an agreement without actions); the walk needs some.
        before = database_snapshot()  # after the page was shown: only the saves count
        for form in forms[:FORMS_PER_PAGE]:
            answer = client.post(form.action, form.data())
            submitted += 1
            if answer.status_code != 302:
                problems.append(f"{form.action}: answered {answer.status_code}, not saved")
            after = database_snapshot()
            problems += [f"{form.action}: {d}" for d in snapshot_differences(before, after)]
            before = after
    assert submitted, f"no page of the demo data shows the {name} form"
    assert problems == []


def _url_name(path: str) -> str:
    match = resolve(path)
    return f"{match.namespace}:{match.url_name}"


def test_round_trip_covers_every_edit_view():
    """A new edit view must join the walk: every URL named *edit* (and the other forms that
    change a stored record in place) is in EDIT_FORMS."""
    from django.urls import get_resolver

    from tests.security.test_anonymous_access import _walk

    edit_views = set()
    for _route, name, _pattern in _walk(get_resolver()):
        if name.endswith("edit") or name in IN_PLACE_EDITS:
            edit_views.add(name)
    covered = {spec.action for spec in EDIT_FORMS.values()}
    assert edit_views - covered == set()


# What HSDS asks of a service, and the offer form must show and store back.
OFFER_HSDS_FIELDS = {
    "eligibility",
    "referral_required",
    "how_to_apply",
    "is_free",
    "fees_description",
    "languages",
    "schedule_frequency",
    "schedule_days",
    "opens_at",
    "closes_at",
    "schedule_note",
    "areas",
    "target_groups",
    "municipalities",
}


@pytest.mark.postgres
@pytest.mark.parametrize(
    "title", ["Studiecirklar i svenska", "Arbetsträning i second hand", "Prova-på-idrott"]
)
def test_offer_form_round_trips_every_hsds_field(demo, client, title):
    from directory.models import Offer

    offer = Offer.objects.select_related("organisation").get(title=title)
    assert client.login(email="secretariat@example.org", password=DEMO_PASSWORD)
    page = reverse("directory:offer_edit", args=[offer.organisation.slug, offer.pk])
    html = client.get(page).content.decode()
    (form,) = [f for f in page_forms(html, page) if _url_name(f.action) == "directory:offer_edit"]
    data = form.data()
    # Every HSDS field is on the form (an empty text or unticked box sends nothing).
    for name in OFFER_HSDS_FIELDS - {
        "referral_required",
        "is_free",
        "fees_description",
        "how_to_apply",
        "schedule_note",
        "areas",
        "target_groups",
        "municipalities",
    }:
        assert name in data, name
    for name in OFFER_HSDS_FIELDS:
        assert f'name="{name}"' in html, name
    assert data["eligibility"] == [offer.eligibility]
    assert data["schedule_days"] == offer.schedule_days.split(",")
    assert data["opens_at"] == [offer.opens_at.strftime("%H:%M")]
    assert sorted(data["languages"]) == sorted(offer.languages.values_list("code", flat=True))
    before = database_snapshot()
    assert client.post(form.action, data).status_code == 302
    assert snapshot_differences(before, database_snapshot()) == []
    # And a change to them is stored.
    data["schedule_days"] = ["TU", "TH"]
    data["eligibility"] = ["Alla vuxna."]
    data["closes_at"] = ["21:30"]
    data["version"] = [str(Offer.objects.get(pk=offer.pk).version)]
    assert client.post(form.action, data).status_code == 302
    offer.refresh_from_db()
    assert (offer.schedule_days, offer.eligibility, offer.closes_at.strftime("%H:%M")) == (
        "TU,TH",
        "Alla vuxna.",
        "21:30",
    )
