"""``/mcp/{workspace_name}``: the ``ashby_execute`` tool over streamable HTTP, with the REST API's tokens.

A real MCP client (FastMCP's) against the running service and the shared sandbox: no token or a bad one
is the service's 401 and lists no tools; another organization's token and a scoped token of another
workspace get the 404 of a missing workspace; a call runs through execute (same records, audited, at
the connector's access level, redacted by its policy).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastmcp import Client
from mcp.shared.exceptions import MCPError

from ashby_agent.service import operator
from tests.service.tenants import Tenant, assert_error, past_the_bound

WORKSPACE = "mcp-ws"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


@pytest.fixture
def connector_id(tenant: Tenant, shared_sandbox: Any) -> str:
    return str(tenant.create_connector(WORKSPACE, shared_sandbox.api_key)["id"])


def mcp_url(tenant: Tenant, workspace: str = WORKSPACE) -> str:
    return f"{tenant.service.url}/mcp/{workspace}"


def raw(url: str, token: str | None) -> httpx.Response:
    """An MCP ``initialize`` as plain HTTP, to read the service's own answer."""
    headers = {"Accept": "application/json, text/event-stream"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(url, json=INITIALIZE, headers=headers, timeout=30)


def scoped_token(tenant: Tenant, workspace: str) -> str:
    answer = tenant.post("/account/applications/scoped-token", json={"workspace_name": workspace})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


async def call(
    client: Client[Any], entity: str, action: str, params: dict[str, Any], tool: str = "ashby_execute"
) -> Any:
    return await client.call_tool(
        tool, {"entity": entity, "action": action, "params": params}, raise_on_error=False
    )


def text(answer: Any) -> str:
    return str(answer.content[0].text)


async def test_a_token_lists_the_tool_and_runs_it_through_execute(tenant: Tenant, connector_id: str) -> None:
    async with Client(mcp_url(tenant), auth=tenant.token()) as client:
        (tool,) = await client.list_tools()
        assert tool.name == "ashby_execute"
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
        assert "search" in (tool.description or "")  # hosted mode: the context store's actions too
        page = await call(client, "jobs", "list", {"limit": 3})
    assert not page.is_error, text(page)
    listed = [job["id"] for job in json.loads(text(page))["data"]]
    rest = tenant.post(
        f"/integrations/connectors/{connector_id}/execute",
        json={"entity": "jobs", "action": "list", "params": {"limit": 3}},
    )
    assert listed == [job["id"] for job in rest.json()["result"]]
    audited = operator.list_audit(connector_id=connector_id, settings=tenant.service.settings)
    assert [(r.entity, r.action, r.status, r.client_id) for r in audited] == [
        ("jobs", "list", "success", tenant.client_id),
        ("jobs", "list", "success", tenant.client_id),
    ]


async def test_no_token_or_a_bad_one_is_a_401_and_no_tools(tenant: Tenant, connector_id: str) -> None:
    assert_error(raw(mcp_url(tenant), None), 401, "missing_token")
    assert_error(raw(mcp_url(tenant), "not-a-token"), 401, "invalid_token")
    assert raw(mcp_url(tenant), None).headers["www-authenticate"] == "Bearer"
    with pytest.raises(MCPError):
        async with Client(mcp_url(tenant)) as client:
            await client.list_tools()
    with pytest.raises(MCPError):
        async with Client(mcp_url(tenant), auth="not-a-token") as client:
            await client.list_tools()


async def test_another_organization_cannot_reach_the_workspace(
    tenant: Tenant, other_tenant: Tenant, connector_id: str
) -> None:
    body = assert_error(raw(mcp_url(tenant), other_tenant.token()), 404, "workspace_not_found")
    assert WORKSPACE in body["message"]
    with pytest.raises(MCPError):
        async with Client(mcp_url(tenant), auth=other_tenant.token()) as client:
            await client.list_tools()


async def test_a_scoped_token_reaches_only_its_own_workspace(tenant: Tenant, connector_id: str) -> None:
    elsewhere = scoped_token(tenant, "another-ws")
    assert_error(raw(mcp_url(tenant), elsewhere), 404, "workspace_not_found")
    with pytest.raises(MCPError):
        async with Client(mcp_url(tenant), auth=elsewhere) as client:
            await client.list_tools()

    own = scoped_token(tenant, WORKSPACE)
    async with Client(mcp_url(tenant), auth=own) as client:
        assert [tool.name for tool in await client.list_tools()] == ["ashby_execute"]
        page = await call(client, "jobs", "list", {"limit": 1})
    assert not page.is_error, text(page)
    # The workspace "another-ws" exists (the scoped token made it) but has no connector: a tool error.
    async with Client(mcp_url(tenant, "another-ws"), auth=elsewhere) as client:
        missing = await call(client, "jobs", "list", {})
    assert missing.is_error
    assert "has no Ashby connector" in text(missing) and "POST /api/v1/integrations/connectors" in text(
        missing
    )


async def test_the_connectors_access_level_applies(
    tenant: Tenant, connector_id: str, shared_sandbox: Any
) -> None:
    candidate = shared_sandbox.control.records("candidate")[0]
    note = {"candidate_id": candidate["id"], "note": "never sent", "dry_run": True}
    async with Client(mcp_url(tenant), auth=tenant.token()) as client:
        refused = await call(client, "candidate_notes", "create", note)  # read access: no writes
        assert refused.is_error and "candidate_notes.create" in text(refused)
        operator.set_connector_policy(connector_id, access="comment", settings=tenant.service.settings)
        tools = {tool.name: tool for tool in await client.list_tools()}
        assert set(tools) == {"ashby_execute", "ashby_write"}  # comment level: no destructive tool
        writes = tools["ashby_write"]
        assert writes.annotations is not None and writes.annotations.read_only_hint is False
        assert "candidate_notes" in (writes.description or "")
        preview = await call(client, "candidate_notes", "create", note, tool="ashby_write")
    assert not preview.is_error, text(preview)
    assert json.loads(text(preview))["dry_run"] is True


async def test_the_connectors_redaction_policy_applies(
    tenant: Tenant, connector_id: str, shared_sandbox: Any
) -> None:
    candidate = shared_sandbox.control.records("candidate")[0]
    operator.set_connector_policy(connector_id, redact="emails", settings=tenant.service.settings)
    past_the_bound()
    async with Client(mcp_url(tenant), auth=tenant.token()) as client:
        page = await call(client, "candidates", "list", {"limit": 5})
        got = await call(client, "candidates", "get", {"id": candidate["id"]})
    assert not page.is_error, text(page)
    assert "@" not in text(page) and "[redacted]" in text(page)
    assert not got.is_error, text(got)
    assert candidate["primaryEmailAddress"]["value"] not in text(got)


async def test_connector_id_picks_one_of_several(
    tenant: Tenant, connector_id: str, shared_sandbox: Any
) -> None:
    second = str(tenant.create_connector(WORKSPACE, shared_sandbox.api_key)["id"])
    async with Client(f"{mcp_url(tenant)}?connector_id={second}", auth=tenant.token()) as client:
        assert not (await call(client, "jobs", "list", {"limit": 1})).is_error
    settings = tenant.service.settings
    assert [
        r.connector_id for r in operator.list_audit(organization=tenant.organization_id, settings=settings)
    ] == [second]
    unknown = f"{mcp_url(tenant)}?connector_id=3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert_error(raw(unknown, tenant.token()), 404, "connector_not_found")
