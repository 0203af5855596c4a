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
"""

from collections.abc import Callable

from django.db import connection
from django.db.models import Model, QuerySet

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
