"""The two SQL dialects the query compiler writes: SQLite (JSON1) and PostgreSQL (jsonb)."""

from __future__ import annotations

from ashby_agent.store.query.dialects.base import Base, Dialect, entity_literal
from ashby_agent.store.query.dialects.postgresql import PostgreSQL
from ashby_agent.store.query.dialects.sqlite import SQLite

__all__ = ["Base", "Dialect", "PostgreSQL", "SQLite", "dialect_for", "entity_literal"]

_DIALECTS = {"sqlite": SQLite(), "postgresql": PostgreSQL()}


def dialect_for(name: str) -> Dialect:
    """The dialect for a SQLAlchemy dialect name (``sqlite`` or ``postgresql``)."""
    return _DIALECTS[name]
