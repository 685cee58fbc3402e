"""What an endpoint is: one ``POST /<noun>.<verb>`` with its permission, body schema and handler.

Also the two things every handler and the app share: the error answered in Ashby's envelope and the
envelope bytes of a success.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from ..auth import ApiKey
from ..params import Param
from ..store import Store

Params = dict[str, Any]
Handler = Callable[["Ctx", Params], bytes]


class ApiError(Exception):
    """An error answered in Ashby's envelope; HTTP 200 unless said otherwise."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 200,
        meta: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.meta = meta
        self.headers = headers or {}


def error_body(code: str, message: str, request_id: str, meta: dict[str, Any] | None = None) -> bytes:
    info: dict[str, Any] = {"code": code, "message": message, "requestId": request_id}
    if meta:
        info["meta"] = meta
    return orjson.dumps({"success": False, "errors": [code], "errorInfo": info})


@dataclass(frozen=True)
class Ctx:
    """What a handler may use: the store and the calling key."""

    store: Store
    key: ApiKey
    endpoint: str
    delta: bool = False  # an incremental (syncToken) walk: default-hiding rules do not apply


@dataclass(frozen=True)
class Endpoint:
    """One ``POST /<noun>.<verb>``: its permission, its body schema and its handler."""

    name: str
    permission: str
    params: tuple[Param, ...]
    handler: Handler
    strict_schema: bool = False  # the OpenAPI forbids extra keys; enforced in strict mode


# -- response bodies --------------------------------------------------------------------------------
def ok(result: bytes) -> bytes:
    return b'{"success":true,"results":' + result + b"}"


def ok_rows(rows: Iterable[bytes], *, more_false: bool = False) -> bytes:
    """A plain list (``{success, results}``), or with ``moreDataAvailable: false`` (source.list)."""
    tail = b'],"moreDataAvailable":false}' if more_false else b"]}"
    return b'{"success":true,"results":[' + b",".join(rows) + tail


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def not_found(code: str, what: str) -> ApiError:
    return ApiError(code, f"{what} not found - are you lacking permissions to read it?")


__all__ = [
    "ApiError",
    "Ctx",
    "Endpoint",
    "Handler",
    "Params",
    "dumps",
    "error_body",
    "not_found",
    "ok",
    "ok_rows",
]
