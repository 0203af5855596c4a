"""Optimistic concurrency: one mechanism for every record people edit at the same time.

- `Versioned`: an abstract base model with a `version` that every saving service bumps.
- `version_lock()`: in a service, inside the transaction, lock the row and refuse the write
  with `StaleVersionError` when the version the user's form was loaded with is no longer the
  stored one. The error carries the freshly stored record, so the page can show what the other
  person saved.
- `VersionedFormMixin`: a hidden `version` field on the form.
- `conflict_context()`: in a view, after a StaleVersionError: the changed fields side by side
  (what the other person saved, what this user typed), and the form's hidden version moved to
  the stored one, so that saving again lands on top of the new version without retyping.
  Rendered by templates/includes/conflict.html.
"""

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Versioned(models.Model):
    """A record edited by several people: each save through a service adds one to `version`."""

    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleVersionError(ValidationError):
    """The form was loaded before someone else saved: their change must be reviewed first.

    `current` is the record as it is stored now (None when it no longer exists).
    """

    def __init__(self, message=None, *, current=None, code="stale"):
        super().__init__(message or stale_message(current), code=code)
        self.current = current


def stale_message(current=None) -> str:
    saved_at = getattr(current, "updated_at", None)
    if saved_at is not None:
        return _(
            "Someone else saved this at %(time)s, after you opened the page. Their values are "
            "shown beside yours; your input is kept. Check it and save again."
        ) % {"time": formats.time_format(timezone.localtime(saved_at), "H:i")}
    return _(
        "Someone else saved this after you opened the page. Their values are shown beside "
        "yours; your input is kept. Check it and save again."
    )


def version_lock(queryset_or_model, *, pk, expected_version: int | None):
    """The row, locked for this transaction, if `expected_version` is still the stored one.

    `expected_version=None` means the caller carries no version (a task, the demo loader, a
    service calling another): no check, the lock alone orders the writes.
    """
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    current = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersionError(current=current)
    return current


def version_bump(instance: Versioned, update_fields) -> list[str]:
    """Add one to the version; returns `update_fields` with "version" for the save."""
    instance.version += 1
    return [*update_fields, "version"]


class _BoundField(forms.BoundField):
    """Django names the help text in aria-describedby on the hidden "initial" copy of a field
    too (BoundField looks at the field's widget, not the hidden one): invalid on a hidden
    input, so the hidden copies get none."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden:
            attrs.pop("aria-describedby", None)
        return attrs


class VersionedFormMixin(forms.Form):
    """Carries the version the page was loaded with, for the service's stale check.

    A model form takes the version from its instance. A plain form edits a record when its
    view passes the version in `initial` (on GET and POST alike), or always when the form
    sets `versioned = True`; otherwise (a form that creates) it has no version field.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    versioned = False
    bound_field_class = _BoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        creates = (instance is not None and not instance.pk) or (
            instance is None and not self.versioned and "version" not in self.initial
        )
        if creates:
            del self.fields["version"]  # a new record has no version to check
        elif instance is not None and "version" not in self.initial:
            self.initial["version"] = instance.version
        # Each field also posts the value the page was loaded with, so that after a refused
        # save the fields this user did not touch can take the other person's values.
        for name, field in self.fields.items():
            if name != "version" and not isinstance(field, forms.FileField):
                field.show_hidden_initial = True


# --- Showing a conflict ----------------------------------------------------------------------


def _flat_choices(field) -> dict:
    labels = {}
    for value, label in getattr(field, "choices", []):
        if isinstance(label, (list, tuple)):
            labels.update({str(v): lab for v, lab in label})
        else:
            labels[str(value)] = label
    return labels


def _model_label(field, value) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, models.Model):
        key = field.to_field_name or "pk"
        value = field.queryset.model._default_manager.filter(**{key: value}).first()
        if value is None:
            return ""
    return str(field.label_from_instance(value))


def display_value(field, value) -> str:
    """A field's value as a person reads it (labels, not codes)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(filter(None, (_model_label(field, v) for v in value or [])))
    if isinstance(field, forms.ModelChoiceField):
        return _model_label(field, value)
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.MultipleChoiceField):
        labels = _flat_choices(field)
        return ", ".join(str(labels.get(str(v), v)) for v in value or [])
    if isinstance(field, forms.ChoiceField):
        return str(_flat_choices(field).get(str(value), value or ""))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, time):
        return formats.time_format(value, "H:i")
    return "" if value is None else str(value)


def _widget_data(field, value) -> list[str]:
    """`value` (a Python value, as in a form's initial) as the strings a browser would post."""
    if isinstance(field, forms.BooleanField):
        return ["on"] if value else []
    if isinstance(field, forms.MultipleChoiceField):
        prepared = field.prepare_value(value or [])
        return [str(item) for item in prepared]
    prepared = field.widget.format_value(field.prepare_value(value))
    return [] if prepared is None else [str(prepared)]


def conflict_context(form, error: StaleVersionError, theirs: dict) -> dict:
    """What a page shows after a refused save, and the form ready to save again.

    `theirs` holds the form's initial values for the record as it is stored now (what the
    form would show if the user loaded the page again). Each field the other person changed
    and this user did not (their page posts the value it was loaded with, see
    VersionedFormMixin) takes the stored value, so saving again cannot undo it; a field both
    changed keeps this user's input. Both kinds are listed side by side. The hidden version
    becomes the stored one, so the next save is checked against what the user has now seen.
    """
    rows = []
    data = form.data.copy()
    for name, field in form.fields.items():
        if name == "version":
            continue
        bound = form[name]
        stored = theirs.get(name)
        if not field.has_changed(stored, bound.data):
            continue
        # Without the loaded value on the page, count the field as the user's own change.
        user_changed = form.add_initial_prefix(name) not in form.data or bound._has_changed()
        yours = form.cleaned_data.get(name) if name in form.cleaned_data else bound.data
        rows.append(
            {
                "label": field.label or name,
                "theirs": display_value(field, stored),
                "yours": display_value(field, yours),
                "merged": not user_changed,
            }
        )
        if not user_changed:
            data.setlist(form.add_prefix(name), _widget_data(field, stored))
    if error.current is not None:
        data[form.add_prefix("version")] = str(error.current.version)
        for name, field in form.fields.items():
            if field.show_hidden_initial:
                data.setlist(form.add_initial_prefix(name), _widget_data(field, theirs.get(name)))
    form.data = data
    form.add_error(None, error.messages)
    return {"conflict": {"rows": rows}}
