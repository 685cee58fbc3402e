"""Client side of hosted mode: tokens, connector lookup and execute against the ashby-agent service.

The service holds the end customer's Ashby key; the agent only holds an API client id/secret. This
module exchanges them for a short-lived bearer token (refreshed before ``expires_in`` runs out, one
refresh at a time under concurrency), finds the workspace's Ashby connector, and runs ``execute``.
Service errors become the same exception classes as local mode: Ashby's own error code is carried
through by the service.

Retries are decided once per layer. The service retries Ashby; an answer carrying its ``ashby`` object
(Ashby, or the way to it, failed) is final here. This client retries only failures of the service
itself: its rate limit (429), its 5xx, and connections to it that failed.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import httpx
import orjson

from ashby_agent.errors import (
    AccessDeniedError,
    AshbyAgentError,
    AshbyAPIError,
    ConfirmationRequiredError,
    ConnectionFailedError,
    EntityNotSyncedError,
    HostedAuthenticationError,
    HostedServiceError,
    IdempotencyConflictError,
    InvalidParamsError,
    InvalidQueryError,
    InvalidRequestError,
    MalformedResponseError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    TransportError,
    error_class_for_kind,
)
from ashby_agent.retry import RetryPolicy, parse_retry_after
from ashby_agent.transports.http11 import KeepAliveTransport
from ashby_agent.transports.retrying import Retrier, Retryable
from ashby_agent.transports.tls import shared_ssl_context
from ashby_agent.transports.urls import parsed_url
from ashby_agent.wire import ASHBY_DEFINITION_ID

if TYPE_CHECKING:
    from ashby_agent.types import AirbyteAuthConfig

__all__ = ["HostedClient"]

#: httpx's own default pool size, on the package's HTTP/1.1 keep-alive transport (as local mode's client).
_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20)

#: Refresh this many seconds before the token expires (or at 80% of a short lifetime).
_REFRESH_MARGIN: Final = 60.0


class HostedClient:
    """Talks to the hosted service's ``/api/v1`` on behalf of one workspace's Ashby connector."""

    def __init__(
        self,
        auth: AirbyteAuthConfig,
        *,
        http_client: httpx.AsyncClient | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | httpx.Timeout | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.auth = auth
        self.base_url = f"{auth.api_url}/api/v1"
        self._retrier = Retrier(retry, sleep=sleep, clock=clock, rng=rng)
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient(
            timeout=30.0 if timeout is None else timeout,
            limits=_LIMITS,
            transport=http_transport or KeepAliveTransport(shared_ssl_context(), _LIMITS),
            verify=shared_ssl_context(),
        )
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self._connector_id: str | None = auth.connector_id
        self._connector_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"HostedClient(base_url={self.base_url!r}, workspace={self.auth.workspace_name!r})"

    @property
    def retry(self) -> RetryPolicy:
        return self._retrier.policy

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    # ------------------------------------------------------------------ tokens

    async def token(self) -> str:
        """A valid bearer token, fetched or refreshed when it is about to expire."""
        if self._token is not None and time.monotonic() < self._token_expires:
            return self._token
        async with self._token_lock:
            if self._token is not None and time.monotonic() < self._token_expires:
                return self._token
            headers = {"X-Organization-Id": self.auth.organization_id} if self.auth.organization_id else {}
            body = {"client_id": self.auth.client_id, "client_secret": self.auth.client_secret}
            data = await self._send(
                "POST", "/account/applications/token", body, headers=headers, auth=False, idempotent=True
            )
            token = data.get("access_token")
            if not isinstance(token, str):
                raise MalformedResponseError(
                    "The hosted service answered the token request without access_token"
                )
            lifetime = float(data.get("expires_in") or 900)
            margin = min(_REFRESH_MARGIN, lifetime * 0.2)
            self._token, self._token_expires = token, time.monotonic() + lifetime - margin
            return token

    # ------------------------------------------------------------------ connectors and execute

    async def connector_id(self) -> str:
        """The workspace's Ashby connector id (looked up once, then cached)."""
        if self._connector_id is not None:
            return self._connector_id
        if not self.auth.workspace_name:
            raise InvalidRequestError(
                "Hosted mode needs workspace_name (the end customer's workspace) or connector_id "
                "in AirbyteAuthConfig."
            )
        async with self._connector_lock:
            if self._connector_id is None:
                query = {
                    "workspace_name": self.auth.workspace_name or "",
                    "definition_id": ASHBY_DEFINITION_ID,
                }
                data = await self._send("GET", "/integrations/connectors", None, params=query)
                found = [item for item in data.get("data", []) if isinstance(item, dict)]
                workspace = self.auth.workspace_name
                if not found:
                    raise HostedServiceError(
                        f"Workspace {workspace!r} has no Ashby connector. Create one with "
                        "POST /api/v1/integrations/connectors (or `ashby-agent connectors create`).",
                        status=404,
                        code="connector_not_found",
                    )
                if len(found) > 1:
                    ids = ", ".join(str(item.get("id")) for item in found)
                    raise HostedServiceError(
                        f"Workspace {workspace!r} has {len(found)} Ashby connectors ({ids}); "
                        "pass connector_id=... to AirbyteAuthConfig to pick one.",
                        status=409,
                        code="ambiguous_connector",
                    )
                self._connector_id = str(found[0]["id"])
        assert self._connector_id is not None
        return self._connector_id

    async def execute(
        self,
        entity: str,
        action: str,
        params: Mapping[str, Any],
        *,
        idempotent: bool = True,
        decode: Callable[[bytes], Any] = orjson.loads,
    ) -> dict[str, Any]:
        """``POST /integrations/connectors/{id}/execute``; returns the service's answer (read by
        ``decode``, which raises :class:`orjson.JSONDecodeError` for a body that is not JSON).

        A connector id this client looked up itself (not one given as ``connector_id``) is looked up
        again once when the service no longer knows it: the workspace's connector was replaced.
        """
        body = {"entity": entity, "action": action, "params": dict(params)}

        async def run(connector_id: str) -> dict[str, Any]:
            path = f"/integrations/connectors/{connector_id}/execute"
            return await self._send(
                "POST", path, body, idempotent=idempotent, operation=(entity, action), decode=decode
            )

        connector_id = await self.connector_id()
        try:
            return await run(connector_id)
        except HostedServiceError as exc:
            if exc.code != "connector_not_found" or self.auth.connector_id is not None:
                raise
        async with self._connector_lock:
            if self._connector_id == connector_id:
                self._connector_id = None
        return await run(await self.connector_id())

    async def request(
        self, method: str, path: str, body: Mapping[str, Any] | None = None, **params: Any
    ) -> dict[str, Any]:
        """Any authenticated call to the management API (used by the admin client and CLI)."""
        query = {key: value for key, value in params.items() if value is not None}
        return await self._send(method, path, body, params=query)

    # ------------------------------------------------------------------ HTTP with retries

    async def _send(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        auth: bool = True,
        idempotent: bool | None = None,
        operation: tuple[str, str] | None = None,
        decode: Callable[[bytes], Any] = orjson.loads,
    ) -> dict[str, Any]:
        url = parsed_url(self.base_url + path)
        content = orjson.dumps(body) if body is not None else None
        # A request that may have reached the service is sent again only if repeating it is harmless.
        repeatable = method != "POST" if idempotent is None else idempotent

        async def once(token: str | None) -> httpx.Response:
            send_headers = dict(headers or {})
            if token is not None:
                send_headers["Authorization"] = f"Bearer {token}"
                if self.auth.organization_id:
                    send_headers["X-Organization-Id"] = self.auth.organization_id
            if content is not None:
                send_headers["Content-Type"] = "application/json"
            try:
                return await self._client.request(
                    method, url, content=content, headers=send_headers, params=params
                )
            except httpx.TransportError as exc:
                error = self._unreachable(exc, method, path)
                if (
                    isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
                    or repeatable
                ):
                    raise Retryable(error) from None
                raise error from None

        async def attempt(_number: int) -> dict[str, Any]:
            token = await self.token() if auth else None
            response = await once(token)
            if response.status_code == 401 and token is not None:
                # Expired or invalidated early: fetch a new one once. Only if it is still the current
                # token: concurrent calls that failed with the same token refresh it once.
                if self._token == token:
                    self._token = None
                response = await once(await self.token())
            data = _json(response, decode)
            if response.is_success:
                return data
            status = response.status_code
            error = _service_error(status, data, response.headers, path, operation)
            if isinstance(data.get("ashby"), dict):
                raise error  # the service already made the retry decision about Ashby
            if status == 429 or status >= 500:
                raise Retryable(error, parse_retry_after(response.headers.get("retry-after")))
            raise error

        return await self._retrier.run(attempt, f"{method} {path}")

    def _unreachable(self, exc: httpx.TransportError, method: str, path: str) -> TransportError:
        if isinstance(exc, httpx.TimeoutException):
            return RequestTimeoutError(
                f"The hosted service at {self.auth.api_url} timed out on {method} {path}; retry later."
            )
        return ConnectionFailedError(
            f"Could not reach the hosted service at {self.auth.api_url} ({type(exc).__name__}). "
            "Check ASHBY_AGENT_API_URL and that `ashby-agent serve` is running."
        )


