"""``ashby-agent execute``: one operation against Ashby (or a sandbox), printed as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated, Any

import typer

from ashby_agent.cli.output import USAGE, fail

__all__ = ["execute"]


def execute(
    entity: Annotated[str, typer.Argument(help="Entity, e.g. candidates (see docs/REFERENCE.md).")],
    action: Annotated[str, typer.Argument(help="list, get or api_search.")],
    params: Annotated[str, typer.Argument(help="JSON object of params.")] = "{}",
    api_key: Annotated[
        str | None,
        typer.Option(envvar="ASHBY_API_KEY", help="The Ashby API key (a sandbox key for the sandbox)."),
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option(
            envvar="ASHBY_API_URL",
            help="Ashby's base URL; the sandbox's for the sandbox. (default: https://api.ashbyhq.com)",
        ),
    ] = None,
) -> None:
    """Run one operation and print the result as JSON."""
    try:
        parsed = json.loads(params)
    except json.JSONDecodeError as exc:
        fail(f"params is not valid JSON ({exc.msg}); pass an object, e.g. '{{\"limit\": 5}}'.", USAGE)
    if not isinstance(parsed, dict):
        fail("params must be a JSON object, e.g. '{\"limit\": 5}'.", USAGE)
    if not api_key or not api_key.strip():
        fail(
            "ASHBY_API_KEY is not set: export your Ashby API key (or the key `ashby-agent sandbox` "
            "prints), or pass --api-key.",
            USAGE,
        )
    from ashby_agent.errors import AshbyAgentError

    try:
        result = asyncio.run(_execute(api_key, api_url, entity, action, parsed))
    except AshbyAgentError as exc:
        fail(f"{type(exc).__name__}: {exc}")
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


async def _execute(key: str, base_url: str | None, entity: str, action: str, params: dict[str, Any]) -> Any:
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    async with AshbyConnector(AshbyAuthConfig(api_key=key), base_url=base_url or None) as connector:
        result = await connector.execute(entity, action, params)
        return result.model_dump(mode="json", by_alias=True, exclude_none=True)
