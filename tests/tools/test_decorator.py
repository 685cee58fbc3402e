"""``tool_utils`` itself: signature and async-ness kept, options checked, fields, scopes, lazy imports."""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.sandbox import run_sandbox
from ashby_agent.tools import MissingFrameworkError, ToolCallFailed, build_description, tool_utils


async def _echo(entity: str, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Original docstring."""
    return {"entity": entity, "action": action, "params": params}


def test_bare_and_configured_forms_keep_name_signature_and_async() -> None:
    for wrapped in (AshbyConnector.tool_utils(_echo), AshbyConnector.tool_utils(framework="fastmcp")(_echo)):
        assert wrapped.__name__ == "_echo"
        assert inspect.signature(wrapped) == inspect.signature(_echo)
        assert inspect.iscoroutinefunction(wrapped)
        assert wrapped.__doc__ == build_description()
    assert AshbyConnector.tool_utils()(_echo).__doc__ == build_description()


def test_sync_functions_stay_sync() -> None:
    @tool_utils
    def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        return [{"id": "a", "name": "A"}]

    assert not inspect.iscoroutinefunction(ashby_execute)
    assert ashby_execute("x", "list", {"fields": ["id"]}) == {"data": [{"id": "a"}]}


def test_fields_are_taken_out_of_params_before_the_call() -> None:
    seen: dict[str, Any] = {}

    @tool_utils
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        seen["params"] = params
        return {"data": [{"id": "a", "name": "A", "x": 1}], "meta": {"cursor": None}}

    original = {"limit": 5, "fields": ["id"]}
    out = asyncio.run(ashby_execute("candidates", "list", original))
    assert seen["params"] == {"limit": 5}
    assert original == {"limit": 5, "fields": ["id"]}  # the caller's dict is not mutated
    assert out["data"] == [{"id": "a"}]


def test_bad_fields_are_a_correctable_error() -> None:
    out = asyncio.run(tool_utils(_echo)("candidates", "list", {"fields": 3}))
    assert out["error"]["kind"] == "invalid_params"
    assert out["error"]["outcome"] == "fix_call"


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"framework": "crewai"}, "valid: pydantic_ai, langchain, openai_agents, fastmcp"),
        ({"max_output": 10}, "unknown option"),
        ({"errors": "explode"}, "errors must be one of"),
        ({"mode": "cloud"}, "mode must be one of"),
        ({"max_output_chars": 10}, "max_output_chars must be an integer >= 500"),
    ],
)
def test_bad_options_are_rejected_at_decoration(options: dict[str, Any], error: str) -> None:
    with pytest.raises((TypeError, ValueError), match=error):
        tool_utils(**options)


@pytest.mark.parametrize("name", ["pydantic-ai", "OpenAI-Agents", "langchain_core", "mcp"])
def test_framework_aliases(name: str) -> None:
    assert tool_utils(framework=name)(_echo).__doc__ == build_description()


@pytest.mark.parametrize(
    ("framework", "module", "extra"),
    [
        ("pydantic_ai", "pydantic_ai", "pydantic-ai"),
        ("langchain", "langchain_core", "langchain"),
        ("openai_agents", "agents", "openai-agents"),
        ("fastmcp", "fastmcp", "fastmcp"),
    ],
)
def test_a_missing_framework_is_reported_at_decoration_with_its_pip_extra(
    monkeypatch: pytest.MonkeyPatch, framework: str, module: str, extra: str
) -> None:
    # sys.modules[name] = None makes the import fail as if the package were not installed. Without the
    # check, the ModuleNotFoundError surfaced only at the first error, from inside the tool call.
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingFrameworkError, match=rf"pip install 'ashby-agent\[{extra}\]'"):
        tool_utils(framework=framework)(_echo)
    assert tool_utils(_echo).__doc__ == build_description()  # neutral needs no framework


def test_errors_raise_without_a_framework_raises_tool_call_failed() -> None:
    @tool_utils(errors="raise")
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        from ashby_agent.errors import UnknownEntityError

        raise UnknownEntityError(entity, ["candidates"])

    with pytest.raises(ToolCallFailed) as info:
        asyncio.run(ashby_execute("x", "list"))
    assert json.loads(str(info.value))["error"]["kind"] == "unknown_entity"
    assert info.value.content.valid == ["candidates"]


def test_framework_signals_raised_by_the_function_pass_through() -> None:
    from pydantic_ai import ModelRetry

    @tool_utils(framework="pydantic_ai")
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        raise ModelRetry("mine")

    with pytest.raises(ModelRetry, match="mine"):
        asyncio.run(ashby_execute("x", "list"))


def test_large_output_never_fails() -> None:
    @tool_utils(max_output_chars=1_000)
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        return {"data": [{"id": str(i), "bio": "b" * 300} for i in range(50)], "meta": {"cursor": "c"}}

    out = asyncio.run(ashby_execute("candidates", "list", {}))
    assert len(json.dumps(out, separators=(",", ":"))) <= 1_000
    assert out["truncated"]["kept_records"] >= 1
    assert "limit=" in out["truncated"]["note"]  # candidates.list is paginated


# ----------------------------------------------------------------------------- scopes, against a sandbox


@pytest.fixture(scope="module")
def scoped_sandbox() -> Iterator[Any]:
    with run_sandbox(seed=7, scale="small", api_keys=["full", "narrow:candidates:read,jobs:read"]) as sandbox:
        yield sandbox


async def test_scopes_filter_description_and_calls(scoped_sandbox: Any) -> None:
    async with AshbyConnector(AshbyAuthConfig(api_key="narrow"), base_url=scoped_sandbox.url) as connector:

        @AshbyConnector.tool_utils(scopes=["candidates:read", "jobs:read"])
        async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
            return await connector.execute(entity, action, params or {})

        assert ashby_execute.__doc__ == build_description(scopes=["candidates:read", "jobs:read"])
        assert "\nusers:" not in (ashby_execute.__doc__ or "")
        requests_before = len(scoped_sandbox.control.requests())

        denied = await ashby_execute("users", "list", {})
        assert denied["error"]["kind"] == "permission_denied"
        assert denied["error"]["missing_permission"] == "organizationRead"
        assert "users" not in denied["error"]["valid"]
        unknown = await ashby_execute("usres", "list", {})
        assert unknown["error"]["kind"] == "unknown_entity"
        assert "users" not in unknown["error"]["valid"]
        assert len(scoped_sandbox.control.requests()) == requests_before  # refused before any request

        page = await ashby_execute("jobs", "list", {"limit": 1})
        assert len(page["data"]) == 1


async def test_without_scopes_ashby_answers_the_permission_error(scoped_sandbox: Any) -> None:
    async with AshbyConnector(AshbyAuthConfig(api_key="narrow"), base_url=scoped_sandbox.url) as connector:

        @AshbyConnector.tool_utils
        async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
            return await connector.execute(entity, action, params or {})

        denied = await ashby_execute("users", "list", {})
    assert denied["error"]["kind"] == "permission_denied"
    assert denied["error"]["outcome"] == "stop"
    assert "organization" in denied["error"]["message"]


async def test_rate_limits_say_when_to_retry(scoped_sandbox: Any) -> None:
    from ashby_agent.retry import RetryPolicy

    scoped_sandbox.control.queue_faults(["429"] * 10)
    try:
        async with AshbyConnector(
            AshbyAuthConfig(api_key="full"), base_url=scoped_sandbox.url, retry=RetryPolicy(max_attempts=1)
        ) as connector:

            @AshbyConnector.tool_utils
            async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
                return await connector.execute(entity, action, params or {})

            limited = await ashby_execute("jobs", "list", {})
    finally:
        scoped_sandbox.control.clear_faults()
    assert limited["error"]["kind"] == "rate_limited"
    assert limited["error"]["outcome"] == "retry_later"
    assert "retry" in limited["error"]["next_step"].lower()


# ----------------------------------------------------------------------------- imports

_CHECK_IMPORTS = """
import sys
{prelude}
import ashby_agent, ashby_agent.tools
from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.errors import UnknownEntityError
import asyncio

@AshbyConnector.tool_utils
async def ashby_execute(entity, action, params=None):
    raise UnknownEntityError(entity, ["candidates"])

print(asyncio.run(ashby_execute("x", "list"))["error"]["kind"])
print(sorted(m for m in ("pydantic_ai", "langchain_core", "agents", "fastmcp", "mcp") if m in sys.modules))
"""

_BLOCK_FRAMEWORKS = """
class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pydantic_ai", "langchain_core", "agents", "fastmcp", "mcp"):
            raise ImportError(f"{name} is not installed")
        return None
sys.meta_path.insert(0, _Blocker())
"""


@pytest.mark.parametrize("prelude", ["", _BLOCK_FRAMEWORKS], ids=["installed", "not-installed"])
def test_no_framework_is_imported_and_none_is_needed(prelude: str) -> None:
    code = _CHECK_IMPORTS.format(prelude=prelude)
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["unknown_entity", "[]"]


def test_a_plain_def_returning_a_coroutine_is_reported_not_serialised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def pending() -> dict[str, Any]:
        return {"never": "awaited"}

    @tool_utils
    def ashby_execute(entity: str, action: str, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        return pending()  # the slip: a coroutine from a plain def

    with caplog.at_level("ERROR", logger="ashby_agent.tools"):
        result = ashby_execute("candidates", "list", {})
    assert result["error"]["kind"] == "internal"
    assert "never" not in json.dumps(result)
    assert any(
        "declare it `async def`" in str(record.exc_info[1]) for record in caplog.records if record.exc_info
    )
