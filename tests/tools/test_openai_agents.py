"""The Airbyte agent connector API's OpenAI Agents example over a local connector, invoked through
``FunctionTool.on_invoke_tool``."""

from __future__ import annotations

import json
from typing import Any

from agents import Agent, FunctionTool, function_tool
from agents.tool_context import ToolContext

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.catalog import CATALOG
from ashby_agent.tools import build_description


async def _invoke(tool: FunctionTool, args: dict[str, Any], call_id: str = "call_1") -> Any:
    arguments = json.dumps(args)
    context = ToolContext(context=None, tool_name=tool.name, tool_call_id=call_id, tool_arguments=arguments)
    return await tool.on_invoke_tool(context, arguments)


async def test_seed_stack(connector: AshbyConnector) -> None:
    # strict_mode=False because `params: dict` is permissive and the default strict
    # JSON schema rejects objects with additionalProperties.
    @function_tool(strict_mode=False)
    @AshbyConnector.tool_utils(framework="openai_agents")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    agent = Agent(name="Ashby Assistant", tools=[ashby_execute])
    assert agent.tools == [ashby_execute]
    assert ashby_execute.name == "ashby_execute"
    assert ashby_execute.description == build_description()
    assert set(ashby_execute.params_json_schema["properties"]) == {"entity", "action", "params"}

    # Results are JSON text (a returned dict would reach the model as a Python repr).
    text = await _invoke(ashby_execute, {"entity": "candidates", "action": "list", "params": {"limit": 2}})
    assert isinstance(text, str)
    page = json.loads(text)
    assert len(page["data"]) == 2
    nxt = json.loads(
        await _invoke(
            ashby_execute,
            {
                "entity": "candidates",
                "action": "list",
                "params": {"limit": 2, "cursor": page["meta"]["cursor"]},
            },
        )
    )
    assert {c["id"] for c in nxt["data"]}.isdisjoint(c["id"] for c in page["data"])

    # Errors reach the model as actionable JSON, not the framework's generic "An error occurred".
    wrong = await _invoke(ashby_execute, {"entity": "candidates", "action": "find"})
    assert "An error occurred" not in wrong
    error = json.loads(wrong)["error"]
    assert error["kind"] == "unknown_action"
    assert error["valid"] == CATALOG["candidates"].actions
    assert error["outcome"] == "fix_call"


async def test_unexpected_errors_are_masked() -> None:
    @function_tool(strict_mode=False)
    @AshbyConnector.tool_utils(framework="openai_agents")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        """Execute Ashby connector operations."""
        raise RuntimeError("db password hunter2")

    error = json.loads(await _invoke(ashby_execute, {"entity": "jobs", "action": "list"}))["error"]
    assert error["kind"] == "internal"
    assert "hunter2" not in json.dumps(error)
