"""uvicorn's HTTP/1.1 protocol (h11), answering an oversized request head with 431 instead of a reset.

h11 refuses a request head larger than uvicorn's ``h11_max_incomplete_event_size`` (16 KiB by default)
and says so (``error_status_hint`` 431), but uvicorn answers every protocol error 400 and closes the
socket at once: the client is usually still sending its head, so the kernel resets the connection and
the client never reads any answer. :class:`HeadLimitedH11Protocol` answers 431 in the service's error
envelope, half-closes, and reads (and drops) what the client still sends, so the client gets to read
the 431. Pass it to uvicorn as ``http=HeadLimitedH11Protocol``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

import h11
import orjson
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["HeadLimitedH11Protocol"]

#: What is read and dropped after a 431 before the connection is closed anyway.
_DRAIN_BYTES: Final = 64 * 1024 * 1024
_DRAIN_SECONDS: Final = 10.0


class _Connection(h11.Connection):
    """Keeps the protocol error it raised, so the answer can follow h11's status hint."""

    last_error: h11.RemoteProtocolError | None = None

    def next_event(self) -> Any:
        try:
            return super().next_event()
        except h11.RemoteProtocolError as exc:
            self.last_error = exc
            raise


class HeadLimitedH11Protocol(H11Protocol):
    """:class:`uvicorn.protocols.http.h11_impl.H11Protocol` with a readable 431 for oversized heads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_limit: int = self.config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        self.conn = _Connection(h11.SERVER, self._head_limit)
        self._dropping: int | None = None

    def data_received(self, data: bytes) -> None:
        if self._dropping is None:
            super().data_received(data)
            return
        self._dropping += len(data)
        if self._dropping > _DRAIN_BYTES:
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        error = self.conn.last_error if isinstance(self.conn, _Connection) else None
        if error is None or error.error_status_hint != 431:
            super().send_400_response(msg)
            return
        message = (
            f"The request's headers exceed {self._head_limit} bytes; send smaller headers (a bearer token "
            "is well under 1 KiB)."
        )
        body = orjson.dumps(
            {
                "message": message,
                "errors": [{"field": "headers", "message": message, "error_code": "headers_too_large"}],
            }
        )
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=431, headers=headers, reason=b"Request Header Fields Too Large"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self._dropping = 0
        if self.transport.can_write_eof():
            self.transport.write_eof()
        asyncio.get_running_loop().call_later(_DRAIN_SECONDS, self.transport.close)
