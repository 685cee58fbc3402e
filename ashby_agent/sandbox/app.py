"""The ASGI app: Ashby's ``POST /<noun>.<verb>`` surface plus the ``/_sandbox`` control routes.

Ashby requests run a fixed pipeline: route → injected fault → authentication → per-key rate limit →
module permission → body parsing and validation → handler. Every answer, success or error, carries
``x-ashby-request-id`` (equal to ``errorInfo.requestId``) and the ``Ashby-Version`` headers.
Handlers are synchronous and O(page), so they run on the event loop without a thread hop.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import orjson

from .auth import ApiKey, AuthFailure, Keyring, generate_key, parse_key_spec
from .control import SandboxControl
from .control_routes import control_app
from .endpoints import ENDPOINTS, WRITE_TABLES
from .endpoints.endpoint import ApiError, Ctx, Endpoint, error_body
from .endpoints.interviews import derive_events
from .faults import FaultInjector, RateLimiter
from .log import BoundedLog
from .params import InvalidInput, validate
from .store import Clock, Dataset, Store, iso_ms
from .webhooks import Dispatcher

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

API_VERSION = "2026-01-01"
_BASE_HEADERS = [
    (b"content-type", b"application/json; charset=utf-8"),
    (b"ashby-version", API_VERSION.encode()),
    (b"ashby-version-status", b"active"),
]
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_SERVER_ERRORS = {
    "500": (500, "internal_server_error", "Internal server error"),
    "502": (502, "bad_gateway", "Bad gateway"),
    "503": (503, "service_unavailable", "Service temporarily unavailable"),
    "504": (504, "gateway_timeout", "Gateway timeout"),
}
#: Body keys whose values the request log never records.
SECRET_KEYS = frozenset({"secretToken"})


@dataclass(frozen=True)
class SandboxConfig:
    """Tuning knobs; the reference leaves these values unpublished (docs/sandbox.md)."""

    cursor_ttl_seconds: float = 3600.0
    sync_token_ttl_seconds: float = 30 * 86400.0
    sync_page_budget: int = 100
    strict_schemas: bool = False  # answer invalid_input for unknown keys where the OpenAPI forbids them
    now_ms: int | None = None  # the dataset's "now" and the clock start; None = the generator's fixed epoch
    dataset: Dataset | None = None  # use these records instead of generate(seed, scale, now_ms)
    webhook_retry_scale: float = 1.0  # multiplies Ashby's retry delays (10 s, 30 s, ...); 0.001 for tests
    webhook_timeout_seconds: float = 30.0  # how long one delivery attempt waits for an answer


def new_request_id() -> str:
    """ULID-like: 48-bit milliseconds + 80 random bits in Crockford base32 (26 chars)."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


class DroppedConnection(Exception):
    """Raised after a partial response so the server closes the connection (the ``drop`` fault)."""


class _HideDroppedConnection(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def _silence_drops() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDroppedConnection) for f in logger.filters):
        logger.addFilter(_HideDroppedConnection())


def build_keyring(api_keys: list[str] | None, created_at: str) -> Keyring:
    """Parse ``KEY`` / ``KEY:scope,...`` specs; with none, one generated full-permission key."""
    specs = list(api_keys) if api_keys else [generate_key()]
    return Keyring([parse_key_spec(spec, f"Sandbox key {i}", created_at) for i, spec in enumerate(specs, 1)])


