"""Per-stream sync state: the committed ``syncToken`` and the checkpoint of the pass in progress.

A pass is one walk of an entity's listing, ``full`` or ``incremental`` (from the committed token).
Its checkpoint (cursor of the next page, last finished parent) is written in the same transaction as
the page's rows, so a process killed at any point resumes where it stopped; the token a pass ends
with is committed only together with that pass's last page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from ashby_agent.store.schema import streams

__all__ = [
    "SQLITE_DATETIME",
    "Checkpoint",
    "begin_pass",
    "fail",
    "finish_pass",
    "load",
    "load_all",
    "planned_pass",
    "save_position",
]

Status = Literal["not_synced", "syncing", "ready", "failed"]
Mode = Literal["full", "incremental"]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One stream's row of ``store_streams`` (the defaults: a stream never synced)."""

    entity: str
    status: Status = "not_synced"
    sync_token: str | None = None
    pass_number: int = 0
    pass_mode: Mode | None = None
    pass_token: str | None = None
    pass_cursor: str | None = None
    pass_parent: str | None = None
    record_count: int = 0
    last_error: str | None = None
    last_synced_at: datetime | None = None
    last_duration_ms: int | None = None
    updated_at: datetime | None = None

    @property
    def in_pass(self) -> bool:
        return self.pass_mode is not None


def _from_row(row: Any) -> Checkpoint:
    return Checkpoint(
        entity=row.entity,
        status=row.status,
        sync_token=row.sync_token,
        pass_number=row.pass_number,
        pass_mode=row.pass_mode,
        pass_token=row.pass_token,
        pass_cursor=row.pass_cursor,
        pass_parent=row.pass_parent,
        record_count=row.record_count,
        last_error=row.last_error,
        last_synced_at=row.last_synced_at,
        last_duration_ms=row.last_duration_ms,
        updated_at=row.updated_at,
    )


#: Built once: constructing a Core statement costs more than running this primary-key lookup, which
#: every store query makes (its ``as_of``).
_LOAD = sa.select(streams).where(
    streams.c.connector_id == sa.bindparam("connector_id"), streams.c.entity == sa.bindparam("entity")
)


def load(connection: Connection, connector_id: str, entity: str) -> Checkpoint | None:
    row = connection.execute(_LOAD, {"connector_id": connector_id, "entity": entity}).first()
    return _from_row(row) if row is not None else None


_LOAD_ALL = sa.select(streams).where(streams.c.connector_id == sa.bindparam("connector_id"))


def load_all(connection: Connection, connector_id: str) -> dict[str, Checkpoint]:
    rows = connection.execute(_LOAD_ALL, {"connector_id": connector_id})
    return {row.entity: _from_row(row) for row in rows}


