"""Ashby's answers and httpx's exceptions, translated once into :mod:`ashby_agent.errors`.

* An HTTP answer that is not a success envelope (any status) -> :func:`error_from_response`: the status
  decides first (401/403, 429, 5xx, 404, which Ashby reserves for those), then ``errorInfo.code``.
* An httpx exception -> :func:`connection_error`: a :class:`~ashby_agent.errors.RequestTimeoutError` or
  :class:`~ashby_agent.errors.ConnectionFailedError` carrying the exception's type and text, never its
  request (whose ``Authorization`` header holds the key).

Text that came from outside passes through a :class:`Redactor` that removes the API key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final, TypedDict

import httpx

from ashby_agent.errors import (
    AshbyAgentError,
    AshbyAPIError,
    AshbyValidationError,
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    SyncTokenError,
    TransportError,
)
from ashby_agent.retry import parse_retry_after

__all__ = ["MAYBE_SENT_ERRORS", "UNSENT_ERRORS", "Redactor", "connection_error", "error_from_response"]

#: httpx failures that mean nothing was sent: retrying cannot make anything happen twice.
UNSENT_ERRORS: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Failures after which the request may or may not have arrived: retried only when repeating is harmless.
MAYBE_SENT_ERRORS: Final = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

_SNIPPET_CHARS = 200
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SCOPE_RE = re.compile(r"\b([a-z][A-Za-z]*:(?:read|write))\b")
_PERMISSION_ID_RE = re.compile(r"\b([a-z][A-Za-z]*(?:Read|Write))\b")
_PERMISSION_META_KEYS = ("missingPermission", "requiredPermission", "permission", "scope")
_SYNC_TOKEN_CODES = frozenset({"sync_token_expired", "sync_token_invalid", "incremental_sync_too_large"})
_CURSOR_CODES = frozenset({"next_cursor_expired", "invalid_next_cursor"})


def _identity(text: str) -> str:
    return text


class Redactor:
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
    """``errors`` entries as text: strings (the OpenAPI) or ``{message, parameter}``."""
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
    404), because Ashby reserves non-200 codes for those; then ``errorInfo.code`` decides.
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


def connection_error(
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