def _json(response: httpx.Response, decode: Callable[[bytes], Any]) -> dict[str, Any]:
    try:
        data = decode(response.content) if response.content else {}
    except orjson.JSONDecodeError:
        data = {"message": response.text[:200]}
    return data if isinstance(data, dict) else {"data": data}


def _rebuild(ashby: Mapping[str, Any], message: str) -> AshbyAgentError:
    """The local-mode exception the service reported under ``ashby`` (same class, code and data)."""
    cls = error_class_for_kind(str(ashby.get("kind") or ""))
    ids: dict[str, Any] = {
        "code": ashby.get("code"),
        "request_id": ashby.get("request_id"),
        "endpoint": ashby.get("endpoint"),
    }
    status = ashby.get("status")
    if issubclass(cls, PermissionDeniedError):
        return cls(
            message,
            status=int(status or 403),
            missing_permission=ashby.get("missing_permission"),
            **ids,
        )
    if issubclass(cls, RateLimitError):
        retry_after = ashby.get("retry_after")
        wait = float(retry_after) if isinstance(retry_after, int | float) else None
        return cls(message, status=int(status or 429), retry_after=wait, **ids)
    if issubclass(cls, AshbyAPIError):
        return cls(message, status=int(status or 502), **ids)
    if issubclass(cls, TransportError):
        return cls(message)
    return HostedServiceError(message, status=502, code=ashby.get("code"))


