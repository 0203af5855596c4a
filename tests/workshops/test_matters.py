"""Issue 12: matters carried from workshops follow through to the council.

A matter raised without a meeting can be scheduled later from the matter itself; a declined
agenda item sends its matter back to "raised" with the reason shown publicly, and it can be
scheduled again; the council's agenda item shows the sector of each input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from council import services as council_services
from council.models import AgendaItem
from tests.workshops.conftest import sector
from workshops import services
from workshops.models import CarriedMatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(db):
    council = council_services.council_create(name="Samverkansrådet", slug="radet")
    result = []
    for days in (20, 50):
        starts = timezone.now() + timedelta(days=days)
        result.append(
            council_services.meeting_schedule(
                council=council,
                title=f"Rådsmöte om {days} dagar",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="Malmö",
                notify=False,
            )
        )
    return result


@pytest.fixture
def raised(workshop):
    obstacle = services.contribution_add(
        workshop=workshop, kind="obstacle", text="Medfinansiering", sector=sector("civil_society")
    )
    need = services.contribution_add(
        workshop=workshop, kind="need", text="Kontaktperson", sector=sector("public")
    )
    return services.carried_matter_raise(
        workshop=workshop, contributions=[obstacle, need], title="Finansiering"
    )


def _schedule(client, workshop, matter, meeting):
    return client.post(
        reverse("workshops:matter_schedule", args=[workshop.pk, matter.pk]),
        {"meeting": meeting.pk},
    )


def test_raised_matter_is_scheduled_later_from_the_matter(
    client, secretariat, workshop, raised, meetings
):
    client.force_login(secretariat)
    follow_up = reverse("workshops:manage_section", args=[workshop.pk, "follow-up"])
    manage = client.get(follow_up).content.decode()
    assert reverse("workshops:matter_schedule", args=[workshop.pk, raised.pk]) in manage
    response = _schedule(client, workshop, raised, meetings[1])  # any meeting, not the next
    assert response.status_code == 302
    raised.refresh_from_db()
    assert raised.agenda_item.meeting == meetings[1]
    assert raised.status == CarriedMatter.Status.ON_AGENDA


def test_agenda_item_shows_the_sector_of_each_input(
    client, secretariat, workshop, raised, meetings
):
    client.force_login(secretariat)
    _schedule(client, workshop, raised, meetings[0])
    page = client.get(reverse("council:meeting_detail", args=[meetings[0].pk])).content.decode()
    assert "– Medfinansiering (Idéburen sektor)" in page
    assert "– Kontaktperson (Offentlig sektor)" in page


def test_declined_item_returns_matter_to_raised_with_reason_and_can_be_scheduled_again(
    client, secretariat, workshop, raised, meetings
):
    client.force_login(secretariat)
    _schedule(client, workshop, raised, meetings[0])
    raised.refresh_from_db()
    item = raised.agenda_item
    decline = reverse("council:agenda_item_decline", args=[item.pk])
    client.post(decline, {"reason": "Tas upp när budgeten är klar."})
    assert AgendaItem.objects.get(pk=item.pk).state == "declined"
    raised.refresh_from_db()
    assert raised.status == CarriedMatter.Status.RAISED
    # The public workshop page shows why.
    client.logout()
    public = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "Tas upp när budgeten är klar." in public
    assert "Väckt" in public
    # And it can be scheduled again.
    client.force_login(secretariat)
    assert _schedule(client, workshop, raised, meetings[1]).status_code == 302
    raised.refresh_from_db()
    assert raised.agenda_item.meeting == meetings[1]
    assert raised.status == CarriedMatter.Status.ON_AGENDA


def test_withdrawn_decision_does_not_make_a_matter_decided(workshop, raised, meetings):
    matter = services.carried_matter_schedule(matter=raised, meeting=meetings[0])
    decision = council_services.decision_record(agenda_item=matter.agenda_item, text="Fel")
    council_services.decision_withdraw(decision=decision)
    matter = CarriedMatter.objects.get(pk=matter.pk)
    assert matter.status == CarriedMatter.Status.ON_AGENDA


def test_scheduling_needs_the_right_to_carry(client, member, workshop, raised, meetings):
    client.force_login(member)
    assert _schedule(client, workshop, raised, meetings[0]).status_code == 403
    raised.refresh_from_db()
    assert raised.agenda_item is None
