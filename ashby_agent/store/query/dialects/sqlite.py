"""SQLite: JSON1 functions over the text documents; text folding and fuzzy matching are Python
functions registered on the connection (:mod:`ashby_agent.store.query.text`), since SQLite's own
``lower`` and ``LIKE`` fold ASCII only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ashby_agent.store.query.dialects.base import Base, Dialect
from ashby_agent.store.query.fields import Kind
from ashby_agent.store.query.text import tolerance

__all__ = ["SQLite", "json_path"]

_JSON_TYPES = {
    Kind.STRING: ("text",),
    Kind.TIMESTAMP: ("text",),
    Kind.DATE: ("text",),
    Kind.NUMBER: ("integer", "real"),
    Kind.BOOLEAN: ("true", "false"),
}


def json_path(keys: tuple[str, ...]) -> str:
    """SQLite's JSON path of ``keys`` (``$."a"."b"``), as a bound parameter's value."""
    return "$" + "".join(f'."{key}"' for key in keys)


def _path(keys: tuple[str, ...]) -> str:
    return f"'{json_path(keys)}'"


class SQLite(Dialect):
    name = "sqlite"
    true = "1"
    false = "0"

    def scalar(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        column = self.column(base, keys)
        if column is not None:
            return column
        if base.element and not keys:
            return f"{base.expr}.value"
        return f"json_extract({self._doc(base)}, {_path(keys)})"

    def _doc(self, base: Base) -> str:
        return f"{base.expr}.value" if base.element else base.expr

    def json_type_is(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        types = ", ".join(f"'{name}'" for name in _JSON_TYPES[kind])
        if base.element and not keys:
            return f"{base.expr}.type IN ({types})"
        return f"json_type({self._doc(base)}, {_path(keys)}) IN ({types})"

    def elements(self, base: Base, keys: tuple[str, ...], alias: str) -> str:
        doc, path = self._doc(base), _path(keys)
        listed = f"CASE WHEN json_type({doc}, {path}) = 'array' THEN json_extract({doc}, {path}) END"
        return f"json_each({listed}) AS {alias}"

    def element(self, alias: str) -> Base:
        return Base(alias, element=True)

    def document(self, base: Base, keys: tuple[str, ...]) -> str:
        if not keys:
            return self._doc(base)
        return f"json_extract({self._doc(base)}, {_path(keys)})"

    def lower(self, expr: str) -> str:
        return f"ashby_lower({expr})"

    def words(self, expr: str) -> str:
        return f"ashby_words({expr})"

    def fuzzy(self, expr: str, words: list[str], param: Callable[[Any], str]) -> str:
        return " AND ".join(f"ashby_fuzzy({expr}, :{param(word)}, {tolerance(word)})" for word in words)

    def bucket(self, expr: str, unit: str) -> str:
        modifier = {"day": "", "week": ", '-6 days', 'weekday 1'", "month": ", 'start of month'"}[unit]
        return f"date({expr}{modifier})"

    def unindexed(self, expr: str) -> str:
        # SQLite's unary + changes no value and keeps a column's collation, but no index serves it.
        return f"+{expr}"

    def record_json(self, table: str = "r") -> str:
        return f"{table}.data"
