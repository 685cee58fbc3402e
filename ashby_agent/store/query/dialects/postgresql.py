"""PostgreSQL: jsonb operators; text compares in the "C" collation (binary order, as in SQLite);
fuzzy matching uses ``fuzzystrmatch``'s ``levenshtein_less_equal`` through ``ashby_levenshtein``
(created beside the store's tables: see the store's migration ``0002``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ashby_agent.store.query.dialects.base import Base, Dialect
from ashby_agent.store.query.fields import Kind
from ashby_agent.store.query.text import tolerance

__all__ = ["PostgreSQL"]

_JSON_TYPES = {
    Kind.STRING: "string",
    Kind.TIMESTAMP: "string",
    Kind.DATE: "string",
    Kind.NUMBER: "number",
    Kind.BOOLEAN: "boolean",
}


def _path(keys: tuple[str, ...]) -> str:
    # Quoted elements: unquoted, a free-form key spelled ``null`` would be a NULL array element.
    return "'{" + ",".join(f'"{key}"' for key in keys) + "}'"


class PostgreSQL(Dialect):
    name = "postgresql"
    true = "TRUE"
    false = "FALSE"

    def scalar(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        column = self.column(base, keys)
        if column is not None:
            return column
        path = _path(keys)
        if kind in (Kind.NUMBER, Kind.BOOLEAN):
            json_type, cast = ("number", "numeric") if kind is Kind.NUMBER else ("boolean", "boolean")
            return (
                f"(CASE WHEN jsonb_typeof({base.expr} #> {path}) = '{json_type}' "
                f"THEN ({base.expr} #>> {path})::{cast} END)"
            )
        return f'(({base.expr} #>> {path}) COLLATE "C")'

    def json_type_is(self, base: Base, keys: tuple[str, ...], kind: Kind) -> str:
        return f"jsonb_typeof({base.expr} #> {_path(keys)}) = '{_JSON_TYPES[kind]}'"

    def elements(self, base: Base, keys: tuple[str, ...], alias: str) -> str:
        value = f"{base.expr} #> {_path(keys)}"
        listed = f"CASE WHEN jsonb_typeof({value}) = 'array' THEN {value} END"
        return f"jsonb_array_elements({listed}) AS {alias}(value)"

    def element(self, alias: str) -> Base:
        return Base(f"{alias}.value", element=True)

    def document(self, base: Base, keys: tuple[str, ...]) -> str:
        return f"({base.expr} #> {_path(keys)})" if keys else base.expr

    def lower(self, expr: str) -> str:
        return f'lower(({expr}) COLLATE "default")'

    def words(self, expr: str) -> str:
        return f"(' ' || regexp_replace({self.lower(expr)}, '[^[:alnum:]]+', ' ', 'g') || ' ')"

    def fuzzy(self, expr: str, words: list[str], param: Callable[[Any], str]) -> str:
        parts = []
        for text in words:
            word, allowed = param(text), tolerance(text)
            test = f"w.word LIKE :{word} || '%'"
            if allowed:
                test += (
                    f" OR ashby_levenshtein(left(w.word, 255), :{word}, {allowed}) <= {allowed}"
                    f" OR ashby_levenshtein(left(w.word, {len(text)}), :{word}, {allowed}) <= {allowed}"
                )
            parts.append(
                f"EXISTS (SELECT 1 FROM regexp_split_to_table({self.lower(expr)}, '[^[:alnum:]]+') "
                f"AS w(word) WHERE w.word <> '' AND ({test}))"
            )
        return " AND ".join(parts)

    def bucket(self, expr: str, unit: str) -> str:
        return f"to_char(date_trunc('{unit}', ({expr})::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"

    def record_json(self, table: str = "r") -> str:
        return f"{table}.data::text"
