"""A ready MCP server (FastMCP) exposing the Ashby connector as one read-only tool, ``ashby_execute``.

Run it with ``run_mcp("stdio")`` / ``run_mcp("http", host, port)`` or
``python -m ashby_agent.tools.mcp_server [--transport stdio|http] [--host H] [--port P]``.

Where the data comes from is a :class:`BackendSpec`: a mode and a factory of something with
``async execute(entity, action, params)`` and ``aclose()``. :func:`backend_from_env` tries the
factories in :data:`BACKEND_FACTORIES` in order; today that is local mode (``ASHBY_API_KEY``, and
``ASHBY_API_URL`` for a sandbox or proxy). Hosted mode registers its own factory there.

The backend is created on first use inside the server's event loop and closed when the server stops.
At startup the key's scopes are read once (``apiKey.info``) so the tool lists only what the key may
read; if that fails the full catalog is listed and Ashby's answers say what is not allowed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from ashby_agent.connectors.ashby.catalog import operations
from ashby_agent.connectors.ashby.guardrails import (
    ACCESS_ENV,
    OPERATION_KINDS,
    OperationKind,
    allows,
    kind_of,
    resolve_access,
)
from ashby_agent.connectors.ashby.operation import Access
from ashby_agent.connectors.ashby.store_actions import STORE_ENV
from ashby_agent.errors import AshbyAgentError, InvalidRequestError
from ashby_agent.tools.decorator import tool_utils
from ashby_agent.tools.description import DEFAULT_MAX_OUTPUT_CHARS, Mode
from ashby_agent.tools.frameworks import MissingFrameworkError, require_framework
from ashby_agent.tools.redaction import REDACT_ENV, Redaction

if TYPE_CHECKING:
    from fastmcp import FastMCP

__all__ = [
    "BACKEND_FACTORIES",
    "TOOL_ANNOTATIONS",
    "Backend",
    "BackendSpec",
    "MCPConfigurationError",
    "backend_from_env",
    "build_server",
    "local_backend",
    "main",
    "run_mcp",
]

logger = logging.getLogger("ashby_agent.tools.mcp")

Transport = Literal["stdio", "http"]
TOOL_NAME = "ashby_execute"

#: MCP tool annotations of a read-only tool: every operation it lists reads the Ashby API (an open world).
TOOL_ANNOTATIONS: dict[str, Any] = {
    "title": "Ashby ATS (read-only)",
    "readOnlyHint": True,
    "destructiveHint": False,
    "idempotentHint": True,
    "openWorldHint": True,
}


#: The tools by the kind of operation they run (MCP annotates a tool, not an action): the writes a
#: connector's access level admits come as tools of their own, so that each tool's hints are true.
TOOLS: Final[dict[OperationKind, tuple[str, str]]] = {
    "read": (TOOL_NAME, "Ashby ATS (read-only)"),
    "write": ("ashby_write", "Ashby ATS writes (notes, tags, updates)"),
    "destructive": ("ashby_write_destructive", "Ashby ATS destructive writes (archive, anonymize, delete)"),
}


def tool_annotations(kind: OperationKind, access: Access = "write") -> dict[str, Any]:
    """The annotations of the tool of ``kind``: reads are read-only and idempotent; writes are not
    read-only, idempotent only if every write the level admits is; destructive ones say so."""
    if kind == "read":
        return TOOL_ANNOTATIONS
    ops = [op for op in operations() if allows(access, op) and kind_of(op) == kind]
    return {
        "title": TOOLS[kind][1],
        "readOnlyHint": False,
        "destructiveHint": kind == "destructive",
        "idempotentHint": bool(ops) and all(op.idempotent for op in ops),
        "openWorldHint": True,
    }


def tool_kinds(access: Access) -> list[OperationKind]:
    """The tools a server at ``access`` offers: reads, and each kind of write the level admits."""
    return [
        kind
        for kind in OPERATION_KINDS
        if kind == "read" or any(allows(access, op) and kind_of(op) == kind for op in operations())
    ]


class Backend(Protocol):
    """What the MCP tool calls: an ``AshbyConnector`` in local or hosted mode, or anything alike."""

    async def execute(self, entity: str, action: str, params: Mapping[str, Any] | None = None) -> Any: ...

    async def aclose(self) -> None: ...


class MCPConfigurationError(ValueError):
    """No backend could be configured from the environment; the message names the variables to set."""


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """A backend factory, its mode, and the key's scopes when known (``None``: list everything)."""

    mode: Mode
    factory: Callable[[], Backend]
    scopes: Sequence[str] | None = None
    #: Reads the key's scopes with a fresh backend (``None`` when this backend cannot tell).
    discover: Callable[[Backend], Any] | None = None
    #: Whether the context store's actions are offered (hosted mode; local mode with a store set).
    context_store: bool = False
    #: The writes the tool offers (local mode: ``ASHBY_AGENT_ACCESS``; hosted mode: reads only).
    access: Access = "read"
    #: Personal data replaced in every answer (``ASHBY_AGENT_REDACT``, comma-separated).
    redact: str = ""


