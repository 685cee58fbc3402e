"""HTTP edges over real sockets: 405 lists every method, a client that disconnects is not an error, and
a request head over 16 KiB (one 1 MiB header, many small ones, a long target) is answered 431 instead
of a reset connection, while heads under it pass, request after request on one connection."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.server import uvicorn_config
from tests.service.tenants import Tenant, assert_error

ZERO = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        (f"/workspaces/{ZERO}", {"GET", "HEAD", "PUT", "DELETE"}),
        (f"/integrations/connectors/{ZERO}", {"GET", "HEAD", "PUT", "DELETE"}),
        ("/integrations/connectors", {"GET", "HEAD", "POST"}),
        ("/workspaces", {"GET", "HEAD"}),
    ],
)
def test_405_lists_every_allowed_method(tenant: Tenant, path: str, methods: set[str]) -> None:
    answer = tenant.request("PATCH", path)
    body = assert_error(answer, 405, "method_not_allowed")
    assert set(answer.headers["allow"].split(", ")) == methods
    assert "PUT" in body["message"] if "PUT" in methods else True


def _wait_for(records: list[logging.LogRecord], text: str) -> logging.LogRecord:
    for _ in range(500):  # bounded: the server thread logs as soon as it sees the disconnect
        found = [record for record in records if text in record.getMessage()]
        if found:
            return found[0]
        time.sleep(0.01)
    raise AssertionError(f"no log record containing {text!r}")


def test_a_client_that_disconnects_mid_request_is_logged_as_a_disconnect(
    tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    token = tenant.token()
    url = httpx.URL(tenant.service.url)
    caplog.set_level(logging.DEBUG)
    with socket.create_connection((url.host, url.port)) as raw:
        raw.sendall(
            b"POST /api/v1/integrations/connectors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + token.encode() + b'\r\nContent-Length: 1000\r\n\r\n{"workspace'
        )
    record = _wait_for(caplog.records, "client disconnected")
    assert record.levelno == logging.INFO
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
    assert tenant.get("/workspaces").status_code == 200


@pytest.fixture(scope="module")
def head_limited(settings: ServiceSettings) -> Iterator[str]:
    """The app under uvicorn as ``serve`` configures it (httptools with the request-head limit)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn_config(settings, sock.getsockname()[1], log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(6000):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.01)
    assert server.started
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def test_a_one_mib_header_is_answered_431(head_limited: str) -> None:
    with httpx.Client(base_url=head_limited, timeout=30) as http:
        answer = http.get("/api/v1/workspaces", headers={"X-Padding": "p" * (1024 * 1024)})
        body = assert_error(answer, 431, "headers_too_large")
        assert body["errors"][0]["field"] == "headers"
    with httpx.Client(base_url=head_limited, timeout=30) as http:  # and the server keeps serving
        assert_error(http.get("/api/v1/workspaces"), 401, "missing_token")


def test_small_heads_and_large_bodies_are_unaffected(head_limited: str, tenant: Tenant) -> None:
    headers: dict[str, Any] = {**tenant.headers(), "X-Padding": "p" * 8000}
    with httpx.Client(base_url=head_limited + "/api/v1", timeout=30) as http:
        assert http.get("/workspaces", headers=headers).status_code == 200
        body = b'{"workspace_name": "' + b"w" * 600_000 + b'"}'
        answer = http.post("/account/applications/scoped-token", content=body, headers=tenant.headers())
        assert_error(answer, 422, "string_too_long")


def test_many_small_headers_over_the_limit_are_answered_431(head_limited: str) -> None:
    headers = {f"X-Padding-{n}": "p" * 100 for n in range(200)}  # ~22 KiB in all, each one small
    with httpx.Client(base_url=head_limited, timeout=30) as http:
        assert_error(http.get("/api/v1/workspaces", headers=headers), 431, "headers_too_large")


def test_a_target_over_the_limit_is_answered_431(head_limited: str) -> None:
    with httpx.Client(base_url=head_limited, timeout=30) as http:
        answer = http.get("/api/v1/workspaces", params={"q": "q" * 20_000})
        assert_error(answer, 431, "headers_too_large")


def test_the_limit_counts_each_request_of_a_connection_on_its_own(head_limited: str, tenant: Tenant) -> None:
    headers: dict[str, Any] = {**tenant.headers(), "X-Padding": "p" * 12_000}
    with httpx.Client(base_url=head_limited + "/api/v1", timeout=30) as http:  # one kept-alive connection
        for _ in range(5):
            assert http.get("/workspaces", headers=headers).status_code == 200


def test_a_malformed_request_is_still_answered_400(head_limited: str) -> None:
    url = httpx.URL(head_limited)
    with socket.create_connection((url.host, url.port)) as raw:
        raw.sendall(b"GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
        assert raw.recv(1024).startswith(b"HTTP/1.1 400 ")
