"""``ashby-agent mcp``: the connector as an MCP server (stdio or streamable HTTP)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ashby_agent.cli.output import USAGE, fail

__all__ = ["EPILOG", "mcp"]

EPILOG = (
    "Local mode reads ASHBY_API_KEY (and ASHBY_API_URL for a sandbox or proxy). Hosted mode reads "
    "AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET, AIRBYTE_WORKSPACE_NAME (or --workspace), "
    "AIRBYTE_ORGANIZATION_ID (clients of several organizations) and ASHBY_AGENT_API_URL "
    "(default http://127.0.0.1:8000). ASHBY_AGENT_ACCESS (read, comment, write) sets the writes the tool "
    "offers in local mode, ASHBY_AGENT_REDACT (e.g. emails,phones) the personal data kept from its "
    "answers, and ASHBY_AGENT_MCP_TOKEN the bearer token HTTP clients must send."
)


def mcp(
    transport: Annotated[
        str, typer.Option(help="stdio (for desktop MCP clients) or http (streamable HTTP).")
    ] = "stdio",
    host: Annotated[
        str,
        typer.Option(
            help="Interface for --transport http; beyond 127.0.0.1 only with ASHBY_AGENT_MCP_TOKEN set."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for --transport http, 1-65535.")] = 8000,
    workspace: Annotated[
        str | None,
        typer.Option(help="Hosted mode: the end customer's workspace (else AIRBYTE_WORKSPACE_NAME)."),
    ] = None,
) -> None:
    """Serve the connector as an MCP server (local mode with an Ashby key, or hosted mode)."""
    from ashby_agent.tools.mcp_server import WORKSPACE_ENV, MCPConfigurationError, run_mcp

    if transport not in ("stdio", "http"):
        fail(f"--transport must be stdio or http, got {transport!r}.", USAGE)
    if not 1 <= port <= 65535:
        fail(f"--port must be between 1 and 65535, got {port}.", USAGE)
    if workspace:
        os.environ[WORKSPACE_ENV] = workspace
    try:
        run_mcp("stdio" if transport == "stdio" else "http", host=host, port=port)
    except MCPConfigurationError as exc:
        fail(str(exc), USAGE)
