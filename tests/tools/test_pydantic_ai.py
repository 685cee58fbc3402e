"""The Airbyte agent connector API's Pydantic AI example over a local connector, run by an Agent with a
scripted model (no LLM)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pydantic_ai import Agent
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.catalog import CATALOG
from ashby_agent.tools import build_description

try:  # works whether or not tests/ is a package
    from .tool_helpers import MISSING_ID, as_json
except ImportError:
    from tool_helpers import MISSING_ID, as_json  # type: ignore[no-redef]

Step = Callable[[list[ToolReturnPart]], dict[str, Any]]


def scripted(*steps: Step) -> tuple[FunctionModel, dict[str, Any]]:
    """A model that makes one ``ashby_execute`` call per step, then answers "done"."""
    seen: dict[str, Any] = {}

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen["tools"] = info.function_tools
        returns = [
            part
            for message in messages
            if isinstance(message, ModelRequest)
            for part in message.parts
            if isinstance(part, ToolReturnPart)
        ]
        if len(returns) < len(steps):
            return ModelResponse(parts=[ToolCallPart("ashby_execute", steps[len(returns)](returns))])
        return ModelResponse(parts=[TextPart("done")])

    return FunctionModel(model), seen


def _returns(result: Any) -> list[ToolReturnPart]:
    return [
        part
        for message in result.all_messages()
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, ToolReturnPart)
    ]


FIELDS = ["id", "name"]


def good(_: list[ToolReturnPart]) -> dict[str, Any]:
    return {"entity": "candidates", "action": "list", "params": {"limit": 2, "fields": FIELDS}}


def bad(_: list[ToolReturnPart]) -> dict[str, Any]:
    return {"entity": "candidate", "action": "lst", "params": {}}


def next_page(returns: list[ToolReturnPart]) -> dict[str, Any]:
    """The paging call: same params plus cursor = the first result's meta.cursor."""
    cursor = as_json(returns[0].content)["meta"]["cursor"]
    return {
        "entity": "candidates",
        "action": "list",
        "params": {"limit": 2, "cursor": cursor, "fields": FIELDS},
    }


def missing(_: list[ToolReturnPart]) -> dict[str, Any]:
    return {"entity": "candidates", "action": "get", "params": {"id": MISSING_ID}}


@pytest.fixture(autouse=True)
def _no_real_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    # The example builds Agent("openai:gpt-4o"); the provider wants a key at construction. The tests override
    # the model, so nothing is ever sent.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")


async def test_seed_stack_bare(connector: AshbyConnector) -> None:
    agent = Agent("openai:gpt-4o")

    @agent.tool_plain
    @AshbyConnector.tool_utils
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        return await connector.execute(entity, action, params or {})

    model, seen = scripted(good, bad, next_page)
    with agent.override(model=model):
        result = await agent.run("List two candidates, then the next two.")

    assert result.output == "done"
    tool = seen["tools"][0]
    assert tool.name == "ashby_execute"
    assert tool.description == build_description()
    assert set(tool.parameters_json_schema["properties"]) == {"entity", "action", "params"}

    first, wrong, second = (as_json(part.content) for part in _returns(result))
    assert [set(record) for record in first["data"]] == [{"id", "name"}, {"id", "name"}]
    assert first["meta"]["has_more"] is True
    # Neutral mode: the error is an ordinary tool result the model reads (the run goes on).
    assert wrong["error"]["kind"] == "unknown_action"
    assert wrong["error"]["valid"] == CATALOG["candidates"].actions
    assert wrong["error"]["outcome"] == "fix_call"
    expected = await connector.execute("candidates", "list", {"limit": 2, "cursor": first["meta"]["cursor"]})
    assert [record["id"] for record in second["data"]] == [record.id for record in expected.data]
    assert {record["id"] for record in first["data"]}.isdisjoint(record["id"] for record in second["data"])


async def test_framework_pydantic_ai_uses_model_retry_and_tool_failed(connector: AshbyConnector) -> None:
    agent = Agent("openai:gpt-4o")

    @agent.tool_plain
    @AshbyConnector.tool_utils(framework="pydantic_ai")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        return await connector.execute(entity, action, params or {})

    model, seen = scripted(good, bad, next_page, missing)
    with agent.override(model=model):
        result = await agent.run("go")

    assert result.output == "done"
    assert seen["tools"][0].description == build_description()
    first, wrong, second, not_found = _returns(result)
    assert first.outcome == "success"
    assert len(as_json(first.content)["data"]) == 2
    assert wrong.outcome == "retried"  # ModelRetry: "correct your call"
    assert "Unknown action 'lst'" in str(wrong.content)
    assert "list, get, api_search" in str(wrong.content)
    assert second.outcome == "success"
    assert not_found.outcome == "failed"  # ToolFailed: said plainly, not "retry"
    assert "[not_found]" in str(not_found.content)
    assert "will not help" in str(not_found.content)


async def test_permission_errors_do_not_crash_the_run(shared_sandbox: Any) -> None:
    from ashby_agent.connectors.ashby import AshbyAuthConfig

    async with AshbyConnector(AshbyAuthConfig(api_key="not-a-key"), base_url=shared_sandbox.url) as connector:
        agent = Agent("openai:gpt-4o")

        @agent.tool_plain
        @AshbyConnector.tool_utils(framework="pydantic_ai")
        async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
            return await connector.execute(entity, action, params or {})

        model, _ = scripted(good)
        with agent.override(model=model):
            result = await agent.run("go")
    (failed,) = _returns(result)
    assert failed.outcome == "failed"
    assert "[authentication]" in str(failed.content)
    assert "not-a-key" not in json.dumps(str(failed.content))


async def test_repeated_bad_calls_do_not_exceed_the_retry_budget(connector: AshbyConnector) -> None:
    # Pydantic AI ends the run once a tool raises ModelRetry more often in a row than its retries (default 1):
    # a model that keeps getting the call wrong must still get an answer, not crash the run.
    agent = Agent("openai:gpt-4o")

    @agent.tool_plain
    @AshbyConnector.tool_utils(framework="pydantic_ai")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        return await connector.execute(entity, action, params or {})

    model, _ = scripted(bad, missing, bad, bad, good, bad)
    with agent.override(model=model):
        result = await agent.run("go")

    assert result.output == "done"
    outcomes = [part.outcome for part in _returns(result)]
    assert outcomes == ["retried", "failed", "failed", "failed", "success", "retried"]
    for part in _returns(result)[2:4]:  # the same guidance, without spending the retry budget
        assert "Unknown action 'lst'" in str(part.content)
        assert "Correct the call" in str(part.content)
