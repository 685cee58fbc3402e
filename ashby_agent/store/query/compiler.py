"""The query compiler: a checked condition tree to SQL text and bound parameters, for one dialect.

Compiling is apart from running (the tests read the SQL as well as its results). Semantics:

* a path through a list is true when some element satisfies the leaf (``EXISTS`` over the list);
* a leaf on a missing or null value is false, except ``eq null``, which is true when the path reaches
  no value at all (through lists: no element holds one, an empty list included);
* ``neq`` and ``not`` are the plain negation of their operand (``NOT COALESCE(..., false)``), so
  ``neq`` matches missing values;
* on fields the model leaves untyped, a comparison also requires the JSON value to be of the
  compared value's type (a number never equals a string).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ashby_agent.database import prepare_threshold
from ashby_agent.store.query import text
from ashby_agent.store.query.dialects import Base, Dialect, entity_literal
from ashby_agent.store.query.fields import Kind, Path, Segment
from ashby_agent.store.query.indexes import word_fields
from ashby_agent.store.query.language import And, AnyOf, Compare, Condition, In, Not, Or, Scalar, Text
from ashby_agent.store.query.word_search import word_condition

__all__ = ["SQL_OPS", "Compiler", "run_compiled"]

SQL_OPS = {"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _value_kind(path_kind: Kind, value: Scalar) -> Kind:
    if path_kind is not Kind.ANY:
        return path_kind
    if isinstance(value, bool):
        return Kind.BOOLEAN
    if isinstance(value, (int, float)):
        return Kind.NUMBER
    return Kind.STRING


_PSYCOPG = sa.make_url("postgresql+psycopg://").get_dialect()()


@functools.lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """``sql`` with psycopg's ``%(name)s`` placeholders (and its literal ``%`` doubled)."""
    return str(sa.text(sql).compile(dialect=_PSYCOPG))


def run_compiled(
    connection: sa.Connection, sql: str, params: dict[str, Any], *, prepare: bool = True
) -> sa.CursorResult[Any]:
    """Run a compiled statement (``:name`` placeholders) on the driver. SQLAlchemy's ``text()``
    costs more than the statement itself on an indexed lookup; sqlite3 reads ``:name`` as it is, and
    PostgreSQL's form of each statement is converted once.

    ``prepare=False`` keeps PostgreSQL from reusing a plan: it plans the statement for its values each
    time. A prepared statement switches to a generic plan after five runs, and the best plan of an
    aggregate depends on how many rows its filter keeps (a generic one tripled a filtered group-by),
    while planning costs it little next to its run."""
    if connection.dialect.name != "postgresql":
        return connection.exec_driver_sql(sql, params)
    sql = _pyformat(sql)
    if prepare:
        return connection.exec_driver_sql(sql, params)
    with prepare_threshold(connection, None):
        return connection.exec_driver_sql(sql, params)


