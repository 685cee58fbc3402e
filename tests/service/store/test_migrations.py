"""Migrations: they create exactly ``schema.py``, are idempotent, and concurrent starts agree."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.store.db import create_service_engine, migrate
from ashby_agent.service.store.schema import metadata
from tests.service.tenants import make_db


def test_migrations_match_the_tables(settings: ServiceSettings, tmp_path: Path) -> None:
    kind = "postgresql" if settings.db_url.startswith("postgresql") else "sqlite"
    url, cleanup = make_db(kind, tmp_path)
    engine = create_service_engine(url)
    try:
        errors: list[BaseException] = []

        def start() -> None:
            try:
                migrate(engine)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=start) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        migrate(engine)  # idempotent
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
            tables = set(inspect(connection).get_table_names())
        assert tables == {*metadata.tables, "alembic_version"}
    finally:
        engine.dispose()
        cleanup()


def test_concurrent_processes_migrate_one_database(settings: ServiceSettings, tmp_path: Path) -> None:
    kind = "postgresql" if settings.db_url.startswith("postgresql") else "sqlite"
    url, cleanup = make_db(kind, tmp_path)
    script = (
        "import sys; from ashby_agent.service.store.db import create_service_engine, migrate; "
        "engine = create_service_engine(sys.argv[1]); migrate(engine); engine.dispose()"
    )
    try:
        processes = [subprocess.Popen([sys.executable, "-c", script, url]) for _ in range(3)]
        assert [process.wait(timeout=120) for process in processes] == [0, 0, 0]
        engine = create_service_engine(url)
        try:
            with engine.connect() as connection:
                assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        finally:
            engine.dispose()
    finally:
        cleanup()
