"""The fields agents filter on most, declared once, and the expression indexes built from them.

``id``, ``createdAt`` and ``updatedAt`` are store columns with their own indexes (and the parent id of a
per-parent list); the paths below get one expression index each, written by the same dialect method the
compiler uses, so a query's expression and the index's are spelled identically (both databases match
index expressions textually). Each index is partial, ``WHERE entity = '<entity>'``: it holds only its
entity's rows (no entries for the other entities' records, so a sync maintains only the indexes of the
entity it writes, and the planners' statistics describe that entity alone), and the compiler names the
entity as the same constant. Indexes are reconciled when the store opens: missing ones are created,
ones no longer declared here are dropped, so adding or removing a path here is all it takes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Final

import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.store.query.dialects import Base, dialect_for, entity_literal
from ashby_agent.store.query.fields import Kind, Path, entity_schema
from ashby_agent.store.query.language import resolve_path

__all__ = [
    "FACETED",
    "INDEXED",
    "WORD_INDEXED",
    "create_indexes",
    "facet_fields",
    "index_statements",
    "statistics_statements",
    "word_fields",
]

#: entity -> paths with an expression index.
INDEXED: Final[Mapping[str, tuple[str, ...]]] = {
    "applications": ("status", "candidate.id", "job.id", "source.id", "currentInterviewStage.id"),
    "candidates": ("name", "primaryEmailAddress.value", "source.id"),
    "jobs": ("status", "departmentId", "locationId"),
    "offers": ("applicationId", "offerStatus"),
    "interview_schedules": ("applicationId", "status"),
    "users": ("email",),
}


#: entity -> text fields whose words are indexed (``store_words``): ``fuzzy`` and ``keyword`` on them
#: look words up instead of reading every record. Paths must not go through a list.
WORD_INDEXED: Final[Mapping[str, tuple[str, ...]]] = {
    "candidates": ("name", "company"),
    "applications": ("candidate.name", "job.title"),
    "jobs": ("title",),
    "users": ("firstName", "lastName"),
    "projects": ("title",),
}


@cache
def word_fields(entity: str) -> Mapping[str, tuple[str, ...]]:
    """The word-indexed fields of ``entity``: canonical dot path -> wire keys."""
    schema = entity_schema(entity) if entity in WORD_INDEXED else None
    found: dict[str, tuple[str, ...]] = {}
    for name in WORD_INDEXED.get(entity, ()):
        assert schema is not None
        path = resolve_path(schema, name, entity=entity)
        assert not path.through_array, f"{entity}.{name}: word-indexed fields cannot go through a list"
        found[path.text] = path.keys
    return found


#: entity -> the group keys of its aggregates, also kept as rows of ``store_facets`` (one per record
#: and path, its text value, null included), so a group-by count or a filter on them reads that narrow
#: table instead of every record's document (see :mod:`ashby_agent.store.query.facets`). Ids of other
#: entities and small-cardinality text: each path costs the sync one row per record. Text or instant
#: paths outside lists only.
FACETED: Final[Mapping[str, tuple[str, ...]]] = {
    "applications": (
        "status",
        "source.title",
        "job.id",
        "job.departmentId",
        "currentInterviewStage.title",
        "candidate.id",
        "createdAt",
    ),
    "candidates": ("source.title",),
    "jobs": ("status", "departmentId", "locationId"),
    "offers": ("offerStatus",),
}


@cache
def facet_fields(entity: str) -> Mapping[str, Path]:
    """The faceted paths of ``entity``: canonical dot path -> resolved path."""
    schema = entity_schema(entity) if entity in FACETED else None
    found: dict[str, Path] = {}
    for name in FACETED.get(entity, ()):
        assert schema is not None
        path = resolve_path(schema, name, entity=entity)
        assert not path.through_array, f"{entity}.{name}: faceted fields cannot go through a list"
        assert path.kind in (Kind.STRING, Kind.TIMESTAMP), f"{entity}.{name}: facets are text or instants"
        found[path.text] = path
    return found


_PREFIX: Final = "ix_store_records_q_"
_EXISTING: Final = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'store_records'",
    "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = 'store_records' "
    "AND schemaname = current_schema()",
}
_STATISTICS_PREFIX: Final = "st_store_records_q_"
_EXISTING_STATISTICS: Final = (
    "SELECT stxname FROM pg_statistic_ext WHERE stxnamespace = current_schema()::regnamespace "
    "AND stxrelid = 'store_records'::regclass"
)


def _declared(dialect_name: str) -> Iterator[tuple[str, str, str]]:
    """``(name suffix, expression, partial index predicate)`` of each indexed path."""
    dialect = dialect_for(dialect_name)
    for entity, names in INDEXED.items():
        schema = entity_schema(entity)
        for name in names:
            path = resolve_path(schema, name, entity=entity)
            expr = dialect.scalar(Base("data", table="store_records"), path.keys, path.kind)
            where = f"entity = {entity_literal(entity)}"
            yield hashlib.sha256(f"{expr} WHERE {where}".encode()).hexdigest()[:12], expr, where


def index_statements(dialect_name: str) -> dict[str, str]:
    """Index name -> ``CREATE INDEX IF NOT EXISTS`` statement, one per indexed path."""
    return {
        _PREFIX + suffix: (
            f"CREATE INDEX IF NOT EXISTS {_PREFIX + suffix} ON store_records (connector_id, {expr}) "
            f"WHERE {where}"
        )
        for suffix, expr, where in _declared(dialect_name)
    }


def statistics_statements(dialect_name: str) -> dict[str, str]:
    """PostgreSQL: statistics name -> ``CREATE STATISTICS`` on each indexed path with the entity.

    PostgreSQL ignores a partial index's expression statistics, so without these it estimates
    ``status = 'Active'`` at a flat 0.5% of the table (791 rows where 37,683 matched) and picks the
    field's index plus a sort of every match over walking the sort's index; the entity's most common
    values (``mcv``) give it the real share. SQLite's ``ANALYZE`` already samples partial indexes."""
    if dialect_name != "postgresql":
        return {}
    return {
        _STATISTICS_PREFIX + suffix: (
            f"CREATE STATISTICS IF NOT EXISTS {_STATISTICS_PREFIX + suffix} (mcv) "
            f"ON entity, ({expr}) FROM store_records"
        )
        for suffix, expr, _ in _declared(dialect_name)
    }


