"""Connector queries. Credentials are stored as the keyring encrypted them and selected only when asked
for (``with_credentials``: execute, check, key rotation)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from ashby_agent.service.store.schema import connectors, workspaces
from ashby_agent.service.store.scope import Scope, connector_query, visible_connectors
from ashby_agent.service.store.timestamps import utcnow

__all__ = [
    "all_credentials",
    "create",
    "delete_one",
    "find",
    "list_visible",
    "set_credentials",
    "update_fields",
]


def find(
    connection: Connection, scope: Scope, connector_id: str, *, with_credentials: bool = False
) -> Row[Any] | None:
    """The connector (with its workspace's name, status and cache flag) if this scope may see it."""
    return connection.execute(connector_query(scope, connector_id, with_credentials=with_credentials)).first()


def create(
    connection: Connection,
    *,
    connector_id: str,
    workspace_id: str,
    name: str,
    definition_id: str,
    credentials: str,
    start_date: str | None,
) -> None:
    """A new connector at credential version 1."""
    now = utcnow()
    connection.execute(
        connectors.insert().values(
            id=connector_id,
            workspace_id=workspace_id,
            name=name,
            definition_id=definition_id,
            credentials=credentials,
            credential_version=1,
            start_date=start_date,
            created_at=now,
            updated_at=now,
        )
    )


def list_visible(
    connection: Connection,
    scope: Scope,
    *,
    workspace_name: str | None = None,
    workspace_id: str | None = None,
) -> list[Row[Any]]:
    """The scope's connectors, oldest first, optionally of one workspace (by name or id)."""
    statement = visible_connectors(scope).order_by(connectors.c.created_at, connectors.c.id)
    if workspace_name is not None:
        statement = statement.where(workspaces.c.name == workspace_name)
    if workspace_id is not None:
        statement = statement.where(workspaces.c.id == workspace_id)
    return list(connection.execute(statement).all())


def update_fields(
    connection: Connection,
    connector_id: str,
    *,
    name: str | None = None,
    start_date: str | None = None,
    credentials: str | None = None,
) -> None:
    """Change what is given; new ``credentials`` bump the credential version (so pools rebuild)."""
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name
    if start_date is not None:
        changes["start_date"] = start_date
    if credentials is not None:
        changes["credentials"] = credentials
        changes["credential_version"] = connectors.c.credential_version + 1
    if changes:
        statement = update(connectors).where(connectors.c.id == connector_id)
        connection.execute(statement.values(**changes, updated_at=utcnow()))


def delete_one(connection: Connection, connector_id: str) -> None:
    connection.execute(delete(connectors).where(connectors.c.id == connector_id))


def all_credentials(connection: Connection) -> list[tuple[str, str]]:
    """``(id, credentials)`` of every connector of every organization (key rotation)."""
    rows = connection.execute(select(connectors.c.id, connectors.c.credentials))
    return [(row.id, row.credentials) for row in rows]


def set_credentials(connection: Connection, connector_id: str, credentials: str) -> None:
    """Replace the stored credentials as they are (re-encryption: the version stays)."""
    connection.execute(
        update(connectors).where(connectors.c.id == connector_id).values(credentials=credentials)
    )
