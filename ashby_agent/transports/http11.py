"""HTTP/1.1 keep-alive for every client the package opens (to Ashby and to the hosted service), written
here instead of httpcore's.

Over httpcore a small call cost 1.4–2 ms of CPU (``bench/upstream_client.py``): per request a pool scan
with a readability ``poll`` per connection, h11's pure-Python state machine, anyio streams and trace
hooks; over this transport it costs ~0.2–0.3 ms, and a large answer's body is gathered by llhttp's
callbacks instead of h11's events. :class:`KeepAliveTransport` is an :class:`httpx.AsyncBaseTransport` (so
httpx's client, our retry loop, timeouts and error mapping stay as they are) that speaks HTTP/1.1
itself: one :class:`asyncio.Protocol` per connection, llhttp (httptools) parsing the responses, a
request written in one ``write``, and a small pool. The event loop tells a connection when its server
closes it while idle, so no readability check runs per request. A connection belongs to the event loop
that opened it: a call from another loop (``asyncio.run`` twice over one connector) opens its own.

It behaves as httpx's transport does where the retry layer can tell: the same exceptions
(``ConnectError``/``ConnectTimeout`` before anything is sent, ``PoolTimeout``, ``WriteTimeout``,
``ReadTimeout``, ``ReadError`` for a reset, ``RemoteProtocolError`` for a server that closed without a
(complete) answer or sent garbage), connections dropped rather than reused after any failure, an
unfinished body or ``Connection: close``, and, like httpcore, no resend of a request once it was
written: an idle connection found closed before writing is skipped for another one.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import ssl
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, Final

import httptools
import httpx

__all__ = ["KeepAliveTransport"]

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
#: Body bytes buffered ahead of a slow reader before the connection stops reading.
_BUFFER_LIMIT: Final = 256 * 1024
_TOKEN: Final = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: Header names seen valid (a client sends the same few on every request).
_NAMES_KEPT: Final = 256
_valid_names: set[bytes] = set()

Origin = tuple[str, str, int]


def _encode_head(request: httpx.Request) -> tuple[bytes, bool, bool]:
    """The request line and headers as sent, whether the body goes chunked, whether the request asks
    the connection to close. Header text that could end a line early is refused, as h11 does."""
    raw = request.headers.raw
    lines = [request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    chunked = close = False
    for name, value in raw:
        if name not in _valid_names:
            if _TOKEN.fullmatch(name) is None:
                raise httpx.LocalProtocolError(f"Illegal header name {name!r}", request=request)
            if len(_valid_names) < _NAMES_KEPT:
                _valid_names.add(name)
        if b"\r" in value or b"\n" in value or b"\0" in value:
            raise httpx.LocalProtocolError(f"Illegal header value for {name!r}", request=request)
        lines += (name, b": ", value, b"\r\n")
        if len(name) in (10, 17):  # connection, transfer-encoding: checked without lowering every name
            lowered = name.lower()
            if lowered == b"connection" and b"close" in value.lower():
                close = True
            elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
    lines.append(b"\r\n")
    return b"".join(lines), chunked, close


class _Connection(asyncio.Protocol):
    """One connection and the exchange on it (one at a time: no pipelining)."""

    def __init__(self, pool: KeepAliveTransport, origin: Origin) -> None:
        self.pool = pool
        self.origin = origin
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        #: Whether the connection may carry another request once this exchange is done.
        self.reusable = True
        self.closed = False
        self.idle = False
        self.idle_since = 0.0
        self.slot_freed = False
        self._waiter: asyncio.Future[bool] | None = None
        self._drained: asyncio.Future[None] | None = None
        self._paused_writing = False
        self._paused_reading = False
        self._reset(active=False)

    def _reset(self, *, active: bool) -> None:
        self.active = active
        self.answers_head = False
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.head = False
        self.done = False
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.error: tuple[type[httpx.TransportError], str] | None = None
        self._informational = False
        self._until_close = False

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if not self.active or self.done:  # nothing was asked: the connection cannot be trusted
            self.reusable = False
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(httpx.RemoteProtocolError, "The server switched protocols, which was not asked for.")
        except httptools.HttpParserError as exc:
            if not self.done:
                self._fail(httpx.RemoteProtocolError, f"Malformed HTTP response from the server: {exc}")
            self.reusable = False
            self.close()

    def eof_received(self) -> bool | None:
        return None  # close the transport; connection_lost tells the exchange

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)
        if self.active and not self.done:
            if exc is not None:
                self._fail(httpx.ReadError, str(exc) or type(exc).__name__)
            elif not self.head:
                self._fail(httpx.RemoteProtocolError, "Server disconnected without sending a response.")
            elif self._until_close:
                self.done = True
                self._wake()
            else:
                self._fail(
                    httpx.RemoteProtocolError, "peer closed connection without sending complete message body"
                )
        elif self.idle:
            self.pool._drop_idle(self)

    def pause_writing(self) -> None:
        self._paused_writing = True

    def resume_writing(self) -> None:
        self._paused_writing = False
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    # -- httptools callbacks

    def on_message_begin(self) -> None:
        if self.done:  # a second answer to one request
            self.reusable = False

    def on_status(self, status: bytes) -> None:
        self.reason += status

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:  # an interim answer (e.g. 100 Continue): the real one follows
            self._informational = True
            return
        self.status = status
        self.head = True
        framed = False
        for name, _ in self.headers:
            if len(name) in (14, 17) and name.lower() in (b"content-length", b"transfer-encoding"):
                framed = True
                break
        self._until_close = not framed and status not in (204, 304)
        if self.answers_head:  # llhttp cannot be told there is no body: this connection ends here
            self.done = True
            self.reusable = False
        self._wake()

    def on_body(self, body: bytes) -> None:
        if self.done:
            return
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > _BUFFER_LIMIT and self.transport is not None and not self._paused_reading:
            self._paused_reading = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._informational:
            self._informational = False
            self.reason = b""
            self.headers = []
            return
        if self.done:
            return
        self.done = True
        if not self.parser.should_keep_alive() or self._until_close:
            self.reusable = False
        self._wake()

    # -- the exchange

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(True)

    def _fail(self, kind: type[httpx.TransportError], message: str) -> None:
        self.reusable = False
        if self.error is None:
            self.error = (kind, message)
        self._wake()

    def _raise(self, request: httpx.Request) -> None:
        assert self.error is not None
        kind, message = self.error
        raise kind(message, request=request)

    async def _wait(self, timeout: float | None, request: httpx.Request) -> None:
        """Until something arrives (or the connection ends); ``ReadTimeout`` after ``timeout`` s of
        silence, as httpcore's per-read timeout."""
        waiter = self._waiter = self.loop.create_future()
        timer = None if timeout is None else self.loop.call_later(timeout, _time_out, waiter)
        try:
            arrived = await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()
        if not arrived:
            self.reusable = False
            raise httpx.ReadTimeout("timed out", request=request)

    def usable(self) -> bool:
        """Open, and free of anything from the last exchange (an answer that came before the whole
        request was sent leaves the rest of it to be written)."""
        transport = self.transport
        return (
            self.reusable
            and not self.closed
            and transport is not None
            and not transport.is_closing()
            and not transport.get_write_buffer_size()
        )

    async def send(
        self, request: httpx.Request, head: bytes, chunked: bool, close: bool, timeouts: dict[str, Any]
    ) -> None:
        """Write the request; return once the answer's status and headers are in."""
        transport = self.transport
        assert transport is not None
        self._reset(active=True)
        self.answers_head = request.method == "HEAD"
        if close:
            self.reusable = False
        write_timeout = timeouts.get("write")
        try:
            body: bytes | None = request.content
        except httpx.RequestNotRead:
            body = None
        if body is not None and not chunked:
            transport.write(head + body if body else head)
        else:
            stream = request.stream
            if not isinstance(stream, httpx.AsyncByteStream):
                raise RuntimeError("Attempted to send a sync request with an AsyncClient instance.")
            transport.write(head)
            async for chunk in stream:
                if chunk:
                    transport.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
                    await self._drain(write_timeout, request)
            if chunked:
                transport.write(b"0\r\n\r\n")
        await self._drain(write_timeout, request)
        read_timeout = timeouts.get("read")
        while not self.head:
            if self.error is not None:
                self._raise(request)
            await self._wait(read_timeout, request)

    async def _drain(self, timeout: float | None, request: httpx.Request) -> None:
        if not self._paused_writing or self.closed:
            return
        drained = self._drained = self.loop.create_future()
        try:
            await asyncio.wait_for(asyncio.shield(drained), timeout)
        except TimeoutError:
            self.reusable = False
            raise httpx.WriteTimeout("timed out", request=request) from None
        finally:
            self._drained = None

    async def body(self, request: httpx.Request, timeout: float | None) -> AsyncIterator[bytes]:
        """The answer's body as it arrives."""
        while True:
            if self.chunks:
                chunks, self.chunks, self.buffered = self.chunks, [], 0
                if self._paused_reading and self.transport is not None and not self.closed:
                    self._paused_reading = False
                    self.transport.resume_reading()
                yield chunks[0] if len(chunks) == 1 else b"".join(chunks)
                continue
            if self.done:
                return
            if self.error is not None:
                self._raise(request)
            await self._wait(timeout, request)

    def close(self) -> None:
        transport = self.transport
        if transport is not None:
            if not self.loop.is_closed():
                transport.close()
            else:  # its loop is gone, so it cannot close itself: end the exchange
                with contextlib.suppress(OSError):  # (the socket goes when the transport is collected)
                    transport.get_extra_info("socket").shutdown(socket.SHUT_RDWR)
        self.closed = True
        self.reusable = False


