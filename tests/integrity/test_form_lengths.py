"""Issue 10: long input is refused with a message at the form, never cut short later.

A form field that allows more than the model field stores lets a long value through to the
service, where it is either cut (lost without a word) or fails in the database (a 500 on
PostgreSQL). The walk below compares every text field of every form with the model field it
is stored in; request-level tests show the suggestion and invitation cases and the service
cuts that were removed.
"""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.core import mail
from django.urls import reverse

from tests.accounts.helpers import sign_in
from tests.factories import make_user

APPS = ("accounts", "directory", "council", "workshops", "agreements", "reports")

# Plain forms (not model forms) and the model their fields are stored in; a field named
# differently is mapped to "Model.field". None: the form stores nothing of its own text.
STORED_IN = {
    "accounts.InvitationForm": "accounts.Invitation",
    "accounts.InvitationAcceptForm": None,
    "accounts.ErasureRequestForm": "accounts.ErasureRequest",
    "directory.ContactRoleForm": {
        None: "directory.ContactRole",
        "person_name": "directory.Person.name",
        "person_email": "directory.Person.email",
        "person_phone": "directory.Person.phone",
    },
    "directory.SuggestionForm": "directory.Suggestion",
    "directory.DecisionForm": {"note": "directory.Suggestion.decision_note"},
    "directory.DirectorySearchForm": None,
    "directory.EditorAddForm": None,
    "directory.NameLookupForm": None,
    "directory.OfferSearchForm": None,
    "directory.PersonEraseForm": None,
    "council.MeetingForm": "council.Meeting",
    "council.AgendaItemForm": "council.AgendaItem",
    "council.DecisionForm": "council.Decision",
    "council.ActionItemForm": "council.ActionItem",
    "council.MembershipForm": "council.Membership",
    "council.MinutesForm": {"text": "council.AgendaItem.minutes"},
    "workshops.CarryForm": "workshops.CarriedMatter",
    "workshops.ContributionForm": "workshops.Contribution",
    "workshops.RegistrationForm": "workshops.Registration",
    "workshops.WalkInForm": "workshops.Registration",
    "workshops.ResolveForm": "workshops.CarriedMatter",
    "agreements.ActionForm": "agreements.ActionPlanItem",
    "agreements.AgreementCreateForm": "agreements.Agreement",
    "agreements.AgreementDetailsForm": "agreements.Agreement",
    "agreements.AnchoringForm": "agreements.Anchoring",
    "agreements.ChecklistAnswerForm": "agreements.ChecklistAnswer",
    "agreements.LocalQuestionForm": "agreements.ChecklistItem",
    "agreements.LogEntryForm": "agreements.LogEntry",
    "agreements.PhaseForm": "agreements.PhaseChange",
    "reports.ReportRequestForm": None,
    "council.DeclineForm": {"reason": "council.AgendaItem.decline_reason"},
    "council.MinutesAnswerForm": {"comment": "council.MinutesApproval.comment"},
    "council.MinutesCorrectForm": {"reason": "council.MinutesRecord.reason"},
    "council.ReasonForm": {"reason": "council.RecordChange.reason"},
    "agreements.RespondentInviteForm": "agreements.Respondent",
    "agreements.RoundWithdrawForm": {"note": "agreements.AssessmentRound.withdrawn_note"},
}


def _forms():
    for label in APPS:
        try:
            module = importlib.import_module(f"{label}.forms")
        except ImportError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            is_form = issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
            if is_form and cls.base_fields:
                yield f"{label}.{name}", cls


def _model_field(target: str, name: str):
    parts = target.split(".")
    model = apps.get_model(parts[0], parts[1])
    field_name = parts[2] if len(parts) == 3 else name
    try:
        return model._meta.get_field(field_name)
    except Exception:
        return None


def _stored_field(key, cls, name):
    meta_model = getattr(getattr(cls, "_meta", None), "model", None)
    if meta_model is not None:
        try:
            return meta_model._meta.get_field(name)
        except Exception:
            return None
    target = STORED_IN[key]
    if target is None:
        return None
    if isinstance(target, dict):
        if name in target:
            return _model_field(target[name], name)
        return _model_field(target[None], name) if None in target else None
    return _model_field(target, name)


