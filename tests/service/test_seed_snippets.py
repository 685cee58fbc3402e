"""The seed's eight hosted-mode Python snippets, run as written (import prefix changed) against the service.

Each snippet is kept below with its indentation restored (the seed text lost it); a test proves every
line equals the seed's. Only the placeholders (``<your_workspace_name>``, ...) are filled in at run time,
as any user would. Each tool is then invoked through its own framework: a Pydantic AI run with a
``FunctionModel``, LangChain ``ainvoke``, OpenAI Agents ``on_invoke_tool``, FastMCP's in-memory client.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ashby_agent.service.server import ServiceHandle
from tests.service.seed_document import COPY, SHARED, seed_path
from tests.service.tenants import START_DATE, Tenant

SEED = seed_path()

_ENV_HEAD = """from {framework_import}
from ashby_agent import connect
from ashby_agent.connectors.ashby import AshbyConnector
connector = connect("ashby", workspace_name="<your_workspace_name>")
"""
_EXPLICIT_HEAD = """from {framework_import}
from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.types import AirbyteAuthConfig
connector = AshbyConnector(
    auth_config=AirbyteAuthConfig(
        workspace_name="<your_workspace_name>",
        organization_id="<your_organization_id>", # Optional for multi-org clients
        airbyte_client_id="<your-client-id>",
        airbyte_client_secret="<your-client-secret>"
    )
)
"""
_BODIES = {
    "pydantic_ai": (
        "pydantic_ai import Agent",
        """agent = Agent("openai:gpt-4o")
@agent.tool_plain
@AshbyConnector.tool_utils
async def ashby_execute(entity: str, action: str, params: dict | None = None):
    return await connector.execute(entity, action, params or {})
