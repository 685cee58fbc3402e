"""Which failures the hosted client retries: only the service's own, never what the service decided.

Byte-level service answers (a 503 without an ``ashby`` object, a dropped connection) come from
``httpx.MockTransport``; the end-to-end counts against the real service are in ``test_retry_layers``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ashby_agent import AirbyteAuthConfig
from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.errors import (
    AshbyAgentError,
    AuthenticationError,
    ConnectionFailedError,
    HostedServiceError,
    RequestTimeoutError,
    ServerError,
)
from ashby_agent.retry import RetryPolicy
from ashby_agent.transports.hosted import HostedTransport
from tests.transports.fakes import FakeTime, Server, ZeroRandom

CONNECTOR = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
EXECUTE = f"/api/v1/integrations/connectors/{CONNECTOR}/execute"


def token_answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "t", "expires_in": 900, "organization_id": "o"})


def page(*ids: str) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "status": "success",
            "result": [{"id": i} for i in ids],
            "connector_metadata": {"cursor": None, "has_more": False, "sync_token": None},
            "execution_metadata": {"connector_instance_id": CONNECTOR, "execution_time_ms": 1},
        },
    )


def ashby_failure(kind: str, status: int, **extra: Any) -> httpx.Response:
    ashby = {"kind": kind, "status": status, "code": None, "request_id": "r", "endpoint": "candidate.list"}
    return httpx.Response(
        502,
        json={"message": f"Ashby failed ({kind})", "errors": [], "ashby": {**ashby, **extra}},
    )


class Service:
    """Answers token requests itself and plays ``script`` for executes."""

    def __init__(self, *script: httpx.Response | Exception) -> None:
        self.executes = Server(*script)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/applications/token"):
            return token_answer(request)
        assert request.url.path == EXECUTE
        return self.executes(request)


def connector(service: Service, fake: FakeTime) -> AshbyConnector:
    auth = AirbyteAuthConfig(
        connector_id=CONNECTOR, airbyte_client_id="id", airbyte_client_secret="secret", api_url="http://svc"
    )
    transport = HostedTransport(
        auth,
        http_transport=httpx.MockTransport(service),
        retry=RetryPolicy(max_attempts=4, initial_delay=0.5, max_total_time=30),
        sleep=fake.sleep,
        clock=fake.clock,
        rng=ZeroRandom(),
    )
    return AshbyConnector(transport=transport)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (ashby_failure("server_error", 500, retried=True), ServerError),
        (ashby_failure("authentication", 401, retried=False), AuthenticationError),
        (ashby_failure("connection", 0, retried=True), ConnectionFailedError),
    ],
)
async def test_what_the_service_decided_about_ashby_is_final(
    answer: httpx.Response, error: type[AshbyAgentError]
) -> None:
    service, fake = Service(answer, page("never")), FakeTime()
    async with connector(service, fake) as hosted:
        with pytest.raises(error):
            await hosted.candidates.list(limit=1)
    assert len(service.executes.requests) == 1
    assert fake.sleeps == []


async def test_the_services_own_failures_are_retried_with_its_retry_after() -> None:
    busy = httpx.Response(429, headers={"Retry-After": "2"}, json={"message": "slow down", "errors": []})
    down = httpx.Response(503, json={"message": "restarting", "errors": []})
    service, fake = Service(busy, down, page("c1")), FakeTime()
    async with connector(service, fake) as hosted:
        result = await hosted.candidates.list(limit=1)
    assert [c["id"] for c in result.wire_records()] == ["c1"]
    assert fake.sleeps == [2.0, 1.0]
    assert len(service.executes.requests) == 3


async def test_a_service_that_stays_down_is_tried_at_most_max_attempts() -> None:
    service, fake = Service(httpx.Response(503, json={"message": "down", "errors": []})), FakeTime()
    async with connector(service, fake) as hosted:
        with pytest.raises(HostedServiceError) as caught:
            await hosted.candidates.list(limit=1)
    assert caught.value.status == 503
    assert len(service.executes.requests) == 4
    assert fake.sleeps == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        (httpx.ConnectError("refused"), ConnectionFailedError),
        (httpx.ReadTimeout("slow"), RequestTimeoutError),
    ],
)
async def test_reads_are_retried_when_the_service_was_unreachable(
    exception: Exception, error: type[AshbyAgentError]
) -> None:
    service, fake = Service(exception, page("c1")), FakeTime()
    async with connector(service, fake) as hosted:
        assert len(await hosted.candidates.list(limit=1)) == 1
    assert len(service.executes.requests) == 2
    service, fake = Service(exception), FakeTime()
    async with connector(service, fake) as hosted:
        with pytest.raises(error) as caught:
            await hosted.candidates.list(limit=1)
    assert "ASHBY_AGENT_API_URL" in str(caught.value) or "timed out" in str(caught.value)
    assert len(service.executes.requests) == 4


async def test_an_execute_that_may_have_arrived_is_not_repeated_unless_idempotent() -> None:
    service, fake = Service(httpx.ReadTimeout("slow"), page("c1")), FakeTime()
    async with connector(service, fake) as hosted:
        assert isinstance(hosted.transport, HostedTransport)
        with pytest.raises(RequestTimeoutError):
            await hosted.transport.client.execute("candidates", "list", {}, idempotent=False)
    assert len(service.executes.requests) == 1
