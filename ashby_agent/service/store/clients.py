"""API client queries: a client's secret hash and organizations, membership checks, creation and
revocation. Secrets are never stored, only their scrypt hash."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select, update

from ashby_agent.service.store.schema import api_clients, client_organizations

__all__ = ["create", "credentials_of", "is_member", "revoke"]


def credentials_of(connection: Connection, client_id: str) -> tuple[str | None, list[str]]:
    """The active client's secret hash and organizations (``None``, [] when unknown or revoked)."""
    row = connection.execute(
        select(api_clients.c.secret_hash).where(
            api_clients.c.id == client_id, api_clients.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None, []
    orgs = connection.execute(
        select(client_organizations.c.organization_id)
        .where(client_organizations.c.client_id == client_id)
        .order_by(client_organizations.c.organization_id)
    ).scalars()
    return row.secret_hash, list(orgs)


def is_member(connection: Connection, client_id: str, organization_id: str) -> bool:
    """The client exists, is not revoked and still belongs to the organization."""
    query = (
        select(api_clients.c.id)
        .join(client_organizations, client_organizations.c.client_id == api_clients.c.id)
        .where(
            api_clients.c.id == client_id,
            api_clients.c.revoked_at.is_(None),
            client_organizations.c.organization_id == organization_id,
        )
    )
    return connection.execute(query).first() is not None


def create(
    connection: Connection,
    *,
    client_id: str,
    name: str,
    secret_hash: str,
    organization_ids: Sequence[str],
    created_at: datetime,
) -> None:
    connection.execute(
        api_clients.insert().values(
            id=client_id, name=name, secret_hash=secret_hash, created_at=created_at, revoked_at=None
        )
    )
    connection.execute(
        client_organizations.insert(),
        [{"client_id": client_id, "organization_id": org} for org in organization_ids],
    )


def revoke(connection: Connection, client_id: str, at: datetime) -> bool:
    """Mark an active client revoked; ``False`` when there is no active client ``client_id``."""
    result = connection.execute(
        update(api_clients)
        .where(api_clients.c.id == client_id, api_clients.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return result.rowcount != 0
