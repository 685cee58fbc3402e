"""``connect("ashby", workspace_name=...)``: a hosted-mode connector from the environment's credentials."""

from __future__ import annotations

from typing import Any

from ashby_agent.connectors.ashby.connector import AshbyConnector
from ashby_agent.errors import InvalidRequestError
from ashby_agent.types import AirbyteAuthConfig

__all__ = ["connect"]


def connect(
    connector_type: str,
    *,
    workspace_name: str | None = None,
    organization_id: str | None = None,
    connector_id: str | None = None,
    **options: Any,
) -> AshbyConnector:
    """A typed :class:`AshbyConnector` in hosted mode.

    Reads ``AIRBYTE_CLIENT_ID`` / ``AIRBYTE_CLIENT_SECRET`` / ``AIRBYTE_ORGANIZATION_ID`` and
    ``ASHBY_AGENT_API_URL`` from the environment; ``options`` go to :class:`AshbyConnector`
    (``http_client``, ``retry``, ``timeout``).
    """
    if connector_type.strip().lower() != "ashby":
        raise InvalidRequestError(
            f"Unknown connector type {connector_type!r}; valid: ashby.", valid=["ashby"]
        )
    auth = AirbyteAuthConfig(
        workspace_name=workspace_name, organization_id=organization_id, connector_id=connector_id
    )
    return AshbyConnector(auth_config=auth, **options)
