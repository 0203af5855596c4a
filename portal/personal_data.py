"""Personal data: every app answers for what it holds about a person.

Like the report kinds (reports/registry.py), this is a plug-in registry. Each app registers,
in its own `personal_data.py` (imported from its AppConfig.ready), one `Holding` per kind of
row it keeps about people: how to find a person's rows (by directory person, login account,
email address or, where nothing better exists, name), which fields an export shows, and how
erasure treats the rows. This module imports no app; the secretariat's person page, the
export, the erasure and "My data" only read what the apps registered.

A model whose fields look like personal data must be covered by a holding or declared as
holding none (`declare_not_personal`, with the reason): tests/personal_data/test_registry.py
fails on a model that is neither, so a new model cannot be forgotten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Subject:
    """Who is asked about: a row matches when any of its keys does.

    Emails are compared lower-cased. Names are only used for rows that keep a free-text name
    and nothing better (a programme contributor, a named contribution); holdings that match by
    name say so on the person page.
    """

    person_ids: frozenset[int] = frozenset()
    user_ids: frozenset[int] = frozenset()
    emails: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *, person_ids=(), user_ids=(), emails=(), names=()) -> Subject:
        return cls(
            person_ids=frozenset(pk for pk in person_ids if pk),
            user_ids=frozenset(pk for pk in user_ids if pk),
            emails=frozenset(e.strip().lower() for e in emails if e and e.strip()),
            names=frozenset(n.strip() for n in names if n and n.strip()),
        )


# How erasure treats a holding's rows, shown on the person page beside each holding.
DELETE = "delete"  # the rows are deleted
BLANK = "blank"  # identifying fields are blanked; the row stays for the statistics
UNLINK = "unlink"  # the person is removed from a shared object (an editor, a process leader)
KEEP = "keep"  # the row is the record of something (minutes, a decision); it points to the
# anonymised person or account and shows "Erased person"
TREATMENT_LABELS = {
    DELETE: _("Deleted on erasure"),
    BLANK: _("Identifying fields blanked on erasure; counts kept"),
    UNLINK: _("The person is removed on erasure"),
    KEEP: _("Kept as a record; shows “Erased person” after erasure"),
}


@dataclass(frozen=True)
class Holding:
    """One kind of row an app keeps about people."""

    code: str  # "<app_label>.<Model>" or "<app_label>.<Model>:<role>"
    model: str  # "<app_label>.<ModelName>"
    label: str | Promise  # what it is, for the person page and the export
    find: Callable[[Subject], QuerySet]
    fields: tuple[str, ...]  # what the export and the person page show of each row
    treatment: str  # DELETE, BLANK, UNLINK or KEEP
    # erase(queryset, now, subject) changes the rows; None: the rows stay as they are (KEEP)
    erase: Callable[[QuerySet, dt.datetime, Subject], int] | None = None
    matched_by_name: bool = False
    # Lower runs earlier: holdings whose erasure needs other rows intact run first.
    order: int = 100
    extra: dict = field(default_factory=dict)

    @property
    def app_label(self) -> str:
        return self.model.split(".", 1)[0]

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


_HOLDINGS: dict[str, Holding] = {}
_NOT_PERSONAL: dict[str, str] = {}


def register(holding: Holding) -> Holding:
    if holding.code in _HOLDINGS and _HOLDINGS[holding.code] != holding:
        raise ValueError(f"Personal-data holding {holding.code!r} is registered twice.")
    if holding.treatment not in {DELETE, BLANK, UNLINK, KEEP}:
        raise ValueError(f"Unknown treatment {holding.treatment!r} for {holding.code!r}.")
    _HOLDINGS[holding.code] = holding
    return holding


def declare_not_personal(model: str, reason: str) -> None:
    """Say on purpose that a model whose field names look personal holds no personal data."""
    _NOT_PERSONAL[model] = reason


def holdings() -> list[Holding]:
    return sorted(_HOLDINGS.values(), key=lambda h: (h.order, h.code))


def covered_models() -> set[str]:
    return {holding.model for holding in _HOLDINGS.values()}


def not_personal() -> dict[str, str]:
    return dict(_NOT_PERSONAL)


# --- Finding, exporting and erasing ---------------------------------------------------------


def any_of(**lookups) -> Q:
    """Q(a) | Q(b) | ... for the lookups whose value is not empty; Q(pk__in=[]) if none."""
    query = Q(pk__in=[])
    for lookup, value in lookups.items():
        if value:
            query |= Q(**{lookup: value})
    return query


def iexact_any(field_name: str, values: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for value in values:
        query |= Q(**{f"{field_name}__iexact": value})
    return query


def _value(obj, name: str):
    model_field = obj._meta.get_field(name)
    if model_field.many_to_many:
        return [str(related) for related in getattr(obj, name).all()]
    value = getattr(obj, name)
    if model_field.choices and value not in (None, ""):
        return {"code": value, "label": str(getattr(obj, f"get_{name}_display")())}
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "name") and isinstance(model_field, models.FileField):
        return value.name or ""
    return value


def row_export(holding: Holding, obj) -> dict:
    return {"id": str(obj.pk), **{name: _value(obj, name) for name in holding.fields}}


def field_labels(holding: Holding) -> list[tuple[str, str]]:
    model = holding.model_class()
    return [(name, str(model._meta.get_field(name).verbose_name)) for name in holding.fields]


@dataclass
class Found:
    holding: Holding
    rows: list

    @property
    def count(self) -> int:
        return len(self.rows)


def find(subject: Subject) -> list[Found]:
    """Each holding with the subject's rows (holdings with none are left out)."""
    found = []
    for holding in holdings():
        rows = list(holding.find(subject).order_by("pk"))
        if rows:
            found.append(Found(holding=holding, rows=rows))
    return found