def _reconcile(
    connection: Connection, kind: str, prefix: str, wanted: Mapping[str, str], existing: set[str]
) -> None:
    """Drop the ``kind`` objects named with ``prefix`` that are no longer ``wanted``; create the missing."""
    for stale in sorted(name for name in existing - wanted.keys() if name.startswith(prefix)):
        connection.execute(sa.text(f"DROP {kind} IF EXISTS {stale}"))
    for name, statement in wanted.items():
        if name not in existing:
            connection.execute(sa.text(statement))


#: PostgreSQL advisory lock serializing the reconciliation across processes (two servers starting at
#: once would both find an index missing and race to create it; SQLite's BEGIN IMMEDIATE does this).
_RECONCILE_LOCK_ID: Final = 0x0A5B_1DE0


def create_indexes(connection: Connection) -> None:
    """Create the declared indexes (and PostgreSQL statistics) and drop the ones no longer declared."""
    name = connection.dialect.name
    if name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _RECONCILE_LOCK_ID})
    existing = set(connection.execute(sa.text(_EXISTING[name])).scalars())
    _reconcile(connection, "INDEX", _PREFIX, index_statements(name), existing)
    # Statistics on expressions came with PostgreSQL 14; an older server plans as it did without them.
    if name == "postgresql" and (connection.dialect.server_version_info or (0,)) >= (14,):
        existing = set(connection.execute(sa.text(_EXISTING_STATISTICS)).scalars())
        _reconcile(connection, "STATISTICS", _STATISTICS_PREFIX, statistics_statements(name), existing)
