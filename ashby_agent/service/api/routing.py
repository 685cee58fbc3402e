"""How an endpoint is declared and called: one :class:`Endpoint` per operation of the hosted API.

A declaration names the method, path, accepted tokens, body/query/response models and documented error
statuses; :func:`to_route` turns it into a Starlette route that authenticates first, and
:mod:`ashby_agent.service.api.openapi` renders the same declarations, so routing and documentation agree.
Handlers receive a :class:`Call`, which parses bodies and queries into the wire models (400 for bytes
that are not JSON, 422 for JSON that does not fit, naming every field at fault). Path ids are checked
for the shape of the ids this service issues (anything else is the 404 of a missing id) and query values
for control characters, so no such input reaches a database query.

A client that goes away before its request is read is logged as a disconnect (INFO), not as an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ashby_agent.errors import AshbyAgentError
from ashby_agent.service.api.errors import client_gone, error_response, json_response, shown
from ashby_agent.service.exceptions import ErrorItem, ServiceError
from ashby_agent.service.security.authentication import Access, Principal, authenticate
from ashby_agent.service.state import ServiceState
from ashby_agent.wire import ID_PATTERN, control_character_free

__all__ = ["API_PREFIX", "BodyLimitMiddleware", "Call", "Endpoint", "reply", "to_route"]

API_PREFIX: Final = "/api/v1"
M = TypeVar("M", bound=BaseModel)
_LOG = logging.getLogger("ashby_agent.service")
_ID = re.compile(ID_PATTERN)


class _IdConvertor(Convertor[str]):
    """Path ids match only the shape of the ids this service issues (as ``/openapi.json`` states), so
    ``PUT /integrations/connectors/check`` is the 405 of the ``check`` route, not a lookup of id 'check'."""

    regex = ID_PATTERN.removeprefix("^").removesuffix("$")

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("service_id", _IdConvertor())
_PATH_PARAM = re.compile(r"{(\w+)}")


def validation_error(exc: ValidationError, where: str = "") -> ServiceError:
    """A 422 listing every problem; never the input values (they may be credentials)."""
    items = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        location = ".".join(str(part) for part in error["loc"])
        field = f"{where}{location}" if location else (where.rstrip(".") or None)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field; remove it (see /openapi.json for the accepted fields)"
        items.append(ErrorItem(field, message, error["type"]))
    summary = "; ".join(f"{item.field or 'body'}: {item.message}" for item in items)
    return ServiceError(422, f"Invalid request: {summary}.", code="validation_error", errors=items)


@dataclass(slots=True)
class Call:
    """One authenticated request as a handler sees it."""

    request: Request
    state: ServiceState
    principal: Principal

    def path(self, name: str) -> str:
        """A path id (``connector_id`` → "Connector"); one this service cannot have issued is a 404."""
        value = str(self.request.path_params[name])
        if not _ID.fullmatch(value):
            raise ServiceError.not_found(name.removesuffix("_id").capitalize(), shown(value))
        return value

    async def body(self, model: type[M]) -> M:
        raw = await self.request.body()
        if not raw.strip():
            raise ServiceError.bad_request(
                "The request body is empty; send a JSON object.", code="empty_body"
            )
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ServiceError.bad_request(
                f"The request body is not valid JSON ({exc}).", code="malformed_json", field="body"
            ) from None
        if not isinstance(data, dict):
            raise ServiceError(
                422, "The request body must be a JSON object.", code="object_expected", field="body"
            )
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise validation_error(exc) from None

    def query(self, model: type[M]) -> M:
        params = self.request.query_params
        repeated = [key for key in params if len(params.getlist(key)) > 1]
        if repeated:
            raise ServiceError(
                422,
                f"Query parameter '{repeated[0]}' is given more than once.",
                code="repeated",
                field=repeated[0],
            )
        for key, value in params.multi_items():
            if not (control_character_free(key) and control_character_free(value)):
                raise ServiceError(
                    422,
                    f"Query parameter '{shown(key)}' contains control characters; remove them.",
                    code="control_characters",
                    field=shown(key),
                )
        try:
            return model.model_validate(dict(params))
        except ValidationError as exc:
            raise validation_error(exc) from None


Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One operation of the hosted API (declared once; routed and documented from this)."""

    method: str
    path: str
    handler: Handler
    access: Access
    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    #: The request body's JSON Schema when it is narrower than ``body``'s own (derived from the catalog).
    body_schema: Callable[[], dict[str, Any]] | None = None

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


_NO_PRINCIPAL: Final = Principal(client_id="", organization_id="")


def to_route(endpoint: Endpoint) -> Route:
    """A Starlette route that authenticates per ``endpoint.access`` and masks unexpected errors."""

    async def route(request: Request) -> Response:
        state: ServiceState = request.app.state.service
        try:
            principal = (
                _NO_PRINCIPAL
                if endpoint.access == "public"
                else await authenticate(request, state, endpoint.access)
            )
            return await endpoint.handler(Call(request, state, principal))
        except (ServiceError, AshbyAgentError):
            raise
        except ClientDisconnect:
            return client_gone(request)
        except Exception as exc:
            # Only the route and type: messages and locals may hold request data.
            _LOG.error("unexpected %s in %s", type(exc).__name__, endpoint.operation_id)
            raise ServiceError(
                500, "Internal error; the request was not completed.", code="internal"
            ) from None

    route.__name__ = endpoint.operation_id
    path = _PATH_PARAM.sub(r"{\1:service_id}", API_PREFIX + endpoint.path)
    return Route(path, route, methods=[endpoint.method], name=endpoint.operation_id)


# --------------------------------------------------------------------------- body size limit

_DRAIN_LIMIT: Final = 64 * 1024 * 1024


def _too_large(limit: int) -> ServiceError:
    return ServiceError(
        413,
        f"The request body exceeds {limit} bytes; send less (e.g. fewer params).",
        code="payload_too_large",
        field="body",
    )


class BodyLimitMiddleware:
    """413 for bodies over ``max_bytes``, in the error envelope, without buffering more than that.

    The rest of an oversized body is drained (up to 64 MiB) before answering, so clients that are still
    sending read a clean 413 instead of a reset connection.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _drain(receive, 0)
            await error_response(_too_large(limit))(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if message.get("more_body", False):
                        await _drain(receive, received)
                    raise _too_large(limit)
            return message

        await self.app(scope, limited, send)


async def _drain(receive: Receive, already: int) -> None:
    total = already
    while total <= _DRAIN_LIMIT:
        message = await receive()
        if message["type"] != "http.request":
            return
        total += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def reply(model: BaseModel, status: int = 200) -> Response:
    """A response from a wire model (datetimes as ISO-8601 UTC)."""
    return json_response(model.model_dump(mode="json"), status)
