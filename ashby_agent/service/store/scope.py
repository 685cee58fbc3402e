"""The tenant scope every read of tenant data is built from, so isolation is decided in one place.

A :class:`Scope` is an organization, optionally narrowed to one workspace (a scoped token's). The
queries below return only rows inside it; callers treat anything outside exactly like a missing id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from ashby_agent.service.store.schema import connectors, workspaces

__all__ = ["CONNECTOR_COLUMNS", "Scope", "connector_query", "visible_connectors", "visible_workspaces"]


@dataclass(frozen=True, slots=True)
class Scope:
    """What one caller may see: its organization, and only this workspace when ``workspace_id`` is set."""

    organization_id: str
    workspace_id: str | None = None


def visible_workspaces(scope: Scope) -> Select[tuple[object, ...]]:
    """The workspaces of this scope (all columns)."""
    query = select(workspaces).where(workspaces.c.organization_id == scope.organization_id)
    if scope.workspace_id is not None:
        query = query.where(workspaces.c.id == scope.workspace_id)
    return query


#: Connector columns callers may see: never the credentials.
CONNECTOR_COLUMNS = (
    connectors.c.id,
    connectors.c.name,
    connectors.c.workspace_id,
    connectors.c.definition_id,
    connectors.c.credential_version,
    connectors.c.start_date,
    connectors.c.created_at,
    connectors.c.updated_at,
    workspaces.c.name.label("workspace_name"),
    workspaces.c.status.label("workspace_status"),
    workspaces.c.cache_enabled,
)


def visible_connectors(scope: Scope) -> Select[tuple[object, ...]]:
    """The connectors of this scope, joined with their workspace; credentials excluded."""
    query = (
        select(*CONNECTOR_COLUMNS)
        .join(workspaces, workspaces.c.id == connectors.c.workspace_id)
        .where(workspaces.c.organization_id == scope.organization_id)
    )
    if scope.workspace_id is not None:
        query = query.where(workspaces.c.id == scope.workspace_id)
    return query


def connector_query(
    scope: Scope, connector_id: str, *, with_credentials: bool = False
) -> Select[tuple[object, ...]]:
    """One connector by id within the scope (credentials only when asked for: execute, check)."""
    query = visible_connectors(scope).where(connectors.c.id == connector_id)
    if with_credentials:
        query = query.add_columns(connectors.c.credentials)
    return query
