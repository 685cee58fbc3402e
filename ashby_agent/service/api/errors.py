"""The one error mapper: every failure leaves the service as ``{"message", "errors": [...]}``.

Handlers raise :class:`ServiceError` (or let a connector error through); :func:`exception_handlers`
turns those, Starlette's own HTTP errors (unknown route, wrong method) and anything unexpected (masked
as 500, logged without request data) into the envelope. Connector errors map as documented in
``docs/service.md``::

    InvalidRequestError (unknown entity/action, bad params)      422  kind as error_code
    AshbyValidationError, CursorError, SyncTokenError            422  Ashby's code
    NotFoundError (e.g. candidate_not_found)                     404  Ashby's code
    RateLimitError                                                429  Retry-After from Ashby
    AuthenticationError, PermissionDeniedError, ServerError,      502  Ashby's code (or the kind)
    TransportError, other AshbyAPIError

A rejected key is the connector's *stored* key, so its message says how to replace that key through the
service (not local mode's ``ASHBY_API_KEY``). A 405 lists in ``Allow`` every method of the path, and a
client that disconnected is answered 499 and logged at INFO (nobody is there to read the answer).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any, Final

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Match

from ashby_agent.errors import (
    AccessDeniedError,
    AshbyAgentError,
    AshbyAPIError,
    AuthenticationError,
    EntityNotSyncedError,
    InvalidParamsError,
    InvalidQueryError,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    UnknownActionError,
    UnknownEntityError,
)
from ashby_agent.service.exceptions import ErrorItem, ServiceError
from ashby_agent.wire import control_character_free

__all__ = [
    "CLIENT_CLOSED_REQUEST",
    "client_gone",
    "error_response",
    "exception_handlers",
    "from_connector_error",
    "json_response",
    "rejected_key_message",
    "shown",
]

_LOG = logging.getLogger("ashby_agent.service")
#: The status logged for a request whose client went away first (nobody reads the answer).
CLIENT_CLOSED_REQUEST: Final = 499


def shown(value: str, limit: int = 64) -> str:
    """Request text (a path, an id) safe to put in a message: short, control characters escaped."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return text if control_character_free(text) else repr(text)[1:-1]


