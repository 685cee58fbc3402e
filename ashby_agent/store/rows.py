"""Replicated records: upserts by id, removal of what a full re-read no longer returns, deletions,
merges. Functions take a :class:`~sqlalchemy.Connection` inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from ashby_agent.pagination import cyclic_gc_paused
from ashby_agent.store import facets, words
from ashby_agent.store.checkpoints import SQLITE_DATETIME
from ashby_agent.store.page import WirePage
from ashby_agent.store.query.indexes import facet_fields, word_fields
from ashby_agent.store.scan import Span
from ashby_agent.store.schema import aliases, records, streams, webhook_events, write_keys
from ashby_agent.store.statements import insert_rows

__all__ = [
    "BuildPart",
    "build_part",
    "build_parts",
    "count",
    "delete",
    "derived",
    "drop_connector",
    "end_build",
    "index_stored",
    "merge",
    "remove_unseen",
    "roomy_cache",
    "sync_cache",
    "upsert_page",
]

#: SQLite's page cache while a first pass's words and facets are built (KiB; its default is 2 MiB).
BUILD_CACHE_KIB = 65_536
#: SQLite's page cache of a connection that stores a sync's pages (KiB).
SYNC_CACHE_KIB = 16_384


@cyclic_gc_paused()
def upsert_page(
    connection: Connection,
    connector_id: str,
    entity: str,
    page: WirePage | Sequence[Any],
    *,
    pass_number: int,
    now: datetime,
    parent_id: str | None = None,
    index: bool = True,
) -> int:
    """Insert or replace ``page``'s records by id, stamped with ``pass_number``; returns how many.

    This is the sync's hot path (one call per page of 100): the page's rows go in through fixed SQL built
    once (see :mod:`~ashby_agent.store.statements`), each record's document as it came (a
    :class:`~ashby_agent.store.page.WirePage`; a sequence of dicts is encoded once). ``index`` false
    leaves the words and facets to :func:`index_stored` at the end of the pass. The page's row tuples
    make no reference cycles: the cyclic GC waits (see ``cyclic_gc_paused``).
    """
    if not isinstance(page, WirePage):
        page = WirePage.from_values(page, entity)
    postgres = connection.dialect.name == "postgresql"
    synced = now if postgres else now.strftime(SQLITE_DATETIME)
    # The last copy of an id within a page wins, as it would across pages.
    rows = {
        record.record_id: (connector_id, entity, parent_id, pass_number, synced, *record)
        for record in page.records
    }
    if rows:
        insert_rows(connection, _INSERT, _TYPES, list(rows.values()), _ON_CONFLICT)
        if index and derived(entity):
            latest = list({record["id"]: record for record in page.values()}.values())
            words.index_page(connection, connector_id, entity, latest)
            facets.index_page(connection, connector_id, entity, latest)
    return len(rows)


#: A row's columns: the call's, then a :class:`~ashby_agent.store.page.WireRecord`'s fields in order.
_COLUMNS = (
    "connector_id",
    "entity",
    "parent_id",
    "pass_number",
    "synced_at",
    "record_id",
    "data",
    "created_at",
    "updated_at",
    "archived",
)
_REPLACED = tuple(name for name in _COLUMNS if name not in ("connector_id", "entity", "record_id"))


_INSERT = f"INSERT INTO store_records ({', '.join(_COLUMNS)})"
_ON_CONFLICT = " ON CONFLICT (connector_id, entity, record_id) DO UPDATE SET " + ", ".join(
    f"{name} = excluded.{name}" for name in _REPLACED
)
#: The columns' types on PostgreSQL.
_TYPES = ("text", "text", "text", "integer", "timestamptz", "text", "jsonb", "text", "text", "boolean")


def index_stored(connection: Connection, connector_id: str, entity: str) -> None:
    """Index the words and facets of every stored record of ``entity`` from scratch, after a first pass
    that skipped them, in record id order (cheaper than a page at a time, whose random words and values
    dirty new index pages in every page's commit; until the pass ends the entity answers "not synced",
    so nothing reads the missing rows). The database reads the fields from the documents: no document
    is decoded in Python for it."""
    if not derived(entity):
        return
    words.clear(connection, connector_id, entity)
    facets.clear(connection, connector_id, entity)
    words.index_stored(connection, connector_id, entity)
    facets.index_stored(connection, connector_id, entity)


#: One share of a first pass's build that runs on a connection of its own (:func:`build_part`).
BuildPart = tuple[Literal["words", "facets"], Span]


def derived(entity: str) -> bool:
    """Whether ``entity``'s records have words or facets to keep level with them."""
    return bool(word_fields(entity) or facet_fields(entity))


def build_parts(
    connection: Connection, connector_id: str, entity: str, spans_per_kind: int
) -> list[BuildPart]:
    """:func:`index_stored` cut into parts that separate transactions can run at once: the words and
    the facets apart, each over ``spans_per_kind`` spans of the records. Together with
    :func:`end_build` (in the transaction that ends the pass) they write what it writes."""
    kinds: list[Literal["words", "facets"]] = []
    if word_fields(entity):
        kinds.append("words")
    if facet_fields(entity):
        kinds.append("facets")
    if not kinds:
        return []
    cut = _spans(connection, connector_id, entity, spans_per_kind)
    return [(kind, span) for kind in kinds for span in cut]


#: The id at a position of an entity's records in id order (read from the primary key).
_ID_AT = (
    sa.select(records.c.record_id)
    .where(records.c.connector_id == sa.bindparam("connector_id"), records.c.entity == sa.bindparam("entity"))
    .order_by(records.c.record_id)
    .limit(1)
    .offset(sa.bindparam("skip", type_=sa.Integer))
)


