"""``INSERT`` of many rows at once for the sync's hot path (records, words, facets).

* SQLite: the driver's ``executemany`` of a one-row ``INSERT ... VALUES (?, ...)``, prepared once and
  stepped per row. ``VALUES`` lists of hundreds of rows were measured to cost the syncing process more
  CPU, not less (its system time most: each such statement binds thousands of values into buffers of
  its own), and SQLite's per-row work is the same either way.
* PostgreSQL: ``INSERT ... SELECT * FROM unnest(%b::text[], ...)``, one array per column in binary
  form, so one statement carries every row (PostgreSQL runs one executor per statement, not per row)
  and its text stays the same whatever the number of rows (psycopg parses the placeholders of a long
  text at every execution, and quotes every element of an array sent as text: either would cost the
  client more than the statement saves the server).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

__all__ = ["insert_rows"]


@lru_cache(maxsize=64)
def _one_row(head: str, width: int, tail: str) -> str:
    return f"{head} VALUES ({', '.join(['?'] * width)}){tail}"


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
    connection.exec_driver_sql(_one_row(head, len(types), tail), list(rows))
