"""The hosted API's one HTTP exception: every layer of the service raises :class:`ServiceError`.

It carries the status, the message and the ``errors`` items of the envelope; turning it into a response
is the job of the one error mapper, :mod:`ashby_agent.service.api.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ErrorItem", "ServiceError"]


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One entry of ``errors``: which input (``field``), what is wrong, a stable ``error_code``."""

    field: str | None
    message: str
    error_code: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message, "error_code": self.error_code}


class ServiceError(Exception):
    """An HTTP error of the hosted API; ``errors`` defaults to one item carrying ``code``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str,
        field: str | None = None,
        errors: Sequence[ErrorItem] | None = None,
        headers: Mapping[str, str] | None = None,
        ashby: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = list(errors) if errors is not None else [ErrorItem(field, message, code)]
        self.headers = dict(headers or {})
        #: For failures of Ashby or of the way to it: what a hosted-mode client needs to raise the same
        #: exception as local mode (kind, Ashby's status and code, request id, endpoint, retry_after).
        self.ashby = dict(ashby) if ashby is not None else None

    # The common cases, named so call sites read as the contract does.
    @classmethod
    def unauthorized(cls, message: str, code: str = "invalid_token") -> ServiceError:
        return cls(401, message, code=code, headers={"WWW-Authenticate": "Bearer"})

    @classmethod
    def forbidden(cls, message: str, code: str = "forbidden", field: str | None = None) -> ServiceError:
        return cls(403, message, code=code, field=field)

    @classmethod
    def not_found(cls, what: str, ident: str) -> ServiceError:
        return cls(404, f"{what} '{ident}' was not found.", code=f"{what.lower()}_not_found", field="id")

    @classmethod
    def bad_request(cls, message: str, code: str = "bad_request", field: str | None = None) -> ServiceError:
        return cls(400, message, code=code, field=field)
