"""Querysets compiled once per process, run with new ids (issue 17).

Building a queryset and compiling it to SQL costs more than running it for the small, fixed
reads of a page (an agreement's anchorings, log entries or actions: about 0.3 ms of Python
each against 0.05 ms for the statement). `CompiledQuery` takes a function that builds the
queryset for one id, compiles it once (per database vendor) with a stand-in id, and then
runs that SQL with the real id, making model instances (and the `select_related` ones) as the
queryset would: the same SQL, the same values after the backend's converters, the same
instances (tests/portal/test_compiled_queries.py compares them with the queryset's).

Only for querysets whose SQL does not change with anything but the id (no language, no date,
no list of ids of varying length).

`PreparedGet` does the same for one-row lookups by value that requests run all the time (the
signed-in user by primary key, `accounts.models.UserManager`). A signed-in request whose session
is not in allauth's session list reads its user by primary key on its own (accounts/sessions.py
reads the others with the session). The ORM builds a queryset and compiles it to SQL for that on
every request: about 150 us of CPU, several times what PostgreSQL spends answering it. A
`PreparedGet` lets the ORM build and compile the statement once per database and then runs that
same SQL with each call's values, making the instance as the ORM does (`Model.from_db`).

The statement is the ORM's own, character for character (what `QuerySet.get()` sends: no
ordering, `LIMIT 21`), and so are the answers: the instance, `DoesNotExist` or
`MultipleObjectsReturned` (tests/portal/test_prepared_get.py compares both ways). Lookups whose
SQL would depend on the values (None becomes IS NULL) or whose columns need converting
after reading are left to the ORM.
"""

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, connections
from django.db.models import Model, QuerySet
from django.db.models.query import MAX_GET_RESULTS

_STAND_IN = -917_000_017  # an id no row has; replaced by the real one when the SQL is run


class CompiledQuery:
    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        self._compiled: dict[str, tuple] = {}

    def _compile(self) -> tuple:
        found = self._compiled.get(connection.vendor)
        if found is None:
            compiler = self._build(_STAND_IN).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            positions = [index for index, value in enumerate(params) if value == _STAND_IN]
            if not positions:
                raise ValueError("The queryset does not use its id as a parameter.")
            columns = [column for column, _sql, _alias in compiler.select]
            converters = list(compiler.get_converters(columns).items())
            info = dict(compiler.klass_info or {}, annotations=compiler.annotation_col_map)
            found = (sql, list(params), positions, converters, info, columns)
            self._compiled[connection.vendor] = found
        return found

    def rows(self, pk) -> list[list]:
        """The rows for this id, with the backend's converters applied (as values_list)."""
        sql, params, positions, converters, _info, _columns = self._compile()
        params = list(params)
        for position in positions:
            params[position] = pk
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [list(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted

    def instances(self, pk) -> list[Model]:
        """The model instances the queryset would give, with their select_related ones and
        annotations."""
        _sql, _params, _positions, _converters, info, columns = self._compile()
        return [_instance(info, columns, row) for row in self.rows(pk)]


def _instance(info: dict, columns: list, row: list) -> Model | None:
    fields = info["select_fields"]
    model = info["model"]
    names = [columns[i].target.attname for i in fields]
    key = model._meta.pk.attname
    if key in names and row[fields[names.index(key)]] is None:
        return None  # an outer join without a row
    instance = model.from_db(connection.alias, names, [row[i] for i in fields])
    for name, position in (info.get("annotations") or {}).items():
        setattr(instance, name, row[position])  # as the queryset sets annotations
    for related in info.get("related_klass_infos", []):
        related_instance = _instance(related, columns, row)
        related["local_setter"](instance, related_instance)
        if related_instance is not None:
            related["remote_setter"](related_instance, instance)
    return instance


def prefetched(instance: Model, name: str, rows: list) -> None:
    """`rows` as what `prefetch_related(name)` stores on `instance` (a reverse foreign key or a
    many-to-many field): `instance.<name>.all()` gives them without a query, and each row of
    a reverse foreign key knows its `instance`."""
    manager = getattr(instance, name)
    cache_name = getattr(manager, "prefetch_cache_name", None)  # many-to-many
    if cache_name is None:
        field = manager.field
        for row in rows:
            field.set_cached_value(row, instance)
        cache_name = field.remote_field.cache_name
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset


# Off: every PreparedGet lookup goes through the ORM (tests compare both ways).
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
