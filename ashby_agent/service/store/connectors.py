"""Connector queries. Credentials and webhook secrets are stored as the keyring encrypted them and
selected only when asked for (``with_credentials``: execute, check, key rotation, syncs; the webhook
receiver). A connector with a ``start_date`` replicates: ``next_sync_at`` says when its next scheduled
sync is due, and :func:`claim_due` moves it forward atomically, so of several servers or workers only
one schedules each run."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from ashby_agent.service.store.schema import connectors, workspaces
from ashby_agent.service.store.scope import Scope, connector_query, visible_connectors
from ashby_agent.service.store.timestamps import utcnow

__all__ = [
    "all_credentials",
    "claim_due",
    "create",
    "delete_one",
    "find",
    "for_sync",
    "for_sync_in_workspace",
    "list_visible",
    "set_credentials",
    "set_webhook_secret",
    "set_webhooks",
    "update_fields",
    "webhook_secret",
]


def find(
    connection: Connection, scope: Scope, connector_id: str, *, with_credentials: bool = False
) -> Row[Any] | None:
    """The connector (with its workspace's name, status and cache flag) if this scope may see it."""
    query = connector_query(scope, connector_id, with_credentials=with_credentials)
    return connection.execute(query.add_columns(*_REPLICATION_COLUMNS)).first()


#: What callers may see of a connector's replication (never its webhook secret).
_REPLICATION_COLUMNS = (
    connectors.c.refresh_minutes,
    connectors.c.next_sync_at,
    connectors.c.webhook_status,
    connectors.c.access,
    connectors.c.redact,
)


def create(
    connection: Connection,
    *,
    connector_id: str,
    workspace_id: str,
    name: str,
    definition_id: str,
    credentials: str,
    start_date: str | None,
    refresh_minutes: int | None = None,
    webhook_secret: str | None = None,
) -> None:
    """A new connector at credential version 1; one with a ``start_date`` is due for a sync at once."""
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
            refresh_minutes=refresh_minutes,
            next_sync_at=now if start_date is not None else None,
            webhook_secret=webhook_secret,
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
    statement = (
        visible_connectors(scope)
        .add_columns(*_REPLICATION_COLUMNS)
        .order_by(connectors.c.created_at, connectors.c.id)
    )
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
    refresh_minutes: int | None = None,
    credentials: str | None = None,
) -> None:
    """Change what is given; new ``credentials`` bump the credential version (so pools rebuild); a new
    ``start_date`` makes a sync due now."""
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name
    if start_date is not None:
        changes["start_date"] = start_date
        changes["next_sync_at"] = utcnow()
    if refresh_minutes is not None:
        changes["refresh_minutes"] = refresh_minutes
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


def for_sync(connection: Connection, connector_id: str) -> Row[Any] | None:
    """What a sync needs (credentials included), or ``None`` once the connector is deleted."""
    query = select(*_SYNC_COLUMNS).where(connectors.c.id == connector_id)
    return connection.execute(query).first()


def for_sync_in_workspace(connection: Connection, workspace_id: str) -> list[Row[Any]]:
    """:func:`for_sync`'s row of every connector of a workspace (deleting it unregisters their webhooks)."""
    query = select(*_SYNC_COLUMNS).where(connectors.c.workspace_id == workspace_id)
    return list(connection.execute(query).all())


_SYNC_COLUMNS: tuple[Any, ...] = (
    connectors.c.id,
    connectors.c.credential_version,
    connectors.c.credentials,
    connectors.c.start_date,
    connectors.c.refresh_minutes,
    connectors.c.webhook_secret,
    connectors.c.webhook_status,
    connectors.c.webhook_ids,
)


def claim_due(connection: Connection, now: datetime, default_refresh_minutes: int) -> list[str]:
    """The connectors whose scheduled sync is due, each moved to its next due time.

    The move is a compare-and-set on ``next_sync_at``: when several processes claim at once, each due
    connector goes to exactly one of them.
    """
    due = connection.execute(
        select(connectors.c.id, connectors.c.next_sync_at, connectors.c.refresh_minutes).where(
            connectors.c.start_date.is_not(None), connectors.c.next_sync_at <= now
        )
    ).all()
    claimed = []
    for row in due:
        minutes = row.refresh_minutes or default_refresh_minutes
        moved = connection.execute(
            update(connectors)
            .where(connectors.c.id == row.id, connectors.c.next_sync_at == row.next_sync_at)
            .values(next_sync_at=now + timedelta(minutes=minutes))
        )
        if moved.rowcount == 1:
            claimed.append(row.id)
    return claimed


def webhook_secret(connection: Connection, connector_id: str) -> str | None:
    """The encrypted webhook secret of any connector (the receiver is not scoped to a tenant)."""
    query = select(connectors.c.webhook_secret).where(connectors.c.id == connector_id)
    value = connection.execute(query).scalar_one_or_none()
    return str(value) if value is not None else None


def set_webhook_secret(connection: Connection, connector_id: str, encrypted: str) -> None:
    connection.execute(
        update(connectors).where(connectors.c.id == connector_id).values(webhook_secret=encrypted)
    )


def set_webhooks(connection: Connection, connector_id: str, status: str, webhook_ids: str | None) -> bool:
    """Record the outcome of registering the connector's webhooks with Ashby; ``False`` when the
    connector no longer exists (deleted while its webhooks were being created)."""
    result = connection.execute(
        update(connectors)
        .where(connectors.c.id == connector_id)
        .values(webhook_status=status, webhook_ids=webhook_ids)
    )
    return bool(result.rowcount)


def set_policy(
    connection: Connection, connector_id: str, *, access: str | None, redact: str | None
) -> tuple[str, str | None] | None:
    """Change a connector's access level and/or redaction (``""``: none); ``None`` if it does not exist."""
    values: dict[str, Any] = {}
    if access is not None:
        values["access"] = access
    if redact is not None:
        values["redact"] = redact.strip() or None
    if values:
        connection.execute(connectors.update().where(connectors.c.id == connector_id).values(**values))
    row = connection.execute(
        select(connectors.c.access, connectors.c.redact).where(connectors.c.id == connector_id)
    ).first()
    return None if row is None else (row.access, row.redact)
