"""The key check: a value encrypted with the service's key, stored once, so a process started with a
different key fails at start instead of on the first execute.

Only the stored text lives here; encrypting and decrypting it is the keyring's job (see
:func:`ashby_agent.service.state.verify_key`).
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from ashby_agent.service.store.schema import service_meta

__all__ = ["forget", "stored"]

_KEY: Final = "key_check"


def stored(connection: Connection, candidate: str) -> str:
    """The stored check value, ``candidate`` on first start (concurrent first starts agree on one)."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(insert(service_meta).values(key=_KEY, value=candidate).on_conflict_do_nothing())
    return str(
        connection.execute(select(service_meta.c.value).where(service_meta.c.key == _KEY)).scalar_one()
    )


def forget(connection: Connection) -> None:
    """Drop the check value (key rotation stores a new one in the same transaction)."""
    connection.execute(delete(service_meta).where(service_meta.c.key == _KEY))
