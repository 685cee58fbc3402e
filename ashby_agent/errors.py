"""The one exception tree of ashby-agent.

Every failure a caller can see is one of these; no raw httpx error or ``RuntimeError`` escapes.
Each carries its data on attributes (so tools and the hosted service can render it) and a message
that names the next step::

    AshbyAgentError
    ├── InvalidRequestError            the call was wrong before any request was sent
    │   ├── UnknownEntityError         .entity, .valid
    │   ├── UnknownActionError         .entity, .action, .valid
    │   ├── InvalidParamsError         .entity, .action, .problems, .valid
    │   ├── AccessDeniedError          a write above the connector's access level: .needed, .access
    │   ├── ConfirmationRequiredError  a destructive write without ``confirm: true``
    │   ├── DuplicateRecordError       a create that would duplicate a record: .existing (ids)
    │   └── IdempotencyConflictError   an idempotency key reused for another write
    ├── AshbyAPIError                  Ashby answered with an error: .status, .code, .request_id
    │   ├── AuthenticationError        401/403: missing, wrong or deactivated key
    │   ├── PermissionDeniedError      403 missing_endpoint_permission: .missing_permission
    │   ├── NotFoundError              <entity>_not_found
    │   ├── RateLimitError             429: .retry_after (seconds or None)
    │   ├── ServerError                5xx
    │   ├── SyncTokenError             sync_token_expired/invalid, incremental_sync_too_large: full-sync
    │   ├── CursorError                next_cursor_expired / invalid_next_cursor: restart pagination
    │   └── AshbyValidationError       invalid_input and other business-rule errors
    ├── TransportError                 no usable answer reached us
    │   ├── RequestTimeoutError
    │   ├── ConnectionFailedError      refused, reset, dropped mid-body
    │   └── MalformedResponseError     not JSON / not Ashby's envelope
    ├── HostedServiceError             the hosted service refused: .status, .code
    │   └── HostedAuthenticationError
    └── MissingExtraError              a feature whose pip extra is not installed: .extra (also an
                                       ImportError)

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AccessDeniedError",
    "AshbyAPIError",
    "AshbyAgentError",
    "AshbyValidationError",
    "AuthenticationError",
    "ConfirmationRequiredError",
    "ConnectionFailedError",
    "CursorError",
    "DuplicateRecordError",
    "EntityNotSyncedError",
    "HostedAuthenticationError",
    "HostedServiceError",
    "IdempotencyConflictError",
    "InvalidParamsError",
    "InvalidQueryError",
    "InvalidRequestError",
    "MalformedResponseError",
    "MissingExtraError",
    "NoContextStoreError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServerError",
    "SyncTokenError",
    "TransportError",
    "UnknownActionError",
    "UnknownEntityError",
    "error_class_for_kind",
]


class AshbyAgentError(Exception):
    """Base of every error raised by ashby-agent."""

    #: Short machine-readable kind, stable across versions (used by tools and the hosted service).
    kind: str = "error"
    #: The same call may succeed later (throttling, a failing server, a network problem): transports
    #: retry these within their policy, and nothing else.
    transient: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- invalid requests


class InvalidRequestError(AshbyAgentError):
    """The call was malformed; nothing was sent to Ashby. Correct the call and try again."""

    kind = "invalid_request"

    def __init__(self, message: str, *, valid: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.valid = list(valid)


def _choices(valid: Sequence[str]) -> str:
    return ", ".join(valid) if valid else "(none)"


class UnknownEntityError(InvalidRequestError):
    """The entity name is not in the catalog."""

    kind = "unknown_entity"

    def __init__(self, entity: str, valid: Sequence[str], suggestion: str | None = None) -> None:
        hint = f" Did you mean '{suggestion}'?" if suggestion else ""
        super().__init__(f"Unknown entity '{entity}'.{hint} Valid entities: {_choices(valid)}.", valid=valid)
        self.entity = entity
        self.suggestion = suggestion


class UnknownActionError(InvalidRequestError):
    """The entity exists but does not support the action."""

    kind = "unknown_action"

    def __init__(self, entity: str, action: str, valid: Sequence[str]) -> None:
        super().__init__(f"Unknown action '{action}' for '{entity}'; valid: {_choices(valid)}.", valid=valid)
        self.entity = entity
        self.action = action


class InvalidParamsError(InvalidRequestError):
    """One or more params are unknown, missing or ill-typed."""

    kind = "invalid_params"

    def __init__(self, entity: str, action: str, problems: Sequence[str], valid: Sequence[str]) -> None:
        detail = "; ".join(problems)
        super().__init__(
            f"Invalid params for {entity}.{action}: {detail}. Valid params: {_choices(valid)}.",
            valid=valid,
        )
        self.entity = entity
        self.action = action
        self.problems = list(problems)


class AccessDeniedError(InvalidRequestError):
    """The operation needs a higher access level than the connector has; nothing was sent."""

    kind = "access_denied"

    def __init__(self, message: str, *, needed: str, access: str) -> None:
        super().__init__(message)
        self.needed = needed
        self.access = access


class DuplicateRecordError(InvalidRequestError):
    """A create found records it would duplicate (same email); nothing was created."""

    kind = "duplicate_record"

    def __init__(self, message: str, *, existing: Sequence[str]) -> None:
        super().__init__(message)
        self.existing = list(existing)


class IdempotencyConflictError(InvalidRequestError):
    """An idempotency key reused for another write, or while its first write still runs."""

    kind = "idempotency_conflict"


class ConfirmationRequiredError(InvalidRequestError):
    """A destructive write was called without ``confirm: true``; nothing was sent."""

    kind = "confirmation_required"


class InvalidQueryError(InvalidRequestError):
    """A context store query names an unknown operator or field, or a value of the wrong type."""

    kind = "invalid_query"

    def __init__(self, message: str, *, valid: Sequence[str] = (), where: str = "query") -> None:
        super().__init__(message, valid=valid)
        self.where = where


class EntityNotSyncedError(InvalidRequestError):
    """The context store has no completed sync of the entity yet: nothing it answers would be true."""

    kind = "entity_not_synced"

    def __init__(self, message: str, *, status: str) -> None:
        super().__init__(message)
        self.status = status


class NoContextStoreError(InvalidRequestError):
    """A context store action was called on a connector that has none configured."""

    kind = "no_context_store"


# --------------------------------------------------------------------------- Ashby API errors


class AshbyAPIError(AshbyAgentError):
    """Ashby answered with an error (``success: false`` or a non-2xx status)."""

    kind = "api_error"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.request_id = request_id
        self.endpoint = endpoint


class AuthenticationError(AshbyAPIError):
    """The API key is missing, wrong or deactivated. Check the key; retrying will not help."""

    kind = "authentication"


class PermissionDeniedError(AshbyAPIError):
    """The key lacks the module permission the endpoint needs."""

    kind = "permission_denied"

    def __init__(
        self,
        message: str,
        *,
        status: int = 403,
        code: str | None = "missing_endpoint_permission",
        request_id: str | None = None,
        endpoint: str | None = None,
        missing_permission: str | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, request_id=request_id, endpoint=endpoint)
        self.missing_permission = missing_permission


class NotFoundError(AshbyAPIError):
    """No record with that id (or the key may not see it)."""

    kind = "not_found"


class RateLimitError(AshbyAPIError):
    """Ashby throttled the key. ``retry_after`` is the wait in seconds Ashby asked for, if any."""

    kind = "rate_limited"
    transient = True

    def __init__(
        self,
        message: str,
        *,
        status: int = 429,
        code: str | None = "rate_limit_exceeded",
        request_id: str | None = None,
        endpoint: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, request_id=request_id, endpoint=endpoint)
        self.retry_after = retry_after


class ServerError(AshbyAPIError):
    """Ashby failed with a 5xx. Usually transient."""

    kind = "server_error"
    transient = True


class SyncTokenError(AshbyAPIError):
    """The syncToken expired, is invalid or the delta is too large: drop it and do a full sync."""

    kind = "sync_token"


class CursorError(AshbyAPIError):
    """The pagination cursor expired or is invalid: restart the listing without ``cursor``."""

    kind = "cursor"


class AshbyValidationError(AshbyAPIError):
    """Ashby rejected the request body (``invalid_input`` or a business rule)."""

    kind = "validation"


# --------------------------------------------------------------------------- transport errors


class TransportError(AshbyAgentError):
    """No usable answer reached us (timeout, connection failure, malformed response)."""

    kind = "transport"


class RequestTimeoutError(TransportError):
    """The request timed out."""

    kind = "timeout"
    transient = True


class ConnectionFailedError(TransportError):
    """The connection was refused, reset or dropped."""

    kind = "connection"
    transient = True


class MalformedResponseError(TransportError):
    """The answer was not JSON or not in Ashby's envelope."""

    kind = "malformed_response"


# --------------------------------------------------------------------------- hosted service


class HostedServiceError(AshbyAgentError):
    """The hosted ashby-agent service refused the call."""

    kind = "hosted"

    def __init__(self, message: str, *, status: int, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class HostedAuthenticationError(HostedServiceError):
    """The client id/secret or token was rejected by the hosted service."""

    kind = "hosted_authentication"


# --------------------------------------------------------------------------- installation


class MissingExtraError(AshbyAgentError, ImportError):
    """A feature needs packages of a pip extra that is not installed; the message names the command."""

    kind = "missing_extra"

    def __init__(self, message: str, *, extra: str, module: str | None = None) -> None:
        super().__init__(message)
        self.extra = extra
        self.name = module  # ImportError's attribute: the module that could not be imported


def error_class_for_kind(kind: str) -> type[AshbyAgentError]:
    """The exception class whose ``kind`` is ``kind`` (used to rebuild errors that crossed the wire)."""
    pending: list[type[AshbyAgentError]] = [AshbyAgentError]
    while pending:
        cls = pending.pop()
        if cls.kind == kind:
            return cls
        pending.extend(cls.__subclasses__())
    return AshbyAgentError
