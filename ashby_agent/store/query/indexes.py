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
from collections.abc import Mapping
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


def index_statements(dialect_name: str) -> dict[str, str]:
    """Index name -> ``CREATE INDEX IF NOT EXISTS`` statement, one per indexed path."""
    dialect = dialect_for(dialect_name)
    statements = {}
    for entity, names in INDEXED.items():
        schema = entity_schema(entity)
        for name in names:
            path = resolve_path(schema, name, entity=entity)
            expr = dialect.scalar(Base("data", table="store_records"), path.keys, path.kind)
            where = f"entity = {entity_literal(entity)}"
            index = _PREFIX + hashlib.sha256(f"{expr} WHERE {where}".encode()).hexdigest()[:12]
            statements[index] = (
                f"CREATE INDEX IF NOT EXISTS {index} ON store_records (connector_id, {expr}) WHERE {where}"
            )
    return statements


#: PostgreSQL advisory lock serializing the reconciliation across processes (two servers starting at
#: once would both find an index missing and race to create it; SQLite's BEGIN IMMEDIATE does this).
_RECONCILE_LOCK_ID: Final = 0x0A5B_1DE0


def create_indexes(connection: Connection) -> None:
    """Create the declared indexes and drop the ones no longer declared."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _RECONCILE_LOCK_ID})
    wanted = index_statements(connection.dialect.name)
    existing = set(connection.execute(sa.text(_EXISTING[connection.dialect.name])).scalars())
    for stale in sorted(name for name in existing - wanted.keys() if name.startswith(_PREFIX)):
        connection.execute(sa.text(f"DROP INDEX IF EXISTS {stale}"))
    for name, statement in wanted.items():
        if name not in existing:
            connection.execute(sa.text(statement))
