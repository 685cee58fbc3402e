"""The words and facets a first pass builds in bulk at its end (read by the database from the stored
documents) are the rows a page-by-page upsert writes for the same records (read in Python), whatever the
values: missing, null, numbers, objects where text is expected, paths through a non-object, text of
exactly and just over the facet limit, non-ASCII text, and (SQLite) text holding a NUL character."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from ashby_agent.store import rows
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.query.dialects.base import COLUMNS
from ashby_agent.store.query.indexes import FACETED, WORD_INDEXED
from ashby_agent.store.schema import MAX_FACET, facets, vocabulary, words

_COLUMN_WIDTH = 40
PAGED = "bulk-paged"
BULK = "bulk-built"

#: Values every faceted and word-indexed path takes in turn.
VALUES: list[Any] = [
    "Active",
    "Ana María Ödegaard",
    "",
    None,
    7,
    2.5,
    True,
    {"nested": "object"},
    ["a", "list"],
    "x" * MAX_FACET,
    "y" * (MAX_FACET + 1),
    "é" * MAX_FACET,
    "é" * (MAX_FACET + 1),
    'back\\slash "quoted" words',
]
#: PostgreSQL's jsonb refuses NUL characters; SQLite stores them.
NUL_VALUES: list[Any] = ["before\x00after words", "z" * (MAX_FACET - 2) + "\x00" + "zzz"]


def _set(record: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        record = record.setdefault(key, {})
    record[keys[-1]] = value


def _records(entity: str, values: list[Any]) -> list[dict[str, Any]]:
    """One record per value (on every indexed path of ``entity``), plus records whose paths run through
    a non-object or are missing."""
    paths = {*FACETED.get(entity, ()), *WORD_INDEXED.get(entity, ())}
    found: list[dict[str, Any]] = []
    for n, value in enumerate(values):
        record: dict[str, Any] = {"id": f"{entity}-{n:03d}", "updatedAt": "2024-05-01T00:00:00.000Z"}
        for path in paths:
            if path in COLUMNS and isinstance(value, str) and len(value) > _COLUMN_WIDTH:
                continue  # a store column too: Ashby's instants are short
            _set(record, tuple(path.split(".")), value)
        found.append(record)
    through = {"id": f"{entity}-through", **{path.split(".")[0]: "not an object" for path in paths}}
    return [*found, through, {"id": f"{entity}-empty"}]


def _table(store: ContextStore, table: sa.Table, connector_id: str) -> set[tuple[Any, ...]]:
    columns = [column for column in table.c if column.name != "connector_id"]
    query = sa.select(*columns).where(table.c.connector_id == connector_id)
    return {tuple(row) for row in store.transaction(lambda c: c.execute(query).all())}


@pytest.mark.parametrize("entity", sorted(set(FACETED) | set(WORD_INDEXED)))
def test_the_bulk_build_writes_the_rows_of_the_page_by_page_upsert(store: ContextStore, entity: str) -> None:
    values = VALUES + (NUL_VALUES if store.engine.dialect.name == "sqlite" else [])
    page = _records(entity, values)
    now = datetime.now(UTC)
    store.transaction(lambda c: rows.upsert_page(c, PAGED, entity, page, pass_number=1, now=now))

    def bulk(connection: sa.Connection) -> None:
        rows.upsert_page(connection, BULK, entity, page, pass_number=1, now=now, index=False)
        rows.index_stored(connection, BULK, entity)

    store.transaction(bulk)
    for table in (facets, words, vocabulary):
        assert _table(store, table, BULK) == _table(store, table, PAGED), table.name
    if entity in FACETED:
        assert len(_table(store, facets, BULK)) == len(page) * len(FACETED[entity])


@pytest.mark.parametrize("spans_per_kind", [1, 3, 40])
@pytest.mark.parametrize("entity", ["applications", "candidates"])
def test_the_build_in_parts_writes_the_rows_of_the_page_by_page_upsert(
    store: ContextStore, entity: str, spans_per_kind: int
) -> None:
    """The parts a first pass builds apart (each its own transaction, in any order), then the vocabulary:
    the same rows as page by page, and a part run again (a killed build, resumed) replaces its rows."""
    values = VALUES + (NUL_VALUES if store.engine.dialect.name == "sqlite" else [])
    page = _records(entity, values)
    now = datetime.now(UTC)
    store.transaction(lambda c: rows.upsert_page(c, PAGED, entity, page, pass_number=1, now=now))
    store.transaction(lambda c: rows.upsert_page(c, BULK, entity, page, pass_number=1, now=now, index=False))
    parts = store.transaction(lambda c: rows.build_parts(c, BULK, entity, spans_per_kind))
    spans = [span for kind, span in parts if kind == "words"]
    assert len(spans) == min(spans_per_kind, len(page))
    ids = sorted(record["id"] for record in page)
    covered = [i for span in spans for i in ids if i > span.after and (span.upto is None or i <= span.upto)]
    assert covered == ids  # every record in exactly one span, the spans in id order
    seen: set[tuple[str, str, str, str]] = set()
    for part in [*reversed(parts), parts[0]]:  # the first part twice
        seen |= store.transaction(lambda c, part=part: rows.build_part(c, BULK, entity, part))
    assert not _table(store, vocabulary, BULK)  # the parts leave it to the pass's end
    store.transaction(lambda c: rows.end_build(c, seen))
    for table in (facets, words, vocabulary):
        assert _table(store, table, BULK) == _table(store, table, PAGED), table.name
