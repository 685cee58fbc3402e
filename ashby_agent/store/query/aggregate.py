"""``context_store_aggregate``: counts, distinct counts, minimums, maximums, sums and averages of an
entity's records, grouped by fields, computed by the database (SQLite or PostgreSQL, same answers).

Params::

    {"filter": condition,                       # the query language of context_store_search
     "group_by": ["source.title", {"field": "createdAt", "bucket": "day"|"week"|"month"}],
     "metrics": {"applications": {"count": "*"}, "people": {"count_distinct": "candidate.id"}},
     "having": condition on metric names and group keys (eq neq gt gte lt lte in, not and or),
     "sort": [{"applications": "desc"}], "limit": 20, "fresh": false}

Answer: ``{"data": [{"source.title": "LinkedIn", "applications": 412, "people": 380}, ...],
"meta": {"has_more": bool, "took_ms": float}}``.

* **Group keys** are named by their field path (``"source.title"``); a bucketed key by the path and the
  bucket (``"createdAt.week"``), its value the bucket's first day (``YYYY-MM-DD``, UTC; weeks start on
  Monday). Records without the field form the ``null`` group. No ``group_by``: one row over all matches.
* **A path through a list** groups by each element: candidates by ``tags.title`` put a record with two
  tags in both groups (and one without tags in the ``null`` group); each record counts once per group.
  One list level only, and every list key of a query goes through the same list (``hiringTeam.role``
  with ``hiringTeam.userId`` pairs each member's role with their id).
* **Display names**: when a group key holds the id of another stored record (the rule is in
  :mod:`ashby_agent.store.query.references`), the row also has ``"<key>.name"``: e.g.
  ``"job.departmentId": "d-1", "job.departmentId.name": "Engineering"`` (``null`` when that record is
  not in the store). Names come from the same connector's records only.
* **Metrics**: ``count`` (``"*"``: records; a field: records where it is not null), ``count_distinct``,
  ``min``/``max`` (text, number, date or time; instants come back as Ashby's ISO text), ``sum``/``avg``
  (numbers). Metric fields are outside lists. Default: ``{"count": {"count": "*"}}``. Counts are ints,
  ``avg`` a float, ``sum`` an int when whole.
* **Order**: ``sort`` by metric names and group keys (default: the first metric descending); ties are
  always broken by the group keys ascending, and nulls sort last, so both backends give one order.
  ``limit``: 1 to 1000 (default 20); ``has_more`` says more groups matched.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Connection, RowMapping

from ashby_agent.errors import InvalidQueryError
from ashby_agent.store.plan import check_stored
from ashby_agent.store.query.compiler import SQL_OPS, Compiler, run_compiled
from ashby_agent.store.query.dialects import Base, Dialect, dialect_for, entity_literal
from ashby_agent.store.query.dialects.sqlite import json_path
from ashby_agent.store.query.facets import facet_paths, facet_sources, usable
from ashby_agent.store.query.fields import Kind, Path, entity_schema
from ashby_agent.store.query.language import (
    And,
    Compare,
    Condition,
    In,
    Not,
    Or,
    Scalar,
    canonical_instant,
    parse_condition,
    resolve_path,
)
from ashby_agent.store.query.options import bounded_limit
from ashby_agent.store.query.references import display_name, referenced_entity

__all__ = [
    "AGGREGATE_PARAMS",
    "DEFAULT_LIMIT",
    "FUNCTIONS",
    "MAX_LIMIT",
    "Aggregate",
    "GroupKey",
    "Metric",
    "compile_aggregate",
    "faceted_paths",
    "parse_aggregate",
    "run_aggregate",
]

AGGREGATE_PARAMS: Final = ("filter", "group_by", "metrics", "having", "sort", "limit", "fresh")
FUNCTIONS: Final = ("count", "count_distinct", "min", "max", "sum", "avg")
BUCKETS: Final = ("day", "week", "month")
HAVING_OPERATORS: Final = ("eq", "neq", "gt", "gte", "lt", "lte", "in", "not", "and", "or")
DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 1000
_MAX_GROUP_KEYS: Final = 8
_MAX_METRICS: Final = 20
_MAX_HAVING_NODES: Final = 100
_SCALAR_KINDS: Final = (Kind.STRING, Kind.TIMESTAMP, Kind.DATE, Kind.NUMBER, Kind.BOOLEAN)


_ORDERED: Final = (Kind.STRING, Kind.TIMESTAMP, Kind.DATE, Kind.NUMBER)
#: function -> the kinds of field it takes, and how an error says so.
_FIELD_KINDS: Final[Mapping[str, tuple[tuple[Kind, ...], str]]] = {
    "count": ((*_SCALAR_KINDS, Kind.OBJECT, Kind.ANY), "a field outside lists"),
    "count_distinct": (_SCALAR_KINDS, "a text, number, boolean, date or time field"),
    "min": (_ORDERED, "a text, number, date or time field"),
    "max": (_ORDERED, "a text, number, date or time field"),
    "sum": ((Kind.NUMBER,), "a number field"),
    "avg": ((Kind.NUMBER,), "a number field"),
}


@dataclass(frozen=True, slots=True)
class GroupKey:
    """One ``group_by`` entry: its answer key, the field, the bucket, and the entity its ids refer to."""

    name: str
    path: Path
    bucket: str | None = None
    reference: str | None = None

    @property
    def kind(self) -> Kind:
        """How the key's values compare (a bucket is a date)."""
        return Kind.DATE if self.bucket else self.path.kind


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    function: str
    #: ``None`` for ``count: "*"``.
    path: Path | None

    @property
    def kind(self) -> Kind:
        """The kind of the metric's value (what ``having`` compares it with)."""
        if self.function in ("min", "max") and self.path is not None:
            return self.path.kind
        return Kind.NUMBER


