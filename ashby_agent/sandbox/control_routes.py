"""The ``/_sandbox`` HTTP mirror of ``SandboxControl``: one route per operation, JSON in and out.

Every answer is JSON, refusals included: ``{"error": "<one sentence>"}`` with 400 (a body or value the
control surface does not take), 404 (no such table, record or route) or 405 (with ``Allow``). The
sentence is the sandbox's own (``errors.ControlError``), never a Python exception's text. A body is
checked against the keys its route accepts, and every value by the control method, before anything
changes, so a refused request leaves the sandbox as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .control import SandboxControl
from .errors import ControlError, InvalidValue, describe
from .faults import FaultSettings
from .store import iso_ms

Handler = Callable[[Request], Awaitable[Response]]

_FAULT_FIELDS = tuple(field.name for field in dataclasses.fields(FaultSettings))
_SETTINGS = (
    "cursor_ttl_seconds",
    "sync_token_ttl_seconds",
    "sync_page_budget",
    "webhook_retry_scale",
    "webhook_timeout_seconds",
)
_MERGE_FIELDS = ("deletedCandidateId", "mergedCandidateId")
_ROUTES_HINT = "the control routes are listed in docs/sandbox.md"


def _json(value: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(orjson.dumps(value), status, headers=headers, media_type="application/json")


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return _json({"error": message}, status, headers)


async def _body(request: Request, accepted: tuple[str, ...] | None, *required: str) -> dict[str, Any]:
    """The JSON object sent (empty body = ``{}``); ``accepted`` None = any keys (a record)."""
    raw = await request.body()
    value: Any = {}
    if raw.strip():
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise InvalidValue("The body is not valid JSON; send a JSON object.") from None
    if not isinstance(value, dict):
        raise InvalidValue(f"The body must be a JSON object; got {describe(value)}.")
    if accepted is not None:
        unknown = sorted(key for key in value if key not in accepted)
        if unknown:
            valid = ", ".join(accepted) if accepted else "none (send no body)"
            raise InvalidValue(f"Unknown field {describe(unknown[0])}; valid fields: {valid}.")
    missing = [name for name in required if value.get(name) is None]
    if missing:
        raise InvalidValue(f'The field "{missing[0]}" is required.')
    return value


def _route(path: str, handlers: dict[str, Handler]) -> Route:
    """One path, one handler per method; a ``ControlError`` becomes its JSON refusal."""

    async def endpoint(request: Request) -> Response:
        handler = handlers.get(request.method) or handlers["GET"]  # HEAD is answered as GET
        try:
            return await handler(request)
        except ControlError as exc:
            return _error(exc.status, exc.message)

    return Route(path, endpoint, methods=list(handlers))


def control_routes(control: SandboxControl) -> list[Route]:
    """The ``/_sandbox/*`` routes (no auth, outside Ashby's paths)."""

    def clock() -> Response:
        ms = int(control.now().timestamp() * 1000)
        return _json({"now": iso_ms(ms), "nowMs": ms})

    async def get_clock(_request: Request) -> Response:
        return clock()

    async def advance_clock(request: Request) -> Response:
        control.advance_clock((await _body(request, ("seconds",), "seconds"))["seconds"])
        return clock()

    async def list_records(request: Request) -> Response:
        return _json(control.records(request.path_params["table"]))

    async def create_record(request: Request) -> Response:
        return _json(control.create(request.path_params["table"], await _body(request, None)), 201)

    async def get_record(request: Request) -> Response:
        return _json(control.get(request.path_params["table"], request.path_params["record_id"]))

    async def update_record(request: Request) -> Response:
        fields = await _body(request, None)
        return _json(control.update(request.path_params["table"], request.path_params["record_id"], **fields))

    async def delete_record(request: Request) -> Response:
        await _body(request, ())
        return _json(control.delete(request.path_params["table"], request.path_params["record_id"]))

    async def merge_candidates(request: Request) -> Response:
        body = await _body(request, _MERGE_FIELDS, *_MERGE_FIELDS)
        return _json(control.merge_candidates(body["deletedCandidateId"], body["mergedCandidateId"]))

    async def archive_record(request: Request) -> Response:
        reason = (await _body(request, ("archiveReasonId",))).get("archiveReasonId")
        params = request.path_params
        return _json(control.archive(params["table"], params["record_id"], reason))

    async def expire_sync_tokens(request: Request) -> Response:
        await _body(request, ())
        control.expire_sync_tokens()
        return _json({"expired": "syncTokens"})

    async def expire_cursors(request: Request) -> Response:
        await _body(request, ())
        control.expire_cursors()
        return _json({"expired": "cursors"})

    async def get_settings(_request: Request) -> Response:
        return _json(control.settings())

    async def put_settings(request: Request) -> Response:
        control.configure(**(await _body(request, _SETTINGS)))
        return _json(control.settings())

    async def get_deliveries(_request: Request) -> Response:
        return _json(control.deliveries())

    async def clear_deliveries(_request: Request) -> Response:
        control.clear_deliveries()
        return _json(control.deliveries())

    async def ping_webhook(request: Request) -> Response:
        await _body(request, ())
        return _json({"webhookActionId": control.ping_webhook(request.path_params["webhook_id"])})

    async def get_requests(_request: Request) -> Response:
        return _json(control.requests())

    async def clear_requests(_request: Request) -> Response:
        control.clear_requests()
        return _json(control.requests())

    async def get_faults(_request: Request) -> Response:
        return _json(control.faults())

    async def set_faults(request: Request) -> Response:
        control.set_faults(**(await _body(request, _FAULT_FIELDS)))
        return _json(control.faults())

    async def clear_faults(_request: Request) -> Response:
        control.clear_faults()
        return _json(control.faults())

    async def queue_faults(request: Request) -> Response:
        control.queue_faults((await _body(request, ("faults",), "faults"))["faults"])
        return _json(control.faults())

    async def hold(request: Request) -> Response:
        body = await _body(request, ("endpoint", "after"), "endpoint")
        control.hold(body["endpoint"], body.get("after", 0))
        return _json(control.faults())

    async def get_rate_limit(_request: Request) -> Response:
        return _json(control.rate_limit())

    async def set_rate_limit(request: Request) -> Response:
        body = await _body(request, ("requests_per_second", "burst"))
        control.set_rate_limit(body.get("requests_per_second"), body.get("burst"))
        return _json(control.rate_limit())

    return [
        _route("/_sandbox/clock", {"GET": get_clock}),
        _route("/_sandbox/clock/advance", {"POST": advance_clock}),
        _route("/_sandbox/records/{table}", {"GET": list_records, "POST": create_record}),
        _route(
            "/_sandbox/records/{table}/{record_id}",
            {"GET": get_record, "PATCH": update_record, "DELETE": delete_record},
        ),
        _route("/_sandbox/records/{table}/{record_id}/archive", {"POST": archive_record}),
        _route("/_sandbox/candidates/merge", {"POST": merge_candidates}),
        _route("/_sandbox/settings", {"GET": get_settings, "PUT": put_settings}),
        _route("/_sandbox/webhooks/deliveries", {"GET": get_deliveries, "DELETE": clear_deliveries}),
        _route("/_sandbox/webhooks/{webhook_id}/ping", {"POST": ping_webhook}),
        _route("/_sandbox/sync-tokens/expire", {"POST": expire_sync_tokens}),
        _route("/_sandbox/cursors/expire", {"POST": expire_cursors}),
        _route("/_sandbox/requests", {"GET": get_requests, "DELETE": clear_requests}),
        _route("/_sandbox/faults", {"GET": get_faults, "PUT": set_faults, "DELETE": clear_faults}),
        _route("/_sandbox/faults/queue", {"POST": queue_faults}),
        _route("/_sandbox/faults/hold", {"POST": hold}),
        _route("/_sandbox/rate-limit", {"GET": get_rate_limit, "PUT": set_rate_limit}),
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    """Routing's own refusals (no such route, wrong method) in the same JSON shape."""
    assert isinstance(exc, HTTPException)
    where = f"{request.method} {request.url.path}"
    if exc.status_code == 405:
        allowed = ", ".join(sorted((exc.headers or {}).get("Allow", "").split(", ")))
        return _error(405, f"{where} is not allowed; allowed methods: {allowed}.", {"Allow": allowed})
    if exc.status_code == 404:
        return _error(404, f"There is no control route {where}; {_ROUTES_HINT}.")
    return _error(exc.status_code, f"{where} was refused ({exc.status_code}).", exc.headers)


async def _unexpected(_request: Request, _exc: Exception) -> Response:
    """The last resort: still JSON; Starlette re-raises the exception so the server logs it."""
    return _error(500, "The sandbox control surface failed unexpectedly; the server log has the details.")


def control_app(control: SandboxControl) -> Starlette:
    """The Starlette app serving ``/_sandbox/*``."""
    app = Starlette(
        routes=control_routes(control),
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},
    )
    app.router.redirect_slashes = False  # a path with a stray "/" is a JSON 404, not an empty redirect
    return app


__all__ = ["control_app", "control_routes"]
