"""Keeping ``store_facets`` level with the records (see
:data:`ashby_agent.store.query.indexes.FACETED` and :mod:`ashby_agent.store.query.facets`).

Every stored record of a faceted entity has one row per faceted path, written in its page's
transaction: its value as text, null when the record has none, or ``overflow`` when the value is not
text of at most :data:`~ashby_agent.store.schema.MAX_FACET` characters (a number where the model says
text, a huge title): aggregates then read that path from the documents, so the rows never have to
stand for a value they cannot hold. A row that would not change is not rewritten (a re-read of
unchanged records writes nothing here); an entity's first pass skips them and :func:`index_stored`
writes them all when it ends. Opening a store back-fills the paths declared since it last
opened and deletes the rows of paths no longer declared (:func:`reconcile`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.store.query.dialects.base import COLUMNS
from ashby_agent.store.query.dialects.sqlite import json_path
from ashby_agent.store.query.fields import Path
from ashby_agent.store.query.indexes import FACETED, facet_fields
from ashby_agent.store.scan import HAS_NUL, Span, stored_batches
from ashby_agent.store.schema import MAX_FACET, facet_paths, facets, records
from ashby_agent.store.statements import insert_rows

__all__ = ["clear", "drop_connector", "facet_rows", "forget", "index_page", "index_stored", "reconcile"]

Row = tuple[str, str, str, str, str | None, bool]

_INSERT: Final = "INSERT INTO store_facets (connector_id, entity, record_id, path, value, overflow)"
#: The columns' types on PostgreSQL.
_TYPES: Final = ("text", "text", "text", "text", "text", "boolean")
#: A row that would not change is not rewritten (SQLite's ``IS NOT`` is PostgreSQL's ``IS DISTINCT FROM``).
_ON_CONFLICT: Final = {
    dialect: " ON CONFLICT (connector_id, entity, record_id, path) DO UPDATE SET "
    f"value = excluded.value, overflow = excluded.overflow WHERE store_facets.value "
    f"{'IS NOT' if dialect == 'sqlite' else 'IS DISTINCT FROM'} excluded.value "
    "OR store_facets.overflow <> excluded.overflow"
    for dialect in ("sqlite", "postgresql")
}
_DELETE: Final = "DELETE FROM store_facets WHERE connector_id = {0} AND entity = {0} AND record_id = {0}"
_ORPHANS: Final = sa.text(
    "DELETE FROM store_facets WHERE connector_id = :connector_id AND entity = :entity AND NOT EXISTS "
    "(SELECT 1 FROM store_records AS r WHERE r.connector_id = store_facets.connector_id "
    "AND r.entity = store_facets.entity AND r.record_id = store_facets.record_id)"
)
_BACKFILL_BATCH: Final = 2000
#: PostgreSQL advisory lock serializing the reconciliation across processes (two servers starting at
#: once would both back-fill a new path).
_RECONCILE_LOCK_ID: Final = 0x0A5B_FAC7


def _value(record: Any, path: Path) -> tuple[str | None, bool]:
    """The facet of ``path`` in ``record``: ``(text, False)``, ``(None, False)`` when it holds none,
    ``(None, True)`` when its value cannot be a facet. A store column (``createdAt``) holds text or
    null, as the column the record's row keeps."""
    value: Any = record
    for key in path.keys:
        if not isinstance(value, dict):
            return None, False
        value = value.get(key)
    if value is None:
        return None, False
    if isinstance(value, str):
        return (value, False) if len(value) <= MAX_FACET else (None, True)
    column = len(path.keys) == 1 and path.keys[0] in COLUMNS
    return None, not column


def facet_rows(
    connector_id: str, entity: str, page: Sequence[Any], paths: Iterable[Path] | None = None
) -> list[Row]:
    """The rows of ``page``'s records (each a dict with an id) for ``paths`` (default: all declared)."""
    return _rows(connector_id, entity, ((record["id"], record) for record in page), paths)


