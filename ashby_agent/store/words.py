"""Keeping ``store_words`` and ``store_vocabulary`` level with the records (see
:data:`ashby_agent.store.query.indexes.WORD_INDEXED`).

A page's records bring their words level in the page's transaction (only the words a record gained or
lost are written); the first pass of an entity skips that and :func:`rebuild` indexes every stored record
at its end instead, in the transaction that makes the entity searchable (until then a search answers
"not synced yet", so nothing reads the missing words).
The vocabulary only grows: a word no record holds any more costs one vocabulary test and finds no record,
so it is never wrong, and the vocabulary of names, titles and companies stays small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.store.query.indexes import word_fields
from ashby_agent.store.query.text import words
from ashby_agent.store.scan import stored_batches
from ashby_agent.store.schema import vocabulary
from ashby_agent.store.schema import words as words_table

__all__ = ["drop_connector", "forget", "index_page", "rebuild"]

_MAX_WORD = 255
_Row = tuple[str, str, str, str, str]
_INSERT_WORDS = (
    "INSERT INTO store_words (connector_id, entity, field, word, record_id) VALUES ({0}, {0}, {0}, {0}, {0})"
)
_VOCABULARY = "INTO store_vocabulary (connector_id, entity, field, word) VALUES "
_INSERT_VOCABULARY = {
    "sqlite": f"INSERT OR IGNORE {_VOCABULARY} (?, ?, ?, ?)",
    "postgresql": f"INSERT {_VOCABULARY} (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
}


#: Fixed statements run with the driver's ``executemany`` (this is on the sync's hot path).
_DELETE_WORDS = "DELETE FROM store_words WHERE connector_id = {0} AND entity = {0} AND record_id = {0}"
_DELETE_WORD = (
    "DELETE FROM store_words WHERE connector_id = {0} AND entity = {0} AND field = {0} AND word = {0} "
    "AND record_id = {0}"
)
_ORPHANS = sa.text(
    "DELETE FROM store_words WHERE connector_id = :connector_id AND entity = :entity AND NOT EXISTS "
    "(SELECT 1 FROM store_records AS r WHERE r.connector_id = store_words.connector_id "
    "AND r.entity = store_words.entity AND r.record_id = store_words.record_id)"
)


def _value(record: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def _rows(connector_id: str, entity: str, records: Iterable[tuple[str, Any]]) -> list[_Row]:
    """The word rows of ``(record id, record)`` pairs: one per distinct word of each indexed field."""
    fields = word_fields(entity)
    rows: list[_Row] = []
    for record_id, record in records:
        for field, keys in fields.items():
            value = _value(record, keys)
            if isinstance(value, str):
                for word in dict.fromkeys(word[:_MAX_WORD] for word in words(value)):
                    rows.append((connector_id, entity, field, word, record_id))
    return rows


def _insert(connection: Connection, rows: list[_Row]) -> None:
    if not rows:
        return
    postgres = connection.dialect.name == "postgresql"
    connection.exec_driver_sql(_INSERT_WORDS.format("%s" if postgres else "?"), rows)
    seen = list(dict.fromkeys(row[:4] for row in rows))
    connection.exec_driver_sql(_INSERT_VOCABULARY["postgresql" if postgres else "sqlite"], seen)


def index_page(connection: Connection, connector_id: str, entity: str, records: Sequence[Any]) -> None:
    """Bring the words of ``records`` (already validated, each with an id, each once) level: only the
    words a record gained are inserted and the ones it lost deleted, so a re-read of unchanged records
    writes nothing here."""
    if not word_fields(entity):
        return
    wanted = _rows(connector_id, entity, ((record["id"], record) for record in records))
    found = connection.execute(
        sa.select(words_table.c.field, words_table.c.word, words_table.c.record_id).where(
            words_table.c.connector_id == connector_id,
            words_table.c.entity == entity,
            words_table.c.record_id.in_([record["id"] for record in records]),
        )
    )
    held = {(connector_id, entity, *row) for row in found}
    kept = set(wanted)
    stale = [row for row in held if row not in kept]
    if stale:
        postgres = connection.dialect.name == "postgresql"
        connection.exec_driver_sql(_DELETE_WORD.format("%s" if postgres else "?"), stale)
    _insert(connection, [row for row in wanted if row not in held])


def rebuild(connection: Connection, connector_id: str, entity: str) -> None:
    """Index the words of every stored record of ``entity`` from scratch, in record id order: after a
    first pass that skipped them (cheaper than a page at a time, whose random words dirty a new set of
    index pages in every page's commit)."""
    if not word_fields(entity):
        return
    scope = sa.and_(words_table.c.connector_id == connector_id, words_table.c.entity == entity)
    connection.execute(sa.delete(words_table).where(scope))
    for batch in stored_batches(connection, connector_id, entity):
        _insert(connection, _rows(connector_id, entity, batch))


def forget(connection: Connection, connector_id: str, entity: str, record_ids: Iterable[str] | None) -> None:
    """Drop the words of ``record_ids`` (``None``: of every record of the entity no longer stored)."""
    if not word_fields(entity):
        return
    if record_ids is None:
        connection.execute(_ORPHANS, {"connector_id": connector_id, "entity": entity})
        return
    postgres = connection.dialect.name == "postgresql"
    rows = [(connector_id, entity, record_id) for record_id in record_ids]
    if rows:
        connection.exec_driver_sql(_DELETE_WORDS.format("%s" if postgres else "?"), rows)


def drop_connector(connection: Connection, connector_id: str) -> None:
    for table in (words_table, vocabulary):
        connection.execute(sa.delete(table).where(table.c.connector_id == connector_id))
