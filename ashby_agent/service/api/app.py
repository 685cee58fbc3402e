"""The ASGI app, assembled explicitly: the endpoint declarations of each ``routes`` module (and the
unauthenticated ``/health`` probe beside ``/openapi.json``, and MCP at ``/mcp/{workspace_name}``, which
is not REST and so not in the document), one middleware (body size limit), one error
mapper, and a lifespan that opens the database (running migrations), starts the sync scheduler (syncs
in-process on SQLite, the job queue on PostgreSQL) and closes both with the connector pool.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ashby_agent._version import __version__
from ashby_agent.service.api import mcp
from ashby_agent.service.api.errors import exception_handlers, json_response
from ashby_agent.service.api.openapi import openapi_document
from ashby_agent.service.api.routes import (
    connectors,
    execute,
    health,
    replication,
    tokens,
    webhooks,
    workspaces,
)
from ashby_agent.service.api.routing import BodyLimitMiddleware, Endpoint, to_route
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.jobs.engine import start_scheduler
from ashby_agent.service.state import ServiceState

__all__ = ["ENDPOINTS", "create_app"]

ENDPOINTS: tuple[Endpoint, ...] = (
    *tokens.ENDPOINTS,
    *workspaces.ENDPOINTS,
    *connectors.ENDPOINTS,
    *execute.ENDPOINTS,
    *replication.ENDPOINTS,
    *webhooks.ENDPOINTS,
)


def create_app(settings: ServiceSettings | None = None) -> Starlette:
    """The hosted API for ``settings`` (default: from the environment); the database opens on startup."""
    settings = settings or ServiceSettings.from_env()
    document = openapi_document(ENDPOINTS, __version__)
    document["paths"] = {**health.OPENAPI_PATHS, **document["paths"]}

    async def openapi(_request: Request) -> Response:
        return json_response(document)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state = await anyio.to_thread.run_sync(ServiceState.open, settings)
        app.state.service = state
        try:
            await start_scheduler(state)
            yield
        finally:
            await state.aclose()

    # Starlette tries each route's pattern in turn: the hot one (execute) goes first. No other pattern
    # matches its paths, so the order changes no answer.
    return Starlette(
        routes=[
            *(to_route(endpoint) for endpoint in execute.ENDPOINTS),
            Route("/openapi.json", openapi, methods=["GET"]),
            *health.ROUTES,
            *(to_route(endpoint) for endpoint in ENDPOINTS if endpoint not in execute.ENDPOINTS),
            *mcp.ROUTES,
        ],
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)],
        exception_handlers=exception_handlers(),
        lifespan=lifespan,
    )