def _rows(
    connector_id: str, entity: str, records: Iterable[tuple[str, Any]], paths: Iterable[Path] | None = None
) -> list[Row]:
    chosen = list(facet_fields(entity).values()) if paths is None else list(paths)
    out: list[Row] = []
    for record_id, record in records:
        for path in chosen:
            value, overflow = _value(record, path)
            out.append((connector_id, entity, record_id, path.text, value, overflow))
    return out


def _upsert(connection: Connection, rows: list[Row]) -> None:
    insert_rows(connection, _INSERT, _TYPES, rows, _ON_CONFLICT[connection.dialect.name])


def index_page(connection: Connection, connector_id: str, entity: str, page: Sequence[Any]) -> None:
    """Write the facets of ``page``'s records (already validated, each with an id; the last copy of an
    id wins), in the caller's transaction. One call per stored page."""
    if not facet_fields(entity):
        return
    latest = list({record["id"]: record for record in page}.values())
    _upsert(connection, facet_rows(connector_id, entity, latest))


def clear(connection: Connection, connector_id: str, entity: str, span: Span | None = None) -> None:
    """Drop every facet row of ``entity`` (of its records in ``span``), before :func:`index_stored`
    writes them again."""
    if facet_fields(entity):
        scope = sa.and_(facets.c.connector_id == connector_id, facets.c.entity == entity)
        if span is not None:
            scope = sa.and_(scope, span.clause("store_facets.record_id"))
        connection.execute(sa.delete(facets).where(scope))


def index_stored(connection: Connection, connector_id: str, entity: str, span: Span | None = None) -> None:
    """Insert the facets of every stored record of ``entity`` (of those in ``span``) after
    :func:`clear`, with one ``INSERT ... SELECT``: the database reads each value from the document
    itself, so no document travels to Python and back (the rules of :func:`_value`, spelled in SQL)."""
    chosen = list(facet_fields(entity).values())
    if not chosen:
        return
    postgres = connection.dialect.name == "postgresql"
    span = span or Span()
    params: dict[str, Any] = {"connector_id": connector_id, "entity": entity, **span.params()}
    rows = []
    for i, path in enumerate(chosen):
        params[f"p{i}"] = path.text
        params[f"k{i}"] = list(path.keys) if postgres else json_path(path.keys)
        params[f"c{i}"] = len(path.keys) == 1 and path.keys[0] in COLUMNS
        rows.append(f"(:p{i}, CAST(:k{i} AS text[]), :c{i})" if postgres else f"(:p{i}, :k{i}, :c{i})")
    build = _BUILD[connection.dialect.name].format(paths=", ".join(rows), span=span.condition("r.record_id"))
    connection.execute(sa.text(build), params)
    if not postgres:
        # SQLite's JSON functions end a text at its first NUL character: the few documents holding an
        # escaped one (PostgreSQL's jsonb refuses them) get their facets from the decoded document.
        where = f"{HAS_NUL} AND {span.condition()}"
        for batch in stored_batches(connection, connector_id, entity, where=where, params=span.params()):
            insert_rows(connection, _INSERT, _TYPES, _rows(connector_id, entity, batch))


