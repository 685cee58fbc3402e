"""The SQLite database and its -wal/-shm files are created 0600 (owner only), like the key file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from ashby_agent.service.store.db import create_service_engine, migrate


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The usual 022: files would be world-readable unless created otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("permissive_umask")
def test_database_files_are_private(tmp_path: Path) -> None:
    database = tmp_path / "service.db"
    engine = create_service_engine(f"sqlite:///{database}")
    try:
        migrate(engine)
        with engine.connect() as connection:  # WAL files exist while a connection is open
            connection.execute(text("SELECT count(*) FROM audit_log"))
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(path.exists() for path in files)
            assert {path.name: _mode(path) for path in files} == {path.name: 0o600 for path in files}
    finally:
        engine.dispose()


@pytest.mark.usefixtures("permissive_umask")
def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    database.touch(mode=0o640)
    engine = create_service_engine(f"sqlite:///{database}")
    try:
        migrate(engine)
    finally:
        engine.dispose()
    assert _mode(database) == 0o640


def test_a_missing_directory_is_left_for_sqlite_to_report(tmp_path: Path) -> None:
    engine = create_service_engine(f"sqlite:///{tmp_path / 'absent' / 'service.db'}")
    try:
        with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the engine layer makes of it
            migrate(engine)
        assert not (tmp_path / "absent").exists()
    finally:
        engine.dispose()