""",
    ),
    "langchain": (
        "langchain_core.tools import tool",
        '''@tool
@AshbyConnector.tool_utils
async def ashby_execute(entity: str, action: str, params: dict | None = None):
    """Execute Ashby connector operations."""
    result = await connector.execute(entity, action, params or {})
    # connector.execute returns a Pydantic envelope for typed actions; fall back to raw data otherwise.
    return result.model_dump(mode="json") if hasattr(result, "model_dump") else result
''',
    ),
    "openai_agents": (
        "agents import Agent, function_tool",
        '''# strict_mode=False because `params: dict` is permissive and the default strict
# JSON schema rejects objects with additionalProperties.
@function_tool(strict_mode=False)
@AshbyConnector.tool_utils(framework="openai_agents")
async def ashby_execute(entity: str, action: str, params: dict | None = None):
    """Execute Ashby connector operations."""
    result = await connector.execute(entity, action, params or {})
    return result.model_dump(mode="json") if hasattr(result, "model_dump") else result
agent = Agent(name="Ashby Assistant", tools=[ashby_execute])
''',
    ),
    "fastmcp": (
        "fastmcp import FastMCP",
        '''mcp = FastMCP("Ashby Agent")
@mcp.tool
@AshbyConnector.tool_utils
async def ashby_execute(entity: str, action: str, params: dict | None = None):
    """Execute Ashby connector operations."""
    result = await connector.execute(entity, action, params or {})
    return result.model_dump(mode="json") if hasattr(result, "model_dump") else result
''',
    ),
}
SNIPPETS = {
    (framework, style): head.format(framework_import=framework_import) + body
    for framework, (framework_import, body) in _BODIES.items()
    for style, head in (("connect", _ENV_HEAD), ("explicit", _EXPLICIT_HEAD))
}


def test_repository_copy_of_the_seed_is_current() -> None:
    assert COPY.is_file()
    if SHARED.is_file():
        assert COPY.read_bytes() == SHARED.read_bytes(), "docs/seed/ is stale: copy ../shared/seed/ over it"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("key", sorted(SNIPPETS), ids=lambda key: "-".join(key))
def test_snippet_is_the_seeds_own(key: tuple[str, str]) -> None:
    seed = _lines(SEED.read_text(encoding="utf-8").replace("airbyte_agent_sdk", "ashby_agent"))
    ours = _lines(SNIPPETS[key])
    # The block must appear contiguously in the seed, line for line.
    starts = [i for i in range(len(seed)) if seed[i : i + len(ours)] == ours]
    assert starts, f"snippet {key} is not a contiguous block of the seed"


def _fill(snippet: str, tenant: Tenant, workspace: str) -> str:
    return (
        snippet.replace("<your_workspace_name>", workspace)
        .replace("<your_organization_id>", tenant.organization_id)
        .replace("<your-client-id>", tenant.client_id)
        .replace("<your-client-secret>", tenant.client_secret.get_secret_value())
    )


@pytest.fixture
def workspace(tenant: Tenant, service: ServiceHandle, monkeypatch: pytest.MonkeyPatch) -> str:
    answer = tenant.post(
        "/integrations/connectors",
        json={
            "workspace_name": "seed-workspace",
            "connector_type": "Ashby",
            "name": "My Ashby Connector",
            "credentials": {"api_key": _sandbox_key(service)},
            "replication_config": {"start_date": START_DATE},
        },
    )
    assert answer.status_code in (200, 201), answer.text
    monkeypatch.setenv("AIRBYTE_CLIENT_ID", tenant.client_id)
    monkeypatch.setenv("AIRBYTE_CLIENT_SECRET", tenant.client_secret.get_secret_value())
    monkeypatch.setenv("ASHBY_AGENT_API_URL", service.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")  # Agent("openai:gpt-4o") wants one; never used
    return "seed-workspace"


def _sandbox_key(service: ServiceHandle) -> str:
    return _SANDBOX_KEYS[service.settings.ashby_base_url or ""]


_SANDBOX_KEYS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _remember_sandbox_key(shared_sandbox: Any) -> None:
    _SANDBOX_KEYS[shared_sandbox.url] = shared_sandbox.api_key


async def _invoke(framework: str, namespace: dict[str, Any], args: dict[str, Any]) -> Any:
    """Call the snippet's tool through its framework; return what the model would read, as JSON."""
    if framework == "pydantic_ai":
        from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart
        from pydantic_ai.models.function import AgentInfo, FunctionModel

        seen: list[Any] = []

        def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
            returns = [
                p
                for m in messages
                if isinstance(m, ModelRequest)
                for p in m.parts
                if p.part_kind == "tool-return"
            ]
            if returns:
                seen.extend(part.content for part in returns)
                return ModelResponse(parts=[TextPart("done")])
            return ModelResponse(parts=[ToolCallPart("ashby_execute", args)])

        with namespace["agent"].override(model=FunctionModel(model)):
            result = await namespace["agent"].run("go")
        assert result.output == "done"
        return seen[0]
    tool = namespace["ashby_execute"]
    if framework == "langchain":
        return await tool.ainvoke(args)
    if framework == "openai_agents":
        from agents.tool_context import ToolContext

        arguments = json.dumps(args)
        context = ToolContext(context=None, tool_name=tool.name, tool_call_id="c1", tool_arguments=arguments)
        return await tool.on_invoke_tool(context, arguments)
    from fastmcp import Client

    async with Client(namespace["mcp"]) as client:
        answer = await client.call_tool("ashby_execute", args, raise_on_error=False)
    assert not answer.is_error, answer
    return answer.structured_content if answer.structured_content is not None else answer.content[0].text


def _as_json(content: Any) -> Any:
    return json.loads(content) if isinstance(content, str) else content


@pytest.mark.parametrize("key", sorted(SNIPPETS), ids=lambda key: "-".join(key))
async def test_snippet_runs_against_the_service(
    key: tuple[str, str], tenant: Tenant, workspace: str, shared_sandbox: Any
) -> None:
    framework, _ = key
    namespace: dict[str, Any] = {}
    exec(compile(_fill(SNIPPETS[key], tenant, workspace), f"<seed {key}>", "exec"), namespace)
    try:
        content = _as_json(
            await _invoke(
                framework, namespace, {"entity": "candidates", "action": "list", "params": {"limit": 3}}
            )
        )
        expected = [record["id"] for record in shared_sandbox.control.records("candidate")[:3]]
        assert [record["id"] for record in content["data"]] == expected
        assert content["meta"]["has_more"] is True
        wrong = _as_json(await _invoke(framework, namespace, {"entity": "candidates", "action": "lst"}))
        assert "list, get, api_search" in json.dumps(wrong)
    finally:
        await namespace["connector"].aclose()
