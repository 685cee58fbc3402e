"""What a principal can reach by id: its own workspaces and connectors, and nothing else.

Anything outside the principal's scope answers exactly like a missing id (404), so a caller cannot
learn that another tenant's workspace or connector exists. :func:`executable_connector` is the hot
path's lookup: the same query, its answer kept for a bounded time
(:mod:`ashby_agent.service.security.standing`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row

from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.security.authentication import Principal
from ashby_agent.service.store import connectors, workspaces

if TYPE_CHECKING:
    from ashby_agent.service.state import ServiceState

__all__ = ["executable_connector", "find_connector", "find_workspace"]


def find_workspace(connection: Connection, principal: Principal, workspace_id: str) -> Row[Any]:
    row = workspaces.find(connection, principal.scope, workspace_id)
    if row is None:
        raise ServiceError.not_found("Workspace", workspace_id)
    return row


def find_connector(
    connection: Connection, principal: Principal, connector_id: str, *, with_credentials: bool = False
) -> Row[Any]:
    row = connectors.find(connection, principal.scope, connector_id, with_credentials=with_credentials)
    if row is None:
        raise ServiceError.not_found("Connector", connector_id)
    return row


async def executable_connector(state: ServiceState, principal: Principal, connector_id: str) -> Row[Any]:
    """:func:`find_connector` ``with_credentials``, as read at most
    :data:`~ashby_agent.service.security.standing.STALENESS_SECONDS` ago (one read shared by the
    requests that need it)."""
    scope = principal.scope
    return await state.standing.connector_through(
        scope.organization_id,
        scope.workspace_id,
        connector_id,
        lambda: state.read(lambda c: find_connector(c, principal, connector_id, with_credentials=True)),
    )
