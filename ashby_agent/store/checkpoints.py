"""Per-stream sync state: the committed ``syncToken`` and the checkpoint of the pass in progress.

A pass is one walk of an entity's listing, ``full`` or ``incremental`` (from the committed token).
Its checkpoint (cursor of the next page, last finished parent) is written in the same transaction as
the page's rows, so a process killed at any point resumes where it stopped; the token a pass ends
with is committed only together with that pass's last page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.store.schema import streams

__all__ = ["SQLITE_DATETIME", "Checkpoint", "begin_pass", "fail", "finish_pass", "load", "save_position"]

Status = Literal["not_synced", "syncing", "ready", "failed"]
Mode = Literal["full", "incremental"]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One stream's row of ``store_streams``."""

    entity: str
    status: Status
    sync_token: str | None
    pass_number: int
    pass_mode: Mode | None
    pass_token: str | None
    pass_cursor: str | None
    pass_parent: str | None
    record_count: int
    last_error: str | None
    last_synced_at: datetime | None
    last_duration_ms: int | None
    updated_at: datetime | None

    @property
    def in_pass(self) -> bool:
        return self.pass_mode is not None


def _where(connector_id: str, entity: str) -> sa.ColumnElement[bool]:
    return sa.and_(streams.c.connector_id == connector_id, streams.c.entity == entity)


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


def load_all(connection: Connection, connector_id: str) -> dict[str, Checkpoint]:
    rows = connection.execute(sa.select(streams).where(streams.c.connector_id == connector_id))
    return {row.entity: _from_row(row) for row in rows}


def begin_pass(
    connection: Connection, connector_id: str, entity: str, mode: Mode, token: str | None, now: datetime
) -> Checkpoint:
    """Start a new pass (the previous one, if any, is abandoned); returns the new state."""
    current = load(connection, connector_id, entity)
    values = {
        "status": "syncing",
        "pass_number": (current.pass_number if current else 0) + 1,
        "pass_mode": mode,
        "pass_token": token if mode == "incremental" else None,
        "pass_cursor": None,
        "pass_parent": None,
        "pass_started_at": now,
        "updated_at": now,
    }
    if current is None:
        connection.execute(
            sa.insert(streams).values(
                connector_id=connector_id, entity=entity, sync_token=None, record_count=0, **values
            )
        )
    else:
        if mode == "full":
            values["sync_token"] = None  # a full pass replaces whatever token there was
        connection.execute(sa.update(streams).where(_where(connector_id, entity)).values(**values))
    state = load(connection, connector_id, entity)
    assert state is not None
    return state


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


def finish_pass(
    connection: Connection,
    connector_id: str,
    entity: str,
    *,
    token: str | None,
    record_count: int,
    duration_ms: int,
    now: datetime,
) -> None:
    """The pass is complete: commit its token and counts, clear the checkpoint."""
    connection.execute(
        sa.update(streams)
        .where(_where(connector_id, entity))
        .values(
            status="ready",
            sync_token=token,
            pass_mode=None,
            pass_token=None,
            pass_cursor=None,
            pass_parent=None,
            pass_started_at=None,
            record_count=record_count,
            last_error=None,
            last_synced_at=now,
            last_duration_ms=duration_ms,
            updated_at=now,
        )
    )


def fail(connection: Connection, connector_id: str, entity: str, reason: str, now: datetime) -> None:
    """The pass stopped on an error: keep its checkpoint (the next run resumes it) and say why."""
    connection.execute(
        sa.update(streams)
        .where(_where(connector_id, entity))
        .values(status="failed", last_error=reason[:2000], updated_at=now)
    )
