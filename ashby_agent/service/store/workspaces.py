"""Workspace queries: created on demand, listed by name (unique within an organization), renamed,
deleted with everything under them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ashby_agent.service.store.schema import connectors, workspaces
from ashby_agent.service.store.scope import Scope, visible_workspaces
from ashby_agent.service.store.timestamps import utcnow

__all__ = ["delete_with_connectors", "ensure", "find", "list_page", "name_of", "update_fields"]


def ensure(connection: Connection, organization_id: str, name: str) -> Row[Any]:
    """The organization's workspace called ``name``, created (active, cache on) if missing.

    ``INSERT ... ON CONFLICT DO NOTHING`` then ``SELECT``: concurrent creators agree on one workspace.
    """
    now = utcnow()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(
        insert(workspaces)
        .values(
            id=str(uuid.uuid4()),
            organization_id=organization_id,
            name=name,
            status="active",
            cache_enabled=True,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=[workspaces.c.organization_id, workspaces.c.name])
    )
    query = select(workspaces).where(
        workspaces.c.organization_id == organization_id, workspaces.c.name == name
    )
    return connection.execute(query).one()


def find(connection: Connection, scope: Scope, workspace_id: str) -> Row[Any] | None:
    """The workspace if this scope may see it (else ``None``, like a missing id)."""
    return connection.execute(visible_workspaces(scope).where(workspaces.c.id == workspace_id)).first()


def name_of(connection: Connection, workspace_id: str) -> str | None:
    name = connection.execute(select(workspaces.c.name).where(workspaces.c.id == workspace_id)).scalar()
    return str(name) if name is not None else None


def list_page(
    connection: Connection,
    scope: Scope,
    *,
    limit: int,
    name_contains: str | None = None,
    status: str | None = None,
    after: str | None = None,
) -> list[Row[Any]]:
    """Up to ``limit`` workspaces by name, filtered; ``after`` is the last name of the previous page."""
    statement = visible_workspaces(scope).order_by(workspaces.c.name).limit(limit)
    if name_contains:
        statement = statement.where(workspaces.c.name.icontains(name_contains, autoescape=True))
    if status:
        statement = statement.where(workspaces.c.status == status)
    if after is not None:
        statement = statement.where(workspaces.c.name > after)
    return list(connection.execute(statement).all())


def update_fields(connection: Connection, workspace_id: str, changes: Mapping[str, Any]) -> None:
    """Set ``changes`` (name, status, cache_enabled) and ``updated_at``; a taken name raises
    :class:`sqlalchemy.exc.IntegrityError`."""
    statement = update(workspaces).where(workspaces.c.id == workspace_id)
    connection.execute(statement.values(**changes, updated_at=utcnow()))


def delete_with_connectors(connection: Connection, workspace_id: str) -> list[str]:
    """Delete the workspace and its connectors (credentials included); the deleted connectors' ids."""
    ids = list(
        connection.execute(select(connectors.c.id).where(connectors.c.workspace_id == workspace_id)).scalars()
    )
    connection.execute(delete(connectors).where(connectors.c.workspace_id == workspace_id))
    connection.execute(delete(workspaces).where(workspaces.c.id == workspace_id))
    return ids
