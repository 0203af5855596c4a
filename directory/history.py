"""An organisation's history as sentences in the reader's language.

`OrganisationChange.diff` keeps codes and ids (`{"legal_form": ["non_profit_association",
None]}`) so that the record stays true when labels change and names no person. This module
turns a page of changes into what a reader understands ("Legal form changed from Ideell
förening to –"), looking every code and id up once per page.
"""

from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from directory.models import (
    Area,
    ContactRole,
    Language,
    LegalForm,
    Municipality,
    Offer,
    Organisation,
    OrganisationChange,
    Sector,
    TargetGroup,
)

EMPTY = "–"
# The vocabulary a coded field's values come from.
_CODED = {
    "sector": Sector,
    "legal_form": LegalForm,
    "areas": Area,
    "target_groups": TargetGroup,
    "municipalities": Municipality,
    "languages": Language,
}
_TEXT_LENGTH = 80


def _label(model: type[Model], field: str) -> str:
    try:
        return capfirst(str(model._meta.get_field(field).verbose_name))
    except FieldDoesNotExist:  # a field the model no longer has: its name is all there is
        return field.replace("_", " ").capitalize()


class _Lookup:
    """Labels for every code and id a page of changes mentions, read once."""

    def __init__(self, changes):
        codes: dict[str, set] = {field: set() for field in _CODED}
        organisation_ids, contact_ids = set(), set()
        for change in changes:
            for field, values in (change.diff or {}).items():
                flat = values if isinstance(values, list) else [values]
                items = []
                for value in flat:
                    items.extend(value if isinstance(value, list) else [value])
                if field in codes:
                    codes[field].update(v for v in items if isinstance(v, str))
                elif field == "member_of":
                    organisation_ids.update(v for v in items if isinstance(v, int))
                elif field == "contacts":
                    contact_ids.update(v for v in items if isinstance(v, int))
        self.labels = {
            field: {term.code: term.label for term in _CODED[field].objects.filter(code__in=wanted)}
            for field, wanted in codes.items()
            if wanted
        }
        self.organisations = dict(
            Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name")
        )
        self.contacts = dict(
            ContactRole.objects.filter(pk__in=contact_ids).values_list("pk", "title")
        )

    def value(self, model, field: str, value) -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        if isinstance(value, list):
            return ", ".join(self.value(model, field, item) for item in value)
        if field in _CODED:
            return self.labels.get(field, {}).get(value, str(value))
        if field == "member_of":
            return self.organisations.get(value, _("an organisation no longer listed"))
        if field == "contacts":
            return self.contacts.get(value, _("a contact point no longer listed"))
        if field == "state":
            return str(dict(Organisation.State.choices).get(value, value))
        if field == "schedule_frequency":
            return str(dict(Offer.Frequency.choices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if field.endswith("_at") and isinstance(value, str):
            return _date(value)
        return Truncator(str(value)).chars(_TEXT_LENGTH)


def _date(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_aware(moment):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return formats.date_format(moment, "SHORT_DATE_FORMAT")


def _field_sentences(lookup: _Lookup, model, diff: dict, *, created: bool) -> list[str]:
    sentences = []
    for field, values in diff.items():
        if not (isinstance(values, list) and len(values) == 2):
            continue
        old, new = values
        label = _label(model, field)
        if isinstance(old, list) or isinstance(new, list):
            old, new = old or [], new or []
            added = [item for item in new if item not in old]
            removed = [item for item in old if item not in new]
            if added:
                sentences.append(
                    _("%(field)s: added %(values)s")
                    % {"field": label, "values": lookup.value(model, field, added)}
                )
            if removed:
                sentences.append(
                    _("%(field)s: removed %(values)s")
                    % {"field": label, "values": lookup.value(model, field, removed)}
                )
            continue
        if created or old is None or old == "":
            if new is None or new == "":
                continue
            sentences.append(
                _("%(field)s set to %(new)s")
                % {"field": label, "new": lookup.value(model, field, new)}
            )
            continue
        sentences.append(
            _("%(field)s changed from %(old)s to %(new)s")
            % {
                "field": label,
                "old": lookup.value(model, field, old),
                "new": lookup.value(model, field, new),
            }
        )
    return sentences


def _contact_title(contact) -> str:
    if isinstance(contact, list):
        contact = next((item for item in contact if item), None)
    title = (contact or {}).get("title") if isinstance(contact, dict) else None
    return title or _("a contact point")


def change_sentences(change: OrganisationChange, lookup: _Lookup) -> list[str]:
    """What happened in one change, as sentences."""
    Action = OrganisationChange.Action
    diff = dict(change.diff or {})
    action = change.action
    if action == Action.CREATED:
        return [_("Entry created."), *_field_sentences(lookup, Organisation, diff, created=True)]
    if action == Action.UPDATED:
        return _field_sentences(lookup, Organisation, diff, created=False) or [_("Entry saved.")]
    if action == Action.CONFIRMED:
        return [_("Confirmed as still correct.")]
    if action in {Action.OFFER_ADDED, Action.OFFER_REMOVED, Action.OFFER_UPDATED}:
        offer = diff.pop("offer", None)
        if isinstance(offer, list):
            offer = next((item for item in offer if item), "")
        if action == Action.OFFER_ADDED:
            return [_("Offer “%(title)s” added.") % {"title": offer}]
        if action == Action.OFFER_REMOVED:
            return [_("Offer “%(title)s” removed.") % {"title": offer}]
        details = _field_sentences(lookup, Offer, diff, created=False)
        return [_("Offer “%(title)s” changed.") % {"title": offer}, *details]
    title = _contact_title(diff.get("contact"))
    if action == Action.CONTACT_ADDED:
        return [_("Contact point added: %(title)s.") % {"title": title}]
    if action == Action.CONTACT_REMOVED:
        return [_("Contact point removed: %(title)s.") % {"title": title}]
    if action == Action.CONSENT_RECORDED:
        return [_("%(title)s gave consent to be shown publicly.") % {"title": title}]
    if action == Action.CONSENT_WITHDRAWN:
        return [
            _("%(title)s withdrew consent to be shown publicly: no longer shown.")
            % {"title": title}
        ]
    if action == Action.SUGGESTION_APPLIED:
        return [_("A suggestion from the public was accepted.")]
    return [str(change.get_action_display())]


def history_entries(changes) -> list[dict]:
    """[{"change": OrganisationChange, "sentences": [str, ...]}] for a page of changes."""
    changes = list(changes)
    lookup = _Lookup(changes)
    return [{"change": change, "sentences": change_sentences(change, lookup)} for change in changes]
