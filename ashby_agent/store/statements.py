"""Many-row ``INSERT`` statements for the sync's hot path (records, words, facets).

One statement carries many rows instead of the driver's ``executemany`` running a one-row statement
per row (SQLite's module steps, binds, and releases and takes back the GIL for each row; PostgreSQL
runs one executor per row):

* SQLite: ``INSERT ... VALUES (?, ...), (?, ...), ...``, the SQL text built once per row count;
* PostgreSQL: ``INSERT ... SELECT * FROM unnest(%b::text[], ...)``, one array per column in binary
  form, so the text stays the same whatever the number of rows (psycopg parses the placeholders of a
  long text at every execution, and quotes every element of an array sent as text: either would cost
  the client more than the statement saves the server).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any, Final

from sqlalchemy import Connection

__all__ = ["insert_rows"]

#: Bound parameters one SQLite statement may carry (999 before 3.32).
_SQLITE_PARAMETERS: Final = 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
#: Rows per SQLite statement at most (a page of records is one statement; the SQL text stays small).
_SQLITE_ROWS: Final = 500


@lru_cache(maxsize=64)
def _values(head: str, width: int, tail: str, count: int) -> str:
    row = f"({', '.join(['?'] * width)})"
    return f"{head} VALUES {', '.join([row] * count)}{tail}"


@lru_cache(maxsize=64)
def _unnest(head: str, types: tuple[str, ...], tail: str) -> str:
    # A jsonb column travels as text (the record's JSON as encoded) and is cast once in the server.
    arrays = ", ".join(f"%b::{'text' if kind == 'jsonb' else kind}[]" for kind in types)
    columns = ", ".join(f"c{i}::jsonb" if kind == "jsonb" else f"c{i}" for i, kind in enumerate(types))
    names = ", ".join(f"c{i}" for i in range(len(types)))
    return f"{head} SELECT {columns} FROM unnest({arrays}) AS v ({names}){tail}"


def insert_rows(
    connection: Connection,
    head: str,
    types: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
    tail: str = "",
) -> None:
    """Insert ``rows`` with ``head`` (``INSERT INTO table (columns)``) and ``tail`` (an ``ON CONFLICT``
    clause, with a leading space), in order; ``types`` are the columns' PostgreSQL types."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        columns = tuple(list(column) for column in zip(*rows, strict=True))
        connection.exec_driver_sql(_unnest(head, types, tail), columns)
        return
    size = max(1, min(_SQLITE_ROWS, _SQLITE_PARAMETERS // len(types)))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        parameters = tuple(chain.from_iterable(chunk))
        connection.exec_driver_sql(_values(head, len(types), tail, len(chunk)), parameters)
