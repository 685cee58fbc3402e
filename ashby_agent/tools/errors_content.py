"""Errors as content a model can act on.

Every exception a tool call can raise becomes an :class:`ErrorContent`: a stable ``kind``, a short
``message`` that names the next step, the ``valid`` choices when the call was wrong, and an
``outcome`` that says what the model should do next:

``fix_call``  the call was wrong (entity, action, params, stale cursor or sync token): correct it.
``retry_later`` transient (rate limit, Ashby 5xx, timeout, connection): wait, then the same call may work.
``stop``      retrying will not help (authentication, permission, not found, malformed answer).

Framework adapters (:mod:`ashby_agent.tools.frameworks`) turn it into each framework's own signal.
Unexpected exceptions are masked: the model sees a reference id, the traceback goes to the
``ashby_agent.tools`` logger.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ashby_agent.errors import (
    AshbyAgentError,
    AshbyAPIError,
    AshbyValidationError,
    AuthenticationError,
    CursorError,
    HostedAuthenticationError,
    HostedServiceError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SyncTokenError,
    TransportError,
)

__all__ = ["ErrorContent", "Outcome", "error_content", "not_permitted"]

logger = logging.getLogger("ashby_agent.tools")

Outcome = Literal["fix_call", "retry_later", "stop"]


@dataclass(frozen=True, slots=True)
class ErrorContent:
    """What the model is told about a failed call."""

    kind: str
    message: str
    outcome: Outcome
    next_step: str
    valid: Sequence[str] = ()
    retry_after: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def correctable(self) -> bool:
        """The model should correct the call (Pydantic AI ``ModelRetry``)."""
        return self.outcome == "fix_call"

    def to_dict(self) -> dict[str, Any]:
        """``{"error": {"kind", "message", "outcome", "next_step", "valid"?, "retry_after"?, ...}}``."""
        body: dict[str, Any] = {
            "kind": self.kind,
            "message": self.message,
            "outcome": self.outcome,
            "next_step": self.next_step,
        }
        if self.valid:
            body["valid"] = list(self.valid)
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        body.update(self.extra)
        return {"error": body}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    def to_text(self) -> str:
        """One paragraph for string error channels (ModelRetry, ToolFailed, ToolError)."""
        text = f"[{self.kind}] {self.message}"
        if self.valid and not all(choice in self.message for choice in self.valid):
            text += f" Valid: {', '.join(self.valid)}."
        return f"{text} {self.next_step}"


_FIX = "Correct the call and try again."
_STOP = "Retrying the same call will not help."


def _retry_later(exc: RateLimitError | ServerError | TransportError) -> ErrorContent:
    if isinstance(exc, RateLimitError):
        wait = exc.retry_after
        step = (
            f"Wait {wait:g} seconds, then retry the same call."
            if wait is not None
            else "Wait a few seconds, then retry the same call."
        )
        return ErrorContent(exc.kind, exc.message, "retry_later", step, retry_after=wait)
    return ErrorContent(
        exc.kind, exc.message, "retry_later", "This is usually temporary: retry the same call shortly."
    )


def error_content(exc: BaseException) -> ErrorContent:
    """Map any exception to what the model should be told (unexpected ones are masked and logged)."""
    if isinstance(exc, InvalidRequestError):
        return ErrorContent(exc.kind, exc.message, "fix_call", _FIX, valid=exc.valid)
    if isinstance(exc, CursorError):
        return ErrorContent(
            exc.kind, exc.message, "fix_call", "Call again without cursor to restart the listing from page 1."
        )
    if isinstance(exc, SyncTokenError):
        return ErrorContent(
            exc.kind, exc.message, "fix_call", "Call again without syncToken to do a full listing."
        )
    if isinstance(exc, AshbyValidationError):
        return ErrorContent(exc.kind, exc.message, "fix_call", _FIX)
    if isinstance(exc, AuthenticationError | HostedAuthenticationError):
        return ErrorContent(
            exc.kind,
            exc.message,
            "stop",
            f"{_STOP} The API key or credentials must be fixed by a person; tell the user.",
        )
    if isinstance(exc, PermissionDeniedError):
        extra = {"missing_permission": exc.missing_permission} if exc.missing_permission else {}
        return ErrorContent(
            exc.kind,
            exc.message,
            "stop",
            f"{_STOP} This API key may not read this; use other entities or tell the user.",
            extra=extra,
        )
    if isinstance(exc, NotFoundError):
        return ErrorContent(
            exc.kind,
            exc.message,
            "stop",
            f"{_STOP} Check the id: take it from a list or api_search result.",
        )
    if isinstance(exc, RateLimitError | ServerError) or (
        isinstance(exc, TransportError) and not isinstance(exc, MalformedResponseError)
    ):
        return _retry_later(exc)
    if isinstance(exc, HostedServiceError) and exc.status >= 500:
        return ErrorContent(exc.kind, exc.message, "retry_later", "Retry the same call shortly.")
    if isinstance(exc, AshbyAPIError | HostedServiceError | MalformedResponseError | AshbyAgentError):
        return ErrorContent(exc.kind, exc.message, "stop", _STOP)
    return _masked(exc)


def _masked(exc: BaseException) -> ErrorContent:
    reference = uuid.uuid4().hex[:12]
    logger.error(
        "ashby_execute failed unexpectedly (reference %s)",
        reference,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return ErrorContent(
        "internal",
        f"The tool failed unexpectedly (reference {reference}); the details were logged for the developer.",
        "stop",
        "Do not repeat the call; try a different call or tell the user the reference.",
    )


def not_permitted(entity: str, action: str, permission: str, available: Sequence[str]) -> ErrorContent:
    """The key's scopes (given to ``tool_utils(scopes=...)``) do not allow ``entity.action``."""
    module = permission.removesuffix("Read")
    return ErrorContent(
        "permission_denied",
        f"This API key may not call {entity}.{action}: it lacks the {module}:read scope.",
        "stop",
        f"{_STOP} Use one of the entities this key may read, or tell the user.",
        valid=available,
        extra={"missing_permission": permission},
    )
