"""``/mcp/{workspace_name}``: the MCP tools of one workspace (``ashby_execute``, and the write tools its
connector's access level admits), over streamable HTTP.

An MCP host connects to the service directly with the same bearer tokens as the REST API (application
or scoped tokens). Each HTTP request is authenticated before MCP sees it: no token, a bad token or a
workspace outside the token's scope is answered with the service's error envelope (401, or the 404 of a
missing workspace), so no tool is listed to anyone who may not call it.

The tools are the local MCP server's (:func:`~ashby_agent.tools.mcp_server.build_server`, hosted mode,
with the context store), at the access level of the workspace's Ashby connector. Their backend
is a hosted-mode ``AshbyConnector`` whose HTTP goes to this very app in-process (``httpx``'s ASGI
transport) with the caller's own token: every call is ``POST .../connectors/{id}/execute``, so
authentication, the rate limit, tenancy, the access level, redaction and the audit log apply exactly
as they do over REST, and the service's errors come back as the same typed exceptions as hosted mode.

The MCP transport is stateless (a fresh server per HTTP request, JSON answers): nothing about a caller
outlives its request, and any process of a deployment can answer any request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

import httpx
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ashby_agent.connectors.ashby.connector import AshbyConnector
from ashby_agent.connectors.ashby.operation import Access
from ashby_agent.errors import HostedServiceError
from ashby_agent.hosted.client import HostedClient
from ashby_agent.retry import RetryPolicy
from ashby_agent.service.api.errors import shown
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.security.authentication import authenticate
from ashby_agent.service.state import ServiceState
from ashby_agent.service.store import connectors
from ashby_agent.service.store.schema import workspaces
from ashby_agent.service.store.scope import Scope as TenantScope
from ashby_agent.service.store.scope import visible_workspaces
from ashby_agent.tools.frameworks import MissingFrameworkError
from ashby_agent.tools.mcp_server import Backend, BackendSpec, build_server
from ashby_agent.transports.hosted import HostedTransport
from ashby_agent.types import AirbyteAuthConfig
from ashby_agent.wire import ASHBY_DEFINITION_ID, ID_PATTERN, control_character_free

__all__ = ["MCP_PATH", "ROUTES", "HostedMCP"]

MCP_PATH: Final = "/mcp/{workspace_name}"
#: The base URL of in-process calls (never resolved: the ASGI transport answers them).
_LOOPBACK_URL: Final = "http://ashby-agent.internal"
#: Placeholders for the credentials hosted mode would exchange for a token: the caller's token is used.
_UNUSED: Final = "in-process"
_ID: Final = re.compile(ID_PATTERN)


@dataclass(frozen=True, slots=True)
class _Target:
    """The workspace a request names and the Ashby connector its tool executes on (if it has one)."""

    workspace_name: str
    connector_id: str | None
    access: Access


def _find_target(
    connection: Connection, scope: TenantScope, workspace_name: str, connector_id: str | None
) -> _Target:
    """The workspace by name within the token's scope (else the 404 of a missing workspace, as the REST
    API answers for another tenant's) and its oldest Ashby connector, or ``?connector_id=`` of it."""
    query = visible_workspaces(scope).where(workspaces.c.name == workspace_name)
    workspace = connection.execute(query).first()
    if workspace is None:
        raise ServiceError.not_found("Workspace", shown(workspace_name))
    rows = [
        row
        for row in connectors.list_visible(connection, scope, workspace_id=workspace.id)
        if row.definition_id == ASHBY_DEFINITION_ID
    ]
    if connector_id is not None:
        rows = [row for row in rows if row.id == connector_id]
        if not rows:
            raise ServiceError.not_found("Connector", shown(connector_id))
    if not rows:
        return _Target(workspace_name, None, "read")
    return _Target(workspace_name, str(rows[0].id), rows[0].access or "read")


