"""The fields agents filter on most, declared once, and the expression indexes built from them.

``id``, ``createdAt`` and ``updatedAt`` are store columns with their own indexes (and the parent id of a
per-parent list); the paths below get one expression index each, written by the same dialect method the
compiler uses, so a query's expression and the index's are spelled identically (both databases match
index expressions textually). Indexes are created when the store opens (``IF NOT EXISTS``): adding a
path here is all it takes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from typing import Final

import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.store.query.dialects import Base, dialect_for
from ashby_agent.store.query.fields import entity_schema
from ashby_agent.store.query.language import resolve_path

__all__ = ["INDEXED", "WORD_INDEXED", "create_indexes", "index_statements", "word_fields"]

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
    "candidates": ("name", "position", "company", "school"),
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


def index_statements(dialect_name: str) -> list[str]:
    """``CREATE INDEX IF NOT EXISTS`` for every distinct indexed expression."""
    dialect = dialect_for(dialect_name)
    expressions: dict[str, None] = {}
    for entity, names in INDEXED.items():
        schema = entity_schema(entity)
        for name in names:
            path = resolve_path(schema, name, entity=entity)
            expressions[dialect.scalar(Base("data", table="store_records"), path.keys, path.kind)] = None
    statements = []
    for expr in expressions:
        name = "ix_store_records_q_" + hashlib.sha256(expr.encode()).hexdigest()[:12]
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {name} ON store_records (connector_id, entity, {expr})"
        )
    return statements


def create_indexes(connection: Connection) -> None:
    for statement in index_statements(connection.dialect.name):
        connection.execute(sa.text(statement))
