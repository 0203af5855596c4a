"""One-row lookups that requests run all the time, compiled to SQL once per process.

A signed-in request whose session is not in allauth's session list reads its user by primary
key on its own (accounts/sessions.py reads the others with the session). The ORM builds a
queryset and compiles it to SQL for that on every request: about 150 us of CPU, several times
what PostgreSQL spends answering it. A `PreparedGet` lets the ORM build and compile the
statement once per database and then runs that same SQL with each call's values, making the
instance as the ORM does (`Model.from_db`).

The statement is the ORM's own, character for character (what `QuerySet.get()` sends: no
ordering, `LIMIT 21`), and so are the answers: the instance, `DoesNotExist` or
`MultipleObjectsReturned` (tests/portal/test_prepared.py compares both ways). Lookups whose
SQL would depend on the values (None becomes IS NULL) or whose columns need converting
after reading are left to the ORM.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models.query import MAX_GET_RESULTS

# Off: every lookup goes through the ORM (tests compare both ways).
enabled = True

_UNPREPARABLE = object()


class PreparedGet:
    """`build(manager, *values)` returns the queryset whose `.get()` is wanted; its SQL must
    not depend on the values (only their parameters do), and the values given to `get` must
    be those the ORM would send (already converted: an int for an integer key)."""

    def __init__(self, model, build: Callable):
        self.model = model
        self.build = build
        # Per database alias: (sql, attnames) or _UNPREPARABLE.
        self._compiled: dict[str, object] = {}

    def _queryset(self, using: str, values: tuple):
        queryset = self.build(self.model._default_manager.db_manager(using), *values).order_by()
        queryset.query.set_limits(high=MAX_GET_RESULTS)
        return queryset

    def _compile(self, using: str, values: tuple):
        compiler = self._queryset(using, values).query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet):
            return None  # answered without SQL: these values go to the ORM, nothing is kept
        columns = [column for column, _sql, _alias in compiler.select]
        attnames = [getattr(getattr(column, "target", None), "attname", None) for column in columns]
        concrete = [field.attname for field in self.model._meta.concrete_fields]
        if (
            tuple(params) != values
            or attnames != concrete
            or compiler.get_converters(columns)
            or compiler.klass_info.get("related_klass_infos")
        ):
            return _UNPREPARABLE
        return sql, attnames

    def get(self, using: str, *values):
        """The one instance these values select, as `queryset.get()` would return it."""
        if not enabled or any(value is None for value in values):
            return self._queryset(using, values).get()
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compile(using, values)
            if compiled is not None:
                self._compiled[using] = compiled
        if compiled is None or compiled is _UNPREPARABLE:
            return self._queryset(using, values).get()
        sql, attnames = compiled
        with connections[using].cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        if len(rows) == 1:
            return self.model.from_db(using, attnames, rows[0])
        if not rows:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        raise self.model.MultipleObjectsReturned(
            "get() returned more than one {} -- it returned {}!".format(
                self.model._meta.object_name,
                len(rows) if len(rows) < MAX_GET_RESULTS else f"more than {len(rows) - 1}",
            )
        )