@dataclass(frozen=True, slots=True)
class Order:
    name: str
    descending: bool


@dataclass(frozen=True, slots=True)
class Aggregate:
    entity: str
    condition: Condition
    group_by: tuple[GroupKey, ...]
    metrics: tuple[Metric, ...]
    #: A condition whose paths are metric names and group keys (``Path.text``; no segments).
    having: Condition
    sort: tuple[Order, ...]
    limit: int
    fresh: bool


def _fail(message: str, valid: Sequence[str] = (), where: str = "params") -> InvalidQueryError:
    return InvalidQueryError(message, valid=valid, where=where)


def _hint(name: Any, valid: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(name), valid, 1)
    return f" Did you mean '{close[0]}'?" if close else ""


def _kind_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# ---------------------------------------------------------------------------------------------- parsing


def _group_key(raw: Any, entity: str) -> GroupKey:
    bucket = None
    name = raw
    if isinstance(raw, Mapping):
        unknown = [key for key in raw if key not in ("field", "bucket")]
        if unknown or "field" not in raw:
            raise _fail(
                'A group_by entry is a field path or {"field": path, "bucket": "day"|"week"|"month"}, '
                f"got {raw!r}.",
                ("field", "bucket"),
                "group_by",
            )
        name, bucket = raw["field"], raw.get("bucket")
        if bucket is not None and bucket not in BUCKETS:
            raise _fail(f"bucket must be one of {', '.join(BUCKETS)}, got {bucket!r}.", BUCKETS, "group_by")
    path = resolve_path(entity_schema(entity), name, entity=entity, where="group_by")
    arrays = [segment.key for segment in path.segments if segment.array]
    if len(arrays) > 1:
        raise _fail(
            f"Cannot group {entity} by {path.text}: it goes through {len(arrays)} lists "
            f"({', '.join(arrays)}); group by a field inside one list at most.",
            where="group_by",
        )
    if path.kind not in _SCALAR_KINDS:
        hint = f" (e.g. '{path.text}.id')" if path.kind is Kind.OBJECT else ""
        raise _fail(
            f"Cannot group {entity} by {path.text} ({path.kind.value}); group by a text, number, boolean, "
            f"date or time field{hint}.",
            where="group_by",
        )
    if bucket is not None:
        if path.kind not in (Kind.TIMESTAMP, Kind.DATE):
            raise _fail(
                f"bucket needs a date or time field; {entity}.{path.text} is {path.kind.value}.",
                where="group_by",
            )
        return GroupKey(f"{path.text}.{bucket}", path, bucket)
    return GroupKey(path.text, path, None, referenced_entity(entity, path))


