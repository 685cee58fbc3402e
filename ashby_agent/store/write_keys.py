"""Idempotency keys of local writes, kept in the context store for 24 hours.

A write with an ``idempotency_key`` claims the key (a row with no answer) before it is sent, and
records Ashby's answer once it returns; a repeat with the same key and the same params answers that
record without calling Ashby again. The same key with other params, or while the first call still
runs, is refused. A write that fails releases its key, so the caller may try again with it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Final

import orjson
import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.errors import IdempotencyConflictError
from ashby_agent.store.schema import write_keys

__all__ = ["KEPT", "claim", "params_hash", "release", "settle"]

#: How long a key answers repeats.
KEPT: Final = timedelta(hours=24)


def params_hash(operation: str, body: dict[str, Any]) -> str:
    return hashlib.sha256(
        operation.encode() + b"\0" + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _row(connector_id: str, key: str) -> sa.ColumnElement[bool]:
    return sa.and_(write_keys.c.connector_id == connector_id, write_keys.c.idempotency_key == key)


def claim(
    connection: Connection, connector_id: str, key: str, operation: str, digest: str, now: datetime
) -> Any | None:
    """The first call's answer (decoded JSON) for a repeat, or ``None`` once the key is claimed."""
    connection.execute(
        sa.delete(write_keys).where(
            write_keys.c.connector_id == connector_id, write_keys.c.created_at < now - KEPT
        )
    )
    found = connection.execute(
        sa.select(write_keys.c.operation, write_keys.c.params_hash, write_keys.c.answer).where(
            _row(connector_id, key)
        )
    ).first()
    if found is None:
        connection.execute(
            sa.insert(write_keys).values(
                connector_id=connector_id,
                idempotency_key=key,
                operation=operation,
                params_hash=digest,
                answer=None,
                created_at=now,
            )
        )
        return None
    if (found.operation, found.params_hash) != (operation, digest):
        raise IdempotencyConflictError(
            f"idempotency_key {key!r} was used in the last 24 hours for {found.operation} with other params: "
            "use a new key for a different write."
        )
    if found.answer is None:
        raise IdempotencyConflictError(
            f"A write with idempotency_key {key!r} is still running; wait for it, then repeat the call for "
            "its answer."
        )
    return orjson.loads(found.answer)


def settle(connection: Connection, connector_id: str, key: str, answer: Any) -> None:
    connection.execute(
        sa.update(write_keys).where(_row(connector_id, key)).values(answer=orjson.dumps(answer).decode())
    )


def release(connection: Connection, connector_id: str, key: str) -> None:
    connection.execute(sa.delete(write_keys).where(_row(connector_id, key), write_keys.c.answer.is_(None)))