def _status_named(message: str) -> str:
    """The stream status an ``entity_not_synced`` message names (``status: syncing``)."""
    found = re.search(r"status: ([a-z_]+)", message)
    return found.group(1) if found else "not_synced"


def _level_named(message: str) -> str:
    """The access level an ``access_denied`` message says the action needs."""
    for level in ("comment", "write"):
        if f"is a {level} action" in message:
            return level
    return "write"


def _service_error(
    status: int,
    data: Mapping[str, Any],
    headers: httpx.Headers,
    path: str,
    operation: tuple[str, str] | None = None,
) -> AshbyAgentError:
    """The local-mode exception for a service error; Ashby failures keep Ashby's code and class."""
    message = str(data.get("message") or f"HTTP {status}")
    items = [item for item in data.get("errors") or [] if isinstance(item, dict)]
    first = items[0] if items else {}
    code = first.get("error_code")
    ashby = data.get("ashby")
    if isinstance(ashby, dict):  # Ashby (or the way to it) failed: raise what local mode raises
        return _rebuild(ashby, message)
    if status == 422:
        valid = [str(value) for item in items for value in (item.get("valid") or [])]
        problems = [str(item.get("message")) for item in items] or [message]
        if operation is not None and code == "invalid_params":
            return InvalidParamsError(*operation, problems, valid)
        if code == InvalidQueryError.kind:  # the context store's refusal, as local mode raises it
            return InvalidQueryError(message, valid=valid, where=str(first.get("field") or "query"))
        if code == ConfirmationRequiredError.kind:
            return ConfirmationRequiredError(message)
        if code == IdempotencyConflictError.kind:
            return IdempotencyConflictError(message)
        # Any other refusal (an unknown entity, a management call's field) reads as the service put it.
        return InvalidRequestError(message, valid=valid)
    sentence = message.rstrip(".")
    if status == 400 and code == EntityNotSyncedError.kind:
        return EntityNotSyncedError(message, status=_status_named(message))
    if status == 400:
        return InvalidRequestError(f"The hosted service refused {path}: {message}")
    if status == 401:
        return HostedAuthenticationError(
            f"The hosted service refused the credentials (401): {sentence}. Check AIRBYTE_CLIENT_ID / "
            "AIRBYTE_CLIENT_SECRET and the organization.",
            status=status,
            code=code,
        )
    if status == 403 and code == AccessDeniedError.kind:  # a write above the connector's access level
        return AccessDeniedError(message, needed=_level_named(message), access="read")
    if status == 403:  # a valid token that may not do this (organization, token kind, inactive workspace)
        return HostedAuthenticationError(
            f"The hosted service refused {path} (403): {message}", status=status, code=code
        )
    retry = headers.get("retry-after")
    hint = f" Retry after {retry} s." if retry else ""
    return HostedServiceError(
        f"The hosted service answered {status} on {path}: {sentence}.{hint}", status=status, code=code
    )
