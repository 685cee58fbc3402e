"""The Airbyte agent connector API's LangChain example over a local connector: ``ainvoke`` with plain
args and as a tool call."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import tool

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.catalog import CATALOG
from ashby_agent.tools import build_description

try:  # works whether or not tests/ is a package
    from .tool_helpers import MISSING_ID
except ImportError:
    from tool_helpers import MISSING_ID  # type: ignore[no-redef]


def _call(args: dict[str, Any], call_id: str = "call_1") -> dict[str, Any]:
    return {"type": "tool_call", "id": call_id, "name": "ashby_execute", "args": args}


async def test_seed_stack_bare(connector: AshbyConnector) -> None:
    @tool
    @AshbyConnector.tool_utils
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        # connector.execute returns a Pydantic envelope for typed actions; fall back to raw data otherwise.
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    # The wrapper's generated description replaces the example's own docstring, verbatim.
    assert ashby_execute.description == build_description()
    assert set(ashby_execute.args) == {"entity", "action", "params"}

    page = await ashby_execute.ainvoke({"entity": "jobs", "action": "list", "params": {"limit": 3}})
    assert len(page["data"]) == 3
    assert page["meta"]["has_more"] is True

    message = await ashby_execute.ainvoke(
        _call({"entity": "jobs", "action": "list", "params": {"limit": 3, "cursor": page["meta"]["cursor"]}})
    )
    assert isinstance(message, ToolMessage)
    assert message.status == "success"
    second = json.loads(message.content)  # type: ignore[arg-type]
    assert {job["id"] for job in second["data"]}.isdisjoint(job["id"] for job in page["data"])

    # A bad call does not raise out of ainvoke: the model gets the error as content.
    wrong = await ashby_execute.ainvoke({"entity": "jobs", "action": "list", "params": {"limt": 3}})
    assert wrong["error"]["kind"] == "invalid_params"
    assert "did you mean 'limit'" in wrong["error"]["message"]
    message = await ashby_execute.ainvoke(_call({"entity": "jobz", "action": "list"}, "call_2"))
    error = json.loads(message.content)["error"]  # type: ignore[arg-type]
    assert error["kind"] == "unknown_entity"
    assert "jobs" in error["valid"]


async def test_framework_langchain_returns_json_text(connector: AshbyConnector) -> None:
    @tool
    @AshbyConnector.tool_utils(framework="langchain")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    text = await ashby_execute.ainvoke(
        {"entity": "departments", "action": "list", "params": {"fields": "id,name"}}
    )
    assert isinstance(text, str)
    assert all(set(record) <= {"id", "name"} for record in json.loads(text)["data"])
    missing = await ashby_execute.ainvoke({"entity": "jobs", "action": "get", "params": {"id": MISSING_ID}})
    assert json.loads(missing)["error"]["kind"] == "not_found"


async def test_errors_raise_tool_exception_for_tools_that_handle_them(connector: AshbyConnector) -> None:
    @tool
    @AshbyConnector.tool_utils(framework="langchain", errors="raise")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        """Execute Ashby connector operations."""
        return await connector.execute(entity, action, params or {})

    ashby_execute.handle_tool_error = True
    message = await ashby_execute.ainvoke(_call({"entity": "jobs", "action": "fetch"}))
    assert message.status == "error"
    assert json.loads(message.content)["error"]["valid"] == CATALOG["jobs"].actions