def _display(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        return str(value.get("label", value.get("code", "")))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)


def found_for_display(found: list[Found]) -> list[dict]:
    """Found rows grouped by app, each value as readable text: for the person page, the
    readable export and "My data"."""
    by_app: dict[str, dict] = {}
    for item in found:
        holding = item.holding
        # Grouped by the name the reader sees: allauth's "account" and our "accounts" are both
        # "Accounts", and one page must not have two sections of the same name.
        name = str(apps.get_app_config(holding.app_label).verbose_name)
        app = by_app.setdefault(name, {"app": name, "holdings": []})
        labels = field_labels(holding)
        app["holdings"].append(
            {
                "holding": holding,
                "code": holding.code,
                "label": holding.label,
                "treatment": TREATMENT_LABELS[holding.treatment],
                "matched_by_name": holding.matched_by_name,
                "headers": [label for _name, label in labels],
                "rows": [
                    [_display(row[name]) for name, _label in labels]
                    for row in (row_export(holding, obj) for obj in item.rows)
                ],
            }
        )
    return list(by_app.values())


def export(subject: Subject, *, now=None) -> dict:
    """Everything held about the subject, per app and holding: one JSON document."""
    now = now or timezone.now()
    by_app: dict[str, dict] = {}
    for item in find(subject):
        holding = item.holding
        app = by_app.setdefault(
            holding.app_label,
            {"app": str(apps.get_app_config(holding.app_label).verbose_name), "holdings": []},
        )
        app["holdings"].append(
            {
                "code": holding.code,
                "label": str(holding.label),
                "matched_by_name": holding.matched_by_name,
                "on_erasure": holding.treatment,
                "fields": dict(field_labels(holding)),
                "rows": [row_export(holding, obj) for obj in item.rows],
            }
        )
    return {"exported_at": now.isoformat(), "apps": by_app}


def erase(subject: Subject, *, now=None) -> dict[str, int]:
    """Erase the subject's rows in every holding; returns the rows handled per holding.

    The caller holds the transaction and writes the log. Keys are found before anything is
    changed, so blanking one holding's email cannot hide another holding's rows.
    """
    now = now or timezone.now()
    plan = [
        (holding, list(holding.find(subject).values_list("pk", flat=True)))
        for holding in holdings()
    ]
    counts: dict[str, int] = {}
    for holding, pks in plan:
        if not pks:
            continue
        queryset = holding.model_class()._default_manager.filter(pk__in=pks)
        if holding.erase is not None:
            holding.erase(queryset, now, subject)
        counts[holding.code] = len(pks)
    return counts


# --- Erasers apps combine ---------------------------------------------------------------


def blank(**values) -> Callable[[QuerySet, dt.datetime, Subject], int]:
    """Set these fields (a callable value is called with `now`) on every row."""

    def eraser(queryset: QuerySet, now: dt.datetime, subject: Subject) -> int:
        resolved = {
            name: value(now) if callable(value) else value for name, value in values.items()
        }
        return queryset.update(**resolved)

    return eraser


def delete(queryset: QuerySet, now: dt.datetime, subject: Subject) -> int:
    count = queryset.count()
    queryset.delete()
    return count


# --- Retention: each app registers its jobs; beat runs them, and so can any scheduler ------


@dataclass(frozen=True)
class RetentionJob:
    """A retention rule: `run(now)` erases or deletes what is past its time, returns rows.

    `task` is the Celery task (in CELERY_BEAT_SCHEDULE) that runs it in production; `run` is
    a plain function, so an in-process scheduler can call it without Celery.
    """

    code: str
    label: str | Promise
    setting: str  # the setting that holds the period, shown to administrators
    task: str
    run: Callable[[dt.datetime], int]


_RETENTION: dict[str, RetentionJob] = {}


def register_retention(job: RetentionJob) -> RetentionJob:
    if job.code in _RETENTION and _RETENTION[job.code] != job:
        raise ValueError(f"Retention job {job.code!r} is registered twice.")
    _RETENTION[job.code] = job
    return job


def retention_jobs() -> list[RetentionJob]:
    return sorted(_RETENTION.values(), key=lambda job: job.code)


def retention_run(*, now=None) -> dict[str, int]:
    """Run every retention job once (each in its own transactions); rows per job."""
    now = now or timezone.now()
    return {job.code: job.run(now) for job in retention_jobs()}
