"""Reading one connector's stored records of an entity back, in record id order, a batch at a time.

The derived indexes (words, facets) skip a first pass's pages and are built from the stored records
when the pass ends: in id order their rows go into the B-trees in order, and memory stays flat
whatever the entity's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import orjson
import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.pagination import cyclic_gc_paused

__all__ = ["HAS_NUL", "Span", "stored_batches"]

#: Records read per batch.
BATCH: Final = 250
#: SQLite: the document holds an escaped NUL character (or the same six characters escaped), which
#: SQLite's JSON functions would end a text at.
HAS_NUL: Final = "instr(data, '\\u0000') > 0"
_STORED: Final = (
    "SELECT record_id, data FROM store_records WHERE connector_id = :connector_id AND entity = :entity "
    "AND record_id > :after{where} ORDER BY record_id LIMIT :limit"
)


@dataclass(frozen=True, slots=True)
class Span:
    """The records whose id sorts after ``after`` and up to ``upto`` included (``None``: to the last):
    a share of an entity's records that one connection builds while others build the rest."""

    after: str = ""
    upto: str | None = None

    @property
    def whole(self) -> bool:
        return not self.after and self.upto is None

    def condition(self, column: str = "record_id") -> str:
        """The span as SQL on ``column``, with the bind parameters of :meth:`params` (a whole entity's
        is a condition that holds, so a plan without spans stays as it was)."""
        if self.whole:
            return "1 = 1"
        upper = "" if self.upto is None else f" AND {column} <= :span_upto"
        return f"{column} > :span_after{upper}"

    def params(self) -> dict[str, str]:
        found = {} if self.whole else {"span_after": self.after}
        if self.upto is not None:
            found["span_upto"] = self.upto
        return found

    def clause(self, column: str = "record_id") -> sa.TextClause:
        """:meth:`condition` with its parameters bound."""
        return sa.text(self.condition(column)).bindparams(**self.params())


def stored_batches(
    connection: Connection,
    connector_id: str,
    entity: str,
    batch: int = BATCH,
    *,
    where: str = "",
    params: dict[str, Any] | None = None,
) -> Iterator[list[tuple[str, Any]]]:
    """``(record_id, decoded record)`` pairs of every stored record (those matching the SQL condition
    ``where`` if given, with its bind ``params``), ``batch`` at a time."""
    query = sa.text(_STORED.format(where=f" AND {where}" if where else ""))
    fixed = {**(params or {}), "connector_id": connector_id, "entity": entity, "limit": batch}
    after = ""
    while True:
        # A batch of documents: thousands of objects and no reference cycles (see cyclic_gc_paused).
        with cyclic_gc_paused():
            rows = connection.execute(query, {**fixed, "after": after}).all()
            # SQLite hands the JSON text back, PostgreSQL's driver the decoded JSONB.
            decoded = [(row[0], orjson.loads(row[1]) if isinstance(row[1], str) else row[1]) for row in rows]
        if not rows:
            return
        yield decoded
        after = rows[-1][0]