def _spans(connection: Connection, connector_id: str, entity: str, parts: int) -> list[Span]:
    """``parts`` spans of about as many records each, in id order, covering every record of the entity
    (fewer when it holds fewer records than ``parts``)."""
    total = count(connection, connector_id, entity)
    parts = max(1, min(parts, total))  # each span holds at least one record
    key = {"connector_id": connector_id, "entity": entity}
    cuts: list[str] = [
        connection.execute(_ID_AT, {**key, "skip": total * part // parts - 1}).scalar_one()
        for part in range(1, parts)
    ]
    return [Span(after, upto) for after, upto in zip(["", *cuts], [*cuts, None], strict=True)]


def build_part(connection: Connection, connector_id: str, entity: str, part: BuildPart) -> set[words.Vocable]:
    """Index one part's span from scratch (its rows of an earlier, unfinished build are replaced); a
    words part returns its words, for :func:`end_build` to add to the vocabulary."""
    kind, span = part
    if kind == "words":
        words.clear(connection, connector_id, entity, span)
        return words.index_stored(connection, connector_id, entity, span, vocabulary=False)
    facets.clear(connection, connector_id, entity, span)
    facets.index_stored(connection, connector_id, entity, span)
    return set()


def end_build(connection: Connection, vocables: Iterable[words.Vocable]) -> None:
    """The vocabulary of a build whose parts ran apart (:func:`build_parts`): the words they returned."""
    words.add_vocabulary(connection, sorted(vocables))


def sync_cache(connection: Connection) -> None:
    """A connection storing a sync's pages keeps up to :data:`SYNC_CACHE_KIB` of SQLite pages (and
    keeps that size). Each page of records lands at random places of the entity's indexes (random ids,
    names, emails): with the 2 MiB default, every transaction reads most of those index pages again,
    and spills dirty ones to the WAL before its commit writes them once more. The cache is filled only
    as pages are read, and stays valid across transactions while this connection is the only writer."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = {-SYNC_CACHE_KIB}")


@contextmanager
def roomy_cache(connection: Connection, kib: int = BUILD_CACHE_KIB) -> Iterator[None]:
    """SQLite keeps up to ``kib`` of pages in this connection's cache for the block, then its own size
    again. A first pass's words and facets (tens of MB at once, the by-value index in random order)
    otherwise outgrow the 2 MiB default mid-transaction: SQLite spills dirty pages to the WAL and reads
    them back. Pages dirtied in the block stay in memory until the commit that follows, and are freed
    as it makes them clean; PostgreSQL's buffers are the server's, nothing changes there."""
    if connection.dialect.name != "sqlite":
        yield
        return
    size = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-abs(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(size)}")


def _scope(connector_id: str, entity: str) -> sa.ColumnElement[bool]:
    return sa.and_(records.c.connector_id == connector_id, records.c.entity == entity)


def remove_unseen(connection: Connection, connector_id: str, entity: str, pass_number: int) -> int:
    """After a full re-read: delete the records that pass did not return (gone from Ashby)."""
    result = connection.execute(
        sa.delete(records).where(_scope(connector_id, entity), records.c.pass_number < pass_number)
    )
    if result.rowcount:
        words.forget(connection, connector_id, entity, None)
        facets.forget(connection, connector_id, entity, None)
    return result.rowcount or 0


#: Built once (a pass that changed records counts them when it ends).
_COUNT = (
    sa.select(sa.func.count())
    .select_from(records)
    .where(records.c.connector_id == sa.bindparam("connector_id"), records.c.entity == sa.bindparam("entity"))
)


def count(connection: Connection, connector_id: str, entity: str) -> int:
    return int(connection.execute(_COUNT, {"connector_id": connector_id, "entity": entity}).scalar_one())


def delete(connection: Connection, connector_id: str, entity: str, record_id: str) -> bool:
    """Delete one record (a webhook's deletion or merge); the stream's ``record_count`` follows, since a
    pass that changes nothing keeps the count it finds."""
    result = connection.execute(
        sa.delete(records).where(_scope(connector_id, entity), records.c.record_id == record_id)
    )
    words.forget(connection, connector_id, entity, [record_id])
    facets.forget(connection, connector_id, entity, [record_id])
    if result.rowcount:
        connection.execute(
            sa.update(streams)
            .where(
                streams.c.connector_id == connector_id, streams.c.entity == entity, streams.c.record_count > 0
            )
            .values(record_count=streams.c.record_count - 1)
        )
    return bool(result.rowcount)


def merge(
    connection: Connection, connector_id: str, entity: str, old_id: str, new_id: str, now: datetime
) -> None:
    """``old_id`` was merged into ``new_id``: keep an alias, drop the old record (lists never say so)."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(aliases).values(
        connector_id=connector_id, entity=entity, old_id=old_id, new_id=new_id, created_at=now
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["connector_id", "entity", "old_id"], set_={"new_id": new_id, "created_at": now}
        )
    )
    # Anything that pointed at the old id now points at the surviving one.
    connection.execute(
        sa.update(aliases)
        .where(aliases.c.connector_id == connector_id, aliases.c.entity == entity, aliases.c.new_id == old_id)
        .values(new_id=new_id)
    )
    delete(connection, connector_id, entity, old_id)


def drop_connector(connection: Connection, connector_id: str) -> None:
    """Delete every row of one connector (its store data goes with it)."""
    for table in (records, streams, aliases, webhook_events, write_keys):
        connection.execute(sa.delete(table).where(table.c.connector_id == connector_id))
    words.drop_connector(connection, connector_id)
    facets.drop_connector(connection, connector_id)