#: dialect -> the bulk build, ``{paths}`` being ``VALUES`` rows of (path, JSON path, is a store column).
_BUILD: Final = {
    "sqlite": _INSERT + " SELECT r.connector_id, r.entity, r.record_id, p.column1,"
    " CASE WHEN json_type(r.data, p.column2) = 'text' AND length(json_extract(r.data, p.column2)) <= "
    f"{MAX_FACET} THEN json_extract(r.data, p.column2) END,"
    " CASE WHEN json_type(r.data, p.column2) = 'text' THEN length(json_extract(r.data, p.column2)) > "
    f"{MAX_FACET} WHEN json_type(r.data, p.column2) IS NULL OR json_type(r.data, p.column2) = 'null' "
    "THEN 0 ELSE NOT p.column3 END"
    " FROM store_records AS r CROSS JOIN (VALUES {paths}) AS p"
    " WHERE r.connector_id = :connector_id AND r.entity = :entity AND {span} AND NOT "
    + HAS_NUL
    + " ORDER BY r.record_id, p.column1",
    # Each reference to a stored document would detoast (decompress) it again: the subquery yields an
    # in-memory copy once per record, and each path is extracted once.
    "postgresql": _INSERT + " SELECT r.connector_id, r.entity, r.record_id, p.path,"
    f" CASE WHEN jsonb_typeof(v.j) = 'string' AND length(v.j #>> '{{{{}}}}') <= {MAX_FACET}"
    " THEN v.j #>> '{{}}' END,"
    f" CASE WHEN jsonb_typeof(v.j) = 'string' THEN length(v.j #>> '{{{{}}}}') > {MAX_FACET}"
    " WHEN v.j IS NULL OR jsonb_typeof(v.j) = 'null' THEN FALSE ELSE NOT p.is_column END"
    " FROM (SELECT connector_id, entity, record_id, data || '{{}}'::jsonb AS data FROM store_records AS r"
    " WHERE connector_id = :connector_id AND entity = :entity AND {span} OFFSET 0) AS r"
    " CROSS JOIN (VALUES {paths}) AS p (path, keys, is_column)"
    " CROSS JOIN LATERAL (SELECT r.data #> p.keys AS j) AS v ORDER BY r.record_id, p.path",
}


def forget(connection: Connection, connector_id: str, entity: str, record_ids: Iterable[str] | None) -> None:
    """Drop the facets of ``record_ids`` (``None``: of every record of the entity no longer stored)."""
    if not facet_fields(entity):
        return
    if record_ids is None:
        connection.execute(_ORPHANS, {"connector_id": connector_id, "entity": entity})
        return
    rows = [(connector_id, entity, record_id) for record_id in record_ids]
    if rows:
        mark = "%s" if connection.dialect.name == "postgresql" else "?"
        connection.exec_driver_sql(_DELETE.format(mark), rows)


def drop_connector(connection: Connection, connector_id: str) -> None:
    connection.execute(sa.delete(facets).where(facets.c.connector_id == connector_id))


def _backfill(connection: Connection, entity: str, paths: list[Path]) -> None:
    """Write the rows of ``paths`` for every stored record of ``entity`` (every connector), in batches."""
    after: tuple[str, str] | None = None
    while True:
        query = sa.select(records.c.connector_id, records.c.record_id, records.c.data).where(
            records.c.entity == entity
        )
        if after is not None:
            query = query.where(sa.tuple_(records.c.connector_id, records.c.record_id) > sa.tuple_(*after))
        batch = connection.execute(
            query.order_by(records.c.connector_id, records.c.record_id).limit(_BACKFILL_BATCH)
        ).all()
        rows: list[Row] = []
        for connector_id, record_id, data in batch:
            rows += facet_rows(connector_id, entity, [{**data, "id": record_id}], paths)
        _upsert(connection, rows)
        if len(batch) < _BACKFILL_BATCH:
            return
        after = (batch[-1][0], batch[-1][1])


def reconcile(connection: Connection) -> None:
    """Back-fill the facets of paths declared since the store last opened; drop undeclared ones."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _RECONCILE_LOCK_ID})
    complete = {tuple(row) for row in connection.execute(sa.select(facet_paths.c.entity, facet_paths.c.path))}
    declared = {(entity, path) for entity in FACETED for path in facet_fields(entity)}
    for entity, path in sorted(complete - declared):
        connection.execute(sa.delete(facets).where(facets.c.entity == entity, facets.c.path == path))
        connection.execute(
            sa.delete(facet_paths).where(facet_paths.c.entity == entity, facet_paths.c.path == path)
        )
    for entity in FACETED:
        missing = [path for text, path in facet_fields(entity).items() if (entity, text) not in complete]
        if missing:
            _backfill(connection, entity, missing)
            connection.execute(
                sa.insert(facet_paths), [{"entity": entity, "path": path.text} for path in missing]
            )