def test_every_plain_form_says_where_its_text_is_stored():
    """A new plain form must be added to STORED_IN, so the walk below covers it."""
    missing = [
        key
        for key, cls in _forms()
        if getattr(getattr(cls, "_meta", None), "model", None) is None
        and key not in STORED_IN
        and any(isinstance(field, forms.CharField) for field in cls.base_fields.values())
    ]
    assert missing == []


def test_no_form_field_allows_more_than_its_model_field_stores():
    problems = []
    for key, cls in _forms():
        for name, field in cls.base_fields.items():
            if not isinstance(field, forms.CharField):
                continue
            stored = _stored_field(key, cls, name)
            limit = getattr(stored, "max_length", None)
            if limit is None:
                continue
            if field.max_length is None or field.max_length > limit:
                problems.append(f"{key}.{name}: form {field.max_length}, stored {limit}")
    assert problems == []


# --- At the request level -----------------------------------------------------------------

LONG_EMAIL = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "se"  # 307 characters, well formed


@pytest.mark.django_db
def test_suggestion_with_a_3020_character_website_is_refused_at_the_form(client):
    from directory.models import Suggestion

    website = "https://example.org/" + "a" * 3000
    response = client.post(
        reverse("directory:suggest"),
        {"name": "Byalaget Norra", "website": website, "message": "En förening i Höör."},
    )
    assert response.status_code in (200, 400)
    assert "website" in response.context["form"].errors
    assert Suggestion.objects.count() == 0


@pytest.mark.django_db
def test_suggestion_with_a_too_long_email_is_refused_at_the_field(client):
    from directory.models import Suggestion

    assert len(LONG_EMAIL) == 307
    response = client.post(
        reverse("directory:suggest"),
        {"name": "Byalaget Norra", "email": LONG_EMAIL, "message": "En förening i Höör."},
    )
    errors = response.context["form"].errors
    assert "email" in errors and "254" in " ".join(errors["email"])
    assert Suggestion.objects.count() == 0


@pytest.mark.django_db
def test_invitation_with_a_too_long_email_is_refused_not_a_500(client):
    from accounts.models import Invitation

    sign_in(client, make_user("secretariat"), second_factor=True)
    response = client.post(
        reverse("accounts:invitation_list"),
        {"email": LONG_EMAIL, "full_name": "Ny Person", "role": "organisation_editor"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_decline_note_longer_than_stored_is_refused_not_cut():
    from django.core.exceptions import ValidationError

    from directory import services
    from directory.models import Suggestion

    suggestion = services.suggestion_submit(
        kind=Suggestion.Kind.NEW, name="Byalaget Norra", message="En förening i Höör."
    )
    with pytest.raises(ValidationError):
        services.suggestion_reject(
            suggestion=suggestion, decided_by=make_user("secretariat"), note="x" * 501
        )
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.decision_note) == ("pending", "")


@pytest.mark.django_db
def test_carrying_more_input_than_an_agenda_item_holds_is_refused_not_cut(client):
    from council.models import AgendaItem
    from tests.workshops.conftest import make_workshop
    from workshops import services
    from workshops.models import CarriedMatter

    workshop = make_workshop()
    items = [
        services.contribution_add(workshop=workshop, kind="idea", text=f"{n} " + "ord " * 240)
        for n in range(3)
    ]
    meeting = _meeting()
    client.force_login(make_user("secretariat"))
    response = client.post(
        reverse("workshops:carry", args=[workshop.pk]),
        {
            "contributions": [item.pk for item in items],
            "title": "Tre idéer",
            "meeting": meeting.pk,
        },
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert AgendaItem.objects.count() == 0
    assert CarriedMatter.objects.count() == 0


def _meeting():
    from tests.council.conftest import make_council, make_meeting

    return make_meeting(make_council())
