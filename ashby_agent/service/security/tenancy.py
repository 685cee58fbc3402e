"""What a principal can reach by id: its own workspaces and connectors, and nothing else.

Anything outside the principal's scope answers exactly like a missing id (404), so a caller cannot
learn that another tenant's workspace or connector exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.security.authentication import Principal
from ashby_agent.service.store import connectors, workspaces

__all__ = ["find_connector", "find_workspace"]


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
