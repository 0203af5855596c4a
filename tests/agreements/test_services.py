from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.enums import ActionStatus, ChecklistState, Phase, Side
from agreements.models import ChecklistItem, PhaseChange, Principle, Recommendation
from tests.agreements.conftest import make_agreement, record_round, scores

pytestmark = pytest.mark.django_db


def test_content_has_six_principles_with_recommendations_and_questions_per_phase():
    assert [p.code for p in Principle.objects.order_by("position")] == [
        "independence",
        "dialogue",
        "quality",
        "long_term",
        "openness",
        "diversity",
    ]
    for principle in Principle.objects.all():
        assert principle.description_sv and principle.description_en
        assert Recommendation.objects.filter(principle=principle).count() >= 2
    for phase in Phase.values:
        assert ChecklistItem.objects.filter(phase=phase, agreement=None).count() >= 4


def test_content_sync_is_idempotent():
    before = ChecklistItem.objects.count()
    services.content_sync()
    assert ChecklistItem.objects.count() == before


def test_agreement_create_records_first_phase(leader):
    agreement = make_agreement(leaders=[leader], collaboration_forms=["iop", "project_funds"])
    assert agreement.phase == Phase.PRE
    assert agreement.version == 1
    assert list(agreement.phase_changes.values_list("from_phase", "to_phase")) == [("", "pre")]
    assert agreement.collaboration_forms == ["iop", "project_funds"]


def test_agreement_create_refuses_unknown_collaboration_form():
    with pytest.raises(ValidationError):
        make_agreement(collaboration_forms=["lottery"])


def test_phase_advance_records_who_why_and_open_questions(agreement, leader):
    change = services.agreement_phase_advance(
        agreement=agreement, expected_version=1, advanced_by=leader, note="Parterna är samlade."
    )
    agreement.refresh_from_db()
    assert agreement.phase == Phase.GATHERING
    assert agreement.version == 2
    assert change.changed_by == leader
    assert change.note == "Parterna är samlade."
    assert change.open_questions == ChecklistItem.objects.filter(phase="pre").count()


def test_phase_advance_counts_only_unanswered_questions(agreement, leader):
    item = ChecklistItem.objects.filter(phase="pre").first()
    services.checklist_answer_update(
        agreement=agreement, item=item, state=ChecklistState.ANSWERED, updated_by=leader
    )
    change = services.agreement_phase_advance(
        agreement=agreement, expected_version=1, advanced_by=leader
    )
    assert change.open_questions == ChecklistItem.objects.filter(phase="pre").count() - 1


def test_phase_advance_from_anchoring_sets_signed_date(leader):
    agreement = make_agreement(leaders=[leader], phase=Phase.ANCHORING)
    services.agreement_phase_advance(agreement=agreement, expected_version=1, advanced_by=leader)
    agreement.refresh_from_db()
    assert agreement.phase == Phase.IMPLEMENTATION
    assert agreement.signed_on == timezone.localdate()


def test_phase_advance_past_follow_up_is_refused(leader):
    agreement = make_agreement(leaders=[leader], phase=Phase.FOLLOW_UP)
    with pytest.raises(ValidationError):
        services.agreement_phase_advance(
            agreement=agreement, expected_version=1, advanced_by=leader
        )


def test_phase_revert_needs_a_reason(leader):
    agreement = make_agreement(leaders=[leader], phase=Phase.FORMULATION)
    with pytest.raises(ValidationError) as error:
        services.agreement_phase_revert(
            agreement=agreement, expected_version=1, reverted_by=leader, note=" "
        )
    assert "note" in error.value.message_dict
    change = services.agreement_phase_revert(
        agreement=agreement, expected_version=1, reverted_by=leader, note="Fler parter behövs."
    )
    assert change.is_revert
    agreement.refresh_from_db()
    assert agreement.phase == Phase.GATHERING