async def _key_scopes(backend: Backend) -> list[str]:
    """The scopes of the backend's key (``apiKey.info``), in local and hosted mode alike."""
    key = await backend.check()  # type: ignore[attr-defined]
    return list(key.scopes)


def local_backend(environ: Mapping[str, str]) -> BackendSpec | None:
    """Local mode from ``ASHBY_API_KEY`` (and ``ASHBY_API_URL``), or ``None`` when no key is set."""
    api_key = environ.get("ASHBY_API_KEY", "").strip()
    if not api_key:
        return None
    base_url = environ.get("ASHBY_API_URL") or None
    store = environ.get(STORE_ENV) or None

    def factory() -> Backend:
        from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

        auth = AshbyAuthConfig(api_key=api_key)
        return AshbyConnector(auth_config=auth, base_url=base_url, context_store=store, access=access)

    try:
        access = resolve_access(environ.get(ACCESS_ENV) or "read", ACCESS_ENV)
    except InvalidRequestError as exc:
        raise MCPConfigurationError(exc.message) from None
    return BackendSpec(
        "local",
        factory,
        discover=_key_scopes,
        context_store=store is not None,
        access=access,
        redact=_redaction(environ),
    )


def _redaction(environ: Mapping[str, str]) -> str:
    """``ASHBY_AGENT_REDACT``, checked now so that a typo stops the server with the valid names."""
    spec = environ.get(REDACT_ENV, "")
    try:
        Redaction.parse(spec)
    except ValueError as exc:
        raise MCPConfigurationError(f"{REDACT_ENV}: {exc}") from None
    return spec


WORKSPACE_ENV = "AIRBYTE_WORKSPACE_NAME"


def hosted_backend(environ: Mapping[str, str]) -> BackendSpec | None:
    """Hosted mode from ``AIRBYTE_CLIENT_ID`` / ``AIRBYTE_CLIENT_SECRET`` and ``AIRBYTE_WORKSPACE_NAME``."""
    client_id = environ.get("AIRBYTE_CLIENT_ID", "").strip()
    client_secret = environ.get("AIRBYTE_CLIENT_SECRET", "").strip()
    workspace = environ.get(WORKSPACE_ENV, "").strip()
    if not (client_id and client_secret):
        return None
    if not workspace:
        raise MCPConfigurationError(
            f"Hosted mode needs the end customer's workspace: set {WORKSPACE_ENV} (or pass --workspace)."
        )

    def factory() -> Backend:
        from ashby_agent.connectors.ashby import AshbyConnector
        from ashby_agent.types import AirbyteAuthConfig

        auth = AirbyteAuthConfig(
            workspace_name=workspace,
            airbyte_client_id=client_id,
            airbyte_client_secret=client_secret,
            organization_id=environ.get("AIRBYTE_ORGANIZATION_ID") or None,
            api_url=environ.get("ASHBY_AGENT_API_URL") or None,
        )
        return AshbyConnector(auth_config=auth)

    return BackendSpec(
        "hosted", factory, discover=_key_scopes, context_store=True, redact=_redaction(environ)
    )


#: Tried in order by :func:`backend_from_env`: local mode first, then hosted mode.
BACKEND_FACTORIES: list[Callable[[Mapping[str, str]], BackendSpec | None]] = [local_backend, hosted_backend]


def backend_from_env(environ: Mapping[str, str] | None = None) -> BackendSpec:
    """The first backend the environment configures, or :class:`MCPConfigurationError`."""
    env = os.environ if environ is None else environ
    for factory in BACKEND_FACTORIES:
        spec = factory(env)
        if spec is not None:
            return spec
    raise MCPConfigurationError(
        "No Ashby credentials: set ASHBY_API_KEY (local mode; ASHBY_API_URL points at a sandbox or proxy), "
        f"or AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET and {WORKSPACE_ENV} (hosted mode)."
    )


async def discover_scopes(spec: BackendSpec) -> Sequence[str] | None:
    """The key's scopes via a short-lived backend, or ``None`` if they cannot be read."""
    if spec.discover is None:
        return None
    backend = spec.factory()
    try:
        scopes: Sequence[str] = await spec.discover(backend)
    except AshbyAgentError as exc:
        logger.warning("Could not read the API key's scopes (%s); listing the whole catalog.", exc.kind)
        return None
    finally:
        await backend.aclose()
    return scopes


