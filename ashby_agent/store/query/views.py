"""The SQL views of ``context_store_sql_query``: one per stored entity, over ``store_records``.

A view's columns are its record's top-level fields, named in snake_case (``current_interview_stage``,
``created_at``), so a query needs no quoting; the one exception is ``interview_stage_groups."order"``,
a reserved word. Every view also has ``archived`` (the store's own flag: archived, or status
``Archived``). Column types:

* ``text``: strings, instants and dates (Ashby's ISO-8601 text, which sorts as time does: compare
  with text, ``created_at >= '2024-01-01'``), and fields the record model leaves untyped;
* ``number`` (``numeric`` on PostgreSQL) and ``boolean``: a value of another JSON type reads as null;
* ``json``: nested objects and lists (JSON text on SQLite, ``jsonb`` on PostgreSQL; read into them
  with ``->`` and ``->>``); a JSON ``null`` is SQL ``NULL``.

Every expression is written by the dialect (:mod:`ashby_agent.store.query.dialects`), the same ones
the query compiler and the expression indexes use, so a filter on an indexed field of a view (jobs'
``status``, candidates' ``name``) can use its index once the database inlines the view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from ashby_agent.store.plan import STREAMS
from ashby_agent.store.query.dialects import Base, Dialect, entity_literal
from ashby_agent.store.query.fields import Field, Kind, entity_schema

__all__ = ["VIEW_COLUMNS", "ColumnType", "ViewColumn", "describe_view", "view_columns", "view_sql"]

ColumnType = Literal["text", "number", "boolean", "json"]

#: The store's own column added to every view.
ARCHIVED: Final = "archived"
_IDENTIFIER: Final = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class ViewColumn:
    """One column of a view: its SQL name, the record key it reads, its type and what it holds."""

    name: str
    key: str
    type: ColumnType
    description: str = ""


def _type(item: Field) -> ColumnType:
    if item.array or item.kind is Kind.OBJECT:
        return "json"
    if item.kind is Kind.NUMBER:
        return "number"
    if item.kind is Kind.BOOLEAN:
        return "boolean"
    return "text"


@cache
def view_columns(entity: str) -> tuple[ViewColumn, ...]:
    """The columns of ``entity``'s view, in the record model's order (``KeyError`` if not stored)."""
    schema = entity_schema(entity)
    names = {key: alias for alias, key in schema.aliases.items()}
    columns = [
        ViewColumn(names.get(key, key), key, _type(item), item.description)
        for key, item in schema.fields.items()
    ]
    if all(column.name != ARCHIVED for column in columns):
        columns.append(ViewColumn(ARCHIVED, "", "boolean", "Archived in Ashby (the store's flag)."))
    for column in columns:
        assert _IDENTIFIER.match(column.name), column.name  # they are inlined into SQL unquoted
    return tuple(columns)


class _Views(Mapping[str, tuple[ViewColumn, ...]]):
    """Entity -> its view's columns, computed on first use (deriving all schemas takes a while)."""

    def __getitem__(self, entity: str) -> tuple[ViewColumn, ...]:
        if entity not in STREAMS:
            raise KeyError(entity)
        return view_columns(entity)

    def __iter__(self) -> Iterator[str]:
        return iter(STREAMS)

    def __len__(self) -> int:
        return len(STREAMS)


#: Every stored entity's view columns.
VIEW_COLUMNS: Final[Mapping[str, tuple[ViewColumn, ...]]] = _Views()


def describe_view(entity: str) -> str:
    """``jobs(id text, title text, ..., archived boolean)``: for error messages and tool docs."""
    columns = ", ".join(f"{column.name} {column.type}" for column in view_columns(entity))
    return f"{entity}({columns})"


def _expression(dialect: Dialect, column: ViewColumn) -> str:
    base = Base.record()
    if column.name == ARCHIVED and not column.key:
        return f"{base.table}.archived"
    keys = (column.key,)
    if column.type == "json":
        return f"NULLIF({dialect.document(base, keys)}, 'null')"
    if column.type in ("number", "boolean"):
        kind = Kind.NUMBER if column.type == "number" else Kind.BOOLEAN
        # SQLite's json_extract would hand back a string where a number is expected; guard both alike.
        value = dialect.scalar(base, keys, kind)
        return f"(CASE WHEN {dialect.json_type_is(base, keys, kind)} THEN {value} END)"
    return dialect.scalar(base, keys, Kind.STRING)


def view_sql(dialect: Dialect, entity: str, connector_param: str) -> str:
    """``SELECT <columns> FROM store_records AS r WHERE r.connector_id = <param> AND r.entity = ...``:
    ``connector_param`` is the driver's placeholder of the bound connector id. Entity names come from
    the catalog (lowercase identifiers), so they are inlined."""
    assert entity in STREAMS, entity
    columns = ", ".join(
        f'{_expression(dialect, column)} AS "{column.name}"' for column in view_columns(entity)
    )
    return (
        f"SELECT {columns} FROM store_records AS r "
        f"WHERE r.connector_id = {connector_param} AND r.entity = {entity_literal(entity)}"
    )
