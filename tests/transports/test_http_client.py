"""Ashby's httpx client as the package builds it (``ashby_http_client``, on its keep-alive transport),
over real TCP: a request is one send, connections the server closed while idle are not reused, a large
body arrives whole, failures are httpx's own exceptions, no cookie is kept between calls, and one
connector serves calls from successive event loops."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from ashby_agent.retry import RetryPolicy
from ashby_agent.transports.ashby import AshbyTransport, ashby_http_client


@dataclass
class Server:
    """A minimal HTTP/1.1 server: answers each request with a small JSON body; records what it read."""

    url: str = ""
    #: Per connection, the chunks read from its socket.
    reads: list[list[bytes]] = field(default_factory=list)
    requests: list[bytes] = field(default_factory=list)
    close_after_answer: bool = False
    answer_delay: float = 0.0
    set_cookie: bool = False


async def _handle(server: Server, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    chunks: list[bytes] = []
    server.reads.append(chunks)
    buffer = b""
    try:
        while True:
            data = await reader.read(1 << 20)
            if not data:
                return
            chunks.append(data)
            buffer += data
            while b"\r\n\r\n" in buffer:
                head, _, rest = buffer.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":", 1)[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                if len(rest) < length:
                    break
                server.requests.append(head + b"\r\n\r\n" + rest[:length])
                buffer = rest[length:]
                await asyncio.sleep(server.answer_delay)
                body = b'{"success":true,"results":[]}'
                cookie = b"set-cookie: session=abc; Path=/\r\n" if server.set_cookie else b""
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    + cookie
                    + b"content-length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                await writer.drain()
                if server.close_after_answer:
                    writer.close()
                    return
    finally:
        writer.close()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    listener = await asyncio.start_server(lambda r, w: _handle(state, r, w), "127.0.0.1", 0)
    state.url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
    async with listener:
        yield state
        listener.close()


async def test_a_request_reaches_the_server_in_one_piece(server: Server) -> None:
    async with ashby_http_client() as client:
        for _ in range(3):
            response = await client.post(server.url + "/candidate.list", content=b'{"limit": 2}')
            assert response.json()["success"] is True
    assert len(server.reads) == 1  # one kept-alive connection
    assert len(server.reads[0]) == 3  # each request (head and body) read in one go
    assert all(chunk.endswith(b'\r\n\r\n{"limit": 2}') for chunk in server.reads[0])


async def test_a_connection_the_server_closed_while_idle_is_not_reused(server: Server) -> None:
    server.close_after_answer = True
    async with ashby_http_client() as client:
        for _ in range(3):
            await client.post(server.url + "/candidate.list", content=b"{}")
            await asyncio.sleep(0.05)  # the server's close arrives while the connection is idle
    assert len(server.reads) == 3
    assert len(server.requests) == 3


async def test_a_large_body_arrives_whole(server: Server) -> None:
    body = b'{"pad": "' + b"x" * 300_000 + b'"}'
    async with ashby_http_client() as client:
        response = await client.post(server.url + "/candidate.list", content=body)
    assert response.status_code == 200
    assert server.requests[0].endswith(body)


async def test_a_slow_answer_is_httpx_read_timeout(server: Server) -> None:
    server.answer_delay = 1.0
    async with ashby_http_client(timeout=httpx.Timeout(0.1)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post(server.url + "/candidate.list", content=b"{}")


async def test_a_refused_connection_is_httpx_connect_error(server: Server) -> None:
    async with ashby_http_client() as client:
        with pytest.raises(httpx.ConnectError):
            await client.post("http://127.0.0.1:1/candidate.list", content=b"{}")


async def test_no_cookie_is_kept_between_calls(server: Server) -> None:
    server.set_cookie = True
    transport = AshbyTransport("key", base_url=server.url, retry=RetryPolicy(max_attempts=1))
    async with transport:
        await transport.post("candidate.list", {})
        await transport.post("candidate.list", {})
    assert all(b"\r\ncookie:" not in request.lower() for request in server.requests)


def test_one_connector_serves_calls_from_successive_event_loops(shared_sandbox: Any) -> None:
    """``asyncio.run`` per call over one connector: a connection kept alive by a loop that has since
    closed is not reused (it could never be read again), so each loop's call opens its own."""
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    connector = AshbyConnector(AshbyAuthConfig(api_key=shared_sandbox.api_key), base_url=shared_sandbox.url)
    with warnings.catch_warnings():
        # The dead loop's transport cannot close itself; collected, it says so.
        warnings.simplefilter("ignore", ResourceWarning)
        answers = [asyncio.run(connector.execute("jobs", "list", {"limit": 2})) for _ in range(3)]
        asyncio.run(connector.aclose())
        gc.collect()
    ids = [[job.id for job in answer.data] for answer in answers]
    assert len(ids[0]) == 2
    assert ids == [ids[0]] * 3