def json_response(content: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(orjson.dumps(content), status_code=status, headers=headers, media_type="application/json")


def error_response(error: ServiceError) -> Response:
    body: dict[str, Any] = {"message": error.message, "errors": [item.to_json() for item in error.errors]}
    if error.ashby is not None:
        body["ashby"] = error.ashby
    return json_response(body, error.status, error.headers)


def _invalid_request(exc: InvalidRequestError) -> ServiceError:
    if isinstance(exc, UnknownEntityError):
        items = [ErrorItem("entity", exc.message, exc.kind)]
    elif isinstance(exc, UnknownActionError):
        items = [ErrorItem("action", exc.message, exc.kind)]
    elif isinstance(exc, InvalidParamsError):
        items = [ErrorItem("params", problem, exc.kind) for problem in exc.problems]
    elif isinstance(exc, InvalidQueryError):
        items = [ErrorItem(exc.where, exc.message, exc.kind)]
    elif isinstance(exc, EntityNotSyncedError):  # a state of the store, not a malformed call
        return ServiceError(400, exc.message, code=exc.kind, field="entity")
    elif isinstance(exc, AccessDeniedError):  # a well-formed call this connector may not make
        return ServiceError(403, exc.message, code=exc.kind, field="action")
    else:
        items = [ErrorItem(None, exc.message, exc.kind)]
    return ServiceError(422, exc.message, code=exc.kind, errors=items)


def rejected_key_message(exc: AuthenticationError, connector_id: str | None = None) -> str:
    """What to do when Ashby rejects a connector's stored key: replace it through the service."""
    connector = connector_id or "<connector id>"
    code = f", {exc.code}" if exc.code else ""
    where = f" on {exc.endpoint}" if exc.endpoint else ""
    return (
        f"Ashby rejected the API key stored for connector {connector} (HTTP {exc.status}{code}){where}: "
        "it is wrong or was deactivated. Replace it with `ashby-agent connectors rotate-key "
        f"{connector}` or PUT /api/v1/integrations/connectors/{connector} "
        '{"credentials": {"api_key": "..."}}; retrying will not help.'
    )


def from_connector_error(exc: AshbyAgentError, *, connector_id: str | None = None) -> ServiceError:
    """Map a connector error to the documented HTTP status (see the module docstring)."""
    if isinstance(exc, InvalidRequestError):
        return _invalid_request(exc)
    error = _ashby_failure(exc, connector_id)
    error.ashby = {
        "kind": exc.kind,
        "status": getattr(exc, "status", None),
        "code": getattr(exc, "code", None),
        "request_id": getattr(exc, "request_id", None),
        "endpoint": getattr(exc, "endpoint", None),
        "retry_after": getattr(exc, "retry_after", None),
        "missing_permission": getattr(exc, "missing_permission", None),
        # The service's own transport already retried transient failures within its policy, and
        # permanent ones are never retried: either way, the client must not try again itself.
        "retried": exc.transient,
    }
    return error


def _ashby_failure(exc: AshbyAgentError, connector_id: str | None) -> ServiceError:
    if not isinstance(exc, AshbyAPIError):  # transport: Ashby unreachable, timed out, or answered garbage
        return ServiceError(502, f"Ashby could not be reached: {exc.message}", code=exc.kind, field="ashby")
    code = exc.code or exc.kind
    if isinstance(exc, NotFoundError):
        return ServiceError(404, exc.message, code=code, field="params")
    if isinstance(exc, RateLimitError):
        wait = max(1, math.ceil(exc.retry_after or 1))
        return ServiceError(429, exc.message, code=code, field="ashby", headers={"Retry-After": str(wait)})
    if isinstance(exc, AuthenticationError):
        return ServiceError(502, rejected_key_message(exc, connector_id), code=code, field="ashby")
    if exc.status >= 500 or exc.status in (401, 403):
        return ServiceError(502, exc.message, code=code, field="ashby")
    if exc.kind in ("validation", "cursor", "sync_token"):
        return ServiceError(422, exc.message, code=code, field="params")
    return ServiceError(502, exc.message, code=code, field="ashby")


async def _service_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return error_response(exc)


async def _connector_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AshbyAgentError)
    return error_response(from_connector_error(exc))


_HTTP_CODES = {404: "route_not_found", 405: "method_not_allowed"}


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app serves on this path (each route serves one method)."""
    methods: set[str] = set()
    for route in getattr(request.app, "routes", ()):
        match, _ = route.matches({**request.scope, "method": "\x00"})  # no method matches: path only
        if match is Match.PARTIAL:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        message = f"No endpoint {shown(request.url.path, 200)}; see /openapi.json for the API."
    elif exc.status_code == 405:
        allowed = _allowed_methods(request) or headers.get("Allow", "").split(", ")
        headers["Allow"] = ", ".join(allowed)
        message = (
            f"{request.method} is not allowed on {shown(request.url.path, 200)}; use {headers['Allow']}."
        )
    else:
        message = str(exc.detail)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(ServiceError(exc.status_code, message, code=code, headers=headers))


def client_gone(request: Request) -> Response:
    """The client closed the connection before its request was read: nothing failed on our side."""
    _LOG.info("client disconnected before sending its request: %s %s", request.method, request.url.path)
    return Response(status_code=CLIENT_CLOSED_REQUEST)


async def _client_disconnect(request: Request, _exc: Exception) -> Response:
    return client_gone(request)  # raised outside a route (e.g. while middleware reads the body)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Only the route and the exception type: request bodies and messages may hold credentials.
    _LOG.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_response(
        ServiceError(500, "Internal error; the request was not completed.", code="internal")
    )


def exception_handlers() -> dict[Any, Any]:
    """The mapping given to ``Starlette(exception_handlers=...)``."""
    return {
        ServiceError: _service_error,
        AshbyAgentError: _connector_error,
        HTTPException: _http_error,
        ClientDisconnect: _client_disconnect,
        Exception: _unexpected,
    }
