"""A typed client for the hosted service's management API (workspaces and connectors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from ashby_agent.hosted.client import ASHBY_DEFINITION_ID, HostedClient
from ashby_agent.types import AirbyteAuthConfig

__all__ = ["ConnectorCheck", "ConnectorInfo", "HostedAdminClient", "Workspace"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class Workspace(_Wire):
    """One end customer's workspace."""

    id: str
    name: str
    organization_id: str | None = None
    status: str = "active"
    cache_enabled: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ConnectorInfo(_Wire):
    """A stored Ashby connector (credentials are never returned)."""

    id: str
    name: str | None = None
    workspace_id: str | None = None
    connector_type: str | None = None
    replication_config: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ConnectorCheck(_Wire):
    """Outcome of verifying a connector's credentials against Ashby."""

    status: str
    error_message: str | None = None


class HostedAdminClient:
    """Workspaces and connectors of the organizations an API client belongs to."""

    def __init__(self, auth: AirbyteAuthConfig | None = None, **options: Any) -> None:
        self._client = HostedClient(auth or AirbyteAuthConfig(), **options)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HostedAdminClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def list_workspaces(
        self, *, name_contains: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[Workspace]:
        """Every workspace (following the service's cursor)."""
        found: list[Workspace] = []
        cursor: str | None = None
        while True:
            page = await self._client.request(
                "GET", "/workspaces", name_contains=name_contains, status=status, limit=limit, cursor=cursor
            )
            found += [Workspace.model_validate(item) for item in page.get("data", [])]
            nxt = page.get("next")
            if not nxt:
                return found
            cursor = str(nxt).split("cursor=", 1)[-1].split("&", 1)[0]

    async def delete_workspace(self, workspace_id: str) -> None:
        await self._client.request("DELETE", f"/workspaces/{workspace_id}")

    async def create_connector(
        self,
        workspace_name: str,
        api_key: str | SecretStr,
        *,
        name: str | None = None,
        start_date: str | None = None,
    ) -> ConnectorInfo:
        """Store an Ashby key for a workspace (created if missing)."""
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        body: dict[str, Any] = {
            "workspace_name": workspace_name,
            "connector_type": "Ashby",
            "credentials": {"api_key": key},
        }
        if name:
            body["name"] = name
        if start_date:
            body["replication_config"] = {"start_date": start_date}
        return ConnectorInfo.model_validate(
            await self._client.request("POST", "/integrations/connectors", body)
        )

    async def list_connectors(self, workspace_name: str | None = None) -> list[ConnectorInfo]:
        page = await self._client.request(
            "GET",
            "/integrations/connectors",
            workspace_name=workspace_name,
            definition_id=ASHBY_DEFINITION_ID,
        )
        return [ConnectorInfo.model_validate(item) for item in page.get("data", [])]

    async def get_connector(self, connector_id: str) -> ConnectorInfo:
        return ConnectorInfo.model_validate(
            await self._client.request("GET", f"/integrations/connectors/{connector_id}")
        )

    async def update_connector(
        self,
        connector_id: str,
        *,
        name: str | None = None,
        api_key: str | SecretStr | None = None,
        start_date: str | None = None,
    ) -> ConnectorInfo:
        """Rename, rotate the stored Ashby key, or change the replication start."""
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if api_key is not None:
            key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
            body["credentials"] = {"api_key": key}
        if start_date is not None:
            body["replication_config"] = {"start_date": start_date}
        answer = await self._client.request("PUT", f"/integrations/connectors/{connector_id}", body)
        return ConnectorInfo.model_validate(answer)

    async def delete_connector(self, connector_id: str) -> None:
        await self._client.request("DELETE", f"/integrations/connectors/{connector_id}")

    async def check_connector(self, connector_id: str) -> ConnectorCheck:
        answer = await self._client.request("POST", f"/integrations/connectors/{connector_id}/check", {})
        return ConnectorCheck.model_validate(answer)

    async def inspect_connector(self, connector_id: str) -> dict[str, Any]:
        return await self._client.request("GET", f"/integrations/connectors/{connector_id}/inspect")