@dataclass
class Compiler:
    """One statement's compilation: parameters and aliases are numbered per statement."""

    dialect: Dialect
    params: dict[str, Any] = field(default_factory=dict)
    _aliases: int = 0
    #: The entity and the bound names of its connector id and entity, when the statement reads one
    #: entity's records: ``fuzzy`` / ``keyword`` on its word-indexed fields then use ``store_words``.
    entity: str | None = None
    scope: tuple[str, str] | None = None
    #: Record paths (their wire keys) whose values a column of the statement already holds (the
    #: ``store_facets`` rows an aggregate reads): leaves on them compare that column.
    columns: dict[tuple[str, ...], str] = field(default_factory=dict)

    def scoped(self, connector_id: str, entity: str, table: str = "r") -> str:
        """The tenant and entity filter of ``table`` (the connector id bound, the entity inlined for
        the partial indexes); ``fuzzy`` / ``keyword`` on word-indexed fields bind both."""
        self.entity, self.scope = entity, (self.param(connector_id), self.param(entity))
        return f"{table}.connector_id = :{self.scope[0]} AND {table}.entity = {entity_literal(entity)}"

    @property
    def tenant(self) -> str:
        """The bound name of the connector id (after ``scoped``)."""
        assert self.scope is not None
        return self.scope[0]

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return name

    def alias(self) -> str:
        self._aliases += 1
        return f"e{self._aliases}"

    def scalar(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        """The value at ``keys`` as ``kind`` compares: a column of :attr:`columns`, else the dialect's."""
        if not base.element and keys in self.columns:
            return self.columns[keys]
        return self.dialect.scalar(base, keys, kind)

    # ------------------------------------------------------------------ conditions

    def condition(self, node: Condition, base: Base) -> str:
        d = self.dialect
        match node:
            case And(conditions=()):
                return d.true
            case And(conditions=items):
                return "(" + " AND ".join(self.condition(item, base) for item in items) + ")"
            case Or(conditions=()):
                return d.false
            case Or(conditions=items):
                return "(" + " OR ".join(self.condition(item, base) for item in items) + ")"
            case Not(condition=inner):
                return f"(NOT {d.coalesce_false(self.condition(inner, base))})"
            case Compare(op="neq", path=path, value=value):
                return f"(NOT {d.coalesce_false(self.condition(Compare('eq', path, value), base))})"
            case Compare(op="eq", path=path, value=None):
                present = self.leaf(base, path.segments, lambda b, keys: self._present(b, keys, path.kind))
                return f"(NOT {d.coalesce_false(present)})"
            case Compare(op=op, path=path, value=value):
                kind = _value_kind(path.kind, value)
                return self.leaf(
                    base, path.segments, lambda b, keys: self._compare(b, keys, path, kind, op, value)
                )
            case In(path=path, values=values):
                return self._in(base, path, values)
            case Text(op="fuzzy" | "keyword", path=path, value=value) if self._word_indexed(base, path):
                assert self.scope is not None and self.entity is not None
                return word_condition(d, self.param, self.scope, path.text, node.op, value)
            case Text(op=op, path=path, value=value):
                return self.leaf(
                    base, path.segments, lambda b, keys: self._text(b, keys, path.kind, op, value)
                )
            case AnyOf(path=path, condition=inner):
                return self._any(base, path.segments, inner)
        raise AssertionError(node)  # pragma: no cover - the parser builds only the nodes above

    def leaf(
        self, base: Base, segments: tuple[Segment, ...], make: Callable[[Base, tuple[str, ...]], str]
    ) -> str:
        """``make(base, keys)`` on the value at ``segments``, through ``EXISTS`` at every list."""
        for index, segment in enumerate(segments):
            if segment.array:
                alias = self.alias()
                keys = tuple(s.key for s in segments[: index + 1])
                element = self.dialect.element(alias)
                inner = self.leaf(element, segments[index + 1 :], make)
                return f"EXISTS (SELECT 1 FROM {self.dialect.elements(base, keys, alias)} WHERE {inner})"
        return make(base, tuple(s.key for s in segments))

    def _any(self, base: Base, segments: tuple[Segment, ...], inner: Condition) -> str:
        for index, segment in enumerate(segments):
            if segment.array:
                alias = self.alias()
                keys = tuple(s.key for s in segments[: index + 1])
                element = self.dialect.element(alias)
                rest = segments[index + 1 :]
                body = self._any(element, rest, inner) if rest else self.condition(inner, element)
                return f"EXISTS (SELECT 1 FROM {self.dialect.elements(base, keys, alias)} WHERE {body})"
        raise AssertionError("'any' needs a list path")  # pragma: no cover - checked by the parser

    def _guarded(self, base: Base, keys: tuple[str, ...], path_kind: Kind, kind: Kind, test: str) -> str:
        if path_kind is Kind.ANY:
            return f"({self.dialect.json_type_is(base, keys, kind)} AND {test})"
        return test

    def _present(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        scalar_kind = Kind.STRING if kind in (Kind.ANY, Kind.OBJECT) else kind
        if kind in (Kind.ANY, Kind.OBJECT):
            return f"{self.dialect.document(base, keys)} IS NOT NULL AND {self._not_json_null(base, keys)}"
        return f"{self.scalar(base, keys, scalar_kind)} IS NOT NULL"

    def _not_json_null(self, base: Base, keys: tuple[str, ...]) -> str:
        if self.dialect.name == "postgresql":
            return f"jsonb_typeof({self.dialect.document(base, keys)}) <> 'null'"
        return self.dialect.true

    def _compare(
        self, base: Base, keys: tuple[str, ...], path: Path, kind: Kind, op: str, value: Scalar
    ) -> str:
        test = f"{self.scalar(base, keys, kind)} {SQL_OPS[op]} :{self.param(value)}"
        return self._guarded(base, keys, path.kind, kind, test)

    def _in(self, base: Base, path: Path, values: tuple[Scalar, ...]) -> str:
        options = [Compare("eq", path, value) for value in values if value is not None]
        typed = {_value_kind(path.kind, value) for value in values if value is not None}
        parts: list[str] = []
        if options and len(typed) == 1 and path.kind is not Kind.ANY:
            (kind,) = typed

            def make(b: Base, keys: tuple[str, ...]) -> str:
                names = ", ".join(f":{self.param(value)}" for value in values if value is not None)
                return f"{self.scalar(b, keys, kind)} IN ({names})"

            parts.append(self.leaf(base, path.segments, make))
        else:
            parts.extend(self.condition(option, base) for option in options)
        if any(value is None for value in values):
            parts.append(self.condition(Compare("eq", path, None), base))
        return "(" + " OR ".join(parts) + ")" if parts else self.dialect.false

    def _word_indexed(self, base: Base, path: Path) -> bool:
        return (
            self.scope is not None
            and self.entity is not None
            and not base.element
            and path.text in word_fields(self.entity)
        )

    def _text(self, base: Base, keys: tuple[str, ...], kind: Kind, op: str, value: str) -> str:
        d = self.dialect
        expr = self.scalar(base, keys, Kind.STRING)
        if op == "like":
            test = f"{d.lower(expr)} LIKE :{self.param(text.like_pattern(value))} ESCAPE '\\'"
        elif op == "keyword":
            found = text.query_words(value)
            if not found:
                return d.false
            test = "(" + " OR ".join(f"{d.words(expr)} LIKE :{self.param(f'% {w} %')}" for w in found) + ")"
        else:
            found = text.query_words(value)
            if not found:
                return d.false
            test = "(" + d.fuzzy(expr, found, self.param) + ")"
        return self._guarded(base, keys, kind, Kind.STRING, test)
