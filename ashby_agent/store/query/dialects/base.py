"""What a dialect supplies to the query compiler: how to read a typed value out of a JSON document,
iterate a JSON list, fold and split text, and truncate instants to buckets.

Expressions are SQL text. JSON paths are written as literals, never bound: an expression index is only
used when the query spells the indexed expression exactly (:mod:`ashby_agent.store.query.indexes`
builds its indexes from the same methods). Paths are safe to inline because every key was resolved
against the record schema (model keys or :data:`~ashby_agent.store.query.fields.FREE_KEY`).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from ashby_agent.store.query.fields import Kind

__all__ = ["COLUMNS", "Base", "Dialect", "entity_literal"]

#: Top-level record keys that the store also keeps as columns (indexed): read them from the column.
COLUMNS: Final = {"id": "record_id", "createdAt": "created_at", "updatedAt": "updated_at"}

_ENTITY: Final = re.compile(r"[a-z][a-z0-9_]*")


def entity_literal(entity: str) -> str:
    """``'<entity>'``, inlined rather than bound: each expression index is partial (``WHERE entity =
    '<entity>'``), and both planners use a partial index only for a query that names the same constant.
    Entity names are catalog identifiers, so inlining them is safe."""
    assert _ENTITY.fullmatch(entity), entity
    return f"'{entity}'"


@dataclass(frozen=True, slots=True)
class Base:
    """Where a path starts: the record (``r.data``, whose top-level keys may be columns) or one element
    of a JSON list (an alias of the list's table function)."""

    expr: str
    element: bool = False
    table: str = "r"

    @classmethod
    def record(cls, table: str = "r") -> Base:
        return cls(f"{table}.data", table=table)


class Dialect(ABC):
    name: str
    true: str
    false: str

    def column(self, base: Base, keys: tuple[str, ...]) -> str | None:
        """The store column holding this value, when there is one."""
        if not base.element and len(keys) == 1 and keys[0] in COLUMNS:
            return f"{base.table}.{COLUMNS[keys[0]]}"
        return None

    @abstractmethod
    def scalar(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        """The value at ``keys`` as ``kind`` compares (text in binary order, numbers, booleans)."""

    @abstractmethod
    def json_type_is(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        """True when the JSON value at ``keys`` is of ``kind`` (guards comparisons on untyped fields)."""

    @abstractmethod
    def elements(self, base: Base, keys: tuple[str, ...], alias: str) -> str:
        """A FROM item over the list at ``keys`` (nothing when it is not a list); each row is ``alias``."""

    @abstractmethod
    def element(self, alias: str) -> Base:
        """The base of one element produced by :meth:`elements`."""

    @abstractmethod
    def document(self, base: Base, keys: tuple[str, ...]) -> str:
        """The JSON value at ``keys`` (for projections and the SQL views)."""

    @abstractmethod
    def lower(self, expr: str) -> str: ...

    @abstractmethod
    def words(self, expr: str) -> str:
        """``' w1 w2 '``: lower-cased letters and digits, every other run of characters one space."""

    @abstractmethod
    def fuzzy(self, expr: str, words: list[str], param: Callable[[Any], str]) -> str:
        """True when every query word matches a word of ``expr`` (see
        :func:`ashby_agent.store.query.text.fuzzy_match`); ``param(value)`` binds a value."""

    @abstractmethod
    def bucket(self, expr: str, unit: str) -> str:
        """The start of the ``day``/``week`` (Monday)/``month`` holding the instant ``expr``, as
        ``YYYY-MM-DD``."""

    def unindexed(self, expr: str) -> str:
        """``expr`` for a term the planner should test row by row rather than look up in an index."""
        return expr

    def coalesce_false(self, expr: str) -> str:
        return f"COALESCE(({expr}), {self.false})"

    @abstractmethod
    def record_json(self, table: str = "r") -> str:
        """The record's document as JSON text (decoded once, by orjson)."""