def test_stale_version_is_refused_with_the_time_of_the_other_save(agreement, leader, secretariat):
    services.agreement_update(
        agreement=agreement, expected_version=1, updated_by=secretariat, summary="Ny text"
    )
    with pytest.raises(services.StaleVersionError) as error:
        services.agreement_phase_advance(
            agreement=agreement, expected_version=1, advanced_by=leader
        )
    agreement.refresh_from_db()
    saved = timezone.localtime(agreement.updated_at).strftime("%H:%M")
    assert (
        error.value.messages
        == [
            f"Någon annan sparade den här överenskommelsen kl. {saved}; se över deras ändring och "
            "försök igen."
        ]
        or saved in error.value.messages[0]
    )
    assert agreement.phase == Phase.PRE
    assert PhaseChange.objects.filter(agreement=agreement).count() == 1


def test_checklist_answer_versions_refuse_a_stale_save(agreement, leader, other_leader):
    item = ChecklistItem.objects.filter(phase="pre").first()
    first = services.checklist_answer_update(
        agreement=agreement,
        item=item,
        state=ChecklistState.IN_PROGRESS,
        note="A",
        expected_version=0,
        updated_by=leader,
    )
    assert first.version == 1
    with pytest.raises(services.StaleVersionError):
        services.checklist_answer_update(
            agreement=agreement,
            item=item,
            state=ChecklistState.ANSWERED,
            note="B",
            expected_version=0,
            updated_by=other_leader,
        )
    second = services.checklist_answer_update(
        agreement=agreement,
        item=item,
        state=ChecklistState.ANSWERED,
        note="B",
        expected_version=1,
        updated_by=other_leader,
    )
    assert (second.version, second.state, second.note) == (2, "answered", "B")


def test_local_question_belongs_to_its_agreement_only(agreement):
    other = make_agreement()
    item = services.checklist_item_add(agreement=agreement, phase="pre", text_sv="Lokal fråga?")
    assert item.text_en == "Lokal fråga?"
    assert services.checklist_items_for(agreement, "pre").filter(pk=item.pk).exists()
    assert not services.checklist_items_for(other, "pre").filter(pk=item.pk).exists()
    with pytest.raises(ValidationError):
        services.checklist_answer_update(agreement=other, item=item, state="answered")


def test_assessment_round_takes_both_sides_once_each(agreement, leader):
    day = date(2025, 3, 1)
    round_ = record_round(agreement, day, scores(4), scores(3), by=leader)
    assert round_.assessments.count() == 12
    with pytest.raises(ValidationError):
        services.assessment_round_record(
            agreement=agreement, held_on=day, side=Side.PUBLIC, scores=scores(2)
        )


def test_assessment_round_refuses_scores_outside_one_to_five(agreement):
    with pytest.raises(ValidationError):
        services.assessment_round_record(
            agreement=agreement, held_on=date(2025, 3, 1), side=Side.PUBLIC, scores=scores(6)
        )
    with pytest.raises(ValidationError):
        services.assessment_round_record(
            agreement=agreement,
            held_on=date(2025, 3, 1),
            side=Side.PUBLIC,
            scores={"dialogue": (3, "")},
        )


def test_reminders_go_once_to_process_leaders_after_commit(
    agreement, leader, django_capture_on_commit_callbacks
):
    today = date(2026, 5, 4)
    services.agreement_next_assessment_set(
        agreement=agreement, expected_version=1, on=today + timedelta(days=3), updated_by=leader
    )
    services.action_create(
        agreement=agreement,
        title="Utbildning för nämnden",
        owner_side=Side.PUBLIC,
        due_on=today - timedelta(days=1),
    )
    services.action_create(
        agreement=agreement,
        title="Klar sak",
        owner_side=Side.PUBLIC,
        due_on=today - timedelta(days=1),
        status=ActionStatus.DONE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.due_reminders_send(today=today) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [leader.email, leader.email]
    assert any("Utbildning för nämnden" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.due_reminders_send(today=today) == 0
    assert len(mail.outbox) == 2
