"""The socket layer under the package's httpx clients: httpcore's own, minus two per-request costs.

httpcore writes each request as two sends (the head, then the body), and before reusing a pooled
connection, and again when a response closes, asks every idle connection whether its socket is
readable: anyio answers through a dict of attribute getters it builds anew each time (with a
``getpeername`` call) before the ``poll`` itself. :class:`LeanHTTPTransport` is httpx's own transport
(same connection pool, exception mapping, TLS and keep-alive) over streams that hold a request's
writes until its response is first read, so a request is one send, and keep a ``poll`` object on
their socket for the readability check. Nothing is held back that the server could be waiting for:
httpcore reads only after writing the whole request (and httpx never sends ``Expect: 100-continue``);
a large body is sent as it comes.
"""

from __future__ import annotations

import select
import socket
import ssl
from typing import Any, Final

import httpcore
import httpx

__all__ = ["LeanHTTPTransport"]

#: Held writes beyond this are sent at once (a streamed upload is not buffered whole).
_HOLD_BYTES: Final = 64 * 1024


class _Readability:
    """Whether a socket has data (or its end) waiting, by one ``poll``; a socket gone (closed, or never
    had) counts as readable, as in httpcore, so its connection is dropped, not reused."""

    __slots__ = ("_fd", "_poller", "_socket")

    def __init__(self, sock: socket.socket | None) -> None:
        self._socket = sock
        self._fd = -1 if sock is None else sock.fileno()
        self._poller = select.poll() if hasattr(select, "poll") and self._fd >= 0 else None
        if self._poller is not None:
            self._poller.register(self._fd, select.POLLIN)

    def __call__(self) -> bool:
        if self._socket is None or self._socket.fileno() != self._fd or self._fd < 0:
            return True
        if self._poller is None:  # Windows
            return bool(select.select([self._fd], [], [], 0)[0])
        return bool(self._poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    """One connection's stream: writes held until the next read, the raw socket kept."""

    __slots__ = ("_held", "_held_bytes", "_inner", "_readable", "_write_timeout")

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._readable = _Readability(inner.get_extra_info("socket"))
        self._held: list[bytes] = []
        self._held_bytes = 0
        self._write_timeout: float | None = None

    async def _flush(self) -> None:
        held, self._held, self._held_bytes = self._held, [], 0
        await self._inner.write(held[0] if len(held) == 1 else b"".join(held), self._write_timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        self._held.append(buffer)
        self._held_bytes += len(buffer)
        self._write_timeout = timeout
        if self._held_bytes > _HOLD_BYTES:
            await self._flush()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._held:
            await self._flush()
        return await self._inner.read(max_bytes, timeout)

    async def aclose(self) -> None:
        self._held, self._held_bytes = [], 0
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        if self._held:
            await self._flush()
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return self._readable()
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend (asyncio or trio), handing out :class:`_Stream` s."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class LeanHTTPTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits)`` over :class:`_Stream` s."""

    def __init__(self, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(verify=ssl_context, limits=limits)
        # The pool httpx builds for these arguments, with the backend it has no argument for.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )
