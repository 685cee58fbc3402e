"""Engine creation and migrations: the only module that knows SQLite and PostgreSQL differ.

SQLite runs every transaction as ``BEGIN IMMEDIATE`` (with a busy timeout and WAL) so concurrent
writers wait instead of failing on a read-to-write lock upgrade. Migrations run programmatically on
start, serialized (see :func:`migrate`), so several ``serve`` processes can start at once.
"""

from __future__ import annotations

import threading
from importlib import resources
from typing import Any, Final

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

__all__ = ["create_service_engine", "migrate"]

#: Arbitrary constant identifying ashby-agent's migration lock among PostgreSQL advisory locks.
_MIGRATION_LOCK_ID: Final = 0x0A5B_0A6E
_MIGRATION_THREAD_LOCK: Final = threading.Lock()


def create_service_engine(db_url: str) -> Engine:
    """An engine for ``db_url`` with the per-dialect settings the service relies on."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if url.database in (None, "", ":memory:"):
        options["poolclass"] = StaticPool
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL stays consistent after a crash (SQLite's recommended pairing); it only skips
            # the fsync per commit, which otherwise dominates each execute's audit write.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    scripts = resources.files("ashby_agent.service.store") / "migrations"
    config.set_main_option("script_location", str(scripts))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent).

    Alembic's ``context`` is a module global, so migrations in one process are serialized by a lock;
    across processes SQLite's ``BEGIN IMMEDIATE`` or PostgreSQL's advisory lock serializes them.
    """
    with _MIGRATION_THREAD_LOCK, engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
        try:
            command.upgrade(_alembic_config(connection), "head")
            connection.commit()
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID})
                connection.commit()
