"""The ready MCP server: in memory, over stdio (a subprocess) and over streamable HTTP, against a sandbox."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastmcp import Client
from fastmcp.client.transports import StdioTransport

from ashby_agent.sandbox import run_sandbox
from ashby_agent.tools import build_description
from ashby_agent.tools.mcp_server import (
    MCPConfigurationError,
    backend_from_env,
    build_server,
    discover_scopes,
    run_mcp,
)

ROOT = str(Path(__file__).resolve().parents[2])
NARROW = "narrow-key"
NARROW_SCOPES = ["candidates:read", "jobs:read", "apiKeys:read"]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    keys = ["full-key", f"{NARROW}:{','.join(NARROW_SCOPES)}"]
    with run_sandbox(seed=7, scale="small", api_keys=keys) as handle:
        yield handle


def _env(sandbox: Any, key: str = "full-key") -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("ASHBY_", "AIRBYTE_"))}
    env.update(ASHBY_API_KEY=key, ASHBY_API_URL=sandbox.url)
    return env


async def _exercise(client: Client[Any], *, description: str) -> None:
    (tool,) = await client.list_tools()
    assert tool.name == "ashby_execute"
    assert tool.description == description
    assert tool.annotations is not None
    assert tool.annotations.read_only_hint is True
    assert tool.annotations.destructive_hint is False

    page = await client.call_tool(
        "ashby_execute", {"entity": "jobs", "action": "list", "params": {"limit": 2}}
    )
    assert not page.is_error
    data = json.loads(page.content[0].text)  # type: ignore[union-attr]
    assert len(data["data"]) == 2
    nxt = await client.call_tool(
        "ashby_execute",
        {"entity": "jobs", "action": "list", "params": {"limit": 2, "cursor": data["meta"]["cursor"]}},
    )
    assert {j["id"] for j in json.loads(nxt.content[0].text)["data"]}.isdisjoint(
        j["id"] for j in data["data"]
    )  # type: ignore[union-attr]

    wrong = await client.call_tool("ashby_execute", {"entity": "jobs", "action": "lst"}, raise_on_error=False)
    assert wrong.is_error
    assert wrong.content[0].text.startswith("[unknown_action]")  # type: ignore[union-attr]


def test_run_mcp_without_fastmcp_names_the_pip_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastmcp", None)  # as if fastmcp were not installed
    with pytest.raises(MCPConfigurationError, match=r"pip install 'ashby-agent\[fastmcp\]'"):
        run_mcp("stdio")


def test_backend_from_env_needs_a_key() -> None:
    with pytest.raises(MCPConfigurationError, match="ASHBY_API_KEY"):
        backend_from_env({})
    assert backend_from_env({"ASHBY_API_KEY": "k"}).mode == "local"


async def test_in_memory_with_discovered_scopes(sandbox: Any) -> None:
    spec = backend_from_env({"ASHBY_API_KEY": NARROW, "ASHBY_API_URL": sandbox.url})
    scopes = await discover_scopes(spec)
    assert scopes == NARROW_SCOPES
    from dataclasses import replace

    async with Client(build_server(replace(spec, scopes=scopes))) as client:
        await _exercise(client, description=build_description(scopes=NARROW_SCOPES))
        denied = await client.call_tool(
            "ashby_execute", {"entity": "offers", "action": "list"}, raise_on_error=False
        )
        assert denied.is_error
        assert "offers:read" in denied.content[0].text  # type: ignore[union-attr]


async def test_scopes_unknown_when_the_key_cannot_read_them(sandbox: Any) -> None:
    spec = backend_from_env({"ASHBY_API_KEY": "wrong", "ASHBY_API_URL": sandbox.url})
    assert await discover_scopes(spec) is None


async def _full_key_description(sandbox: Any) -> str:
    """The server reads the key's scopes at startup: a full key lists everything, with the scopes note."""
    scopes = await discover_scopes(backend_from_env(_env(sandbox)))
    assert scopes is not None
    return build_description(scopes=scopes)