class _LazyBackend:
    """Creates the backend on first use (inside the server's loop) and closes it at shutdown."""

    def __init__(self, factory: Callable[[], Backend]) -> None:
        self._factory = factory
        self._backend: Backend | None = None

    def get(self) -> Backend:
        if self._backend is None:
            self._backend = self._factory()
        return self._backend

    async def aclose(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            await backend.aclose()


#: The bearer token the HTTP transport requires when set (from the environment, never the command
#: line, where other users of the machine could read it).
TOKEN_ENV: Final = "ASHBY_AGENT_MCP_TOKEN"
_LOOPBACK: Final = frozenset({"127.0.0.1", "::1", "localhost"})


def _bearer(token: str) -> Any:
    """A FastMCP token verifier that accepts exactly ``token`` (compared in constant time)."""
    import hmac

    from fastmcp.server.auth import AccessToken, TokenVerifier

    expected = token.encode()

    class _Bearer(TokenVerifier):
        async def verify_token(self, token: str) -> AccessToken | None:
            if hmac.compare_digest(token.encode(), expected):
                return AccessToken(token=token, client_id="ashby-agent-mcp", scopes=[])
            return None

    return _Bearer()


def build_server(
    spec: BackendSpec,
    *,
    name: str = "Ashby Agent",
    max_output_chars: int = DEFAULT_MAX_OUTPUT_CHARS,
    token: str | None = None,
) -> FastMCP:
    """A FastMCP server with the ``ashby_execute`` tool over ``spec``'s backend; with ``token``, HTTP
    clients must send it as ``Authorization: Bearer <token>``."""
    require_framework("fastmcp")  # MissingFrameworkError names the pip extra
    from fastmcp import FastMCP

    holder = _LazyBackend(spec.factory)

    @asynccontextmanager
    async def lifespan(server: FastMCP) -> AsyncIterator[dict[str, Any]]:
        try:
            yield {}
        finally:
            await holder.aclose()

    reach = "Read-only access" if spec.access == "read" else f"Access ({spec.access} level)"
    mcp = FastMCP(
        name,
        instructions=f"{reach} to the Ashby ATS. Call ashby_execute; its description lists "
        "the entities, actions and params.",
        lifespan=lifespan,
        auth=_bearer(token) if token else None,
    )

    for kind in tool_kinds(spec.access):
        _add_tool(mcp, holder, spec, kind, max_output_chars)
    return mcp


def _add_tool(
    mcp: FastMCP, holder: _LazyBackend, spec: BackendSpec, kind: OperationKind, budget: int
) -> None:
    @tool_utils(
        framework="fastmcp",
        mode=spec.mode,
        scopes=spec.scopes,
        max_output_chars=budget,
        context_store=spec.context_store,
        access=spec.access,
        redact=spec.redact,
        kinds=[kind],
    )
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        return await holder.get().execute(entity, action, params or {})

    name, title = TOOLS[kind]
    mcp.tool(
        ashby_execute,
        name=name,
        title=title,
        annotations=tool_annotations(kind, spec.access),
        output_schema=None,
    )


def run_mcp(
    transport: Transport = "stdio",
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    path: str = "/mcp",
    spec: BackendSpec | None = None,
    discover: bool = True,
    max_output_chars: int = DEFAULT_MAX_OUTPUT_CHARS,
) -> None:
    """Serve the Ashby MCP server until interrupted (``stdio``, or streamable HTTP on ``host:port/path``)."""
    if transport not in ("stdio", "http"):
        raise ValueError(f"transport must be 'stdio' or 'http', got {transport!r}")
    try:
        require_framework("fastmcp")
    except MissingFrameworkError as exc:  # the CLI prints configuration errors without a traceback
        raise MCPConfigurationError(str(exc)) from None
    token = os.environ.get(TOKEN_ENV) or None
    if transport == "http" and token is None and host not in _LOOPBACK:
        raise MCPConfigurationError(
            f"Serving MCP on {host} would let anyone who reaches it use the Ashby key: set {TOKEN_ENV} "
            "(clients then send it as a bearer token) or bind 127.0.0.1."
        )
    spec = spec or backend_from_env()
    if discover and spec.scopes is None:
        spec = replace(spec, scopes=asyncio.run(discover_scopes(spec)))
    mcp = build_server(spec, max_output_chars=max_output_chars, token=token if transport == "http" else None)
    if transport == "stdio":
        mcp.run("stdio", show_banner=False)
    else:
        mcp.run("http", show_banner=False, host=host, port=port, path=path)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m ashby_agent.tools.mcp_server``: the same options as ``ashby-agent mcp``."""
    parser = argparse.ArgumentParser(prog="python -m ashby_agent.tools.mcp_server", description=__doc__)
    parser.add_argument("--transport", choices=("stdio", "http"), default="stdio")
    parser.add_argument("--host", default="127.0.0.1", help=f"Beyond 127.0.0.1 only with {TOKEN_ENV} set.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--path", default="/mcp")
    parser.add_argument("--no-discover", action="store_true", help="Do not read the key's scopes at startup.")
    args = parser.parse_args(argv)
    try:
        run_mcp(args.transport, args.host, args.port, path=args.path, discover=not args.no_discover)
    except MCPConfigurationError as exc:
        parser.exit(2, f"error: {exc}\n")


if __name__ == "__main__":
    main()
