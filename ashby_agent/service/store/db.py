"""The service's database: an engine from :mod:`ashby_agent.database` and the service schema's
migrations (``service/store/migrations``, Alembic's default version table)."""

from __future__ import annotations

from sqlalchemy import Engine

from ashby_agent import database
from ashby_agent.database import ping

__all__ = ["create_service_engine", "migrate", "ping"]


def create_service_engine(db_url: str) -> Engine:
    """An engine for ``db_url`` (SQLite tuned for concurrent writers and created 0600, or PostgreSQL)."""
    return database.create_database_engine(db_url)


def migrate(engine: Engine) -> None:
    """Bring the service schema to its newest revision (idempotent, serialized across processes)."""
    database.migrate(engine, "ashby_agent.service.store")