def _time_out(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


class _Body(httpx.AsyncByteStream):
    """A response's body; gives the connection back to the pool once read whole, drops it otherwise."""

    def __init__(self, pool: KeepAliveTransport, conn: _Connection, request: httpx.Request) -> None:
        self._pool = pool
        self._conn: _Connection | None = conn
        self._request = request
        self._timeout = request.extensions.get("timeout", {}).get("read")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            raise httpx.StreamClosed()
        try:
            async for chunk in conn.body(self._request, self._timeout):
                yield chunk
        except BaseException:
            self._finish(reuse=False)
            raise
        self._finish(reuse=True)

    def _finish(self, *, reuse: bool) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._pool._release(conn, reuse=reuse and conn.done)

    async def aclose(self) -> None:
        conn = self._conn
        self._finish(reuse=conn is not None and conn.done and not conn.chunks)


class KeepAliveTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over kept-alive connections, at most ``limits.max_connections`` in all (callers beyond
    them wait in FIFO order, up to the pool timeout), ``limits.max_keepalive_connections`` kept idle
    for up to ``limits.keepalive_expiry`` seconds. TLS for ``https`` with ``ssl_context``. Lives in one
    event loop."""

    def __init__(self, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        self._ssl = ssl_context
        self._max = limits.max_connections
        self._max_idle = limits.max_keepalive_connections
        self._expiry = limits.keepalive_expiry
        self._idle: dict[Origin, list[_Connection]] = {}
        self._idle_count = 0
        #: Connections open or being opened, plus slots handed to waiters.
        self._count = 0
        self._waiters: deque[tuple[Origin, asyncio.Future[_Connection | None]]] = deque()
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        port = url.port or _DEFAULT_PORTS.get(scheme)
        if port is None:
            raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{scheme}://'.")
        if not url.host:
            raise httpx.UnsupportedProtocol("Request URL is missing an 'http://' or 'https://' protocol.")
        if self._closed:
            raise RuntimeError("Cannot send a request, as the transport has been closed.")
        head, chunked, close = _encode_head(request)
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        conn = await self._acquire((scheme, url.host, port), request, timeouts)
        try:
            await conn.send(request, head, chunked, close, timeouts)
        except BaseException:
            self._release(conn, reuse=False)
            raise
        return httpx.Response(
            conn.status,
            headers=conn.headers,
            stream=_Body(self, conn, request),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": conn.reason},
        )

    # -- the pool

    async def _acquire(self, origin: Origin, request: httpx.Request, timeouts: dict[str, Any]) -> _Connection:
        while True:
            conn = self._take_idle(origin)
            if conn is not None:
                return conn
            if self._max is None or self._count < self._max:
                self._count += 1
                break
            if self._idle_count:  # the cap is reached by idle connections to other origins
                self._close_oldest_idle()
                continue
            handed = await self._wait_turn(origin, request, timeouts.get("pool"))
            if handed is None:
                break  # a slot was handed over
            if handed.usable():
                return handed
            self._discard(handed)  # closed by its server since it was handed over
        return await self._connect(origin, request, timeouts.get("connect"))

    async def _wait_turn(
        self, origin: Origin, request: httpx.Request, timeout: float | None
    ) -> _Connection | None:
        """A connection (or, if ``None``, a slot to open one) handed over by a caller done with it."""
        turn: asyncio.Future[_Connection | None] = asyncio.get_running_loop().create_future()
        self._waiters.append((origin, turn))
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(turn)
        except BaseException as exc:
            if turn.done() and not turn.cancelled():
                handed = turn.result()  # handed over as the wait ended: give it back
                if handed is None:
                    self._free_slot()
                else:
                    self._release(handed, reuse=True)
            else:
                turn.cancel()
            if isinstance(exc, TimeoutError):
                raise httpx.PoolTimeout("timed out", request=request) from None
            raise

    async def _connect(self, origin: Origin, request: httpx.Request, timeout: float | None) -> _Connection:
        if self._closed:  # closed while this caller waited for a slot
            self._free_slot()
            raise RuntimeError("Cannot send a request, as the transport has been closed.")
        scheme, host, port = origin
        tls = scheme == "https"
        sni = request.extensions.get("sni_hostname") if tls else None
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                _, conn = await loop.create_connection(
                    lambda: _Connection(self, origin),
                    host,
                    port,
                    ssl=self._ssl if tls else None,
                    server_hostname=(sni or host) if tls else None,
                )
        except BaseException as exc:
            self._free_slot()
            if isinstance(exc, TimeoutError):  # an OSError too: tested first
                raise httpx.ConnectTimeout("timed out", request=request) from None
            if isinstance(exc, OSError):  # refused, unreachable, name not resolved, TLS handshake failed
                raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from None
            raise
        return conn

    def _take_idle(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        loop = asyncio.get_running_loop()
        while idle:
            conn = idle.pop()
            self._idle_count -= 1
            conn.idle = False
            if conn.loop is loop and conn.usable() and not self._expired(conn):
                return conn
            self._discard(conn)
        return None

    def _expired(self, conn: _Connection) -> bool:
        return self._expiry is not None and conn.loop.time() - conn.idle_since > self._expiry

    def _release(self, conn: _Connection, *, reuse: bool) -> None:
        """Back to the pool after an exchange: to a waiter, kept idle, or closed."""
        conn.active = False
        if not (reuse and conn.usable()) or self._closed:
            self._discard(conn)
            return
        while self._waiters:
            origin, turn = self._waiters[0]
            if turn.done():
                self._waiters.popleft()
                continue
            if origin == conn.origin:
                self._waiters.popleft()
                turn.set_result(conn)
                return
            self._discard(conn)  # a caller waits for another origin: it gets this connection's slot
            return
        if self._max_idle is not None and self._idle_count >= self._max_idle:
            self._discard(conn)
            return
        idle = self._idle.setdefault(conn.origin, [])
        conn.idle = True
        conn.idle_since = conn.loop.time()
        idle.append(conn)
        self._idle_count += 1
        if self._expired(idle[0]):  # the oldest, left idle while the newer ones were reused
            self._drop_idle(idle[0])

    def _drop_idle(self, conn: _Connection) -> None:
        """An idle connection closed (by its server, or expired)."""
        idle = self._idle.get(conn.origin)
        if idle is not None and conn in idle:
            idle.remove(conn)
            self._idle_count -= 1
        conn.idle = False
        self._discard(conn)

    def _close_oldest_idle(self) -> None:
        oldest = min((conns[0] for conns in self._idle.values() if conns), key=lambda c: c.idle_since)
        self._drop_idle(oldest)

    def _discard(self, conn: _Connection) -> None:
        conn.close()
        if not conn.slot_freed:
            conn.slot_freed = True
            self._free_slot()

    def _free_slot(self) -> None:
        """A connection's place is free: the first waiter gets it (to open one), else the count drops."""
        while self._waiters:
            _, turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self._count -= 1

    async def aclose(self) -> None:
        self._closed = True
        for conns in list(self._idle.values()):
            for conn in list(conns):
                self._drop_idle(conn)
        self._idle.clear()
