"""Verbs that are clients of a running hosted service (``connectors``, ``workspaces``): the admin client
built from the environment, and its errors turned into one line."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from ashby_agent.cli.output import USAGE, fail

if TYPE_CHECKING:
    from ashby_agent.hosted.admin import HostedAdminClient

__all__ = ["EPILOG", "run_hosted"]

T = TypeVar("T")

#: Said in the help of every command that calls the service.
EPILOG = (
    "Authenticates with AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET (an API client from "
    "`ashby-agent admin create-client`), and AIRBYTE_ORGANIZATION_ID for a client of several "
    "organizations, against the service at ASHBY_AGENT_API_URL (default http://127.0.0.1:8000, "
    "started with `ashby-agent serve`)."
)


def run_hosted(work: Callable[[HostedAdminClient], Awaitable[T]]) -> T:
    """Run ``work(client)`` against the service named by the environment; errors become one line."""
    from pydantic import ValidationError

    from ashby_agent.errors import AshbyAgentError
    from ashby_agent.hosted.admin import HostedAdminClient

    async def run() -> T:
        async with HostedAdminClient() as client:
            return await work(client)

    try:
        return asyncio.run(run())
    except ValidationError as exc:  # the environment's credentials are missing
        fail(exc.errors()[0]["msg"], USAGE)
    except AshbyAgentError as exc:
        fail(f"{type(exc).__name__}: {exc}")
