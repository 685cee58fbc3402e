"""Organization queries: the tenants an operator creates and API clients belong to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, or_, select

from ashby_agent.service.store.schema import organizations

__all__ = ["create", "id_of", "list_all", "name_taken"]


def name_taken(connection: Connection, name: str) -> bool:
    query = select(organizations.c.id).where(organizations.c.name == name)
    return connection.execute(query).first() is not None


def create(connection: Connection, organization_id: str, name: str, created_at: datetime) -> None:
    connection.execute(organizations.insert().values(id=organization_id, name=name, created_at=created_at))


def list_all(connection: Connection) -> list[Row[Any]]:
    """Every organization, by name."""
    return list(connection.execute(select(organizations).order_by(organizations.c.name)))


def id_of(connection: Connection, ref: str) -> str | None:
    """The id of the organization named ``ref`` or with id ``ref``."""
    found = connection.execute(
        select(organizations.c.id).where(or_(organizations.c.name == ref, organizations.c.id == ref))
    ).scalar()
    return str(found) if found is not None else None
