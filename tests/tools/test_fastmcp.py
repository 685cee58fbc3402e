"""The Airbyte agent connector API's FastMCP example over a local connector, called through FastMCP's
in-memory ``Client``."""

from __future__ import annotations

import json

import pytest
from fastmcp import Client, FastMCP

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.tools import build_description


async def test_seed_stack_bare(connector: AshbyConnector) -> None:
    mcp = FastMCP("Ashby Agent")

    @mcp.tool
    @AshbyConnector.tool_utils
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    async with Client(mcp) as client:
        (tool,) = await client.list_tools()
        assert tool.name == "ashby_execute"
        assert tool.description == build_description()
        assert set(tool.input_schema["properties"]) == {"entity", "action", "params"}

        result = await client.call_tool(
            "ashby_execute", {"entity": "applications", "action": "list", "params": {"limit": 2}}
        )
        assert not result.is_error
        page = json.loads(result.content[0].text)  # type: ignore[union-attr]
        assert len(page["data"]) == 2
        assert result.structured_content == page

        second = await client.call_tool(
            "ashby_execute",
            {
                "entity": "applications",
                "action": "list",
                "params": {"limit": 2, "cursor": page["meta"]["cursor"]},
            },
        )
        assert {a["id"] for a in second.structured_content["data"]}.isdisjoint(a["id"] for a in page["data"])  # type: ignore[index]

        # Bare (neutral) mode returns the error as the result: the model reads it, nothing crashes.
        wrong = await client.call_tool("ashby_execute", {"entity": "applications", "action": "lst"})
        assert wrong.structured_content["error"]["kind"] == "unknown_action"  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"entity": "applications", "action": "lst"}, "[unknown_action]"),
        ({"entity": "applications", "action": "get", "params": {"id": "nope"}}, "[invalid_params]"),
        (
            {"entity": "jobs", "action": "get", "params": {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}},
            "[not_found]",
        ),
    ],
)
async def test_framework_fastmcp_flags_errors(connector: AshbyConnector, args: dict, expected: str) -> None:  # type: ignore[type-arg]
    mcp = FastMCP("Ashby Agent")

    @mcp.tool
    @AshbyConnector.tool_utils(framework="fastmcp")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    async with Client(mcp) as client:
        result = await client.call_tool("ashby_execute", args, raise_on_error=False)
    assert result.is_error
    assert result.content[0].text.startswith(expected)  # type: ignore[union-attr]