def _begin_statement(dialect: str, mode: Mode) -> sa.Executable:
    """``begin_pass`` as one statement: the stream's row inserted, or its pass number raised, returned."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(streams).values(
        connector_id=sa.bindparam("b_connector"),
        entity=sa.bindparam("b_entity"),
        status="syncing",
        sync_token=None,
        pass_number=1,
        pass_mode=mode,
        pass_token=sa.bindparam("b_token"),
        pass_cursor=None,
        pass_parent=None,
        pass_started_at=sa.bindparam("b_now"),
        record_count=0,
        updated_at=sa.bindparam("b_now"),
    )
    changed: dict[str, Any] = {
        "status": "syncing",
        "pass_number": streams.c.pass_number + 1,
        "pass_mode": mode,
        "pass_token": insert.excluded.pass_token,
        "pass_cursor": None,
        "pass_parent": None,
        "pass_started_at": insert.excluded.pass_started_at,
        "updated_at": insert.excluded.updated_at,
    }
    if mode == "full":
        changed["sync_token"] = None  # a full pass replaces whatever token there was
    return insert.on_conflict_do_update(
        index_elements=[streams.c.connector_id, streams.c.entity], set_=changed
    ).returning(*streams.c)


#: Built once per dialect and mode (see ``_LOAD``).
_BEGIN = {
    (dialect, mode): _begin_statement(dialect, mode)
    for dialect in ("postgresql", "sqlite")
    for mode in ("full", "incremental")
}


def begin_pass(
    connection: Connection, connector_id: str, entity: str, mode: Mode, token: str | None, now: datetime
) -> Checkpoint:
    """Start a new pass (the previous one, if any, is abandoned); returns the new state."""
    row = connection.execute(
        _BEGIN[connection.dialect.name, mode],
        {
            "b_connector": connector_id,
            "b_entity": entity,
            "b_token": token if mode == "incremental" else None,
            "b_now": now,
        },
    ).one()
    return _from_row(row)


def planned_pass(current: Checkpoint | None, entity: str, mode: Mode, token: str | None) -> Checkpoint:
    """What :func:`begin_pass` will make of ``current`` (its pass number aside, which the database
    assigns): the state a pass walks with before its first page is stored with the begin."""
    base = current or Checkpoint(entity)
    return dataclasses.replace(
        base,
        status="syncing",
        sync_token=base.sync_token if mode == "incremental" else None,
        pass_number=base.pass_number + 1,
        pass_mode=mode,
        pass_token=token if mode == "incremental" else None,
        pass_cursor=None,
        pass_parent=None,
    )


def save_position(
    connection: Connection,
    connector_id: str,
    entity: str,
    *,
    cursor: str | None,
    parent: str | None,
    now: datetime,
) -> None:
    """Checkpoint: where the pass continues (the next page's cursor, the last finished parent).

    Once per page: a fixed SQL string run by the driver (no statement to build and compile each time)."""
    postgres = connection.dialect.name == "postgresql"
    connection.exec_driver_sql(
        _SAVE_POSITION.format("%s" if postgres else "?"),
        (cursor, parent, now if postgres else now.strftime(SQLITE_DATETIME), connector_id, entity),
    )


_SAVE_POSITION = (
    "UPDATE store_streams SET status = 'syncing', pass_cursor = {0}, pass_parent = {0}, last_error = NULL, "
    "updated_at = {0} WHERE connector_id = {0} AND entity = {0}"
)
#: How SQLAlchemy stores a DateTime on SQLite, so rows written with a driver statement read back as
#: datetimes.
SQLITE_DATETIME: Final = "%Y-%m-%d %H:%M:%S.%f"


_ONE = streams.c.connector_id == sa.bindparam("b_connector"), streams.c.entity == sa.bindparam("b_entity")
_FINISHED: dict[str, Any] = {
    "status": "ready",
    "sync_token": sa.bindparam("b_token"),
    "pass_mode": None,
    "pass_token": None,
    "pass_cursor": None,
    "pass_parent": None,
    "pass_started_at": None,
    "last_error": None,
    "last_synced_at": sa.bindparam("b_now"),
    "last_duration_ms": sa.bindparam("b_duration"),
    "updated_at": sa.bindparam("b_now"),
}
#: With the new record count, and without (the count has not changed).
_FINISH = sa.update(streams).where(*_ONE).values(**_FINISHED, record_count=sa.bindparam("b_count"))
_FINISH_KEEPING_COUNT = sa.update(streams).where(*_ONE).values(**_FINISHED)
_FAIL = (
    sa.update(streams)
    .where(*_ONE)
    .values(status="failed", last_error=sa.bindparam("b_reason"), updated_at=sa.bindparam("b_now"))
)


def finish_pass(
    connection: Connection,
    connector_id: str,
    entity: str,
    *,
    token: str | None,
    record_count: int | None,
    duration_ms: int,
    now: datetime,
) -> None:
    """The pass is complete: commit its token and counts, clear the checkpoint. ``record_count`` None
    keeps the stored count (the pass changed no record)."""
    values = {
        "b_connector": connector_id,
        "b_entity": entity,
        "b_token": token,
        "b_now": now,
        "b_duration": duration_ms,
    }
    if record_count is None:
        connection.execute(_FINISH_KEEPING_COUNT, values)
    else:
        connection.execute(_FINISH, {**values, "b_count": record_count})


def fail(connection: Connection, connector_id: str, entity: str, reason: str, now: datetime) -> None:
    """The pass stopped on an error: keep its checkpoint (the next run resumes it) and say why."""
    connection.execute(
        _FAIL, {"b_connector": connector_id, "b_entity": entity, "b_reason": reason[:2000], "b_now": now}
    )