async def test_stdio(sandbox: Any) -> None:
    transport = StdioTransport(
        command=sys.executable,
        args=["-m", "ashby_agent.tools.mcp_server", "--transport", "stdio"],
        env=_env(sandbox),
        cwd=ROOT,
    )
    async with Client(transport) as client:
        await _exercise(client, description=await _full_key_description(sandbox))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving_http(env: dict[str, str]) -> Iterator[str]:
    """``python -m ashby_agent.tools.mcp_server --transport http`` on a free port: its URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ashby_agent.tools.mcp_server", "--transport", "http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the MCP HTTP server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def http_server(sandbox: Any) -> Iterator[str]:
    with serving_http(_env(sandbox)) as url:
        yield url


async def test_streamable_http(http_server: str, sandbox: Any) -> None:
    async with Client(http_server) as client:
        await _exercise(client, description=await _full_key_description(sandbox))


async def test_with_a_context_store_the_tool_offers_and_answers_store_actions(
    sandbox: Any, tmp_path: Path
) -> None:
    store = f"sqlite:///{tmp_path}/store.db"
    env = {"ASHBY_API_KEY": "full-key", "ASHBY_API_URL": sandbox.url, "ASHBY_AGENT_STORE": store}
    spec = backend_from_env(env)
    assert spec.context_store is True
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    async with AshbyConnector(
        AshbyAuthConfig(api_key="full-key"), base_url=sandbox.url, context_store=store
    ) as c:
        await c.replicate(["jobs"])
    async with Client(build_server(spec)) as client:
        (tool,) = await client.list_tools()
        assert tool.description == build_description(context_store=True)
        assert "context_store_search" in tool.description and len(tool.description.encode()) < 4096
        answer = await client.call_tool(
            "ashby_execute",
            {"entity": "jobs", "action": "context_store_aggregate", "params": {"group_by": ["status"]}},
        )
        rows = json.loads(answer.content[0].text)["data"]  # type: ignore[union-attr]
        statuses = [job["status"] for job in sandbox.control.records("job")]
        assert {row["status"]: row["count"] for row in rows} == {s: statuses.count(s) for s in set(statuses)}
    without = backend_from_env({"ASHBY_API_KEY": "full-key", "ASHBY_API_URL": sandbox.url})
    async with Client(build_server(without)) as client:
        (tool,) = await client.list_tools()
        assert "context_store" not in tool.description


async def test_an_access_level_adds_a_tool_per_kind_of_write_with_truthful_annotations(sandbox: Any) -> None:
    env = {"ASHBY_API_KEY": "full-key", "ASHBY_API_URL": sandbox.url, "ASHBY_AGENT_ACCESS": "comment"}
    spec = backend_from_env(env)
    assert spec.access == "comment"
    candidate = sandbox.control.records("candidate")[0]
    async with Client(build_server(spec)) as client:
        tools = {tool.name: tool for tool in await client.list_tools()}
        assert set(tools) == {"ashby_execute", "ashby_write"}  # comment admits no destructive write
        reads, writes = tools["ashby_execute"], tools["ashby_write"]
        assert reads.annotations is not None and writes.annotations is not None
        assert (reads.annotations.read_only_hint, reads.annotations.destructive_hint) == (True, False)
        assert (writes.annotations.read_only_hint, writes.annotations.destructive_hint) == (False, False)
        assert "candidate_notes: create" in (writes.description or "")
        assert "candidate_notes: list(candidateId*)+p\n" in (reads.description or "")  # no create there
        preview = await client.call_tool(
            "ashby_write",
            {
                "entity": "candidate_notes",
                "action": "create",
                "params": {"candidate_id": candidate["id"], "note": "Call back Monday.", "dry_run": True},
            },
        )
        assert json.loads(preview.content[0].text)["dry_run"] is True  # type: ignore[union-attr]
        wrong = await client.call_tool(
            "ashby_execute",
            {"entity": "candidate_notes", "action": "create", "params": {"candidate_id": candidate["id"]}},
            raise_on_error=False,
        )
        assert wrong.is_error and "[wrong_tool]" in wrong.content[0].text  # type: ignore[union-attr]
    tools = {
        tool.name: tool
        for tool in await build_server(
            backend_from_env({"ASHBY_API_KEY": "k", "ASHBY_AGENT_ACCESS": "write"})
        ).list_tools()
    }  # type: ignore[attr-defined]
    assert set(tools) == {"ashby_execute", "ashby_write", "ashby_write_destructive"}
    destructive = tools["ashby_write_destructive"].annotations
    assert destructive is not None and destructive.destructive_hint is True
    assert "candidates: anonymize" in (tools["ashby_write_destructive"].description or "")
    assert "anonymize(" not in (tools["ashby_write"].description or "")
    assert "read-only" not in (tools["ashby_write"].description or "")
    with pytest.raises(MCPConfigurationError, match="Unknown ASHBY_AGENT_ACCESS level 'all'"):
        backend_from_env({"ASHBY_API_KEY": "k", "ASHBY_AGENT_ACCESS": "all"})


@pytest.fixture
def token_server(sandbox: Any) -> Iterator[str]:
    with serving_http({**_env(sandbox), "ASHBY_AGENT_MCP_TOKEN": "mcp-s3cret"}) as url:
        yield url


async def test_with_a_token_the_http_server_lists_no_tool_without_it(token_server: str, sandbox: Any) -> None:
    import httpx

    async with Client(token_server, auth="mcp-s3cret") as client:
        (tool,) = await client.list_tools()
        assert tool.name == "ashby_execute"
    async with httpx.AsyncClient() as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            refused = await http.post(
                token_server,
                json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                headers={**headers, "Accept": "application/json, text/event-stream"},
            )
            assert refused.status_code == 401
            assert "ashby_execute" not in refused.text


def test_binding_beyond_loopback_without_a_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASHBY_AGENT_MCP_TOKEN", raising=False)
    with pytest.raises(MCPConfigurationError, match="set ASHBY_AGENT_MCP_TOKEN"):
        run_mcp("http", host="0.0.0.0", spec=backend_from_env({"ASHBY_API_KEY": "k"}), discover=False)