class SandboxApp:
    """The ASGI callable: ``/_sandbox/*`` goes to the Starlette control app, the rest is Ashby."""

    def __init__(self, store: Store, keyring: Keyring, config: SandboxConfig) -> None:
        self.store = store
        self.keyring = keyring
        self.config = config
        self.faults = FaultInjector(ENDPOINTS)
        self.limiter = RateLimiter()
        self.log = BoundedLog()
        self.deliveries = BoundedLog()
        self.webhooks = Dispatcher(
            store,
            self.deliveries,
            retry_scale=config.webhook_retry_scale,
            timeout_seconds=config.webhook_timeout_seconds,
        )
        store.on_change = self.webhooks.changed
        self.control = SandboxControl(
            store, self.faults, self.limiter, self.log, self.webhooks, self.deliveries
        )
        self._control_app = control_app(self.control)
        _silence_drops()

    def close(self) -> None:
        """Stop the webhook deliveries still pending and let held requests go (the server itself is
        stopped by its runner)."""
        self.faults.clear()
        self.webhooks.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/_sandbox" or scope["path"].startswith("/_sandbox/"):
            await self._control_app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request_id = new_request_id()
        status, payload, headers, key_title, fault = await self._answer(scope, body, request_id)
        self.log.add(
            {
                "time": iso_ms(self.store.now_ms()),
                "method": scope["method"],
                "path": scope["path"],
                "body": _loggable(body),
                "status": 0 if fault == "drop" else status,
                "key_title": key_title,
                "request_id": request_id,
            }
        )
        all_headers = [
            *_BASE_HEADERS,
            (b"x-ashby-request-id", request_id.encode()),
            (b"content-length", str(len(payload)).encode()),
            *((name.lower().encode(), value.encode()) for name, value in headers.items()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": all_headers})
        if fault == "drop":  # promise the whole body, send a third of it, then break the connection
            await send(
                {"type": "http.response.body", "body": payload[: len(payload) // 3], "more_body": True}
            )
            raise DroppedConnection(request_id)
        await send({"type": "http.response.body", "body": payload})

    async def _answer(
        self, scope: Scope, body: bytes, request_id: str
    ) -> tuple[int, bytes, dict[str, str], str | None, str | None]:
        """(status, body, extra headers, key title, fault) for one Ashby request."""
        path, method = scope["path"], scope["method"]
        endpoint = ENDPOINTS.get(path[1:]) if method == "POST" else None
        if endpoint is None:
            message = f"Unknown endpoint {method} {path}: Ashby endpoints are POST /<noun>.<verb>"
            return 404, error_body("not_found", message, request_id), {}, None, None
        await self.faults.wait_if_held(endpoint.name)
        fault = self.faults.draw()
        if fault == "slow":
            await asyncio.sleep(self.faults.settings.slow_seconds)
        elif fault == "429":
            retry = str(self.faults.settings.retry_after)
            return 429, _rate_limited(request_id), {"Retry-After": retry}, None, fault
        elif fault in _SERVER_ERRORS:
            status, code, text = _SERVER_ERRORS[fault]
            return status, error_body(code, text, request_id), {}, None, fault
        key: ApiKey | None = None
        try:
            key = self.keyring.authenticate(_header(scope, b"authorization"))
            wait = self.limiter.acquire(key.title)
            if wait is not None:
                retry = str(max(1, math.ceil(wait)))
                return 429, _rate_limited(request_id), {"Retry-After": retry}, key.title, fault
            if endpoint.permission not in key.permissions:
                raise _missing_permission(endpoint)
            params = validate(
                endpoint.params, _parse(body), strict=self.config.strict_schemas and endpoint.strict_schema
            )
            payload = endpoint.handler(Ctx(self.store, key, endpoint.name), params)
            return 200, payload, {}, key.title, fault
        except AuthFailure as exc:
            return exc.status, error_body(exc.code, exc.message, request_id), {}, None, fault
        except InvalidInput as exc:
            meta = {"parameter": exc.parameter} if exc.parameter else None
            return 200, error_body("invalid_input", exc.message, request_id, meta), {}, _title(key), fault
        except ApiError as exc:
            body_bytes = error_body(exc.code, exc.message, request_id, exc.meta)
            return exc.status, body_bytes, exc.headers, _title(key), fault
        except Exception:
            logging.getLogger(__name__).exception("sandbox handler failed for %s", endpoint.name)
            text = "Internal server error"
            return 500, error_body("internal_server_error", text, request_id), {}, _title(key), fault


def _title(key: ApiKey | None) -> str | None:
    return key.title if key else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _parse(body: bytes) -> Any:
    """Missing body = ``{}``; malformed JSON → ``invalid_input``."""
    if not body.strip():
        return {}
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput("Request payload is malformed") from exc


def _loggable(body: bytes) -> Any:
    """The body as the request log keeps it: parsed JSON with secrets masked, or the start of the text."""
    if not body.strip():
        return None
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body[:2000].decode("utf-8", "replace")
    if isinstance(value, dict) and SECRET_KEYS.intersection(value):
        return {key: "[redacted]" if key in SECRET_KEYS else item for key, item in value.items()}
    return value


def _rate_limited(request_id: str) -> bytes:
    return error_body(
        "rate_limit_exceeded", "Rate limit exceeded; retry after the Retry-After delay.", request_id
    )


def _missing_permission(endpoint: Endpoint) -> ApiError:
    permission = endpoint.permission
    scope = permission[:-4] + ":read" if permission.endswith("Read") else permission[:-5] + ":write"
    return ApiError(
        "missing_endpoint_permission",
        f"The API key lacks the {permission} permission (scope {scope}) required by {endpoint.name}; "
        "enable it for the key in Ashby (Admin → Integrations → API Keys).",
        status=403,
        meta={"missingPermission": permission},
    )


def build_app(
    seed: int = 7,
    scale: str = "small",
    api_keys: list[str] | None = None,
    config: SandboxConfig | None = None,
) -> SandboxApp:
    """Generate (or take) the dataset, load the store and assemble the app."""
    from .generate import DEFAULT_NOW_MS, TABLES, generate  # the generator loads only when used

    config = config or SandboxConfig()
    # A fixed epoch by default, not the wall clock: the same seed must give the same bytes on any day.
    clock = Clock(DEFAULT_NOW_MS if config.now_ms is None else config.now_ms)
    # A million long-lived records make every full garbage collection rescan them: build without the
    # collector, then freeze what was built (it lives as long as the sandbox) so walks never pay for it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if config.dataset is not None:
            dataset = {name: [dict(r) for r in rows] for name, rows in config.dataset.items()}
        else:
            dataset = generate(seed, scale, clock.start_ms)
        derive_events(dataset)
        store = Store(
            dataset,
            clock,
            tables=(*TABLES, *WRITE_TABLES),
            cursor_ttl_seconds=config.cursor_ttl_seconds,
            sync_token_ttl_seconds=config.sync_token_ttl_seconds,
            sync_page_budget=config.sync_page_budget,
        )
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    return SandboxApp(store, build_keyring(api_keys, iso_ms(clock.start_ms)), config)


__all__ = ["DroppedConnection", "SandboxApp", "SandboxConfig", "build_app", "new_request_id"]
