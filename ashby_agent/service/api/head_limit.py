"""uvicorn's HTTP/1.1 protocol on httptools (llhttp, in C), with a limit on the request head.

llhttp parses a request head at a fraction of h11's cost, but sets no limit on its size: uvicorn would
keep every header line a client sends. :class:`HeadLimitedHttpToolsProtocol` counts the request
target and header bytes as the parser hands them over and, past ``h11_max_incomplete_event_size``
(16 KiB, the limit uvicorn's h11 protocol applies), answers 431 in the service's error envelope before
the request reaches the app. It then half-closes and reads (and drops) what the client still sends,
so a client still sending its head gets to read the 431 instead of a reset connection. Pass it to
uvicorn as ``http=HeadLimitedHttpToolsProtocol``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["DEFAULT_HEAD_LIMIT", "HeadLimitedHttpToolsProtocol"]

#: The request head's limit (target and headers) unless uvicorn's config sets another.
DEFAULT_HEAD_LIMIT: Final = 16 * 1024
#: What is read and dropped after a 431 before the connection is closed anyway.
_DRAIN_BYTES: Final = 64 * 1024 * 1024
_DRAIN_SECONDS: Final = 10.0
#: The ": " and CRLF around each header, counted as the head's bytes too.
_HEADER_FRAMING: Final = 4


class _HeadTooLarge(Exception):
    """Raised inside a parser callback: httptools stops parsing and reports a callback error."""


class HeadLimitedHttpToolsProtocol(HttpToolsProtocol):
    """:class:`uvicorn.protocols.http.httptools_impl.HttpToolsProtocol` with a request-head limit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_limit: int = self.config.h11_max_incomplete_event_size or DEFAULT_HEAD_LIMIT
        self._head_left = self._head_limit
        self._head_too_large = False
        self._dropping: int | None = None

    def data_received(self, data: bytes) -> None:
        if self._dropping is None:
            super().data_received(data)
            return
        self._dropping += len(data)
        if self._dropping > _DRAIN_BYTES:
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_left = self._head_limit

    def on_url(self, url: bytes) -> None:
        self._head_left -= len(url)
        if self._head_left < 0:
            self._head_too_large = True
            raise _HeadTooLarge
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_left -= len(name) + len(value) + _HEADER_FRAMING
        if self._head_left < 0:
            self._head_too_large = True
            raise _HeadTooLarge
        super().on_header(name, value)

    def send_400_response(self, msg: str) -> None:
        if not self._head_too_large:
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
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\nconnection: close\r\n\r\n" + body
        )
        self._dropping = 0
        if self.transport.can_write_eof():
            self.transport.write_eof()
        asyncio.get_running_loop().call_later(_DRAIN_SECONDS, self.transport.close)
