"""The ``ashby-agent`` command line: a thin layer of typer commands over the library."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ashby_agent.cli_hosted import register as register_hosted

__all__ = ["app", "main"]

app = typer.Typer(
    name="ashby-agent",
    help="Safe, fast, typed access to the Ashby ATS for AI agents.",
    no_args_is_help=True,
    add_completion=False,
)
docs_app = typer.Typer(help="Generated documentation.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")
register_hosted(app)

console = Console()
err_console = Console(stderr=True)


@app.command()
def sandbox(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 = any free port).")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed of the generated data (same seed, same data).")] = 7,
    scale: Annotated[
        str, typer.Option(help="small (~500 candidates), medium (~10k) or large (>=100k).")
    ] = "small",
    api_key: Annotated[
        list[str] | None,
        typer.Option(
            "--api-key",
            help="KEY or KEY:scope1,scope2 (e.g. k1:candidates:read,jobs:read); repeatable. "
            "Without one, a full-permission key is generated and printed.",
        ),
    ] = None,
) -> None:
    """Run the local Ashby API simulator (same paths, envelopes and errors as api.ashbyhq.com)."""
    from ashby_agent.sandbox import serve_sandbox

    if scale not in ("small", "medium", "large"):
        raise typer.BadParameter("scale must be small, medium or large", param_hint="--scale")
    serve_sandbox(host=host, port=port, seed=seed, scale=scale, api_keys=api_key or None)


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the sandbox data.")] = 7,
    scale: Annotated[str, typer.Option(help="Sandbox scale: small, medium or large.")] = "small",
) -> None:
    """Start the sandbox in-process and tour it through the connector."""
    from ashby_agent.demo import run_demo

    asyncio.run(run_demo(console, seed=seed, scale=scale))


@app.command()
def execute(
    entity: Annotated[str, typer.Argument(help="Entity, e.g. candidates (see docs/REFERENCE.md).")],
    action: Annotated[str, typer.Argument(help="list, get or api_search.")],
    params: Annotated[str, typer.Argument(help="JSON object of params.")] = "{}",
) -> None:
    """Run one operation against ASHBY_API_URL with ASHBY_API_KEY and print the result as JSON."""
    from ashby_agent.errors import AshbyAgentError

    try:
        parsed = json.loads(params)
    except json.JSONDecodeError as exc:
        err_console.print(f"[red]params is not valid JSON:[/] {exc.msg} (e.g. '{{\"limit\": 5}}')")
        raise typer.Exit(2) from None
    if not isinstance(parsed, dict):
        err_console.print("[red]params must be a JSON object[/], e.g. '{\"limit\": 5}'")
        raise typer.Exit(2)
    key = os.environ.get("ASHBY_API_KEY", "")
    if not key.strip():
        err_console.print("[red]ASHBY_API_KEY is not set.[/] Export your Ashby API key (or a sandbox key).")
        raise typer.Exit(2)
    try:
        result = asyncio.run(_execute(key, entity, action, parsed))
    except AshbyAgentError as exc:
        err_console.print(f"[red]{type(exc).__name__}:[/] {exc}")
        raise typer.Exit(1) from None
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


async def _execute(key: str, entity: str, action: str, params: dict[str, Any]) -> Any:
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    async with AshbyConnector(AshbyAuthConfig(api_key=key)) as connector:
        result = await connector.execute(entity, action, params)
        return result.model_dump(mode="json", by_alias=True, exclude_none=True)


@app.command()
def mcp(
    transport: Annotated[
        str, typer.Option(help="stdio (for desktop MCP clients) or http (streamable HTTP).")
    ] = "stdio",
    host: Annotated[str, typer.Option(help="Interface for --transport http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for --transport http.")] = 8000,
    workspace: Annotated[
        str | None,
        typer.Option(help="Hosted mode: the end customer's workspace (else AIRBYTE_WORKSPACE_NAME)."),
    ] = None,
) -> None:
    """Serve the connector as an MCP server (local mode: ASHBY_API_KEY; hosted: AIRBYTE_CLIENT_ID/SECRET)."""
    from ashby_agent.tools.mcp_server import WORKSPACE_ENV, MCPConfigurationError, run_mcp

    if transport not in ("stdio", "http"):
        raise typer.BadParameter("transport must be stdio or http", param_hint="--transport")
    if workspace:
        os.environ[WORKSPACE_ENV] = workspace
    try:
        run_mcp("stdio" if transport == "stdio" else "http", host=host, port=port)
    except MCPConfigurationError as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None


@docs_app.command("reference")
def docs_reference(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Render docs/REFERENCE.md from the operation catalog."""
    from ashby_agent.reference_doc import render_reference

    text = render_reference()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