class _CallerClient(HostedClient):
    """A hosted-mode client that sends the MCP caller's own bearer token instead of fetching one."""

    def __init__(self, bearer: str, auth: AirbyteAuthConfig, **options: Any) -> None:
        super().__init__(auth, **options)
        self._bearer = bearer

    async def token(self) -> str:
        return self._bearer


class _LoopbackTransport(HostedTransport):
    """Hosted mode's transport, answered by this app in-process; one request's caller, no retries (the
    service already retries Ashby, and the MCP host decides about retrying its own call)."""

    def __init__(self, app: ASGIApp, bearer: str, target: _Target, client: tuple[str, int]) -> None:
        auth = AirbyteAuthConfig(
            workspace_name=target.workspace_name,
            airbyte_client_id=_UNUSED,
            airbyte_client_secret=_UNUSED,
            connector_id=target.connector_id,
            api_url=_LOOPBACK_URL,
        )
        asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=client)
        self.client = _CallerClient(bearer, auth, http_transport=asgi, retry=RetryPolicy.none())
        self.base_url = _LOOPBACK_URL


class _NoConnector:
    """The backend of a workspace without an Ashby connector: every call says how to create one."""

    def __init__(self, workspace_name: str) -> None:
        self._workspace_name = workspace_name

    async def execute(self, entity: str, action: str, params: Any = None) -> Any:
        raise HostedServiceError(
            f"Workspace {self._workspace_name!r} has no Ashby connector, so there is nothing to run "
            f"{entity} {action} on. Create one with POST /api/v1/integrations/connectors (or "
            "`ashby-agent connectors create`), then call again.",
            status=404,
            code="connector_not_found",
        )

    async def aclose(self) -> None:
        return None


def _caller_token(request: Request) -> str:
    """The bearer token :func:`authenticate` has just verified."""
    return request.headers["authorization"].partition(" ")[2].strip()


def _connector_query(request: Request) -> str | None:
    """``?connector_id=``: which of several Ashby connectors of the workspace (default: the oldest)."""
    params = request.query_params
    value = params.get("connector_id")
    if value is None:
        return None
    if len(params.getlist("connector_id")) > 1:
        message = "Query parameter 'connector_id' is given more than once."
        raise ServiceError(422, message, code="repeated", field="connector_id")
    if not _ID.fullmatch(value):
        raise ServiceError.not_found("Connector", shown(value))
    return value


class HostedMCP:
    """The ASGI endpoint of ``/mcp/{workspace_name}``: authenticate, find the workspace's connector,
    then hand the request to a stateless FastMCP app whose tools execute as the caller."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        service_app: ASGIApp = request.app
        state: ServiceState = request.app.state.service
        principal = await authenticate(request, state, "any")
        name = str(request.path_params["workspace_name"])
        if not control_character_free(name):
            raise ServiceError.not_found("Workspace", shown(name))
        connector_id = _connector_query(request)
        target = await state.run(lambda c: _find_target(c, principal.scope, name, connector_id))
        bearer = _caller_token(request)
        client = scope.get("client") or ("127.0.0.1", 0)

        def backend() -> Backend:
            if target.connector_id is None:
                return _NoConnector(target.workspace_name)
            transport = _LoopbackTransport(service_app, bearer, target, (client[0], client[1]))
            return AshbyConnector(transport=transport, access="read")  # the service enforces the level

        spec = BackendSpec("hosted", backend, context_store=True, access=target.access)
        try:
            server = build_server(spec, name=f"Ashby Agent ({shown(name)})")
        except MissingFrameworkError as exc:  # fastmcp is an extra; the REST API works without it
            raise ServiceError(501, str(exc), code="mcp_unavailable") from None
        app = server.http_app(path="/", stateless_http=True, json_response=True)
        inner: Scope = {**scope, "path": "/", "raw_path": b"/", "root_path": ""}
        async with app.router.lifespan_context(app):
            await app(inner, receive, send)


ROUTES: Final = (Route(MCP_PATH, HostedMCP(), methods=["GET", "POST", "DELETE"], name="mcp"),)
