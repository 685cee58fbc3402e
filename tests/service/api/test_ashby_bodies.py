"""What the service answers when Ashby answers 200 with a body it must not forward: broken JSON, bytes
that are not UTF-8, records of the wrong shape; and that a good body's records go out byte for byte.
Ashby is a real HTTP server here, answering whatever body the test sets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.errors import MalformedResponseError
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from tests.service.tenants import Tenant, assert_error


class _Ashby(ThreadingHTTPServer):
    body = b"{}"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = getattr(self.server, "body", b"{}")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def ashby() -> Iterator[_Ashby]:
    server = _Ashby(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def settings(db_url: str, ashby: _Ashby) -> ServiceSettings:
    url = f"http://127.0.0.1:{ashby.server_address[1]}"
    base = ServiceSettings(db_url=db_url, secret_key=generate_key(), ashby_base_url=url)
    return replace(base, rate_limit_requests=0, ashby_max_attempts=1)


LIST = {"entity": "departments", "action": "list", "params": {}}
GOOD = (
    b'{"success":true,"results":[{"id":"d1","name":"R&D \xc3\xa9","isArchived":false}],'
    b'"moreDataAvailable":false}'
)


@pytest.mark.parametrize(
    "body",
    [
        b'{"success":true,"results":[{"id":"d1"},}',  # broken inside the records
        b'{"success":true,"results":[{"id":"d1","name":"\xff"}]}',  # not UTF-8
        b'{"success":true,"results":{"id":"d1"}}',  # an object where a list belongs
        b'{"success":true,"results":[{"id":"d1"}]} and more',
    ],
)
async def test_a_body_that_cannot_be_forwarded_is_local_mode_s_error(
    tenant: Tenant, ashby: _Ashby, body: bytes
) -> None:
    ashby.body = body
    connector = tenant.create_connector("bodies", "key")
    answer = tenant.post(f"/integrations/connectors/{connector['id']}/execute", json=LIST)
    error = assert_error(answer, 502)
    local = AshbyConnector(
        AshbyAuthConfig(api_key="key"), base_url=f"http://127.0.0.1:{ashby.server_address[1]}"
    )
    try:
        with pytest.raises(MalformedResponseError):
            await local.execute("departments", "list", {})
    finally:
        await local.aclose()
    assert error["ashby"]["kind"] == "malformed_response", error


def test_a_good_body_s_records_go_out_byte_for_byte(tenant: Tenant, ashby: _Ashby) -> None:
    ashby.body = GOOD
    connector = tenant.create_connector("bodies-good", "key")
    answer = tenant.post(f"/integrations/connectors/{connector['id']}/execute", json=LIST)
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b'{"status":"success","result":[{"id":"d1","name":"R&D \xc3\xa9",')
    assert answer.json()["result"] == [{"id": "d1", "name": "R&D é", "isArchived": False}]
