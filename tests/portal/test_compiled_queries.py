"""portal/compiled_queries.py: a queryset compiled once gives what the queryset gives."""

from datetime import date

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from agreements import selectors
from agreements.models import Agreement, PhaseChange
from portal.compiled_queries import CompiledQuery, prefetched
from tests.agreements.conftest import make_agreement
from tests.factories import make_user


def _values(instance) -> dict:
    return {key: value for key, value in vars(instance).items() if not key.startswith("_")}


@pytest.mark.django_db
def test_instances_are_the_querysets_with_their_related_rows_and_converted_values():
    leader = make_user("process_leader", full_name="Åsa Öberg")
    first = make_agreement(leaders=[leader])
    second = make_agreement(leaders=[leader])
    Agreement.objects.filter(pk=first.pk).update(phase_plan={"pre": "2024-02-03"})
    from agreements import services

    agreement = Agreement.objects.get(pk=first.pk)
    services.agreement_phase_advance(
        agreement=agreement, expected_version=agreement.version, advanced_by=leader, note="Ja"
    )
    changes = CompiledQuery(
        lambda pk: (
            PhaseChange.objects.filter(agreement_id=pk)
            .select_related("changed_by")
            .order_by("effective_on", "changed_at", "pk")
        )
    )
    agreements = CompiledQuery(lambda pk: Agreement.objects.filter(pk=pk))
    for pk in (first.pk, second.pk, 0):
        expected = list(
            PhaseChange.objects.filter(agreement_id=pk)
            .select_related("changed_by")
            .order_by("effective_on", "changed_at", "pk")
        )
        made = changes.instances(pk)
        assert [_values(c) for c in made] == [_values(c) for c in expected]
        with CaptureQueriesContext(connection) as queries:
            people = [c.changed_by and _values(c.changed_by) for c in made]
        assert not queries.captured_queries
        assert people == [c.changed_by and _values(c.changed_by) for c in expected]
        assert [model_to_dict(a) for a in agreements.instances(pk)] == [
            model_to_dict(a) for a in Agreement.objects.filter(pk=pk)
        ]
    assert agreements.instances(first.pk)[0].phase_plan == {"pre": "2024-02-03"}  # JSON decoded
    assert changes.instances(first.pk)[-1].changed_by.full_name == "Åsa Öberg"


@pytest.mark.django_db
def test_prefetched_rows_are_read_without_a_query_and_know_their_owner():
    agreement = make_agreement()
    changes = list(PhaseChange.objects.filter(agreement=agreement))
    loaded = Agreement.objects.get(pk=agreement.pk)
    prefetched(loaded, "phase_changes", changes)
    with CaptureQueriesContext(connection) as queries:
        assert list(loaded.phase_changes.all()) == changes
        assert all(change.agreement is loaded for change in loaded.phase_changes.all())
    assert not queries.captured_queries


@pytest.mark.django_db
def test_the_workspace_rows_are_the_prefetched_ones():
    """agreement_manage_load() gives what the prefetches it replaced gave."""
    from django.db.models import Prefetch, prefetch_related_objects

    from agreements.models import ActionPlanItem, Principle

    leader = make_user("process_leader", full_name="")
    agreement = make_agreement(leaders=[leader])
    from agreements import services
    from agreements.enums import AnchoringLevel, LogKind

    services.action_create(
        agreement=agreement,
        title="Med princip",
        owner_side="public",
        principle=Principle.objects.first(),
    )
    services.action_create(agreement=agreement, title="Utan", owner_side="civil_society")
    services.agreement_phase_advance(
        agreement=agreement, expected_version=agreement.version, advanced_by=leader
    )
    for level in AnchoringLevel.values:
        services.anchoring_record(
            agreement=agreement, level=level, anchored_on=date(2024, 1, 1), reference="B"
        )
    services.log_entry_add(
        agreement=agreement,
        kind=LogKind.MEETING,
        occurred_on=agreement.created_at.date(),
        title="Möte",
        created_by=leader,
    )
    loaded = Agreement.objects.get(pk=agreement.pk)
    selectors.agreement_manage_load(loaded)
    expected = Agreement.objects.get(pk=agreement.pk)
    prefetch_related_objects(
        [expected],
        "anchorings",
        Prefetch(
            "phase_changes",
            queryset=PhaseChange.objects.select_related("changed_by").order_by(
                "effective_on", "changed_at", "pk"
            ),
        ),
        Prefetch("actions", queryset=ActionPlanItem.objects.select_related("principle")),
        "log",
    )
    with CaptureQueriesContext(connection) as queries:
        for name in ("anchorings", "phase_changes", "actions", "log"):
            got = list(getattr(loaded, name).all())
            assert [_values(row) for row in got] == [
                _values(row) for row in getattr(expected, name).all()
            ]
        principles = [a.principle and a.principle.name for a in loaded.actions.all()]
    assert not queries.captured_queries
    assert principles == [a.principle and a.principle.name for a in expected.actions.all()]
    assert None in principles and len(principles) == 2


@pytest.mark.django_db
def test_the_checklist_rows_are_the_querysets():
    """checklist_for() reads the questions and answers through compiled queries: the same
    questions in the same order, the same answers with who saved them."""
    from django.db.models import Q

    from agreements import services
    from agreements.enums import ChecklistState
    from agreements.models import ChecklistAnswer, ChecklistItem

    leader = make_user("process_leader", full_name="Åsa Öberg")
    agreement = make_agreement(leaders=[leader])
    other = make_agreement(leaders=[leader])
    services.checklist_item_add(agreement=agreement, phase="pre", text_sv="Vår fråga")
    services.checklist_item_add(agreement=other, phase="pre", text_sv="Deras fråga")
    for item in ChecklistItem.objects.filter(agreement=None)[:3]:
        services.checklist_answer_update(
            agreement=agreement, item=item, state=ChecklistState.ANSWERED, updated_by=leader
        )
    groups = selectors.checklist_for(agreement)
    items = ChecklistItem.objects.filter(Q(agreement=None) | Q(agreement=agreement)).order_by(
        "position", "pk"
    )
    rows = [row for group in groups for row in group.rows]
    assert sorted(row.item.pk for row in rows) == sorted(item.pk for item in items)
    by_phase = {group.phase: [row.item.pk for row in group.rows] for group in groups}
    for phase, pks in by_phase.items():
        assert pks == [item.pk for item in items if item.phase == phase]
    answers = {a.item_id: a for a in ChecklistAnswer.objects.filter(agreement=agreement)}
    assert {row.item.pk for row in rows if row.answer} == set(answers) and len(answers) == 3
    for row in rows:
        assert _values(row.item) == _values(ChecklistItem.objects.get(pk=row.item.pk))
        if row.answer:
            assert _values(row.answer) == _values(answers[row.item.pk])
            assert row.answer.updated_by.full_name == "Åsa Öberg"
    assert "Deras fråga" not in [row.item.text for row in rows]


def test_a_query_without_the_id_as_parameter_is_refused(db):
    """A queryset whose SQL does not take the id would run the same statement for every id."""
    from directory.models import Organisation

    with pytest.raises(ValueError, match="id as a parameter"):
        CompiledQuery(lambda _id: Organisation.objects.values_list("pk")).rows(1)
