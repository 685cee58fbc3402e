"""A typed client for the hosted service's management API (workspaces and connectors).

Answers are parsed into the same wire models the service answers with (:mod:`ashby_agent.wire`).
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from ashby_agent.hosted.client import HostedClient
from ashby_agent.types import AirbyteAuthConfig
from ashby_agent.wire import ASHBY_DEFINITION_ID, ConnectorCheckOut, ConnectorOut, WorkspaceOut

__all__ = ["HostedAdminClient"]


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
    ) -> list[WorkspaceOut]:
        """Every workspace (following the service's cursor)."""
        found: list[WorkspaceOut] = []
        cursor: str | None = None
        while True:
            page = await self._client.request(
                "GET", "/workspaces", name_contains=name_contains, status=status, limit=limit, cursor=cursor
            )
            found += [WorkspaceOut.model_validate(item) for item in page.get("data", [])]
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
    ) -> ConnectorOut:
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
        return ConnectorOut.model_validate(
            await self._client.request("POST", "/integrations/connectors", body)
        )

    async def list_connectors(self, workspace_name: str | None = None) -> list[ConnectorOut]:
        page = await self._client.request(
            "GET",
            "/integrations/connectors",
            workspace_name=workspace_name,
            definition_id=ASHBY_DEFINITION_ID,
        )
        return [ConnectorOut.model_validate(item) for item in page.get("data", [])]

    async def get_connector(self, connector_id: str) -> ConnectorOut:
        return ConnectorOut.model_validate(
            await self._client.request("GET", f"/integrations/connectors/{connector_id}")
        )

    async def update_connector(
        self,
        connector_id: str,
        *,
        name: str | None = None,
        api_key: str | SecretStr | None = None,
        start_date: str | None = None,
    ) -> ConnectorOut:
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
        return ConnectorOut.model_validate(answer)

    async def delete_connector(self, connector_id: str) -> None:
        await self._client.request("DELETE", f"/integrations/connectors/{connector_id}")

    async def check_credentials(self, workspace_name: str, api_key: str | SecretStr) -> ConnectorCheckOut:
        """Have the service try ``api_key`` against Ashby without storing anything."""
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        body = {"workspace_name": workspace_name, "connector_type": "Ashby", "credentials": {"api_key": key}}
        answer = await self._client.request("POST", "/integrations/connectors/check", body)
        return ConnectorCheckOut.model_validate(answer)

    async def check_connector(self, connector_id: str) -> ConnectorCheckOut:
        answer = await self._client.request("POST", f"/integrations/connectors/{connector_id}/check", {})
        return ConnectorCheckOut.model_validate(answer)

    async def inspect_connector(self, connector_id: str) -> dict[str, Any]:
        return await self._client.request("GET", f"/integrations/connectors/{connector_id}/inspect")
