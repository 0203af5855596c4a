"""Every model that looks like it holds personal data is answered for by an app's holding
(portal.personal_data) or declared, with a reason, as holding none."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from portal import personal_data

# Field names that say "this is about a person" (issue 11): name, email, phone, gender,
# needs, note, free text, IP address.
PERSONAL_WORDS = {
    "name",
    "email",
    "phone",
    "gender",
    "needs",
    "note",
    "notes",
    "message",
    "comment",
    "text",
    "ip",
    "user_agent",
}


def _looks_personal(model) -> list[str]:
    reasons = []
    person_model = apps.get_model("directory", "Person")
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations belong to the other model
        words = set(field.name.split("_"))
        if (
            words & PERSONAL_WORDS
            or field.name in PERSONAL_WORDS
            or (field.is_relation and field.related_model in (person_model, user_model))
        ):
            reasons.append(field.name)
    return reasons


def _candidates() -> dict[str, list[str]]:
    found = {}
    for model in apps.get_models(include_auto_created=False):
        if model._meta.app_label in {"contenttypes", "auth"}:
            continue  # groups and permissions: names of roles, not of people
        reasons = _looks_personal(model)
        if reasons:
            found[model._meta.label] = reasons
    return found


def test_every_model_with_personal_data_is_registered_or_declared():
    covered = personal_data.covered_models()
    declared = personal_data.not_personal()
    missing = {
        label: fields
        for label, fields in _candidates().items()
        if label not in covered and label not in declared
    }
    assert missing == {}, f"Register these in the app's personal_data.py: {missing}"


def test_third_party_models_with_personal_data_are_covered():
    covered = personal_data.covered_models()
    for label in (
        "account.EmailAddress",
        "usersessions.UserSession",
        "sessions.Session",
        "mfa.Authenticator",
        "accounts.User",
        "workshops.Registration",
        "council.Membership",
        "directory.Suggestion",
    ):
        assert label in covered, label


def test_no_model_is_both_registered_and_declared_not_personal():
    assert personal_data.covered_models() & set(personal_data.not_personal()) == set()


def test_each_holding_names_real_fields_and_a_known_app():
    for holding in personal_data.holdings():
        model = holding.model_class()
        for name in holding.fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist on a typo
        assert holding.code.split(":")[0] == holding.model


def test_the_registry_imports_no_app():
    source = Path(personal_data.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    local_apps = {"accounts", "directory", "council", "workshops", "agreements", "reports"}
    assert imported & local_apps == set()
