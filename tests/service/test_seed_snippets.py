"""The Airbyte agent connector API's Python examples, run as written against our service and sandbox.

Our own copies of the examples are kept below as test data: the page's eight hosted-mode snippets (one
per framework, with ``connect()`` and with explicit credentials) and its open-source snippet, with our
package name and their indentation restored. Only the placeholders (``<your_workspace_name>``, ...) are
filled in at run time, as any user would. Each tool is then invoked through its own framework: a Pydantic
AI run with a ``FunctionModel``, LangChain ``ainvoke``, OpenAI Agents ``on_invoke_tool``, FastMCP's
in-memory client. When the page itself is beside the checkout (``tests/service/airbyte_page.py``), the
tests also prove that our copies match it line for line and run the page's own examples the same way.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ashby_agent.service.server import ServiceHandle
from tests.service.airbyte_page import hosted_examples, local_examples, needs_page, page_text
from tests.service.tenants import START_DATE, Tenant

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


LOCAL_SNIPPET = """from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.models import AshbyAuthConfig
connector = AshbyConnector(
    auth_config=AshbyAuthConfig(
        api_key="<Your Ashby API key>"
    )
)
"""
SOURCES = ["ours", pytest.param("page", marks=needs_page)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@needs_page
def test_the_page_has_exactly_our_examples() -> None:
    text = page_text()
    assert sorted(hosted_examples(text)) == sorted(SNIPPETS), "the page's hosted examples changed"
    assert [_lines(code) for code in local_examples(text)] == [_lines(LOCAL_SNIPPET)]


@needs_page
@pytest.mark.parametrize("key", sorted(SNIPPETS), ids=lambda key: "-".join(key))
def test_snippet_is_the_pages_own(key: tuple[str, str]) -> None:
    page = _lines(page_text())
    ours = _lines(SNIPPETS[key])
    # The block must appear contiguously in the page, line for line.
    starts = [i for i in range(len(page)) if page[i : i + len(ours)] == ours]
    assert starts, f"snippet {key} is not a contiguous block of the page"
    assert _lines(hosted_examples(page_text())[key]) == ours, f"the page's {key} example is not ours"


def _snippet(source: str, key: tuple[str, str]) -> str:
    return SNIPPETS[key] if source == "ours" else hosted_examples(page_text())[key]


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
            "workspace_name": "docs-workspace",
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
    return "docs-workspace"


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


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("key", sorted(SNIPPETS), ids=lambda key: "-".join(key))
async def test_snippet_runs_against_the_service(
    source: str, key: tuple[str, str], tenant: Tenant, workspace: str, shared_sandbox: Any
) -> None:
    framework, _ = key
    namespace: dict[str, Any] = {}
    exec(compile(_fill(_snippet(source, key), tenant, workspace), f"<{source} {key}>", "exec"), namespace)
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


@pytest.mark.parametrize("source", SOURCES)
async def test_local_snippet_runs_against_the_sandbox(
    source: str, shared_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open-source example: an Ashby key in, typed records out; ``ASHBY_API_URL`` names the sandbox."""
    snippet = LOCAL_SNIPPET if source == "ours" else local_examples(page_text())[0]
    monkeypatch.setenv("ASHBY_API_URL", shared_sandbox.url)
    namespace: dict[str, Any] = {}
    code = snippet.replace("<Your Ashby API key>", shared_sandbox.api_key)
    exec(compile(code, f"<{source} local>", "exec"), namespace)
    connector = namespace["connector"]
    try:
        page = await connector.execute("candidates", "list", {"limit": 3})
        expected = [record["id"] for record in shared_sandbox.control.records("candidate")[:3]]
        assert [candidate.id for candidate in page.data] == expected
    finally:
        await connector.aclose()
