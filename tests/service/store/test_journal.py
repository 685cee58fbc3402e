"""The journal's batches store the same rows and counts whichever path writes them: the driver's own
on the loop's thread (sqlite3; one statement on psycopg's async connection) or SQLAlchemy on a worker
thread. On SQLite a write lock held elsewhere sends the batch to a worker thread that waits for it, and
the pool's connections keep their own settings; on PostgreSQL the journal's own connection can break
without losing a row, and a row the database refuses fails alone."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from ashby_agent.service.store import audit, ratelimit
from ashby_agent.service.store.db import create_service_engine, migrate
from ashby_agent.service.store.journal import Journal
from tests.service.tenants import make_db


def _migrated(kind: str, directory: Path, query: str = "") -> Iterator[Engine]:
    url, cleanup = make_db(kind, directory)
    engine = create_service_engine(url + query)
    migrate(engine)
    yield engine
    engine.dispose()
    cleanup()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from _migrated(request.param, tmp_path)


@pytest.fixture
def pg_engine(tmp_path: Path) -> Iterator[Engine]:
    """PostgreSQL's, its sessions named for this test alone (``application_name``)."""
    yield from _migrated("postgresql", tmp_path, f"&application_name=journal-{tmp_path.name[-40:]}")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite file's (``service.db`` in the test's directory)."""
    yield from _migrated("sqlite", tmp_path)


def _listed(engine: Engine) -> list[audit.AuditRecord]:
    with engine.connect() as connection:
        return audit.list_records(connection, connector_id="conn")


def _entry(intent: str | None, **changes: Any) -> audit.AuditRecord:
    values: dict[str, Any] = {
        "at": datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=UTC),
        "client_id": "client",
        "organization_id": "org",
        "workspace_id": "ws",
        "connector_id": "conn",
        "entity": "candidates",
        "action": "list",
        "intent": intent,
        "status": "success",
        "http_status": 200,
        "duration_ms": 3,
        "record_ids": ("a", "b"),
    }
    return audit.AuditRecord(**{**values, **changes})


def _stored(engine: Engine) -> dict[str | None, tuple[Any, ...]]:
    """Every audit row as SQLite holds it (bar its id), by intent; read with sqlite3 alone, which does
    not wait for a writer."""
    reader = sqlite3.connect(str(engine.url.database))
    try:
        cursor = reader.execute("SELECT * FROM audit_log")
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        reader.close()
    assert len({row["intent"] for row in rows}) == len(rows)  # one row per record, never two
    return {row["intent"]: tuple(row.values())[1:] for row in rows}


async def test_rows_written_on_the_loop_thread_equal_sqlalchemy_s(engine: Engine) -> None:
    journal = Journal(engine, lambda _totals: None)
    await journal.record(_entry(None, record_ids=()))
    await journal.record(_entry("direct"))
    with engine.begin() as connection:  # the other path, as the journal's worker threads run it
        audit.record_many(connection, [_entry("sqlalchemy")])
    await journal.aclose()
    stored = _stored(engine)
    assert stored["direct"][1:7] == stored["sqlalchemy"][1:7]
    assert stored["direct"][8:] == stored["sqlalchemy"][8:]  # (the intent itself differs)
    assert stored["direct"][0] == stored["sqlalchemy"][0] == "2026-12-02 03:04:05.678901"
    assert stored[None][7] is None  # no ids: NULL, as record_many writes it
    with engine.connect() as connection:
        listed = audit.list_records(connection, connector_id="conn")
    assert {row.intent for row in listed} == {"direct", "sqlalchemy", None}
    assert all(row.at == datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=UTC) for row in listed)


async def test_counts_match_the_sqlalchemy_counter(any_engine: Engine) -> None:
    engine = any_engine
    reported: list[dict[tuple[str, int], tuple[int, int | None]]] = []
    journal = Journal(engine, reported.append)
    with engine.begin() as connection:  # an older window of the key, pruned by the first count of a new one
        ratelimit.add(connection, "key", 0, 5)
    journal.count("key", 60)
    journal.count("key", 60)
    await journal.record(_entry("with counts"))
    journal.count("key", 60)
    await journal.record(_entry("more"))
    await journal.aclose()
    assert reported == [{("key", 60): (2, 2)}, {("key", 60): (1, 3)}]
    with engine.connect() as connection:
        windows = connection.exec_driver_sql("SELECT client_id, window_start, count FROM rate_limits").all()
    assert [tuple(row) for row in windows] == [("key", 60, 3)]


async def test_a_lock_held_elsewhere_is_waited_for_on_a_worker_thread(engine: Engine, tmp_path: Path) -> None:
    journal = Journal(engine, lambda _totals: None)
    await journal.record(_entry("first"))  # the journal's own connection exists now
    other = sqlite3.connect(tmp_path / "service.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer (a sync's page commit, another process)
    try:
        waiting = asyncio.ensure_future(journal.record(_entry("second")))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # neither refused nor lost: waiting for the lock
        assert "second" not in _stored(engine)
    finally:
        other.execute("COMMIT")
        other.close()
    await asyncio.wait_for(waiting, timeout=30)
    await journal.aclose()
    assert set(_stored(engine)) == {"first", "second"}


async def test_the_pool_keeps_its_own_connection_settings(engine: Engine) -> None:
    journal = Journal(engine, lambda _totals: None)
    await journal.record(_entry("x"))
    for _ in range(3):  # whichever pooled connection is handed out
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10_000
    await journal.aclose()


async def test_a_failing_batch_is_still_written_row_by_row(engine: Engine) -> None:
    journal = Journal(engine, lambda _totals: None)
    bad = _entry("bad", client_id=None)  # NOT NULL: this row alone fails
    results = await asyncio.gather(
        journal.record(_entry("good")), journal.record(bad), return_exceptions=True
    )
    await journal.aclose()
    assert results[0] is None and isinstance(results[1], Exception)
    assert set(_stored(engine)) == {"good"}


async def test_records_written_directly_read_back_as_sqlalchemy_s(any_engine: Engine) -> None:
    journal = Journal(any_engine, lambda _totals: None)
    await journal.record(_entry("direct"))
    await journal.record(_entry(None, record_ids=()))
    with any_engine.begin() as connection:
        audit.record_many(connection, [_entry("sqlalchemy")])
    await journal.aclose()
    by_intent = {row.intent: row for row in _listed(any_engine)}
    assert set(by_intent) == {"direct", None, "sqlalchemy"}
    assert by_intent["direct"] == _entry("direct")
    assert by_intent["sqlalchemy"] == _entry("sqlalchemy")
    assert by_intent[None] == _entry(None, record_ids=())


async def test_postgres_batches_bypass_the_engine_s_pool(pg_engine: Engine) -> None:
    pg_engine.dispose()  # (migrations used the pool)
    reported: list[dict[tuple[str, int], tuple[int, int | None]]] = []
    journal = Journal(pg_engine, reported.append)
    journal.count("key", 60)
    await journal.record(_entry("one"))
    await journal.record(_entry("two"))
    assert pg_engine.pool.checkedin() == pg_engine.pool.checkedout() == 0  # nothing through SQLAlchemy
    await journal.aclose()
    assert reported == [{("key", 60): (1, 1)}, {}]  # (the second batch had no counts)
    assert sorted(row.intent or "" for row in _listed(pg_engine)) == ["one", "two"]


async def test_postgres_batch_of_several_windows_counts_each_and_prunes_older_ones(
    pg_engine: Engine,
) -> None:
    with pg_engine.begin() as connection:
        ratelimit.add(connection, "a", 0, 4)
        ratelimit.add(connection, "b", 0, 2)
        ratelimit.add(connection, "b", 60, 1)
    reported: list[dict[tuple[str, int], tuple[int, int | None]]] = []
    journal = Journal(pg_engine, reported.append)
    for window in (("a", 60), ("a", 120), ("b", 60), ("a", 60)):  # a window boundary inside one batch
        journal.count(*window)
    await journal.record(_entry("batch"))
    await journal.aclose()
    assert reported == [{("a", 60): (2, 2), ("a", 120): (1, 1), ("b", 60): (1, 2)}]
    with pg_engine.connect() as connection:
        windows = connection.exec_driver_sql(
            "SELECT client_id, window_start, count FROM rate_limits ORDER BY 1, 2"
        ).all()
    # Windows older than a key's first in the batch are gone; the batch's own stay.
    assert [tuple(row) for row in windows] == [("a", 60, 2), ("a", 120, 1), ("b", 60, 2)]


@pytest.mark.parametrize("size", [3, 6])  # rows of values up to four, arrays beyond
async def test_postgres_batch_of_any_size_writes_every_row_and_count(pg_engine: Engine, size: int) -> None:
    pg_engine.dispose()  # (migrations used the pool)
    reported: list[dict[tuple[str, int], tuple[int, int | None]]] = []
    journal = Journal(pg_engine, reported.append)
    for i in range(size):
        journal.count(f"key{i}", 60)
    await asyncio.gather(*(journal.record(_entry(f"row{i}", duration_ms=i)) for i in range(size)))
    assert pg_engine.pool.checkedin() == 0  # written by the one statement, not row by row by the pool
    await journal.aclose()
    assert reported == [{(f"key{i}", 60): (1, 1) for i in range(size)}]  # one batch held them all
    by_intent = {row.intent: row for row in _listed(pg_engine)}
    assert by_intent == {f"row{i}": _entry(f"row{i}", duration_ms=i) for i in range(size)}


async def test_postgres_refuses_an_over_long_value_instead_of_cutting_it(pg_engine: Engine) -> None:
    journal = Journal(pg_engine, lambda _totals: None)
    too_long = _entry("too long", client_id="c" * 37)  # the column holds 36
    results = await asyncio.gather(
        journal.record(_entry("good")), journal.record(too_long), return_exceptions=True
    )
    await journal.aclose()
    assert results[0] is None and isinstance(results[1], Exception)
    assert [row.intent for row in _listed(pg_engine)] == ["good"]


async def test_a_broken_connection_loses_no_row(pg_engine: Engine) -> None:
    journal = Journal(pg_engine, lambda _totals: None)
    await journal.record(_entry("before"))  # on the connection the journal now keeps
    with pg_engine.connect() as connection:  # the engine's other sessions: the journal's
        ended = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = current_setting('application_name') AND pid <> pg_backend_pid()"
        ).scalar()
        connection.commit()
    assert ended is not None and ended >= 1
    await journal.record(_entry("broken"))  # fails on the kept connection, written row by row by the pool
    await journal.record(_entry("after"))  # on a new kept connection
    await journal.aclose()
    assert sorted(row.intent or "" for row in _listed(pg_engine)) == ["after", "before", "broken"]
