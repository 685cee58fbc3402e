"""FastMCP + ashby-agent: the Airbyte agent connector API's FastMCP tool, called by a scripted MCP client
against the local sandbox.

No LLM and no network: the in-memory ``Client`` plays the model's MCP host. To serve the tool to a real
host (Claude Desktop, an IDE, ...), run ``ashby-agent mcp`` / ``python -m ashby_agent.tools.mcp_server``
(see docs/mcp.md), or ``mcp.run()`` on the server below.

Run: python examples/fastmcp_example.py
"""

from __future__ import annotations

import asyncio
import json

from fastmcp import Client, FastMCP

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.sandbox import run_sandbox


async def main(url: str, api_key: str) -> str:
    connector = AshbyConnector(auth_config=AshbyAuthConfig(api_key=api_key), base_url=url)
    mcp = FastMCP("Ashby Agent")

    @mcp.tool
    @AshbyConnector.tool_utils(framework="fastmcp")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    lines = []
    try:
        async with Client(mcp) as client:
            (tool,) = await client.list_tools()
            lines.append(f"tool {tool.name}: {len(tool.description or '')} chars of description")
            page = await client.call_tool(
                "ashby_execute",
                {
                    "entity": "offers",
                    "action": "list",
                    "params": {"limit": 3, "fields": ["id", "offer_status"]},
                },
            )
            lines.append("offers: " + json.dumps(json.loads(page.content[0].text)["data"]))
            wrong = await client.call_tool(
                "ashby_execute", {"entity": "offers", "action": "find"}, raise_on_error=False
            )
            lines.append(f"mistake -> isError={wrong.is_error}: {wrong.content[0].text}")
    finally:
        await connector.aclose()
    return "\n".join(lines)


if __name__ == "__main__":
    with run_sandbox(seed=7, scale="small") as sandbox:
        print(asyncio.run(main(sandbox.url, sandbox.api_key)))
