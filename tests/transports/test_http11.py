"""KeepAliveTransport (the hosted service's HTTP/1.1 client) over real TCP: against the sandbox, and
against small servers that answer in every framing, close, stall or send garbage. Failures must be
httpx's own exceptions, as httpcore raises them, so the retry layer above treats them the same."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ashby_agent.errors import ConnectionFailedError, RequestTimeoutError
from ashby_agent.retry import RetryPolicy
from ashby_agent.sandbox import run_sandbox
from ashby_agent.service.pool import LIMITS
from ashby_agent.transports.ashby import AshbyTransport, ashby_http_client
from ashby_agent.transports.http11 import KeepAliveTransport
from ashby_agent.transports.tls import shared_ssl_context

FAST = RetryPolicy(max_attempts=4, initial_delay=0.01, max_delay=0.05, max_total_time=10.0)
ONCE = RetryPolicy(max_attempts=1)
BODY = b'{"success":true,"results":[]}'


def answer(body: bytes = BODY, *, headers: bytes = b"", status: bytes = b"200 OK") -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\n" + headers
        + b"content-length: %d\r\n\r\n" % len(body) + body
    )  # fmt: skip


#: What a connection does for its n-th request: bytes to write, seconds to sleep, or None to close.
Step = bytes | float | None
Script = Callable[[int, bytes], list[Step]]


@dataclass
class RawServer:
    """An HTTP/1.1 server driven by a script; records each connection's requests (head and body)."""

    script: Script
    url: str = ""
    connections: list[list[bytes]] = field(default_factory=list)

    @property
    def requests(self) -> list[bytes]:
        return [request for connection in self.connections for request in connection]


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lines = head.lower().split(b"\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in lines if line.startswith(b"content-length:")), 0)
    if any(line.startswith(b"transfer-encoding:") and b"chunked" in line for line in lines):
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            body += (await reader.readexactly(size + 2))[:size]
            if size == 0:
                return head + body
    return head + await reader.readexactly(length)


@pytest.fixture
async def raw() -> AsyncIterator[Callable[[Script], Awaitable[RawServer]]]:
    listeners: list[asyncio.Server] = []

    async def start(script: Script) -> RawServer:
        server = RawServer(script)

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen: list[bytes] = []
            server.connections.append(seen)
            try:
                while (request := await _read_request(reader)) is not None:
                    seen.append(request)
                    for step in server.script(len(server.requests), request):
                        if step is None:
                            return
                        if isinstance(step, float):
                            await asyncio.sleep(step)
                        else:
                            writer.write(step)
                            await writer.drain()
            finally:
                writer.close()

        listener = await asyncio.start_server(handle, "127.0.0.1", 0)
        listeners.append(listener)
        server.url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
        return server

    yield start
    for listener in listeners:
        listener.close()


def client(*, timeout: httpx.Timeout | None = None, limits: httpx.Limits = LIMITS) -> httpx.AsyncClient:
    transport = KeepAliveTransport(shared_ssl_context(), limits)
    if timeout is None:
        return ashby_http_client(transport=transport, limits=limits)
    return ashby_http_client(transport=transport, limits=limits, timeout=timeout)


def always(*steps: Step) -> Script:
    return lambda n, request: list(steps)


# --------------------------------------------------------------------------- against the sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=7, scale="small", api_keys=["full-key"]) as sb:
        yield sb


@pytest.fixture
def ashby(sandbox: Any) -> Iterator[Any]:
    sandbox.control.clear_faults()
    sandbox.control.clear_requests()
    yield sandbox
    sandbox.control.clear_faults()


async def _walk(sandbox: Any, http: httpx.AsyncClient) -> list[Any]:
    transport = AshbyTransport(sandbox.api_key, base_url=sandbox.url, http_client=http)
    pages, cursor = [], None
    while True:
        envelope = await transport.post("candidate.list", {"limit": 40, "cursor": cursor})
        pages.append(envelope["results"])
        if not envelope["moreDataAvailable"]:
            return pages
        cursor = envelope["nextCursor"]


async def test_pages_of_the_sandbox_match_httpcores(ashby: Any) -> None:
    async with client() as ours, ashby_http_client() as theirs:
        pages = await _walk(ashby, ours)
        assert pages == await _walk(ashby, theirs)
    assert len(pages) > 1


async def test_sandbox_faults_are_retried_as_over_httpcore(ashby: Any) -> None:
    ashby.control.queue_faults(["429", "500", "drop"])
    async with client() as http:
        transport = AshbyTransport(ashby.api_key, base_url=ashby.url, http_client=http, retry=FAST)
        envelope = await transport.post("candidate.list", {"limit": 1})
        assert envelope["success"] is True
        statuses = [r["status"] for r in ashby.control.requests() if r["path"] == "/candidate.list"]
        assert statuses == [429, 500, 0, 200]  # the dropped answer logs status 0
        # After the drop the pool still works, on kept-alive connections.
        assert (await transport.post("candidate.list", {"limit": 1}))["success"] is True


async def test_a_dropped_write_answer_is_not_retried(ashby: Any) -> None:
    ashby.control.queue_faults(["drop"])
    async with client() as http:
        transport = AshbyTransport(ashby.api_key, base_url=ashby.url, http_client=http, retry=FAST)
        with pytest.raises(ConnectionFailedError, match="RemoteProtocolError"):
            await transport.post("candidate.list", {"limit": 1}, idempotent=False)
    assert len([r for r in ashby.control.requests() if r["path"] == "/candidate.list"]) == 1


async def test_a_slow_sandbox_answer_is_a_read_timeout(ashby: Any) -> None:
    ashby.control.set_faults(rate_slow=1.0, slow_seconds=2.0)
    async with client(timeout=httpx.Timeout(0.2)) as http:
        transport = AshbyTransport(ashby.api_key, base_url=ashby.url, http_client=http, retry=ONCE)
        with pytest.raises(RequestTimeoutError, match="ReadTimeout"):
            await transport.post("candidate.list", {"limit": 1})


async def test_concurrent_callers_beyond_the_pool_all_get_answers(ashby: Any) -> None:
    limits = httpx.Limits(max_connections=3, max_keepalive_connections=3)
    async with client(limits=limits) as http:
        transport = AshbyTransport(ashby.api_key, base_url=ashby.url, http_client=http)
        envelopes = await asyncio.gather(*(transport.post("candidate.list", {"limit": 3}) for _ in range(30)))
    assert all(len(e["results"]) == 3 for e in envelopes)


# --------------------------------------------------------------------------- framing and keep-alive


async def test_requests_share_one_connection_and_are_one_write_each(raw: Any) -> None:
    server = await raw(always(answer()))
    async with client() as http:
        for _ in range(3):
            response = await http.post(server.url + "/candidate.list", content=b'{"limit": 2}')
            assert response.json() == {"success": True, "results": []}
            assert response.reason_phrase == "OK" and response.http_version == "HTTP/1.1"
    assert len(server.connections) == 1 and len(server.requests) == 3
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /candidate.list HTTP/1.1\r\n")
    assert b"\r\nhost: 127.0.0.1:" in head.lower() and body == b'{"limit": 2}'


async def test_a_chunked_answer_is_read_whole_and_the_connection_kept(raw: Any) -> None:
    chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    server = await raw(always(chunked[:40], 0.01, chunked[40:]))
    async with client() as http:
        for _ in range(2):
            assert (await http.get(server.url + "/")).content == b"hello world"
    assert len(server.connections) == 1


async def test_an_answer_without_length_ends_with_the_connection(raw: Any) -> None:
    server = await raw(always(b"HTTP/1.1 200 OK\r\n\r\nuntil the end", 0.01, b" of it", None))
    async with client() as http:
        for _ in range(2):
            assert (await http.get(server.url + "/")).content == b"until the end of it"
    assert len(server.connections) == 2


async def test_connection_close_is_honoured_both_ways(raw: Any) -> None:
    server = await raw(always(answer(headers=b"connection: close\r\n")))
    async with client() as http:
        for _ in range(2):
            assert (await http.get(server.url + "/")).status_code == 200
    assert len(server.connections) == 2
    kept = await raw(always(answer()))
    async with client() as http:
        for _ in range(2):
            await http.get(kept.url + "/", headers={"Connection": "close"})
    assert len(kept.connections) == 2


async def test_an_idle_connection_the_server_closed_is_replaced_without_error(raw: Any) -> None:
    server = await raw(always(answer(), 0.01, None))
    async with client() as http:
        for _ in range(3):
            assert (await http.get(server.url + "/")).status_code == 200
            await asyncio.sleep(0.1)  # the server's close arrives while the connection is idle
    assert [len(requests) for requests in server.connections] == [1, 1, 1]


async def test_interim_answers_are_skipped(raw: Any) -> None:
    server = await raw(always(b"HTTP/1.1 100 Continue\r\n\r\n" + answer(b"{}")))
    async with client() as http:
        response = await http.post(server.url + "/", content=b"{}")
    assert (response.status_code, response.content) == (200, b"{}")


async def test_error_statuses_and_bodies_arrive_as_sent(raw: Any) -> None:
    server = await raw(
        always(answer(b"busy", status=b"503 Service Unavailable", headers=b"retry-after: 3\r\n"))
    )
    async with client() as http:
        response = await http.get(server.url + "/")
    assert (response.status_code, response.content, response.headers["retry-after"]) == (503, b"busy", "3")


async def test_large_and_streamed_request_bodies_arrive_whole(raw: Any) -> None:
    server = await raw(always(answer()))
    large = b"x" * 300_000

    async def parts() -> AsyncIterator[bytes]:
        yield b"first,"
        yield b"second"

    async with client() as http:
        await http.post(server.url + "/", content=large)
        await http.post(server.url + "/", content=parts())
    assert server.requests[0].endswith(b"\r\n\r\n" + large)
    assert server.requests[1].endswith(b"\r\n\r\nfirst,second")
    assert b"transfer-encoding: chunked" in server.requests[1].lower()


async def test_a_large_answer_streams_and_an_unfinished_one_is_not_reused(raw: Any) -> None:
    big = b"y" * 2_000_000
    server = await raw(always(answer(big)))
    async with client() as http:
        assert (await http.get(server.url + "/")).content == big
        async with http.stream("GET", server.url + "/") as response:
            async for _ in response.aiter_raw():
                break  # left unread
        assert (await http.get(server.url + "/")).content == big
    assert [len(requests) for requests in server.connections] == [2, 1]


async def test_a_header_that_would_end_a_line_is_refused(raw: Any) -> None:
    server = await raw(always(answer()))
    async with client() as http:
        with pytest.raises(httpx.LocalProtocolError):
            await http.get(server.url + "/", headers={"x-evil": "a\r\nx-injected: 1"})
    assert server.requests == []


# --------------------------------------------------------------------------- failures


async def test_a_server_that_closes_without_answering(raw: Any) -> None:
    server = await raw(always(None))
    async with client() as http:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            await http.get(server.url + "/")


async def test_a_server_that_closes_mid_body(raw: Any) -> None:
    server = await raw(always(answer(b"x" * 100)[:-60], None))
    async with client() as http:
        with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
            await http.get(server.url + "/")


async def test_a_server_that_sends_garbage(raw: Any) -> None:
    server = await raw(always(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"))
    async with client() as http:
        with pytest.raises(httpx.RemoteProtocolError, match="Malformed"):
            await http.get(server.url + "/")


async def test_a_server_that_resets_the_connection(raw: Any) -> None:
    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST
        writer.transport.abort()

    listener = await asyncio.start_server(reset, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
    async with listener, client() as http:
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            await http.get(url + "/")


async def test_a_server_that_stalls_before_or_during_the_answer(raw: Any) -> None:
    before = await raw(always(1.0, answer()))
    during = await raw(always(answer(b"x" * 100)[:-50], 1.0, b"x" * 50))
    async with client(timeout=httpx.Timeout(0.1)) as http:
        for server in (before, during):
            with pytest.raises(httpx.ReadTimeout):
                await http.get(server.url + "/")


async def test_a_refused_connection_is_a_connect_error() -> None:
    async with client() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get("http://127.0.0.1:1/")


async def test_waiting_beyond_the_pool_timeout_is_a_pool_timeout(raw: Any) -> None:
    server = await raw(always(0.5, answer()))
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with client(limits=limits, timeout=httpx.Timeout(5.0, pool=0.05)) as http:
        first = asyncio.ensure_future(http.get(server.url + "/"))
        await asyncio.sleep(0.05)
        with pytest.raises(httpx.PoolTimeout):
            await http.get(server.url + "/")
        assert (await first).status_code == 200


async def test_a_cancelled_request_gives_its_connection_back(raw: Any) -> None:
    server = await raw(lambda n, request: [1.0, answer()] if n == 1 else [answer()])
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with client(limits=limits) as http:
        stalled = asyncio.ensure_future(http.get(server.url + "/"))
        waiting = asyncio.ensure_future(http.get(server.url + "/"))
        await asyncio.sleep(0.1)
        stalled.cancel()
        waiting_response = await waiting
        assert waiting_response.status_code == 200
        with pytest.raises(asyncio.CancelledError):
            await stalled
        assert (await http.get(server.url + "/")).status_code == 200
    assert len(server.connections) == 2  # the stalled connection was dropped, not reused


async def test_a_read_is_retried_and_a_write_is_not_after_a_close_without_answer(raw: Any) -> None:
    server = await raw(lambda n, request: [None] if n == 1 else [answer()])
    async with client() as http:
        transport = AshbyTransport("key", base_url=server.url, http_client=http, retry=FAST)
        assert (await transport.post("candidate.list", {}))["success"] is True
        assert len(server.requests) == 2
        server.script = lambda n, request: [None]
        with pytest.raises(ConnectionFailedError, match="RemoteProtocolError"):
            await transport.post("candidate.create", {}, idempotent=False)
        assert len(server.requests) == 3  # sent once


# --------------------------------------------------------------------------- TLS (Ashby is https)


def _certificate(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert file, key file, its PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(pem)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file, pem


async def test_https_keeps_its_connection_and_checks_the_certificate(tmp_path: Path) -> None:
    cert_file, key_file, pem = _certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while await _read_request(reader) is not None:
            writer.write(answer())
            await writer.drain()
        writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_tls)
    port = listener.sockets[0].getsockname()[1]
    trusting = ssl.create_default_context(cadata=pem.decode())
    async with listener:
        transport = KeepAliveTransport(trusting, LIMITS)
        async with ashby_http_client(transport=transport) as http:
            for host in ("localhost", "localhost", "127.0.0.1"):
                response = await http.post(f"https://{host}:{port}/candidate.list", content=b"{}")
                assert response.json()["success"] is True
        assert len(connections) == 2  # one per origin
        async with client() as untrusting:  # the default CA bundle does not know this certificate
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await untrusting.get(f"https://localhost:{port}/")