def _group_by(raw: Any, entity: str) -> tuple[GroupKey, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    if len(items) > _MAX_GROUP_KEYS:
        raise _fail(f"group_by takes at most {_MAX_GROUP_KEYS} keys, got {len(items)}.", where="group_by")
    keys = tuple(_group_key(item, entity) for item in items)
    names = [key.name for key in keys]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise _fail(f"group_by names {', '.join(map(repr, twice))} more than once.", where="group_by")
    lists = {prefix for key in keys if (prefix := _list_prefix(key.path)) is not None}
    if len(lists) > 1:
        named = ", ".join(sorted(".".join(prefix) for prefix in lists))
        raise _fail(
            f"group_by keys go through different lists ({named}); group by fields of one list at most.",
            where="group_by",
        )
    return keys


def _list_prefix(path: Path) -> tuple[str, ...] | None:
    """The keys down to (and including) the list ``path`` goes through, if it goes through one."""
    for index, segment in enumerate(path.segments):
        if segment.array:
            return path.keys[: index + 1]
    return None


def _metric(name: Any, raw: Any, entity: str) -> Metric:
    if not isinstance(name, str) or not name.strip():
        raise _fail(f"A metric name must be a non-empty string, got {name!r}.", where="metrics")
    example = '{"count": "*"} or {"sum": "latestVersion.salary.value"}'
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise _fail(
            f"Metric {name!r} must be one function and its field, e.g. {example}.", FUNCTIONS, "metrics"
        )
    ((function, field),) = raw.items()
    if function not in FUNCTIONS:
        raise _fail(
            f"Unknown metric function {function!r} in {name!r}.{_hint(function, FUNCTIONS)} "
            f"Valid: {', '.join(FUNCTIONS)}.",
            FUNCTIONS,
            "metrics",
        )
    if field == "*":
        if function != "count":
            raise _fail(f"'*' is only for count; {function} in {name!r} needs a field.", where="metrics")
        return Metric(name, function, None)
    path = resolve_path(entity_schema(entity), field, entity=entity, where="metrics")
    if path.through_array:
        raise _fail(
            f"Metric {name!r}: {entity}.{path.text} is inside a list; metrics take one value per record "
            "(group by the list's field instead).",
            where="metrics",
        )
    kinds, needs = _FIELD_KINDS[function]
    if path.kind not in kinds:
        raise _fail(
            f"Metric {name!r}: {function} needs {needs}; {entity}.{path.text} is {path.kind.value}.",
            where="metrics",
        )
    return Metric(name, function, path)


def _metrics(raw: Any, entity: str, keys: tuple[GroupKey, ...]) -> tuple[Metric, ...]:
    if raw is None or raw == {}:
        raw = {"count": {"count": "*"}}
    if not isinstance(raw, Mapping):
        raise _fail(
            'metrics is an object of name -> function, e.g. {"applications": {"count": "*"}}.',
            FUNCTIONS,
            "metrics",
        )
    if len(raw) > _MAX_METRICS:
        raise _fail(f"metrics takes at most {_MAX_METRICS} metrics, got {len(raw)}.", where="metrics")
    taken = {key.name for key in keys} | {f"{key.name}.name" for key in keys if key.reference}
    clash = [name for name in raw if name in taken]
    if clash:
        raise _fail(
            f"Metric name(s) {', '.join(map(repr, clash))} are also answer keys of group_by "
            f"({', '.join(sorted(taken))}); rename the metric.",
            where="metrics",
        )
    return tuple(_metric(name, item, entity) for name, item in raw.items())


class _Having:
    """Parses ``having`` against the answer's names (metric names and group keys), not the record."""

    def __init__(self, kinds: Mapping[str, Kind]) -> None:
        self.kinds = kinds
        self.nodes = 0

    def condition(self, raw: Any) -> Condition:
        self.nodes += 1
        if self.nodes > _MAX_HAVING_NODES:
            raise _fail(f"having has more than {_MAX_HAVING_NODES} conditions; simplify it.", where="having")
        if not isinstance(raw, Mapping) or not raw:
            raise _fail(
                f'having is a condition such as {{"gte": {{"{next(iter(self.kinds))}": 10}}}}, got {raw!r}.',
                HAVING_OPERATORS,
                "having",
            )
        parts = [self.operator(op, operand) for op, operand in raw.items()]
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def operator(self, op: Any, operand: Any) -> Condition:
        if op in ("and", "or"):
            if not isinstance(operand, list):
                raise _fail(f"'{op}' in having takes a list of conditions.", where="having")
            items = tuple(self.condition(item) for item in operand)
            return And(items) if op == "and" else Or(items)
        if op == "not":
            return Not(self.condition(operand))
        if op not in HAVING_OPERATORS:
            raise _fail(
                f"Unknown having operator {op!r}.{_hint(op, HAVING_OPERATORS)} "
                f"Valid: {', '.join(HAVING_OPERATORS)}.",
                HAVING_OPERATORS,
                "having",
            )
        if not isinstance(operand, Mapping) or not operand:
            raise _fail(f"'{op}' in having takes an object of name -> value.", where="having")
        parts = [self.leaf(op, name, value) for name, value in operand.items()]
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def leaf(self, op: str, name: str, value: Any) -> Condition:
        if name not in self.kinds:
            valid = list(self.kinds)
            raise _fail(
                f"having names {name!r}, which is not a metric or group key.{_hint(name, valid)} "
                f"Valid: {', '.join(valid)}.",
                valid,
                "having",
            )
        kind = self.kinds[name]
        path = Path(name, (), kind, None)
        if op == "in":
            if not isinstance(value, list):
                raise _fail(f"'in' takes a list of values for {name}, got {value!r}.", where="having")
            return In(path, tuple(self.coerce(name, kind, item, op) for item in value))
        if op not in ("eq", "neq"):
            if value is None:
                raise _fail(f"'{op}' cannot compare with null; use eq/neq null.", where="having")
            if kind is Kind.BOOLEAN:
                raise _fail(
                    f"'{op}' needs an ordered value; {name} is true/false: use eq or neq.", where="having"
                )
        return Compare(op, path, self.coerce(name, kind, value, op))

    @staticmethod
    def coerce(name: str, kind: Kind, value: Any, op: str) -> Scalar:
        if value is None:
            return None
        expect = {
            Kind.NUMBER: "a number",
            Kind.BOOLEAN: "true or false",
            Kind.TIMESTAMP: "an ISO date or date-time",
            Kind.DATE: "an ISO date such as '2024-05-06'",
        }.get(kind, "a string")
        wrong = _fail(
            f"{op} on {name} ({kind.value}) needs {expect}, got {_kind_name(value)} {value!r}.",
            where="having",
        )
        if kind is Kind.BOOLEAN:
            if not isinstance(value, bool):
                raise wrong
            return value
        if isinstance(value, bool):
            raise wrong
        if kind is Kind.NUMBER:
            if not isinstance(value, (int, float)):
                raise wrong
            return value
        if not isinstance(value, str):
            raise wrong
        try:
            if kind is Kind.TIMESTAMP:
                return canonical_instant(value)
            if kind is Kind.DATE:
                return date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            raise wrong from None
        return value


def _names(keys: tuple[GroupKey, ...], metrics: tuple[Metric, ...]) -> dict[str, Kind]:
    return {**{metric.name: metric.kind for metric in metrics}, **{key.name: key.kind for key in keys}}


def _sort(raw: Any, names: Sequence[str]) -> tuple[Order, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    orders: list[Order] = []
    for item in items:
        if isinstance(item, str):
            item = {item: "asc"}
        if not isinstance(item, Mapping) or len(item) != 1:
            raise _fail('Each sort entry is {"name": "asc"|"desc"}, e.g. [{"count": "desc"}].', names, "sort")
        ((name, direction),) = item.items()
        if name not in names:
            raise _fail(
                f"Cannot sort by {name!r}: not a metric or group key.{_hint(name, names)} "
                f"Valid: {', '.join(names)}.",
                names,
                "sort",
            )
        if direction not in ("asc", "desc"):
            raise _fail(
                f"Sort direction for {name!r} must be 'asc' or 'desc', got {direction!r}.",
                ("asc", "desc"),
                "sort",
            )
        orders.append(Order(name, direction == "desc"))
    return tuple(orders)


def parse_aggregate(entity: str, params: Mapping[str, Any] | None) -> Aggregate:
    """The checked aggregate of ``params`` (see the module docstring); every problem is an
    :class:`InvalidQueryError` naming the bad key, metric or field and the valid choices."""
    check_stored(entity)
    params = params or {}
    if not isinstance(params, Mapping):
        raise _fail(
            f'params must be an object such as {{"group_by": ["status"]}}, got {params!r}.', AGGREGATE_PARAMS
        )
    unknown = [key for key in params if key not in AGGREGATE_PARAMS]
    if unknown:
        raise _fail(
            f"Unknown params key(s) {', '.join(map(repr, unknown))}.{_hint(unknown[0], AGGREGATE_PARAMS)} "
            f"Valid: {', '.join(AGGREGATE_PARAMS)}.",
            AGGREGATE_PARAMS,
        )
    condition = parse_condition(params.get("filter"), entity_schema(entity), entity=entity)
    keys = _group_by(params.get("group_by"), entity)
    metrics = _metrics(params.get("metrics"), entity, keys)
    names = _names(keys, metrics)
    raw_having = params.get("having")
    having = And(()) if raw_having is None or raw_having == {} else _Having(names).condition(raw_having)
    fresh = params.get("fresh")
    fresh = False if fresh is None else fresh  # null: not given
    if not isinstance(fresh, bool):
        raise _fail(f"fresh must be true or false, got {fresh!r}.", where="fresh")
    sort = _sort(params.get("sort"), list(names))
    limit = bounded_limit(params.get("limit"), default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    return Aggregate(entity, condition, keys, metrics, having, sort, limit, fresh)


# ---------------------------------------------------------------------------------------------- compiling


def _json_type(dialect: Dialect, base: Base, keys: tuple[str, ...]) -> str:
    """The JSON type name at ``keys`` (``'null'`` for a JSON null, SQL NULL when missing)."""
    if dialect.name == "postgresql":
        return f"jsonb_typeof({dialect.document(base, keys)})"
    return f"json_type({base.expr}, '{json_path(keys)}')"


def _argument(compiler: Compiler, metric: Metric, base: Base) -> str | None:
    """The per-record value a metric aggregates (``None`` for ``count: "*"``)."""
    path = metric.path
    if path is None:
        return None
    keys = path.keys
    if path.kind in (Kind.OBJECT, Kind.ANY):  # count only: present and not JSON null
        return f"NULLIF({_json_type(compiler.dialect, base, keys)}, 'null')"
    return _typed(compiler, base, keys, path.kind)


def _typed(compiler: Compiler, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
    """The value at ``keys`` as ``kind``; a number or boolean only when the JSON value is one (SQLite
    would otherwise sum ``"5"`` as 5 where PostgreSQL sees no number)."""
    dialect = compiler.dialect
    value = compiler.scalar(base, keys, kind)
    if kind in (Kind.NUMBER, Kind.BOOLEAN) and dialect.column(base, keys) is None:
        return f"(CASE WHEN {dialect.json_type_is(base, keys, kind)} THEN {value} END)"
    return value


def _aggregated(metric: Metric, index: int) -> list[str]:
    """The grouped query's columns for one metric (an average is its sum and count, divided later)."""
    column = f"t.a{index}"
    match metric.function:
        case "count":
            return [f"COUNT({column if metric.path else '*'}) AS m{index}"]
        case "count_distinct":
            return [f"COUNT(DISTINCT {column}) AS m{index}"]
        case "avg":
            return [f"SUM({column}) AS m{index}", f"COUNT({column}) AS c{index}"]
    return [f"{metric.function.upper()}({column}) AS m{index}"]


class _Outer:
    """Expressions over the grouped query's columns (alias ``a``), for ``having`` and ``ORDER BY``."""

    def __init__(self, agg: Aggregate, compiler: Compiler) -> None:
        self.compiler = compiler
        self.exprs: dict[str, str] = {key.name: f"a.g{i}" for i, key in enumerate(agg.group_by)}
        for i, metric in enumerate(agg.metrics):
            self.exprs[metric.name] = (
                f"(a.m{i} * 1.0 / NULLIF(a.c{i}, 0))" if metric.function == "avg" else f"a.m{i}"
            )

    def condition(self, node: Condition) -> str:
        d = self.compiler.dialect
        match node:
            case And(conditions=()):
                return d.true
            case And(conditions=items):
                return "(" + " AND ".join(self.condition(item) for item in items) + ")"
            case Or(conditions=()):
                return d.false
            case Or(conditions=items):
                return "(" + " OR ".join(self.condition(item) for item in items) + ")"
            case Not(condition=inner):
                return f"(NOT {d.coalesce_false(self.condition(inner))})"
            case Compare(op="neq", path=path, value=value):
                return f"(NOT {d.coalesce_false(self.condition(Compare('eq', path, value)))})"
            case Compare(op="eq", path=path, value=None):
                return f"({self.exprs[path.text]} IS NULL)"
            case Compare(op=op, path=path, value=value):
                return f"({self.exprs[path.text]} {SQL_OPS[op]} :{self.compiler.param(value)})"
            case In(path=path, values=values):
                expr = self.exprs[path.text]
                present = [f":{self.compiler.param(value)}" for value in values if value is not None]
                parts = [f"{expr} IN ({', '.join(present)})"] if present else []
                if None in values:
                    parts.append(f"{expr} IS NULL")
                return "(" + " OR ".join(parts) + ")" if parts else d.false
        raise AssertionError(node)  # pragma: no cover - _Having builds only the nodes above


def _group_expression(compiler: Compiler, key: GroupKey, base: Base, element: Base | None) -> str:
    prefix = _list_prefix(key.path)
    if prefix is not None and element is not None:
        value = _typed(compiler, element, key.path.keys[len(prefix) :], key.path.kind)
    else:
        value = _typed(compiler, base, key.path.keys, key.path.kind)
    if key.bucket is None:
        return value
    if key.path.kind is Kind.DATE:  # a date is that day at midnight UTC, whatever the session's zone
        value = f"({value} || 'T00:00:00Z')"
    return compiler.dialect.bucket(value, key.bucket)


def faceted_paths(agg: Aggregate) -> tuple[Path, ...] | None:
    """The faceted paths ``agg`` reads when ``store_facets`` can answer it (see
    :mod:`ashby_agent.store.query.facets`), else ``None``."""
    fields = [key.path for key in agg.group_by] + [m.path for m in agg.metrics if m.path is not None]
    return facet_paths(agg.entity, agg.condition, fields)


def compile_aggregate(
    agg: Aggregate, dialect_name: str, connector_id: str, *, facets: bool = False
) -> tuple[str, dict[str, Any]]:
    """The statement for one aggregate (``limit + 1`` groups, to know whether there are more); with
    ``facets``, from ``store_facets`` when :func:`faceted_paths` allows it (the caller has checked
    that the store's facets are :func:`~ashby_agent.store.query.facets.usable`).

    Three levels: the matching records (one row per record, or per record and list element, made
    distinct), the groups, then ``having``, display names, order and limit over the groups.
    """
    dialect = dialect_for(dialect_name)
    compiler = Compiler(dialect)
    base = Base.record()
    paths = faceted_paths(agg) if facets else None
    element = None
    if paths is not None:
        sources, scope = facet_sources(compiler, connector_id, agg.entity, paths)
    else:
        sources, scope = "store_records AS r", compiler.scoped(connector_id, agg.entity)
        prefixes = {prefix for key in agg.group_by if (prefix := _list_prefix(key.path)) is not None}
        if prefixes:  # one at most (checked when parsing)
            (prefix,) = prefixes
            sources += f" LEFT JOIN {dialect.elements(base, prefix, 'g')} ON {dialect.true}"
            element = dialect.element("g")
    columns = ["r.record_id AS rid"] if element is not None else []
    columns += [
        f"{_group_expression(compiler, key, base, element)} AS g{i}" for i, key in enumerate(agg.group_by)
    ]
    for i, metric in enumerate(agg.metrics):
        argument = _argument(compiler, metric, base)
        if argument is not None:
            columns.append(f"{argument} AS a{i}")
    # count(*) needs no column; a statement still needs one.
    inner = (
        f"SELECT {'DISTINCT ' if element is not None else ''}{', '.join(columns) or '1 AS one'} "
        f"FROM {sources} WHERE {scope} AND {compiler.condition(agg.condition, base)}"
    )
    grouped_columns = [f"t.g{i} AS g{i}" for i in range(len(agg.group_by))]
    for i, metric in enumerate(agg.metrics):
        grouped_columns += _aggregated(metric, i)
    group = f" GROUP BY {', '.join(f't.g{i}' for i in range(len(agg.group_by)))}" if agg.group_by else ""
    grouped = f"SELECT {', '.join(grouped_columns)} FROM ({inner}) AS t{group}"

    outer = _Outer(agg, compiler)
    selected = ["a.*"]
    joins = []
    for i, key in enumerate(agg.group_by):
        if key.reference is None:
            continue
        joins.append(
            f"LEFT JOIN store_records AS n{i} ON n{i}.connector_id = :{compiler.tenant} "
            f"AND n{i}.entity = {entity_literal(key.reference)} AND n{i}.record_id = a.g{i}"
        )
        selected.append(f"{display_name(dialect, Base.record(f'n{i}'))} AS g{i}n")
    orders = list(agg.sort) or ([Order(agg.metrics[0].name, True)] if agg.group_by else [])
    ordered = {order.name for order in orders}
    orders += [Order(key.name, False) for key in agg.group_by if key.name not in ordered]
    order_by = ", ".join(
        f"{outer.exprs[o.name]} {'DESC' if o.descending else 'ASC'} NULLS LAST" for o in orders
    )
    order = f" ORDER BY {order_by}" if order_by else ""
    sql = (
        f"SELECT {', '.join(selected)} FROM ({grouped}) AS a{''.join(' ' + join for join in joins)} "
        f"WHERE {outer.condition(agg.having)}{order} LIMIT {agg.limit + 1}"
    )
    return sql, compiler.params


# ---------------------------------------------------------------------------------------------- running


def _number(value: Any) -> int | float | None:
    """An int when whole (PostgreSQL's ``Decimal`` and SQLite's ``3.0`` alike), else a float."""
    if value is None:
        return None
    if isinstance(value, (Decimal, float)):
        return int(value) if value == int(value) else float(value)
    return int(value)


def _value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.BOOLEAN:
        return bool(value)
    if kind is Kind.NUMBER:
        return _number(value)
    return value


def _metric_value(metric: Metric, row: RowMapping, index: int) -> Any:
    value = row[f"m{index}"]
    match metric.function:
        case "count" | "count_distinct":
            return int(value)
        case "sum":
            return _number(value)
        case "avg":
            count = int(row[f"c{index}"])
            return float(value) / count if count else None
    return _value(metric.kind, value)


def run_aggregate(
    connection: Connection, connector_id: str, agg: Aggregate, *, facets: bool = True
) -> dict[str, Any]:
    """``{"data": [group rows], "meta": {"has_more", "took_ms"}}``; from ``store_facets`` when it can
    answer (``facets=False``: always from the documents, which the tests compare it with)."""
    started = time.perf_counter()
    paths = faceted_paths(agg) if facets else None
    facets = paths is not None and usable(connection, connector_id, agg.entity, paths)
    sql, params = compile_aggregate(agg, connection.dialect.name, connector_id, facets=facets)
    rows = [row._mapping for row in run_compiled(connection, sql, params, prepare=False)]
    more = len(rows) > agg.limit
    data = []
    for row in rows[: agg.limit]:
        item: dict[str, Any] = {}
        for i, key in enumerate(agg.group_by):
            item[key.name] = _value(key.kind, row[f"g{i}"])
            if key.reference is not None:
                item[f"{key.name}.name"] = row[f"g{i}n"]
        for i, metric in enumerate(agg.metrics):
            item[metric.name] = _metric_value(metric, row, i)
        data.append(item)
    took = round((time.perf_counter() - started) * 1000, 2)
    return {"data": data, "meta": {"has_more": more, "took_ms": took}}
