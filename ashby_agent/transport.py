"""HTTP to Ashby: one pooled client, Basic auth, retries, and the one place errors are translated.

Every Ashby endpoint is ``POST /<noun>.<verb>`` with a JSON body, answering an envelope with a boolean
``success`` (reference §1.1, §2). :class:`AshbyTransport` returns the envelope when ``success`` is true and
raises an :mod:`ashby_agent.errors` exception otherwise. Translation happens once, here:

* HTTP answers (any status) → :func:`error_from_response`;
* httpx exceptions → :class:`~ashby_agent.errors.RequestTimeoutError` /
  :class:`~ashby_agent.errors.ConnectionFailedError`, raised outside the ``except`` block so neither the
  httpx exception nor its request (with the ``Authorization`` header) is chained into the traceback.

Retry decisions live in :mod:`ashby_agent.retry` as pure functions; this module only sleeps.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self, TypedDict

import httpx
import orjson

from ashby_agent import __version__
from ashby_agent.errors import (
    AshbyAgentError,
    AshbyAPIError,
    AshbyValidationError,
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    SyncTokenError,
    TransportError,
)
from ashby_agent.retry import RetryPolicy, parse_retry_after, retry_delay

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_LIMITS",
    "DEFAULT_TIMEOUT",
    "AshbyTransport",
    "error_from_response",
]

DEFAULT_BASE_URL: Final = "https://api.ashbyhq.com"
#: Reads of large pages can be slow; a connect that takes longer than 5 s is a network problem.
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
DEFAULT_LIMITS: Final = httpx.Limits(max_connections=32, max_keepalive_connections=16, keepalive_expiry=30.0)
BASE_URL_ENV: Final = "ASHBY_API_URL"

_LOG = logging.getLogger("ashby_agent.transport")

_SNIPPET_CHARS = 200
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SCOPE_RE = re.compile(r"\b([a-z][A-Za-z]*:(?:read|write))\b")
_PERMISSION_ID_RE = re.compile(r"\b([a-z][A-Za-z]*(?:Read|Write))\b")
_PERMISSION_META_KEYS = ("missingPermission", "requiredPermission", "permission", "scope")
_SYNC_TOKEN_CODES = frozenset({"sync_token_expired", "sync_token_invalid", "incremental_sync_too_large"})
_CURSOR_CODES = frozenset({"next_cursor_expired", "invalid_next_cursor"})

# Transient failures after which the request may or may not have reached Ashby: retried only when the
# call is idempotent. ConnectError/ConnectTimeout/PoolTimeout mean nothing was sent: always retried.
_UNSENT_ERRORS: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_SENT_ERRORS: Final = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


#: Sent unless ``user_agent=`` is given (the package version, not read from importlib.metadata: cheaper).
_DEFAULT_USER_AGENT: Final = f"ashby-agent/{__version__}"


def _identity(text: str) -> str:
    return text


class _Redactor:
    """Replaces the API key (raw and Basic-encoded) in text that came from outside, e.g. an HTML page
    from a proxy that echoes request headers. Its repr hides what it redacts."""

    __slots__ = ("_secrets",)

    #: Shorter strings (test keys like "k") are no secret worth garbling every message for.
    MIN_LENGTH = 8

    def __init__(self, *secrets: str) -> None:
        self._secrets = tuple(s for s in secrets if len(s) >= self.MIN_LENGTH)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, "[redacted]")
        return text

    def __repr__(self) -> str:
        return "<redactor>"


# --------------------------------------------------------------------------- error mapping


def _snippet(raw: bytes, redact: Callable[[str], str]) -> str:
    text = " ".join(raw[: _SNIPPET_CHARS * 4].decode("utf-8", "replace").split())
    text = redact(text)
    return text if len(text) <= _SNIPPET_CHARS else text[: _SNIPPET_CHARS - 1] + "…"


def _error_items(errors: object) -> list[str]:
    """``errors`` entries as text: strings (the OpenAPI) or ``{message, parameter}`` (§8)."""
    if not isinstance(errors, list):
        return []
    items: list[str] = []
    for item in errors:
        if isinstance(item, str):
            items.append(item)
        elif isinstance(item, dict):
            message, parameter = item.get("message"), item.get("parameter")
            if isinstance(message, str) and isinstance(parameter, str) and parameter:
                items.append(f"{parameter}: {message}")
            elif isinstance(message, str):
                items.append(message)
    return items


def _missing_permission(message: str | None, meta: object) -> str | None:
    if isinstance(meta, dict):
        for key in _PERMISSION_META_KEYS:
            value = meta.get(key)
            if isinstance(value, str) and value:
                return value
    if message:
        for pattern in (_PERMISSION_ID_RE, _SCOPE_RE):
            match = pattern.search(message)
            if match:
                return match.group(1)
    return None


class _Ids(TypedDict):
    status: int
    request_id: str | None
    endpoint: str


def error_from_response(
    status: int,
    body: object,
    headers: Mapping[str, str],
    endpoint: str,
    *,
    raw: bytes = b"",
    redact: Callable[[str], str] = _identity,
) -> AshbyAgentError:
    """Translate one HTTP answer that is not a success envelope into the matching exception.

    ``body`` is the parsed JSON (or ``None`` when it was not JSON); ``raw`` is only used for a short,
    redacted snippet when the body is not Ashby's envelope. The status decides first (401/403, 429, 5xx,
    404), because Ashby reserves non-200 codes for those (§2.3); then ``errorInfo.code`` decides.
    """
    envelope = body if isinstance(body, dict) and isinstance(body.get("success"), bool) else None
    info = envelope.get("errorInfo") if envelope is not None else None
    if not isinstance(info, dict):
        info = {}
    items = _error_items(envelope.get("errors")) if envelope is not None else []

    code = info.get("code")
    if not isinstance(code, str) or not code:
        code = next((item for item in items if _CODE_RE.match(item)), None)
    ashby_message = info.get("message")
    if not isinstance(ashby_message, str) or not ashby_message:
        texts = [item for item in items if item != code]
        ashby_message = "; ".join(texts) if texts else None
    if ashby_message is not None:
        ashby_message = redact(ashby_message).rstrip(". ") or None
    request_id = info.get("requestId")
    if not isinstance(request_id, str) or not request_id:
        request_id = headers.get("x-ashby-request-id") or None

    said = f": {ashby_message}" if ashby_message else ""
    if envelope is None and raw:
        said = f"; body: {_snippet(raw, redact)!r}"
    ids: _Ids = {"status": status, "request_id": request_id, "endpoint": endpoint}

    if code == "missing_endpoint_permission":  # documented as 403; trusted at any status
        permission = _missing_permission(ashby_message, info.get("meta"))
        grant = permission or "the module permission this endpoint needs"
        return PermissionDeniedError(
            f"The Ashby API key may not call {endpoint} (HTTP {status}, missing_endpoint_permission"
            f"{said}). Ask an Ashby admin to grant {grant} to this key.",
            code=code,
            missing_permission=permission,
            **ids,
        )
    if status in (401, 403):
        problem = "no API key was sent" if status == 401 else "the API key is wrong or deactivated"
        return AuthenticationError(
            f"Ashby rejected the request to {endpoint}: {problem} (HTTP {status}{said}). "
            "Check ASHBY_API_KEY; retrying will not help.",
            code=code,
            **ids,
        )
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        scope = headers.get("x-ratelimit-scope")
        whose = " (the integration partner's combined traffic)" if scope == "integration-partner" else ""
        when = f"retry after {retry_after:g} s" if retry_after is not None else "retry later with backoff"
        return RateLimitError(
            f"Ashby rate-limited {endpoint}{whose} (HTTP 429{said}); {when}.",
            code=code or "rate_limit_exceeded",
            retry_after=retry_after,
            **ids,
        )
    if status >= 500:
        return ServerError(
            f"Ashby failed on {endpoint} (HTTP {status}{said}). This is usually transient: retry later; "
            "if it persists, report the request id to Ashby.",
            code=code,
            **ids,
        )
    if status == 404:
        return AshbyAPIError(
            f"Ashby has no endpoint '{endpoint}' (HTTP 404{said}). Check the endpoint name, "
            "e.g. 'candidate.list', and ASHBY_API_URL.",
            code=code,
            **ids,
        )
    if envelope is None or envelope["success"] is not False:
        what = "not JSON" if body is None else "not Ashby's {success, ...} envelope"
        return MalformedResponseError(
            f"Ashby answered {endpoint} with HTTP {status} and a body that is {what}"
            f"{said or '; empty body'}. Check ASHBY_API_URL points at the Ashby API."
        )
    code_text = code or "no error code"
    if code is not None and code.endswith("_not_found"):
        return NotFoundError(
            f"Ashby found nothing for {endpoint} ({code_text}{said}). Check the id; Ashby gives the same "
            "answer for records this key may not see (confidential jobs or projects).",
            code=code,
            **ids,
        )
    if code in _SYNC_TOKEN_CODES:
        return SyncTokenError(
            f"Ashby refused the syncToken on {endpoint} ({code_text}{said}): "
            "drop the syncToken and run a full sync.",
            code=code,
            **ids,
        )
    if code in _CURSOR_CODES:
        return CursorError(
            f"Ashby refused the cursor on {endpoint} ({code_text}{said}): "
            "restart the listing without cursor.",
            code=code,
            **ids,
        )
    return AshbyValidationError(
        f"Ashby rejected the request to {endpoint} ({code_text}{said}). Correct the params and try again.",
        code=code,
        **ids,
    )


def _connection_error(
    exc: httpx.TransportError, endpoint: str, where: str, redact: Callable[[str], str]
) -> TransportError:
    """A sanitized stand-in for an httpx exception: its type and text, never its request."""
    detail = redact(str(exc)) or "no detail"
    cause = f"{type(exc).__name__}: {detail}"
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(
            f"The request to {endpoint} on {where} timed out ({cause}). Retry later, or raise the timeout "
            "for large pages."
        )
    return ConnectionFailedError(
        f"Could not talk to {where} for {endpoint} ({cause}). Check the network and ASHBY_API_URL."
    )


# --------------------------------------------------------------------------- the transport


def _resolve_base_url(base_url: str | None) -> str:
    url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise InvalidRequestError(
            f"Ashby base URL {url!r} must start with http:// or https:// (argument or {BASE_URL_ENV})."
        )
    return url


class AshbyTransport:
    """Sends ``POST /<endpoint>`` calls to Ashby and returns the success envelope.

    One pooled :class:`httpx.AsyncClient` per transport; pass ``http_client=`` to share or mock one (it is
    then yours to close, and its own timeout applies unless ``timeout=`` is given). ``sleep``, ``rng`` and
    ``clock`` exist so tests can drive retries without monkeypatching.
    """

    def __init__(
        self,
        api_key: SecretStr | str,
        *,
        base_url: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | httpx.Timeout | None = None,
        user_agent: str | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # The key is kept only inside the headers and the redactor, whose reprs hide it.
        key = api_key if isinstance(api_key, str) else api_key.get_secret_value()
        self.base_url = _resolve_base_url(base_url)
        self.retry = retry if retry is not None else RetryPolicy()
        token = base64.b64encode(f"{key}:".encode()).decode("ascii")
        # httpx.Headers masks Authorization in its repr, so the key stays out of reprs and locals dumps.
        self._headers = httpx.Headers(
            {
                "Authorization": f"Basic {token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": user_agent or _DEFAULT_USER_AGENT,
            }
        )
        self._redact = _Redactor(token, key)
        self._owns_client = http_client is None
        self._client = http_client
        self._timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)
        # A shared client keeps its own timeout unless the caller asked for one explicitly.
        self._request_timeout: httpx.Timeout | Any = (
            httpx.USE_CLIENT_DEFAULT if http_client is not None and timeout is None else self._timeout
        )
        self._prefix = self.base_url + "/"
        self._host = httpx.URL(self.base_url).host or self.base_url
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._clock = clock
        self._closed = False

    def __repr__(self) -> str:
        return f"AshbyTransport(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this transport created it; a client passed in is left open."""
        self._closed = True
        client, self._client = self._client, None
        if client is not None and self._owns_client:
            await client.aclose()

    def _get_client(self) -> httpx.AsyncClient:
        if self._closed:
            raise InvalidRequestError("This AshbyTransport is closed; create a new one.")
        client = self._client
        if client is None:
            client = self._client = httpx.AsyncClient(timeout=self._timeout, limits=DEFAULT_LIMITS)
        elif client.is_closed:
            raise InvalidRequestError("The http_client given to AshbyTransport is closed; pass an open one.")
        return client

    async def post(
        self, endpoint: str, body: Mapping[str, Any] | None = None, *, idempotent: bool = True
    ) -> dict[str, Any]:
        """Call ``POST /<endpoint>`` (e.g. ``"candidate.list"``); return the envelope (``success: true``).

        Retries 429 (honouring ``Retry-After``), 5xx, timeouts and dropped connections per the
        :class:`RetryPolicy`. With ``idempotent=False`` (writes) only failures where Ashby surely did not
        act are retried: 429 and connections that never opened. Raises an
        :class:`~ashby_agent.errors.AshbyAgentError` subclass otherwise.
        """
        client = self._get_client()
        if type(body) is not dict:  # orjson encodes dicts, not arbitrary Mappings
            body = {} if body is None else dict(body)
        try:
            content = orjson.dumps(body)
        except TypeError as exc:  # orjson.JSONEncodeError subclasses TypeError
            raise InvalidRequestError(f"The body for {endpoint} is not JSON-serialisable: {exc}.") from None
        url = self._prefix + endpoint.lstrip("/")
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                response = await client.post(
                    url, content=content, headers=self._headers, timeout=self._request_timeout
                )
            except httpx.TransportError as exc:
                error: AshbyAgentError = _connection_error(exc, endpoint, self._host, self._redact)
                retryable = isinstance(exc, _UNSENT_ERRORS) or (
                    idempotent and isinstance(exc, _MAYBE_SENT_ERRORS)
                )
                _LOG.debug("POST %s failed: %s (attempt %d)", endpoint, type(exc).__name__, attempt)
            else:
                status = response.status_code
                raw = response.content
                try:
                    data = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    data = None
                if type(data) is dict and data.get("success") is True and 200 <= status < 300:
                    _LOG.debug("POST %s -> %d (attempt %d)", endpoint, status, attempt)
                    return data
                headers = response.headers
                _LOG.debug(
                    "POST %s -> %d (attempt %d, request id %s)",
                    endpoint,
                    status,
                    attempt,
                    headers.get("x-ashby-request-id"),
                )
                error = error_from_response(status, data, headers, endpoint, raw=raw, redact=self._redact)
                retryable = status == 429 or (idempotent and status >= 500)
                if retryable:
                    retry_after = parse_retry_after(headers.get("retry-after"))
            delay = (
                retry_delay(self.retry, attempt, self._clock() - started, retry_after, self._rng)
                if retryable
                else None
            )
            if delay is None:
                if retryable:
                    _LOG.debug("POST %s: giving up after %d attempt(s)", endpoint, attempt)
                raise error from None
            _LOG.debug(
                "POST %s: retrying in %.3f s (attempt %d/%d)",
                endpoint,
                delay,
                attempt + 1,
                self.retry.max_attempts,
            )
            await self._sleep(delay)
