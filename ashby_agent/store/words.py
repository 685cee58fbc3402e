"""Keeping ``store_words`` and ``store_vocabulary`` level with the records (see
:data:`ashby_agent.store.query.indexes.WORD_INDEXED`).

A page's records bring their words level in the page's transaction (only the words a record gained or
lost are written); the first pass of an entity skips that and :func:`index_stored` indexes every stored
record at its end instead, in the transaction that makes the entity searchable (until then a search answers
"not synced yet", so nothing reads the missing words).
The vocabulary only grows: a word no record holds any more costs one vocabulary test and finds no record,
so it is never wrong, and the vocabulary of names, titles and companies stays small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.store.query.dialects.sqlite import json_path
from ashby_agent.store.query.indexes import word_fields
from ashby_agent.store.query.text import words
from ashby_agent.store.scan import HAS_NUL, Span
from ashby_agent.store.schema import vocabulary
from ashby_agent.store.schema import words as words_table
from ashby_agent.store.statements import insert_rows

__all__ = ["Vocable", "add_vocabulary", "clear", "drop_connector", "forget", "index_page", "index_stored"]

_MAX_WORD = 255
#: Records whose fields are read per batch by :func:`index_stored`.
_BATCH = 1000
_Row = tuple[str, str, str, str, str]
_INSERT_WORDS = "INSERT INTO store_words (connector_id, entity, field, word, record_id)"
_VOCABULARY = "INTO store_vocabulary (connector_id, entity, field, word)"
#: dialect -> (head, tail) of the vocabulary's insert.
_INSERT_VOCABULARY = {
    "sqlite": (f"INSERT OR IGNORE {_VOCABULARY}", ""),
    "postgresql": (f"INSERT {_VOCABULARY}", " ON CONFLICT DO NOTHING"),
}


#: Fixed statements run with the driver's ``executemany`` (a re-read's changed words only).
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


def _field_rows(connector_id: str, entity: str, field: str, text: str, record_id: str) -> list[_Row]:
    """The word rows of one field's ``text``: one per distinct word."""
    return [
        (connector_id, entity, field, word, record_id)
        for word in dict.fromkeys(word[:_MAX_WORD] for word in words(text))
    ]


def _rows(connector_id: str, entity: str, records: Iterable[tuple[str, Any]]) -> list[_Row]:
    """The word rows of ``(record id, record)`` pairs: one per distinct word of each indexed field."""
    fields = word_fields(entity)
    rows: list[_Row] = []
    for record_id, record in records:
        for field, keys in fields.items():
            value = _value(record, keys)
            if isinstance(value, str):
                rows += _field_rows(connector_id, entity, field, value, record_id)
    return rows


#: A vocabulary row: connector, entity, field, word.
Vocable = tuple[str, str, str, str]


def _insert(connection: Connection, rows: list[_Row], *, vocabulary: bool = True) -> list[Vocable]:
    """Insert word ``rows`` and (``vocabulary``) their vocabulary; returns the vocabulary rows."""
    if not rows:
        return []
    insert_rows(connection, _INSERT_WORDS, ("text",) * 5, rows)
    vocables: list[Vocable] = list(dict.fromkeys(row[:4] for row in rows))
    if vocabulary:
        add_vocabulary(connection, vocables)
    return vocables


def add_vocabulary(connection: Connection, vocables: Iterable[Vocable]) -> None:
    """Add words to the vocabulary (those already in it are left as they are)."""
    head, tail = _INSERT_VOCABULARY[connection.dialect.name]
    insert_rows(connection, head, ("text",) * 4, list(vocables), tail)


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


def clear(connection: Connection, connector_id: str, entity: str, span: Span | None = None) -> None:
    """Drop every word row of ``entity`` (of its records in ``span``), before :func:`index_stored`
    indexes them again."""
    if word_fields(entity):
        scope = sa.and_(words_table.c.connector_id == connector_id, words_table.c.entity == entity)
        if span is not None:
            scope = sa.and_(scope, span.clause("store_words.record_id"))
        connection.execute(sa.delete(words_table).where(scope))


def index_stored(
    connection: Connection,
    connector_id: str,
    entity: str,
    span: Span | None = None,
    *,
    vocabulary: bool = True,
) -> set[Vocable]:
    """Insert the words of every stored record of ``entity`` (of those in ``span``) after
    :func:`clear`, in record id order: the database hands back the indexed fields' text only, not the
    documents. ``vocabulary`` false leaves the vocabulary to the caller (:func:`add_vocabulary`): the
    words are returned. Builds of several spans at once that each added theirs would wait on one
    another's new vocabulary rows, in both orders."""
    fields = word_fields(entity)
    seen: set[Vocable] = set()
    if not fields:
        return seen
    postgres = connection.dialect.name == "postgresql"
    span = span or Span()
    params: dict[str, Any] = {"connector_id": connector_id, "entity": entity, "limit": _BATCH}
    upto = "" if span.upto is None else " AND record_id <= :span_upto"
    params.update(span.params())
    columns = []
    for i, keys in enumerate(fields.values()):
        if postgres:
            params[f"k{i}"] = list(keys)
            columns.append(
                f"CASE WHEN jsonb_typeof(data #> CAST(:k{i} AS text[])) = 'string' "
                f"THEN data #>> CAST(:k{i} AS text[]) END"
            )
        else:
            params[f"k{i}"] = json_path(keys)
            columns.append(f"CASE WHEN json_type(data, :k{i}) = 'text' THEN json_extract(data, :k{i}) END")
    # SQLite's JSON functions end a text at its first NUL character: a document holding an escaped one
    # comes back whole, and its words are read from the decoded document.
    columns.append("NULL" if postgres else f"CASE WHEN {HAS_NUL} THEN data END")
    # PostgreSQL: the subquery yields each document once in memory (each reference to a stored one
    # would detoast it again).
    scope = f"connector_id = :connector_id AND entity = :entity AND record_id > :span_after{upto}"
    source = (
        f"(SELECT record_id, data || '{{}}'::jsonb AS data FROM store_records WHERE {scope} "
        "ORDER BY record_id LIMIT :limit) AS r"
        if postgres
        else f"store_records WHERE {scope}"
    )
    tail = "" if postgres else " LIMIT :limit"
    query = sa.text(f"SELECT record_id, {', '.join(columns)} FROM {source} ORDER BY record_id{tail}")
    after = span.after
    names = list(fields)
    while True:
        batch = connection.execute(query, {**params, "span_after": after}).all()
        rows: list[_Row] = []
        for record_id, *values, whole in batch:
            if whole is not None:
                rows += _rows(connector_id, entity, [(record_id, orjson.loads(whole))])
                continue
            for field, value in zip(names, values, strict=True):
                if isinstance(value, str):
                    rows += _field_rows(connector_id, entity, field, value, record_id)
        added = _insert(connection, rows, vocabulary=vocabulary)
        if not vocabulary:
            seen.update(added)
        if len(batch) < _BATCH:
            return seen
        after = batch[-1][0]


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
